"""LeetCode 2609. Find the Longest Balanced Substring of a Binary String."""

from rulec.tasks.base import Task

RULE = '''\
def find_the_longest_balanced_substring(s):
    best = 0
    zeros = 0
    ones = 0
    for ch in s:
        if ch == '0':
            if ones > 0:
                zeros = 0
                ones = 0
            zeros += 1
        else:
            ones += 1
            best = max(best, 2 * min(zeros, ones))
    return best
'''


def generate(length, rng):
    # length = number of characters of s
    chars = []
    current = rng.choice("01")
    while len(chars) < length:
        run = rng.randint(1, 4)
        chars.extend(current * run)
        current = "1" if current == "0" else "0"
    return {"s": "".join(chars[:length])}


def question(inputs):
    return (
        f'You are given a binary string s = "{inputs["s"]}" consisting only of zeroes and '
        "ones. A substring of s is considered balanced if all zeroes are before ones and the "
        "number of zeroes is equal to the number of ones inside the substring (the empty "
        "substring is balanced). Return the length of the longest balanced substring of s."
    )


def reference(s):
    best = 0
    for half in range(1, len(s) // 2 + 1):
        if "0" * half + "1" * half in s:
            best = 2 * half
    return best


TASK = Task(
    name="lc_2609_find_the_longest_balanced_substring_of_a_binary_string",
    source="leetcode",
    split="pretrain",
    description="Length of the longest substring of the form 0...01...1 with equal counts.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the binary string",
        "best": "the longest balanced length",
        "zeros": "the number of zeros in the current run",
        "ones": "the number of ones after them",
    },
)
