"""LeetCode 258. Add Digits."""

from rulec.tasks.base import Task

RULE = '''\
def add_digits(num):
    while num > 9:
        sum = 0
        while num:
            sum += num % 10
            num //= 10
        num = sum
    return num
'''


def generate(length, rng):
    # length = number of digits of num
    low = 10 ** (length - 1) if length > 1 else 0
    return {"num": rng.randint(low, 10**length - 1)}


def question(inputs):
    return (
        f"Given an integer number {inputs['num']}, repeatedly add up all its digits "
        "until the result has only one digit."
    )


def reference(num):
    return 0 if num == 0 else 1 + (num - 1) % 9


TASK = Task(
    name="lc_258_add_digits",
    source="leetcode",
    split="adapt",
    description="Repeatedly sum the digits of an integer until a single digit remains.",
    length="number of digits of num",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"num": "the number", "sum": "the sum"},
)
