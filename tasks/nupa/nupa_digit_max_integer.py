"""NUPA Digit Max (integer): the larger digit at each position, missing digits count as 0."""

from rulec.tasks.base import Task

RULE = '''\
def digit_max(num1, num2):
    result = ""
    while num1 or num2:
        digit1 = int(num1[-1]) if num1 else 0
        digit2 = int(num2[-1]) if num2 else 0
        if digit1 > digit2:
            result = str(digit1) + result
        else:
            result = str(digit2) + result
        num1 = num1[:-1]
        num2 = num2[:-1]
    return result
'''


def _integer(length, rng):
    if length == 1:
        return str(rng.randint(0, 9))
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))


def generate(length, rng):
    # length = number of digits of the longer number; the other has 1..length digits
    longer = _integer(length, rng)
    shorter = _integer(rng.randint(1, length), rng)
    if rng.random() < 0.5:
        return {"num1": longer, "num2": shorter}
    return {"num1": shorter, "num2": longer}


def question(inputs):
    return (
        "Compare two numbers digit by digit and return the larger digit at each position, "
        f"treating any missing digits as 0. {inputs['num1']}, {inputs['num2']}."
    )


def reference(num1, num2):
    width = max(len(num1), len(num2))
    a, b = num1.zfill(width), num2.zfill(width)
    return "".join(max(x, y) for x, y in zip(a, b))


TASK = Task(
    name="nupa_digit_max_integer",
    source="nupa",
    split="adapt",
    description="Take the larger digit at each (right-aligned) position of two integers.",
    length="number of digits of the longer number",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "num1": "the remaining digits of the first number",
        "num2": "the remaining digits of the second number",
        "result": "the result digits",
        "digit1": "the last digit of the first number",
        "digit2": "the last digit of the second number",
    },
)
