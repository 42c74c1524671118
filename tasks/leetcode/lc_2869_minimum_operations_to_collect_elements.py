"""LeetCode 2869. Minimum Operations to Collect Elements."""

from rulec.tasks.base import Task

RULE = '''\
def min_operations(nums, k):
    collected = set()
    operations = 0
    while len(collected) < k:
        num = nums.pop()
        operations += 1
        if num <= k:
            collected.add(num)
    return operations
'''


def generate(length, rng):
    # length = number of elements of nums; values in 1..length, all of 1..k present
    k = rng.randint(1, max(1, (length * 2) // 3))
    nums = [rng.randint(1, length) for _ in range(length)]
    for value, pos in zip(range(1, k + 1), rng.sample(range(length), k)):
        nums[pos] = value
    return {"nums": nums, "k": k}


def question(inputs):
    return (
        f"You are given an array nums = {inputs['nums']} of positive integers and an integer "
        f"k = {inputs['k']}. In one operation, you can remove the last element of the array "
        "and add it to your collection. Return the minimum number of operations needed to "
        "collect elements 1, 2, ..., k."
    )


def reference(nums, k):
    n = len(nums)
    last_index = {v: i for i, v in enumerate(nums)}
    return n - min(last_index[v] for v in range(1, k + 1))


TASK = Task(
    name="lc_2869_minimum_operations_to_collect_elements",
    source="leetcode",
    split="pretrain",
    description="Pops from the end of an array needed to collect all of 1..k.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the remaining array", "k": "the largest element to collect",
              "collected": "the collected elements 1..k", "operations": "the operation count",
              "num": "the removed element"},
)
