"""LeetCode 520. Detect Capital."""

from rulec.tasks.base import Task

RULE = '''\
def detect_capital_use(word):
    capitals = 0
    for ch in word:
        if ch.isupper():
            capitals += 1
    if capitals == len(word) or capitals == 0:
        return True
    return capitals == 1 and word[0].isupper()
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of letters of word
    word = "".join(rng.choice(LETTERS) for _ in range(length))
    mode = rng.random()
    if mode < 0.17:
        word = word.upper()
    elif mode < 0.34:
        pass
    elif mode < 0.5:
        word = word.capitalize()
    else:
        word = "".join(c.upper() if rng.random() < 0.4 else c for c in word)
    return {"word": word}


def question(inputs):
    return (
        "We define the usage of capitals in a word to be right when one of the following cases "
        'holds: all letters in this word are capitals, like "USA"; all letters in this word '
        'are not capitals, like "leetcode"; only the first letter in this word is capital, '
        f'like "Google". Given the string word = "{inputs["word"]}", return True if the usage '
        "of capitals in it is right, and False otherwise."
    )


def reference(word):
    return word.isupper() or word.islower() or word.istitle()


TASK = Task(
    name="lc_520_detect_capital",
    source="leetcode",
    split="pretrain",
    description="Decide whether a word uses capital letters correctly.",
    length="number of letters of word",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"word": "the word", "capitals": "the number of capital letters",
              "ch": "the current letter"},
)
