"""LeetCode 2078. Two Furthest Houses With Different Colors."""

from rulec.tasks.base import Task

RULE = """\
def max_distance(colors):
    last = len(colors) - 1
    best = 0
    for i in range(len(colors)):
        if colors[i] != colors[0]:
            best = max(best, i)
        if colors[i] != colors[last]:
            best = max(best, last - i)
    return best
"""


def generate(length, rng):
    # length = number of houses minus one (there are length + 1 houses)
    n = length + 1
    palette = rng.sample(range(10), rng.randint(2, 4))
    main = palette[0]
    colors = [main if rng.random() < 0.6 else rng.choice(palette) for _ in range(n)]
    if rng.random() < 0.6:
        # same color at both ends, often over a stretch of houses
        for i in range(rng.randint(1, max(1, n // 3))):
            colors[i] = main
        for i in range(rng.randint(1, max(1, n // 3))):
            colors[n - 1 - i] = main
    if len(set(colors)) == 1:
        colors[rng.randrange(n)] = rng.choice([c for c in palette if c != colors[0]])
    return {"colors": colors}


def question(inputs):
    return (
        f"There are houses lined up on a street with colors {inputs['colors']} (house i has "
        "color colors[i]). Return the maximum distance abs(i - j) between two houses i and j "
        "that have different colors."
    )


def reference(colors):
    n = len(colors)
    return max(j - i for i in range(n) for j in range(i, n) if colors[i] != colors[j])


TASK = Task(
    name="lc_2078_two_furthest_houses_with_different_colors",
    source="leetcode",
    split="pretrain",
    description="Maximum distance between two houses of different colors.",
    length="number of houses minus one (there are length + 1 houses)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "colors": "the house colors",
        "last": "the last index",
        "i": "the house index",
        "best": "the best distance",
    },
)
