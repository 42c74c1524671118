"""LeetCode 2833. Furthest Point From Origin."""

from rulec.tasks.base import Task

RULE = '''\
def furthest_distance_from_origin(moves):
    left = 0
    right = 0
    blank = 0
    for move in moves:
        if move == 'L':
            left += 1
        elif move == 'R':
            right += 1
        else:
            blank += 1
    return abs(left - right) + blank
'''


def generate(length, rng):
    # length = number of moves
    weights = [rng.random() + 0.1 for _ in range(3)]
    return {"moves": "".join(rng.choices("LR_", weights=weights, k=length))}


def question(inputs):
    return (
        f'Given a string moves = "{inputs["moves"]}" of length {len(inputs["moves"])} '
        "consisting only of the characters 'L', 'R' and '_', you start at the origin 0 on a "
        "number line. In the i-th move you go left if moves[i] is 'L' or '_', and right if "
        "moves[i] is 'R' or '_'. Return the distance from the origin of the furthest point "
        "you can reach after all the moves."
    )


def reference(moves):
    as_left = moves.replace("_", "L")
    as_right = moves.replace("_", "R")
    return max(as_left.count("L") - as_left.count("R"), as_right.count("R") - as_right.count("L"))


TASK = Task(
    name="lc_2833_furthest_point_from_origin",
    source="leetcode",
    split="pretrain",
    description="Furthest distance reachable on a number line when '_' moves are free.",
    length="number of moves",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "moves": "the moves",
        "left": "the number of left moves",
        "right": "the number of right moves",
        "blank": "the number of free moves",
    },
)
