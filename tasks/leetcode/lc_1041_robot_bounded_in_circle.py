"""LeetCode 1041. Robot Bounded In Circle."""

from rulec.tasks.base import Task

RULE = """\
def is_robot_bounded(instructions):
    x = 0
    y = 0
    dx = 0
    dy = 1
    for instruction in instructions:
        if instruction == "G":
            x += dx
            y += dy
        elif instruction == "L":
            dx, dy = -dy, dx
        else:
            dx, dy = dy, -dx
    if x == 0 and y == 0:
        return True
    return dx != 0 or dy != 1
"""


def _bounded(instructions):
    # run the instructions four times: bounded iff the robot is back at the origin
    directions = [(0, 1), (1, 0), (0, -1), (-1, 0)]
    heading = 0
    pos = [0, 0]
    for _ in range(4):
        for ch in instructions:
            if ch == "G":
                pos[0] += directions[heading][0]
                pos[1] += directions[heading][1]
            elif ch == "R":
                heading = (heading + 1) % 4
            else:
                heading = (heading - 1) % 4
    return pos == [0, 0]


def generate(length, rng):
    # length = number of instructions
    want = rng.random() < 0.5
    text = ""
    for _ in range(300):
        weights = rng.choice([(2, 1, 1), (4, 1, 1), (1, 1, 1)])
        text = "".join(rng.choices("GLR", weights=weights, k=length))
        if _bounded(text) == want:
            break
    return {"instructions": text}


def question(inputs):
    return (
        "On an infinite plane a robot starts at (0, 0) facing north. It understands three "
        "instructions: 'G' goes straight 1 unit, 'L' turns 90 degrees to the left and 'R' turns "
        f'90 degrees to the right. It performs the instructions "{inputs["instructions"]}" in '
        "order and repeats them forever. Is there a circle in the plane that the robot never "
        "leaves? Answer True or False."
    )


def reference(instructions):
    return _bounded(instructions)


TASK = Task(
    name="lc_1041_robot_bounded_in_circle",
    source="leetcode",
    split="pretrain",
    description="Decide whether a robot repeating G/L/R instructions stays within a circle.",
    length="number of instructions",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "instructions": "the instructions",
        "x": "the x position",
        "y": "the y position",
        "dx": "the x step of the heading",
        "dy": "the y step of the heading",
    },
)
