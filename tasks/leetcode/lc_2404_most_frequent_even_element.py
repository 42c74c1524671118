"""LeetCode 2404. Most Frequent Even Element."""

from rulec.tasks.base import Task

RULE = """\
def most_frequent_even(nums):
    counts = {}
    for num in nums:
        if num % 2 == 0:
            counts[num] = counts.get(num, 0) + 1
    best = -1
    best_count = 0
    for num, count in counts.items():
        if count > best_count or (count == best_count and num < best):
            best = num
            best_count = count
    return best
"""


def generate(length, rng):
    # length = number of elements
    high = max(4, length)
    if rng.random() < 0.15:
        nums = [2 * rng.randint(0, high // 2) + 1 for _ in range(length)]
    else:
        nums = [rng.randint(0, high) for _ in range(length)]
    return {"nums": nums}


def question(inputs):
    return (
        f"Given the integer array {inputs['nums']}, return the most frequent even element. "
        "If there is a tie, return the smallest one; if there is no even element, return -1."
    )


def reference(nums):
    from collections import Counter

    counts = Counter(x for x in nums if x % 2 == 0)
    if not counts:
        return -1
    return min(counts, key=lambda x: (-counts[x], x))


TASK = Task(
    name="lc_2404_most_frequent_even_element",
    source="leetcode",
    split="pretrain",
    description="Most frequent even element (smallest on ties, -1 if none).",
    length="number of elements",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "counts": "the even counts",
        "best": "the best element",
        "best_count": "the best count",
    },
)
