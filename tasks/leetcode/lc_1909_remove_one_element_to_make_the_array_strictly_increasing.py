"""LeetCode 1909. Remove One Element to Make the Array Strictly Increasing."""

from rulec.tasks.base import Task

RULE = '''\
def can_be_increasing(nums):
    removed = 0
    for i in range(1, len(nums)):
        if nums[i] <= nums[i - 1]:
            removed += 1
            if removed > 1:
                return False
            if i > 1 and nums[i] <= nums[i - 2]:
                nums[i] = nums[i - 1]
    return True
'''


def generate(length, rng):
    # length = number of elements of nums
    nums = []
    value = rng.randint(1, 5)
    for _ in range(length):
        nums.append(value)
        value += rng.randint(1, 4)
    if length >= 3 and rng.random() < 0.5:
        # two disjoint descents: no single removal can fix both
        if length == 3:
            nums = sorted(nums, reverse=True)
        else:
            i = rng.randrange(length - 3)
            j = rng.randrange(i + 2, length - 1)
            nums[i] = nums[i + 1] + rng.randint(0, 5)
            nums[j] = nums[j + 1] + rng.randint(0, 5)
    else:
        i = rng.randrange(length)
        nums[i] = max(1, nums[i] + rng.choice([-1, 1]) * rng.randint(1, 8))
    return {"nums": nums}


def question(inputs):
    return (
        f"Given a 0-indexed integer array nums = {inputs['nums']}, return True if it can be "
        "made strictly increasing after removing exactly one element, or False otherwise. "
        "(An array is strictly increasing if each element is greater than the one before it.)"
    )


def reference(nums):
    from itertools import pairwise

    def increasing(a):
        return all(x < y for x, y in pairwise(a))

    return any(increasing(nums[:i] + nums[i + 1:]) for i in range(len(nums)))


TASK = Task(
    name="lc_1909_remove_one_element_to_make_the_array_strictly_increasing",
    source="leetcode",
    split="pretrain",
    description="Decide whether removing exactly one element makes an array strictly increasing.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the array", "removed": "the number of removed elements"},
)
