"""LeetCode 414. Third Maximum Number."""

from rulec.tasks.base import Task

RULE = """\
def third_max(nums):
    top = []
    for num in nums:
        if num in top:
            continue
        top.append(num)
        top.sort()
        if len(top) > 3:
            top.pop(0)
    if len(top) < 3:
        return top[-1]
    return top[0]
"""


def generate(length, rng):
    # length = number of elements
    spread = rng.choice([3, 6, 15, 40, 80])
    nums = [rng.randint(-spread, spread) for _ in range(length)]
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the integer array {inputs['nums']}, return the third distinct maximum number. "
        "If it does not exist, return the maximum number."
    )


def reference(nums):
    distinct = sorted(set(nums), reverse=True)
    return distinct[2] if len(distinct) >= 3 else distinct[0]


TASK = Task(
    name="lc_414_third_maximum_number",
    source="leetcode",
    split="pretrain",
    description="Third distinct maximum of an array, or the maximum if it does not exist.",
    length="number of elements",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "top": "the three largest distinct values so far",
        "num": "the number",
    },
)
