"""LeetCode 674. Longest Continuous Increasing Subsequence."""

from rulec.tasks.base import Task

RULE = """\
def find_length_of_lcis(nums):
    best = 1
    current = 1
    for i in range(1, len(nums)):
        if nums[i] > nums[i - 1]:
            current += 1
        else:
            current = 1
        if current > best:
            best = current
    return best
"""


def generate(length, rng):
    # length = number of elements
    nums = []
    value = rng.randint(0, 20)
    up = rng.uniform(0.4, 0.85)
    for _ in range(length):
        nums.append(value)
        if rng.random() < up:
            value += rng.randint(1, 5)
        else:
            value -= rng.randint(0, 8)
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the integer array {inputs['nums']}, return the length of the longest "
        "continuous strictly increasing subarray."
    )


def reference(nums):
    n = len(nums)
    best = 0
    for i in range(n):
        j = i
        while j + 1 < n and nums[j + 1] > nums[j]:
            j += 1
        best = max(best, j - i + 1)
    return best


TASK = Task(
    name="lc_674_longest_continuous_increasing_subsequence",
    source="leetcode",
    split="pretrain",
    description="Length of the longest strictly increasing contiguous subarray.",
    length="number of elements",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "current": "the current run length",
        "best": "the longest run length",
    },
)
