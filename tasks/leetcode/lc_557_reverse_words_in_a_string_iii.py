"""LeetCode 557. Reverse Words in a String III."""

from rulec.tasks.base import Task

RULE = '''\
def reverse_words(s):
    result = ""
    word = ""
    for ch in s:
        if ch == " ":
            result += word + " "
            word = ""
        else:
            word = ch + word
    result += word
    return result
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of words of s
    words = []
    for _ in range(length):
        w = "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.25:
            w = w.capitalize()
        words.append(w)
    return {"s": " ".join(words)}


def question(inputs):
    return (
        f'Given a string s = "{inputs["s"]}", reverse the order of characters in each word '
        "within the sentence while still preserving whitespace and initial word order."
    )


def reference(s):
    return " ".join(w[::-1] for w in s.split(" "))


TASK = Task(
    name="lc_557_reverse_words_in_a_string_iii",
    source="leetcode",
    split="pretrain",
    description="Reverse the characters of each word of a sentence, keeping word order.",
    length="number of words of s (1-6 letters each, single spaces)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the sentence", "result": "the result", "word": "the reversed current word",
              "ch": "the current character"},
)
