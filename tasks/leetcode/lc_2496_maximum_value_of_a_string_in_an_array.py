"""LeetCode 2496. Maximum Value of a String in an Array."""

from rulec.tasks.base import Task

RULE = """\
def maximum_value(strs):
    best = 0
    for s in strs:
        if s.isdigit():
            value = int(s)
        else:
            value = len(s)
        if value > best:
            best = value
    return best
"""


def generate(length, rng):
    # length = number of strings
    strs = []
    for _ in range(length):
        size = rng.randint(1, 4)
        if rng.random() < 0.5:
            s = "".join(rng.choice("0123456789") for _ in range(size))
        else:
            chars = [rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(size)]
            chars[rng.randrange(size)] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            s = "".join(chars)
        strs.append(s)
    return {"strs": strs}


def question(inputs):
    return (
        f"Given the array of alphanumeric strings {inputs['strs']}, the value of a string is "
        "its numeric value in base 10 if it consists of digits only, and its length otherwise. "
        "Return the maximum value of any string in the array."
    )


def reference(strs):
    values = []
    for s in strs:
        if all("0" <= c <= "9" for c in s):
            values.append(sum(int(c) * 10**i for i, c in enumerate(reversed(s))))
        else:
            values.append(len(s))
    return max(values)


TASK = Task(
    name="lc_2496_maximum_value_of_a_string_in_an_array",
    source="leetcode",
    split="pretrain",
    description="Maximum over strings of their numeric value (digits only) or their length.",
    length="number of strings",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "strs": "the strings",
        "s": "the string",
        "value": "the value",
        "best": "the maximum value",
    },
)
