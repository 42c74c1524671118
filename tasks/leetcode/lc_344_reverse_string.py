"""LeetCode 344. Reverse String."""

from rulec.tasks.base import Task

RULE = '''\
def reverse_string(s):
    left = 0
    right = len(s) - 1
    while left < right:
        s[left], s[right] = s[right], s[left]
        left += 1
        right -= 1
    return s
'''

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generate(length, rng):
    # length = number of characters of s
    return {"s": [rng.choice(LETTERS) for _ in range(length)]}


def question(inputs):
    return (
        "Write a function that reverses a string. The input string is given as an array of "
        f"characters s = {inputs['s']}. Reverse it in place and return the array."
    )


def reference(s):
    return list(reversed(s))


TASK = Task(
    name="lc_344_reverse_string",
    source="leetcode",
    split="pretrain",
    description="Reverse an array of characters in place.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the character array", "left": "the left pointer",
              "right": "the right pointer"},
)
