"""LeetCode 2785. Sort Vowels in a String."""

from rulec.tasks.base import Task

RULE = '''\
def sort_vowels(s):
    vowels = []
    for ch in s:
        if ch in 'aeiouAEIOU':
            vowels.append(ch)
    vowels = sorted(vowels)
    result = ''
    j = 0
    for ch in s:
        if ch in 'aeiouAEIOU':
            result += vowels[j]
            j += 1
        else:
            result += ch
    return result
'''

VOWELS = "aeiouAEIOU"
CONSONANTS = "bcdfghjklmnpqrstvwxyzBCDFGHJKLMNPQRSTVWXYZ"


def generate(length, rng):
    # length = number of characters of s
    chars = [rng.choice(VOWELS) if rng.random() < 0.45 else rng.choice(CONSONANTS)
             for _ in range(length)]
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'Given a 0-indexed string s = "{inputs["s"]}", permute s to get a new string t such '
        "that all consonants remain in their original places, and the vowels ('a', 'e', "
        "'i', 'o', 'u' in lowercase or uppercase) are sorted in nondecreasing order of their "
        "ASCII values. Return the resulting string."
    )


def reference(s):
    from collections import Counter

    counts = Counter(c for c in s if c in VOWELS)
    stream = iter(c for c in "AEIOUaeiou" for _ in range(counts[c]))
    return "".join(next(stream) if c in VOWELS else c for c in s)


TASK = Task(
    name="lc_2785_sort_vowels_in_a_string",
    source="leetcode",
    split="pretrain",
    description="Sort the vowels of a string by ASCII value, leaving consonants in place.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "vowels": "the vowels",
        "result": "the new string",
        "j": "the index of the next sorted vowel",
    },
)
