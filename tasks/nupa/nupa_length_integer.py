"""NUPA Length (integer): the total number of digits of an integer."""

from rulec.tasks.base import Task

RULE = '''\
def length(num):
    count = 0
    while num:
        num = num[1:]
        count += 1
    return count
'''


def generate(length, rng):
    # length = number of digits of num
    if length == 1:
        return {"num": str(rng.randint(0, 9))}
    digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
    return {"num": digits}


def question(inputs):
    return f"The total number of digits of {inputs['num']}."


def reference(num):
    return len(str(int(num)))


TASK = Task(
    name="nupa_length_integer",
    source="nupa",
    split="adapt",
    description="Count the digits of an integer.",
    length="number of digits of num",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"num": "the remaining digits", "count": "the number of digits counted"},
)
