"""LeetCode 345. Reverse Vowels of a String."""

from rulec.tasks.base import Task

RULE = '''\
def reverse_vowels(s):
    vowels = "aeiouAEIOU"
    chars = list(s)
    left = 0
    right = len(chars) - 1
    while left < right:
        if chars[left] not in vowels:
            left += 1
        elif chars[right] not in vowels:
            right -= 1
        else:
            chars[left], chars[right] = chars[right], chars[left]
            left += 1
            right -= 1
    return "".join(chars)
'''

VOWELS = "aeiou"
CONSONANTS = "bcdfghjklmnpqrstvwxyz"


def generate(length, rng):
    # length = number of characters of s
    upper = rng.random() < 0.3
    chars = []
    for _ in range(length):
        ch = rng.choice(VOWELS) if rng.random() < 0.4 else rng.choice(CONSONANTS)
        if upper and rng.random() < 0.3:
            ch = ch.upper()
        chars.append(ch)
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'Given a string s = "{inputs["s"]}", reverse only all the vowels in the string and '
        "return it. The vowels are 'a', 'e', 'i', 'o' and 'u', and they can appear in both "
        "lower and upper cases, more than once."
    )


def reference(s):
    vowel_chars = [c for c in s if c in "aeiouAEIOU"]
    out = []
    for c in s:
        out.append(vowel_chars.pop() if c in "aeiouAEIOU" else c)
    return "".join(out)


TASK = Task(
    name="lc_345_reverse_vowels_of_a_string",
    source="leetcode",
    split="pretrain",
    description="Reverse only the vowels of a string.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the string", "chars": "the characters", "left": "the left pointer",
              "right": "the right pointer", "vowels": "the vowels"},
)
