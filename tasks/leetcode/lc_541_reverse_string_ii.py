"""LeetCode 541. Reverse String II."""

from rulec.tasks.base import Task

RULE = '''\
def reverse_str(s, k):
    result = ""
    start = 0
    while start < len(s):
        chunk = s[start:start + k]
        reversed_chunk = ""
        for ch in chunk:
            reversed_chunk = ch + reversed_chunk
        result += reversed_chunk + s[start + k:start + 2 * k]
        start += 2 * k
    return result
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of characters of s
    s = "".join(rng.choice(LETTERS) for _ in range(length))
    if rng.random() < 0.15:
        k = rng.randint(length, length + 3)
    else:
        k = rng.randint(1, max(1, min(8, (length + 1) // 2)))
    return {"s": s, "k": k}


def question(inputs):
    return (
        f'Given a string s = "{inputs["s"]}" and an integer k = {inputs["k"]}, reverse the '
        "first k characters for every 2k characters counting from the start of the string. "
        "If there are fewer than k characters left, reverse all of them. If there are less "
        "than 2k but greater than or equal to k characters, then reverse the first k "
        "characters and leave the other as original."
    )


def reference(s, k):
    chars = list(s)
    for i in range(0, len(chars), 2 * k):
        chars[i:i + k] = chars[i:i + k][::-1]
    return "".join(chars)


TASK = Task(
    name="lc_541_reverse_string_ii",
    source="leetcode",
    split="pretrain",
    description="Reverse the first k characters of every 2k-character block of a string.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the string", "k": "the block size", "result": "the result",
              "start": "the start of the current block", "chunk": "the part to reverse",
              "reversed_chunk": "the reversed part"},
)
