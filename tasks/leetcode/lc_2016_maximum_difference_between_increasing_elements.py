"""LeetCode 2016. Maximum Difference Between Increasing Elements."""

from rulec.tasks.base import Task

RULE = """\
def maximum_difference(nums):
    smallest = nums[0]
    best = -1
    for num in nums[1:]:
        if num > smallest:
            best = max(best, num - smallest)
        else:
            smallest = num
    return best
"""


def generate(length, rng):
    # length = number of elements minus one (nums has length + 1 elements)
    n = length + 1
    nums = [rng.randint(1, 99) for _ in range(n)]
    if rng.random() < 0.2:
        nums.sort(reverse=True)
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the integer array {inputs['nums']}, find the maximum difference "
        "nums[j] - nums[i] over indices i < j with nums[i] < nums[j]. Return -1 if no such "
        "pair exists."
    )


def reference(nums):
    diffs = [b - a for i, a in enumerate(nums) for b in nums[i + 1 :] if a < b]
    return max(diffs, default=-1)


TASK = Task(
    name="lc_2016_maximum_difference_between_increasing_elements",
    source="leetcode",
    split="pretrain",
    description="Maximum nums[j] - nums[i] with i < j and nums[i] < nums[j], or -1.",
    length="number of elements minus one (nums has length + 1 elements)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "smallest": "the smallest value so far",
        "num": "the current value",
        "best": "the best difference",
    },
)
