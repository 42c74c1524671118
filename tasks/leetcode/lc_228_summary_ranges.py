"""LeetCode 228. Summary Ranges."""

from rulec.tasks.base import Task

RULE = """\
def summary_ranges(nums):
    result = []
    i = 0
    while i < len(nums):
        start = nums[i]
        while i + 1 < len(nums) and nums[i + 1] == nums[i] + 1:
            i += 1
        if start == nums[i]:
            result.append(str(start))
        else:
            result.append(f"{start}->{nums[i]}")
        i += 1
    return result
"""


def generate(length, rng):
    # length = number of elements
    step_one = rng.uniform(0.4, 0.8)
    value = rng.randint(-20, 20)
    nums = []
    for _ in range(length):
        nums.append(value)
        value += 1 if rng.random() < step_one else rng.randint(2, 5)
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the sorted unique integer array {inputs['nums']}, return the smallest sorted "
        "list of ranges that covers all the numbers exactly. Each range [a, b] is written "
        '"a->b" if a != b and "a" if a == b.'
    )


def reference(nums):
    from itertools import groupby

    out = []
    for _, group in groupby(enumerate(nums), key=lambda p: p[1] - p[0]):
        values = [v for _, v in group]
        out.append(str(values[0]) if len(values) == 1 else f"{values[0]}->{values[-1]}")
    return out


TASK = Task(
    name="lc_228_summary_ranges",
    source="leetcode",
    split="pretrain",
    description="Summarise a sorted unique array as a list of consecutive ranges.",
    length="number of elements",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "result": "the ranges",
        "start": "the range start",
        "i": "the index",
    },
)
