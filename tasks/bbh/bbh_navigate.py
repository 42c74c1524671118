"""Big-Bench Hard: Navigate (do the moves return to the starting point?)."""

from rulec.tasks.base import Task

RULE = '''\
def navigate(moves):
    loc = [0, 0]
    while moves:
        move = moves.pop(0)
        if move[0] == "left":
            loc[0] -= move[1]
        elif move[0] == "right":
            loc[0] += move[1]
        elif move[0] == "forward":
            loc[1] += move[1]
        elif move[0] == "backward":
            loc[1] -= move[1]
    return loc == [0, 0]
'''

AXES = {0: ("right", "left"), 1: ("forward", "backward")}


def _closed_axis(count, axis, rng):
    """count >= 2 moves along one axis whose signed steps sum to zero."""
    plus, minus = AXES[axis]
    while True:
        total, values = 0, []
        for _ in range(count - 1):
            sign = -1 if total > 0 else 1
            if total == 0 or rng.random() < 0.25:
                sign = rng.choice([-1, 1])
            value = sign * rng.randint(1, 9)
            values.append(value)
            total += value
        if 1 <= abs(total) <= 10:
            values.append(-total)
            return [[plus if v > 0 else minus, abs(v)] for v in values]


def generate(length, rng):
    # length = number of moves; about half the instances return to the start (never at length 1)
    if length >= 2 and rng.random() < 0.5:
        if length in (2, 3):
            x_count = rng.choice([0, length])
        else:
            x_count = rng.choice([0, length] + list(range(2, length - 1)))
        moves = []
        if x_count:
            moves += _closed_axis(x_count, 0, rng)
        if length - x_count:
            moves += _closed_axis(length - x_count, 1, rng)
        rng.shuffle(moves)
        return {"moves": moves}
    while True:
        moves = [
            [rng.choice(["left", "right", "forward", "backward"]), rng.randint(1, 9)]
            for _ in range(length)
        ]
        if not reference(moves):
            return {"moves": moves}


def question(inputs):
    steps = " ".join(
        f"Take {n} step{'s' if n != 1 else ''} {d}." for d, n in inputs["moves"]
    )
    return (
        "If you follow these instructions, do you return to the starting point? Always face "
        f"forward. {steps} In short, the moves are as follows: {inputs['moves']}."
    )


def reference(moves):
    delta = {"left": -1, "right": 1, "forward": 1j, "backward": -1j}
    return sum(delta[d] * n for d, n in moves) == 0


TASK = Task(
    name="bbh_navigate",
    source="bbh",
    split="pretrain",
    description="Follow forward-facing moves and tell whether they end at the starting point.",
    length="number of moves",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"moves": "the remaining moves", "move": "the current move", "loc": "the location"},
)
