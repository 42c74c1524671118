"""LeetCode 2544. Alternating Digit Sum."""

from rulec.tasks.base import Task

RULE = '''\
def alternate_digit_sum(n):
    digits = str(n)
    total = 0
    sign = 1
    for digit in digits:
        total += sign * int(digit)
        sign = -sign
    return total
'''


def generate(length, rng):
    # length = number of digits of n (n is positive)
    low = 10 ** (length - 1) if length > 1 else 1
    return {"n": rng.randint(low, 10**length - 1)}


def question(inputs):
    return (
        f"You are given a positive integer n = {inputs['n']}. Each digit of n has a sign: the "
        "most significant digit is assigned a positive sign, and each other digit has the "
        "opposite sign to its adjacent digits. Return the sum of all digits with their "
        "corresponding sign."
    )


def reference(n):
    s = str(n)
    return sum(int(d) for d in s[::2]) - sum(int(d) for d in s[1::2])


TASK = Task(
    name="lc_2544_alternating_digit_sum",
    source="leetcode",
    split="adapt",
    description="Sum the digits of a number with alternating signs, starting with plus.",
    length="number of digits of n",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "n": "the number",
        "digits": "the digits of the number",
        "digit": "the current digit",
        "total": "the signed sum",
        "sign": "the current sign",
    },
)
