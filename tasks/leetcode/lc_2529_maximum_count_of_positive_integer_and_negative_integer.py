"""LeetCode 2529. Maximum Count of Positive Integer and Negative Integer."""

from rulec.tasks.base import Task

RULE = """\
def maximum_count(nums):
    positive = 0
    negative = 0
    for num in nums:
        if num > 0:
            positive += 1
        elif num < 0:
            negative += 1
    return max(positive, negative)
"""


def generate(length, rng):
    # length = number of elements
    p_neg = rng.random()
    p_zero = rng.uniform(0, 0.3)
    nums = []
    for _ in range(length):
        r = rng.random()
        if r < p_zero:
            nums.append(0)
        elif r < p_zero + (1 - p_zero) * p_neg:
            nums.append(rng.randint(-50, -1))
        else:
            nums.append(rng.randint(1, 50))
    nums.sort()
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the array {inputs['nums']} sorted in non-decreasing order, return the maximum "
        "of the number of positive integers and the number of negative integers in it "
        "(0 is neither positive nor negative)."
    )


def reference(nums):
    import bisect

    negatives = bisect.bisect_left(nums, 0)
    positives = len(nums) - bisect.bisect_right(nums, 0)
    return max(negatives, positives)


TASK = Task(
    name="lc_2529_maximum_count_of_positive_integer_and_negative_integer",
    source="leetcode",
    split="pretrain",
    description="Maximum of the counts of positive and negative numbers in a sorted array.",
    length="number of elements",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "positive": "the positive count",
        "negative": "the negative count",
    },
)
