"""LeetCode 434. Number of Segments in a String."""

from rulec.tasks.base import Task

RULE = """\
def count_segments(s):
    count = 0
    previous = " "
    for char in s:
        if char != " " and previous == " ":
            count += 1
        previous = char
    return count
"""

CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()_+-=',.:"


def generate(length, rng):
    # length = number of characters of s
    space_rate = rng.uniform(0.1, 0.5)
    s = "".join(" " if rng.random() < space_rate else rng.choice(CHARS) for _ in range(length))
    return {"s": s}


def question(inputs):
    return (
        f'Given the string "{inputs["s"]}", return the number of segments in it, where a '
        "segment is a contiguous sequence of non-space characters."
    )


def reference(s):
    return len([part for part in s.split(" ") if part])


TASK = Task(
    name="lc_434_number_of_segments_in_a_string",
    source="leetcode",
    split="pretrain",
    description="Count the maximal runs of non-space characters in a string.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "count": "the number of segments",
        "char": "the character",
        "previous": "the previous character",
    },
)
