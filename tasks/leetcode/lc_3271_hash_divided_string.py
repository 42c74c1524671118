"""LeetCode 3271. Hash Divided String."""

from rulec.tasks.base import Task

RULE = """\
def string_hash(s, k):
    result = ""
    for start in range(0, len(s), k):
        total = 0
        for char in s[start:start + k]:
            total += ord(char) - ord("a")
        result += chr(ord("a") + total % 26)
    return result
"""


def generate(length, rng):
    # length = number of characters of s
    divisors = [d for d in range(1, length + 1) if length % d == 0]
    proper = [d for d in divisors if 1 < d < length]
    k = rng.choice(proper) if proper and rng.random() < 0.8 else rng.choice(divisors)
    s = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(length))
    return {"s": s, "k": k}


def question(inputs):
    return (
        f'Given the string "{inputs["s"]}" and the integer k = {inputs["k"]}, divide the string '
        "into consecutive substrings of length k. For each substring, add up the alphabet "
        "indices of its characters ('a' = 0, 'b' = 1, ..., 'z' = 25), take the sum modulo 26 "
        "and append the letter with that index to the result. Return the result."
    )


def reference(s, k):
    import string

    alphabet = string.ascii_lowercase
    chunks = [s[i : i + k] for i in range(0, len(s), k)]
    return "".join(alphabet[sum(alphabet.index(c) for c in chunk) % 26] for chunk in chunks)


TASK = Task(
    name="lc_3271_hash_divided_string",
    source="leetcode",
    split="pretrain",
    description="Hash each length-k block of a string to the letter of its index sum mod 26.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "k": "the block length",
        "result": "the hashed string",
        "total": "the index sum",
        "start": "the block start",
    },
)
