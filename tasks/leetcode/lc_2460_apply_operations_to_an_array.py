"""LeetCode 2460. Apply Operations to an Array."""

from rulec.tasks.base import Task

RULE = '''\
def apply_operations(nums):
    for i in range(len(nums) - 1):
        if nums[i] == nums[i + 1]:
            nums[i] *= 2
            nums[i + 1] = 0
    result = []
    zeros = 0
    for num in nums:
        if num == 0:
            zeros += 1
        else:
            result.append(num)
    while zeros > 0:
        result.append(0)
        zeros -= 1
    return result
'''


def generate(length, rng):
    # length = number of elements of nums
    top = rng.randint(2, 6)
    return {"nums": [rng.randint(0, top) for _ in range(length)]}


def question(inputs):
    n = len(inputs["nums"])
    return (
        f"Given a 0-indexed array nums = {inputs['nums']} of size {n} consisting of "
        f"non-negative integers, apply {n - 1} operations to it: in the i-th operation "
        "(0-indexed), if nums[i] == nums[i + 1], multiply nums[i] by 2 and set nums[i + 1] "
        "to 0; otherwise skip it. After performing all the operations, shift all the 0's to "
        "the end of the array. Return the resulting array."
    )


def reference(nums):
    arr = list(nums)
    i = 0
    while i + 1 < len(arr):
        if arr[i] == arr[i + 1]:
            arr[i], arr[i + 1] = arr[i] * 2, 0
        i += 1
    return sorted(arr, key=lambda x: x == 0)


TASK = Task(
    name="lc_2460_apply_operations_to_an_array",
    source="leetcode",
    split="pretrain",
    description="Double equal adjacent pairs left to right, then move zeros to the end.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "result": "the resulting array",
        "zeros": "the number of zeros",
    },
)
