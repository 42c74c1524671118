"""LeetCode 482. License Key Formatting."""

from rulec.tasks.base import Task

RULE = '''\
def license_key_formatting(s, k):
    result = ""
    count = 0
    i = len(s) - 1
    while i >= 0:
        ch = s[i]
        if ch != "-":
            if count == k:
                result = "-" + result
                count = 0
            result = ch.upper() + result
            count += 1
        i -= 1
    return result
'''

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def generate(length, rng):
    # length = number of characters of s (dashes included)
    chars = ["-" if rng.random() < 0.2 else rng.choice(ALNUM) for _ in range(length)]
    if all(c == "-" for c in chars):
        chars[rng.randrange(length)] = rng.choice(ALNUM)
    return {"s": "".join(chars), "k": rng.randint(1, 5)}


def question(inputs):
    return (
        f'You are given a license key s = "{inputs["s"]}" that consists of only alphanumeric '
        f"characters and dashes, and an integer k = {inputs['k']}. Reformat s such that each "
        "group contains exactly k characters, except for the first group, which could be "
        "shorter than k but still must contain at least one character. There must be a dash "
        "inserted between two groups, and all lowercase letters are converted to uppercase. "
        "Return the reformatted license key."
    )


def reference(s, k):
    clean = s.replace("-", "").upper()
    head = len(clean) % k or k
    groups = [clean[:head]] + [clean[i:i + k] for i in range(head, len(clean), k)]
    return "-".join(g for g in groups if g)


TASK = Task(
    name="lc_482_license_key_formatting",
    source="leetcode",
    split="pretrain",
    description="Regroup a license key into dash-separated uppercase groups of k characters.",
    length="number of characters of s (dashes included)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the license key", "k": "the group size", "result": "the reformatted key",
              "count": "the size of the current group", "i": "the current index",
              "ch": "the current character"},
)
