"""LeetCode 485. Max Consecutive Ones."""

from rulec.tasks.base import Task

RULE = '''\
def find_max_consecutive_ones(nums):
    best = 0
    current = 0
    while nums:
        num = nums.pop(0)
        if num == 1:
            current += 1
            best = max(best, current)
        else:
            current = 0
    return best
'''


def generate(length, rng):
    # length = number of elements of nums
    p = rng.uniform(0.3, 0.8)
    return {"nums": [1 if rng.random() < p else 0 for _ in range(length)]}


def question(inputs):
    return (
        f"Given a binary array nums = {inputs['nums']}, return the maximum number of "
        "consecutive 1's in the array."
    )


def reference(nums):
    return max(len(run) for run in "".join(map(str, nums)).split("0"))


TASK = Task(
    name="lc_485_max_consecutive_ones",
    source="leetcode",
    split="pretrain",
    description="Length of the longest run of 1s in a binary array.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the remaining array", "best": "the longest run so far",
              "current": "the current run length", "num": "the current number"},
)
