"""LeetCode 283. Move Zeroes."""

from rulec.tasks.base import Task

RULE = '''\
def move_zeroes(nums):
    num_zero = 0
    result = []
    while nums:
        number = nums.pop(0)
        if number != 0:
            result.append(number)
        else:
            num_zero += 1
    i = 0
    while i < num_zero:
        result.append(0)
        i += 1
    return result
'''


def generate(length, rng):
    # length = number of elements of nums; roughly a third of them are zeros
    zero_rate = rng.choice([0.2, 0.35, 0.5])
    nums = [0 if rng.random() < zero_rate else rng.randint(1, 99) for _ in range(length)]
    return {"nums": nums}


def question(inputs):
    return (
        f"Given an integer array {inputs['nums']}, move all zeros to the end while "
        "preserving the relative order of the non-zero elements."
    )


def reference(nums):
    return sorted(nums, key=lambda n: n == 0)


TASK = Task(
    name="lc_283_move_zeroes",
    source="leetcode",
    split="adapt",
    description="Move all zeros of an integer list to the end, keeping the order of the others.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the remaining numbers",
        "num_zero": "the number of zeros",
        "result": "the result list",
        "number": "the current number",
        "i": "the counter",
    },
)
