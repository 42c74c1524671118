"""LeetCode 2582. Pass the Pillow."""

from rulec.tasks.base import Task

RULE = '''\
def pass_the_pillow(n, time):
    person = 1
    direction = 1
    while time > 0:
        if person == n:
            direction = -1
        elif person == 1:
            direction = 1
        person += direction
        time -= 1
    return person
'''


def generate(length, rng):
    # length = number of seconds (time)
    return {"n": rng.randint(2, 10), "time": length}


def question(inputs):
    n, time = inputs["n"], inputs["time"]
    return (
        f"There are {n} people standing in a line labeled from 1 to {n}. The first person "
        "in the line is holding a pillow initially. Every second, the person holding the "
        "pillow passes it to the next person standing in the line. Once the pillow reaches "
        "the end of the line, the direction changes, and people continue passing the pillow "
        f"in the opposite direction. Return the index of the person holding the pillow after "
        f"{time} second{'' if time == 1 else 's'}."
    )


def reference(n, time):
    t = time % (2 * (n - 1))
    return t + 1 if t < n else 2 * n - 1 - t


TASK = Task(
    name="lc_2582_pass_the_pillow",
    source="leetcode",
    split="pretrain",
    description="Simulate passing a pillow back and forth along a line of n people.",
    length="number of seconds (time)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "n": "the number of people",
        "time": "the remaining seconds",
        "person": "the person holding the pillow",
        "direction": "the passing direction",
    },
)
