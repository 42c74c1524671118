"""LeetCode 605. Can Place Flowers."""

from rulec.tasks.base import Task

RULE = """\
def can_place_flowers(flowerbed, n):
    count = 0
    last = len(flowerbed) - 1
    for i in range(len(flowerbed)):
        if flowerbed[i] == 1:
            continue
        if i > 0 and flowerbed[i - 1] == 1:
            continue
        if i < last and flowerbed[i + 1] == 1:
            continue
        flowerbed[i] = 1
        count += 1
    return count >= n
"""


def _capacity(flowerbed):
    text = "".join(map(str, flowerbed))
    if "1" not in text:
        return (len(text) + 1) // 2
    runs = text.split("1")
    inner = sum((len(r) - 1) // 2 for r in runs[1:-1] if r)
    return inner + len(runs[0]) // 2 + len(runs[-1]) // 2


def generate(length, rng):
    # length = number of plots in the flowerbed
    density = rng.uniform(0.1, 0.6)
    bed = []
    for _ in range(length):
        bed.append(1 if (not bed or bed[-1] == 0) and rng.random() < density else 0)
    capacity = _capacity(bed)
    r = rng.random()
    if r < 0.4:
        n = capacity
    elif r < 0.8:
        n = capacity + 1
    else:
        n = rng.randint(0, capacity + 2)
    return {"flowerbed": bed, "n": n}


def question(inputs):
    return (
        f"Given the flowerbed {inputs['flowerbed']} (0 means an empty plot, 1 a planted plot) "
        "where flowers cannot be planted in adjacent plots, can "
        f"n = {inputs['n']} new flowers be planted without violating this rule? "
        "Answer True or False."
    )


def reference(flowerbed, n):
    return n <= _capacity(flowerbed)


TASK = Task(
    name="lc_605_can_place_flowers",
    source="leetcode",
    split="pretrain",
    description="Decide whether n flowers fit into a flowerbed with no two adjacent.",
    length="number of plots in the flowerbed",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "flowerbed": "the flowerbed",
        "n": "the number of new flowers",
        "count": "the number planted",
        "i": "the plot",
    },
)
