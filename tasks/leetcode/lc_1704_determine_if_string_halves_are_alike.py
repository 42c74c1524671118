"""LeetCode 1704. Determine if String Halves Are Alike."""

from rulec.tasks.base import Task

RULE = '''\
def halves_are_alike(s):
    half = len(s) // 2
    count = 0
    for i in range(half):
        if s[i] in 'aeiouAEIOU':
            count += 1
        if s[half + i] in 'aeiouAEIOU':
            count -= 1
    return count == 0
'''

VOWELS = "aeiouAEIOU"
CONSONANTS = "bcdfghjklmnpqrstvwxyzBCDFGHJKLMNPQRSTVWXYZ"


def _half(size, vowels, rng):
    spots = set(rng.sample(range(size), vowels))
    return "".join(rng.choice(VOWELS) if i in spots else rng.choice(CONSONANTS)
                   for i in range(size))


def generate(length, rng):
    # length = number of characters in each half (s has 2 * length characters)
    v1 = rng.randint(0, length)
    if rng.random() < 0.5:
        v2 = v1
    else:
        v2 = rng.choice([v for v in range(length + 1) if v != v1])
    return {"s": _half(length, v1, rng) + _half(length, v2, rng)}


def question(inputs):
    return (
        f'You are given a string s = "{inputs["s"]}" of even length. Split it into two '
        "halves of equal length, a being the first half and b the second half. Two strings "
        "are alike if they have the same number of vowels ('a', 'e', 'i', 'o', 'u', 'A', 'E', "
        "'I', 'O', 'U'). Return True if a and b are alike, otherwise return False."
    )


def reference(s):
    n = len(s) // 2
    return sum(c in VOWELS for c in s[:n]) == sum(c in VOWELS for c in s[n:])


TASK = Task(
    name="lc_1704_determine_if_string_halves_are_alike",
    source="leetcode",
    split="pretrain",
    description="Check whether both halves of a string contain the same number of vowels.",
    length="number of characters in each half (s has 2 * length characters)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "half": "the half length",
        "count": "the vowel difference between the halves",
    },
)
