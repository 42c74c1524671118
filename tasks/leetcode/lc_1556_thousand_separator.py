"""LeetCode 1556. Thousand Separator."""

from rulec.tasks.base import Task

RULE = '''\
def thousand_separator(n):
    digits = str(n)
    result = ""
    count = 0
    i = len(digits) - 1
    while i >= 0:
        if count == 3:
            result = "." + result
            count = 0
        result = digits[i] + result
        count += 1
        i -= 1
    return result
'''


def generate(length, rng):
    # length = number of digits of n (beyond LeetCode's n < 2**31 for long lengths)
    low = 10 ** (length - 1) if length > 1 else 0
    return {"n": rng.randint(low, 10**length - 1)}


def question(inputs):
    return (
        f"Given an integer n = {inputs['n']}, add a dot (\".\") as the thousands separator "
        "and return it in string format."
    )


def reference(n):
    return f"{n:,}".replace(",", ".")


TASK = Task(
    name="lc_1556_thousand_separator",
    source="leetcode",
    split="pretrain",
    description="Insert a dot as thousands separator into an integer.",
    length="number of digits of n",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"n": "the number", "digits": "the digits of the number", "result": "the result",
              "count": "the digits in the current group", "i": "the current index"},
)
