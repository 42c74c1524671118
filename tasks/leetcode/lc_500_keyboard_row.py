"""LeetCode 500. Keyboard Row."""

from rulec.tasks.base import Task

RULE = '''\
def find_words(words):
    rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
    result = []
    for word in words:
        lower = word.lower()
        row = ""
        for candidate in rows:
            if lower[0] in candidate:
                row = candidate
        one_row = True
        for ch in lower:
            if ch not in row:
                one_row = False
                break
        if one_row:
            result.append(word)
    return result
'''

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of words
    words = []
    for _ in range(length):
        pool = rng.choice(ROWS) if rng.random() < 0.5 else LETTERS
        w = "".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.3:
            w = w.capitalize()
        words.append(w)
    return {"words": words}


def question(inputs):
    return (
        f"Given an array of strings words = {inputs['words']}, return the words that can be "
        "typed using letters of the alphabet on only one row of an American keyboard, in "
        'their original order. The first row consists of the characters "qwertyuiop", the '
        'second row of "asdfghjkl", and the third row of "zxcvbnm" (case does not matter).'
    )


def reference(words):
    return [w for w in words if any(set(w.lower()) <= set(r) for r in ROWS)]


TASK = Task(
    name="lc_500_keyboard_row",
    source="leetcode",
    split="pretrain",
    description="Keep the words typeable using a single row of an American keyboard.",
    length="number of words (1-6 letters each)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"words": "the words", "rows": "the keyboard rows", "result": "the result",
              "word": "the current word", "lower": "the lowercase word",
              "row": "the row of the first letter", "one_row": "whether the word fits one row"},
)
