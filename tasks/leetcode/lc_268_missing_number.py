"""LeetCode 268. Missing Number."""

from rulec.tasks.base import Task

RULE = '''\
def missing_number(nums):
    n = len(nums)
    total = n * (n + 1) // 2
    for num in nums:
        total -= num
    return total
'''


def generate(length, rng):
    # length = number of elements of nums (n); values are 0..n with one missing
    nums = list(range(length + 1))
    del nums[rng.randrange(len(nums))]
    rng.shuffle(nums)
    return {"nums": nums}


def question(inputs):
    return (
        f"Given an array nums = {inputs['nums']} containing n distinct numbers in the range "
        "[0, n], return the only number in the range that is missing from the array."
    )


def reference(nums):
    return (set(range(len(nums) + 1)) - set(nums)).pop()


TASK = Task(
    name="lc_268_missing_number",
    source="leetcode",
    split="pretrain",
    description="Find the one number of the range [0, n] missing from an array of n numbers.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the array", "n": "the array size", "total": "the remaining sum",
              "num": "the current number"},
)
