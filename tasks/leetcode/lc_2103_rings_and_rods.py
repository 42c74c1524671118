"""LeetCode 2103. Rings and Rods."""

from rulec.tasks.base import Task

RULE = '''\
def count_points(rings):
    rods = {}
    i = 0
    while i < len(rings):
        color = rings[i]
        rod = rings[i + 1]
        if rod not in rods:
            rods[rod] = ''
        if color not in rods[rod]:
            rods[rod] += color
        i += 2
    count = 0
    for rod in rods:
        if len(rods[rod]) == 3:
            count += 1
    return count
'''


def generate(length, rng):
    # length = number of rings (the string has 2 * length characters)
    used = rng.sample("0123456789", rng.randint(1, min(10, length // 3 + 1)))
    return {"rings": "".join(rng.choice("RGB") + rng.choice(used) for _ in range(length))}


def question(inputs):
    return (
        "There are rings that are red, green or blue, placed onto ten rods labeled from 0 to "
        f'9. The string rings = "{inputs["rings"]}" describes them: every two characters '
        "form a color-position pair, where the first character is the ring's color ('R', "
        "'G' or 'B') and the second is the rod it is placed on ('0' to '9'). Return the "
        "number of rods that have all three colors of rings on them."
    )


def reference(rings):
    colors = {}
    for c, r in zip(rings[::2], rings[1::2]):
        colors.setdefault(r, set()).add(c)
    return sum(1 for s in colors.values() if s == {"R", "G", "B"})


TASK = Task(
    name="lc_2103_rings_and_rods",
    source="leetcode",
    split="pretrain",
    description="Count the rods that hold rings of all three colors.",
    length="number of rings (the string has 2 * length characters)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "rings": "the ring description",
        "rods": "the colors on each rod",
        "color": "the ring color",
        "rod": "the rod",
        "count": "the number of rods with all three colors",
    },
)
