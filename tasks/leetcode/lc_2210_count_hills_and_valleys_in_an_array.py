"""LeetCode 2210. Count Hills and Valleys in an Array."""

from rulec.tasks.base import Task

RULE = '''\
def count_hill_valley(nums):
    count = 0
    left = nums[0]
    for i in range(1, len(nums) - 1):
        if nums[i] == nums[i + 1]:
            continue
        if nums[i] > left and nums[i] > nums[i + 1]:
            count += 1
        elif nums[i] < left and nums[i] < nums[i + 1]:
            count += 1
        left = nums[i]
    return count
'''


def generate(length, rng):
    # length = number of elements of nums
    top = rng.randint(3, 9)
    return {"nums": [rng.randint(1, top) for _ in range(length)]}


def question(inputs):
    return (
        f"Given an integer array nums = {inputs['nums']}, an index i is part of a hill if "
        "the closest non-equal neighbors of i on both sides are smaller than nums[i], and "
        "part of a valley if they are both larger. Adjacent indices with equal values "
        "belong to the same hill or valley, and an index needs a non-equal neighbor on both "
        "sides to count. Return the number of hills and valleys in nums."
    )


def reference(nums):
    runs = []
    for x in nums:
        if not runs or runs[-1] != x:
            runs.append(x)
    total = 0
    for a, b, c in zip(runs, runs[1:], runs[2:]):
        if (b > a) == (b > c):
            total += 1
    return total


TASK = Task(
    name="lc_2210_count_hills_and_valleys_in_an_array",
    source="leetcode",
    split="pretrain",
    description="Count the hills and valleys of an integer array.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "count": "the number of hills and valleys",
        "left": "the closest different value on the left",
    },
)
