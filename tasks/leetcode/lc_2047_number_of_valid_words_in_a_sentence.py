"""LeetCode 2047. Number of Valid Words in a Sentence."""

from rulec.tasks.base import Task

RULE = """\
def count_valid_words(sentence):
    count = 0
    for token in sentence.split():
        if is_valid(token):
            count += 1
    return count

def is_valid(token):
    hyphens = 0
    for i in range(len(token)):
        char = token[i]
        if char.isdigit():
            return False
        if char == "-":
            hyphens += 1
            if hyphens > 1 or i == 0 or i == len(token) - 1:
                return False
            if not token[i - 1].isalpha() or not token[i + 1].isalpha():
                return False
        elif char in "!.,":
            if i != len(token) - 1:
                return False
    return True
"""

LOWER = "abcdefghijklmnopqrstuvwxyz"


def _word(rng, low=1, high=4):
    return "".join(rng.choice(LOWER) for _ in range(rng.randint(low, high)))


def _token(rng):
    kind = rng.randrange(10)
    punct = rng.choice("!.,")
    if kind <= 2:
        return _word(rng)
    if kind == 3:
        return _word(rng) + "-" + _word(rng) + (punct if rng.random() < 0.3 else "")
    if kind == 4:
        return _word(rng) + punct
    if kind == 5:
        return punct if rng.random() < 0.5 else punct + _word(rng, 1, 3)
    if kind == 6:
        w = list(_word(rng, 1, 4))
        w.insert(rng.randrange(len(w) + 1), rng.choice("0123456789"))
        return "".join(w)
    if kind == 7:
        return rng.choice(["-" + _word(rng), _word(rng) + "-", _word(rng) + "-" + punct])
    if kind == 8:
        return _word(rng, 1, 2) + "-" + _word(rng, 1, 2) + "-" + _word(rng, 1, 2)
    return _word(rng, 1, 3) + punct + _word(rng, 1, 2) + rng.choice(["", punct])


def generate(length, rng):
    # length = number of tokens
    parts = [" " * rng.randint(0, 1)]
    for i in range(length):
        parts.append(_token(rng))
        parts.append(" " * (rng.choice([1, 1, 1, 2]) if i < length - 1 else rng.randint(0, 1)))
    return {"sentence": "".join(parts)}


def question(inputs):
    return (
        f'Given the sentence "{inputs["sentence"]}", split it into tokens separated by one or '
        "more spaces. A token is a valid word if it contains no digits, has at most one hyphen "
        "'-' which must be surrounded by lowercase letters, and has at most one punctuation mark "
        "('!', '.' or ','), which must be at the end of the token. Return the number of valid "
        "words."
    )


def reference(sentence):
    import re

    pattern = re.compile(r"(?:[a-z]+(?:-[a-z]+)?)?[!.,]?")
    return sum(1 for t in sentence.split(" ") if t and pattern.fullmatch(t))


TASK = Task(
    name="lc_2047_number_of_valid_words_in_a_sentence",
    source="leetcode",
    split="pretrain",
    description="Count the valid words (letters, one inner hyphen, one final punctuation) in a sentence.",
    length="number of tokens",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "sentence": "the sentence",
        "token": "the token",
        "count": "the number of valid words",
        "hyphens": "the number of hyphens",
        "char": "the character",
    },
)
