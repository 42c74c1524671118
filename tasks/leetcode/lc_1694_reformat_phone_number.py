"""LeetCode 1694. Reformat Phone Number."""

from rulec.tasks.base import Task

RULE = '''\
def reformat_number(number):
    digits = ''
    for ch in number:
        if ch.isdigit():
            digits += ch
    blocks = []
    while len(digits) > 4:
        blocks.append(digits[:3])
        digits = digits[3:]
    if len(digits) == 4:
        blocks.append(digits[:2])
        blocks.append(digits[2:])
    else:
        blocks.append(digits)
    return '-'.join(blocks)
'''


def generate(length, rng):
    # length = number of digits in the phone number
    parts = []
    for i in range(length):
        parts.append(rng.choice("0123456789"))
        if i < length - 1 and rng.random() < 0.3:
            parts.append(rng.choice([" ", "-", " ", "-", "  ", " -"]))
    return {"number": "".join(parts)}


def question(inputs):
    return (
        f'You are given a phone number as a string number = "{inputs["number"]}" consisting '
        "of digits, spaces ' ' and dashes '-'. Reformat it: first remove all spaces and "
        "dashes. Then group the digits from left to right into blocks of length 3 until "
        "there are 4 or fewer digits left. The final digits are grouped as follows: 2 digits "
        "form a single block of length 2, 3 digits a single block of length 3, and 4 digits "
        "two blocks of length 2 each. The blocks are joined by dashes. Return the phone "
        "number after formatting."
    )


def reference(number):
    import re

    d = re.sub(r"[^0-9]", "", number)
    n = len(d)
    if n <= 3:
        sizes = [n]
    elif n % 3 == 1:
        sizes = [3] * ((n - 4) // 3) + [2, 2]
    elif n % 3 == 2:
        sizes = [3] * (n // 3) + [2]
    else:
        sizes = [3] * (n // 3)
    out, pos = [], 0
    for size in sizes:
        out.append(d[pos:pos + size])
        pos += size
    return "-".join(out)


TASK = Task(
    name="lc_1694_reformat_phone_number",
    source="leetcode",
    split="pretrain",
    description="Strip a phone number to digits and regroup them in blocks of 3 and 2.",
    length="number of digits in the phone number",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "number": "the phone number",
        "digits": "the remaining digits",
        "blocks": "the blocks",
    },
)
