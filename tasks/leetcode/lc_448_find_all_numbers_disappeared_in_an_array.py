"""LeetCode 448. Find All Numbers Disappeared in an Array."""

from rulec.tasks.base import Task

RULE = """\
def find_disappeared_numbers(nums):
    seen = [False] * (len(nums) + 1)
    for num in nums:
        seen[num] = True
    result = []
    for value in range(1, len(nums) + 1):
        if not seen[value]:
            result.append(value)
    return result
"""


def generate(length, rng):
    # length = number of elements n (values are in [1, n])
    nums = list(range(1, length + 1))
    rng.shuffle(nums)
    replace = 0 if rng.random() < 0.1 else rng.randint(1, max(1, length // 2))
    for _ in range(replace):
        nums[rng.randrange(length)] = rng.randint(1, length)
    return {"nums": nums}


def question(inputs):
    n = len(inputs["nums"])
    return (
        f"Given the array {inputs['nums']} of n = {n} integers, each in the range [1, {n}], "
        f"return the list of all integers in the range [1, {n}] that do not appear in the "
        "array, in increasing order."
    )


def reference(nums):
    return sorted(set(range(1, len(nums) + 1)) - set(nums))


TASK = Task(
    name="lc_448_find_all_numbers_disappeared_in_an_array",
    source="leetcode",
    split="pretrain",
    description="List the numbers in [1, n] that are missing from an array of n values.",
    length="number of elements n (values are in [1, n])",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "seen": "the seen flags",
        "result": "the missing numbers",
        "value": "the value",
    },
)
