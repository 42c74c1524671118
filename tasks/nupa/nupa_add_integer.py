"""NUPA Add (integer): add two non-negative integers given as digit strings."""

from rulec.tasks.base import Task

RULE = '''\
def add(num1, num2):
    result = ""
    carry = 0
    while num1 or num2:
        digit1 = int(num1[-1]) if num1 else 0
        digit2 = int(num2[-1]) if num2 else 0
        total = digit1 + digit2 + carry
        result = str(total % 10) + result
        carry = total // 10
        num1 = num1[:-1] if num1 else num1
        num2 = num2[:-1] if num2 else num2
    if carry:
        result = str(carry) + result
    result = result.lstrip("0") or "0"
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
    return f"Add two numbers: {inputs['num1']} + {inputs['num2']}."


def reference(num1, num2):
    return str(int(num1) + int(num2))


TASK = Task(
    name="nupa_add_integer",
    source="nupa",
    split="adapt",
    description="Add two non-negative integers digit by digit with a carry.",
    length="number of digits of the longer number",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "num1": "the remaining digits of the first number",
        "num2": "the remaining digits of the second number",
        "result": "the result digits",
        "carry": "the carry",
        "digit1": "the last digit of the first number",
        "digit2": "the last digit of the second number",
        "total": "the digit sum",
    },
)
