"""LeetCode 387. First Unique Character in a String."""

from rulec.tasks.base import Task

RULE = '''\
def first_uniq_char(s):
    counts = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    for i, ch in enumerate(s):
        if counts[ch] == 1:
            return i
    return -1
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of characters of s
    if length >= 2 and rng.random() < 0.3:
        alphabet = LETTERS[: rng.randint(3, 10)]
        base = [rng.choice(alphabet) for _ in range(length // 2)]
        chars = base + base
        if length % 2:
            chars.append(rng.choice(base))
        rng.shuffle(chars)
    else:
        alphabet = LETTERS[: rng.randint(3, 12)]
        chars = [rng.choice(alphabet) for _ in range(length)]
        if all(chars.count(c) > 1 for c in chars):
            chars[rng.randrange(length)] = rng.choice(LETTERS[12:])
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'Given a string s = "{inputs["s"]}", find the first non-repeating character in it and '
        "return its index (counting from 0). If it does not exist, return -1."
    )


def reference(s):
    for i, ch in enumerate(s):
        if s.count(ch) == 1:
            return i
    return -1


TASK = Task(
    name="lc_387_first_unique_character_in_a_string",
    source="leetcode",
    split="pretrain",
    description="Index of the first character that occurs exactly once in a string, or -1.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the string", "counts": "the character counts", "ch": "the current character",
              "i": "the current index"},
)
