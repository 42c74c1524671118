"""LeetCode 461. Hamming Distance (integers given in binary, equal length)."""

from rulec.tasks.base import Task

RULE = '''\
def hamming_distance(x, y):
    distance = 0
    while x:
        bit_x = x[-1]
        bit_y = y[-1]
        if bit_x != bit_y:
            distance += 1
        x = x[:-1]
        y = y[:-1]
    return distance
'''


def generate(length, rng):
    # length = number of bits of each binary string (both padded to the same length)
    x = "".join(rng.choice("01") for _ in range(length))
    y = "".join(rng.choice("01") for _ in range(length))
    return {"x": x, "y": y}


def question(inputs):
    return (
        "The Hamming distance between two integers is the number of positions at which "
        "the corresponding bits are different. Given two integers in binary representation, "
        f"x = {inputs['x']} and y = {inputs['y']}, return the Hamming distance between them."
    )


def reference(x, y):
    return (int(x, 2) ^ int(y, 2)).bit_count()


TASK = Task(
    name="lc_461_hamming_distance",
    source="leetcode",
    split="adapt",
    description="Count the bit positions where two equal-length binary numbers differ.",
    length="number of bits of each binary string",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "x": "the remaining bits of x",
        "y": "the remaining bits of y",
        "distance": "the Hamming distance",
        "bit_x": "the last bit of x",
        "bit_y": "the last bit of y",
    },
)
