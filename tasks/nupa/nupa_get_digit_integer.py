"""NUPA Get Digit (integer): the digit at a position, counted from the left from 0."""

from rulec.tasks.base import Task

RULE = '''\
def get_digit(num, position):
    index = 0
    while index < position:
        num = num[1:]
        index += 1
    return int(num[0])
'''


def _integer(length, rng):
    if length == 1:
        return str(rng.randint(0, 9))
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))


def generate(length, rng):
    # length = number of digits of num; position is uniform over its digits
    return {"num": _integer(length, rng), "position": rng.randrange(length)}


def question(inputs):
    return (
        "Get the digit at the given position (from left to right, starting from 0). "
        f"{inputs['num']}, {inputs['position']}."
    )


def reference(num, position):
    return int(num[position])


TASK = Task(
    name="nupa_get_digit_integer",
    source="nupa",
    split="adapt",
    description="Return the digit of an integer at a 0-based position from the left.",
    length="number of digits of num",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "num": "the remaining digits",
        "position": "the position",
        "index": "the current position",
    },
)
