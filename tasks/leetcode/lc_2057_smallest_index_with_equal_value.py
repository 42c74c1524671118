"""LeetCode 2057. Smallest Index With Equal Value."""

from rulec.tasks.base import Task

RULE = '''\
def smallest_equal(nums):
    for i in range(len(nums)):
        if i % 10 == nums[i]:
            return i
    return -1
'''


def generate(length, rng):
    # length = number of elements of nums
    nums = [rng.choice([d for d in range(10) if d != i % 10]) for i in range(length)]
    if rng.random() < 0.55:
        i = rng.randrange(length)
        nums[i] = i % 10
        if rng.random() < 0.5:
            j = rng.randrange(length)
            nums[j] = j % 10
    return {"nums": nums}


def question(inputs):
    return (
        f"Given an integer array nums = {inputs['nums']} (0-indexed), return the smallest "
        "index i of nums such that i mod 10 == nums[i], or -1 if such an index does not exist."
    )


def reference(nums):
    return next((i for i, x in enumerate(nums) if i % 10 == x), -1)


TASK = Task(
    name="lc_2057_smallest_index_with_equal_value",
    source="leetcode",
    split="pretrain",
    description="Find the smallest index i with i mod 10 equal to nums[i].",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the array", "i": "the index"},
)
