"""LeetCode 896. Monotonic Array."""

from rulec.tasks.base import Task

RULE = '''\
def is_monotonic(nums):
    increasing = True
    decreasing = True
    i = 1
    while i < len(nums):
        if nums[i] > nums[i - 1]:
            decreasing = False
        if nums[i] < nums[i - 1]:
            increasing = False
        i += 1
    return increasing or decreasing
'''


def generate(length, rng):
    # length = number of elements of nums
    nums = [rng.randint(-20, 20) for _ in range(length)]
    mode = rng.random()
    if mode < 0.25:
        nums.sort()
    elif mode < 0.5:
        nums.sort(reverse=True)
    elif mode < 0.75 and length >= 3:
        nums.sort(reverse=rng.random() < 0.5)
        i = rng.randrange(length - 1)
        if nums[i] == nums[i + 1]:
            nums[i] += rng.choice([-1, 1]) * rng.randint(1, 5)
        else:
            nums[i], nums[i + 1] = nums[i + 1], nums[i]
    return {"nums": nums}


def question(inputs):
    return (
        "An array is monotonic if it is either monotone increasing or monotone decreasing "
        "(nums[i] <= nums[j] for all i <= j, or nums[i] >= nums[j] for all i <= j). Given an "
        f"integer array nums = {inputs['nums']}, return True if it is monotonic, or False "
        "otherwise."
    )


def reference(nums):
    return nums == sorted(nums) or nums == sorted(nums, reverse=True)


TASK = Task(
    name="lc_896_monotonic_array",
    source="leetcode",
    split="pretrain",
    description="Decide whether an array is monotone increasing or decreasing.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"nums": "the array", "increasing": "whether it is still non-decreasing",
              "decreasing": "whether it is still non-increasing", "i": "the current index"},
)
