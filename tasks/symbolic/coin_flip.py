"""Symbolic reasoning: coin flip (Wei et al.), is the coin still heads up?"""

from rulec.tasks.base import Task

RULE = '''\
def coin_flip(flips):
    heads_up = True
    while flips:
        name, flip = flips.pop(0)
        if flip:
            heads_up = not heads_up
        else:
            pass
    return heads_up
'''

NAMES = [
    "Carrillo", "Cunningham", "Gonzalez", "Kramer", "Mcdonald", "Ortiz", "Pham", "Rivera",
    "Schmidt", "Tran", "Walsh", "Alvarez", "Baker", "Chavez", "Dominguez", "Ellis", "Fischer",
    "Garner", "Hoffman", "Ingram", "Jensen", "Keller", "Lambert", "Mendoza", "Nguyen", "Owens",
    "Patel", "Quinn", "Ramos", "Sanchez", "Thornton", "Underwood", "Vargas", "Watkins", "Young",
    "Zamora", "Bishop", "Castillo", "Delgado", "Espinoza", "Fletcher", "Guzman", "Holloway"
]


def generate(length, rng):
    # length = number of people; each flips the coin or not
    names = rng.sample(NAMES, length)
    return {"flips": [[name, rng.random() < 0.5] for name in names]}


def question(inputs):
    flips = inputs["flips"]
    acts = " ".join(
        f"{name} {'flips' if flip else 'does not flip'} the coin." for name, flip in flips
    )
    n = len(flips)
    who = "1 person" if n == 1 else f"{n} people"
    return (
        f"A coin is heads up. {acts} Is the coin still heads up? In short, the situation of "
        f"{who} flipping coins is as follows: {flips}."
    )


def reference(flips):
    return sum(flip for _, flip in flips) % 2 == 0


TASK = Task(
    name="coin_flip",
    source="symbolic",
    split="pretrain",
    description="Track whether a coin is still heads up after people flip it or not.",
    length="number of people",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "flips": "the remaining people",
        "name": "the current person",
        "flip": "whether the current person flips the coin",
        "heads_up": "whether the coin is heads up",
    },
)
