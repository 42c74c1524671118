"""LeetCode 392. Is Subsequence."""

from rulec.tasks.base import Task

RULE = '''\
def is_subsequence(s, t):
    i = 0
    for ch in t:
        if i < len(s) and s[i] == ch:
            i += 1
    return i == len(s)
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _is_sub(s, t):
    it = iter(t)
    return all(c in it for c in s)


def generate(length, rng):
    # length = number of characters of t
    alphabet = LETTERS[: rng.randint(2, 6)]
    t = "".join(rng.choice(alphabet) for _ in range(length))
    r = rng.randint(1, max(1, (length * 2) // 3))
    idx = sorted(rng.sample(range(length), r))
    s = "".join(t[i] for i in idx)
    if rng.random() < 0.5:
        for _ in range(20):
            chars = list(s)
            if rng.random() < 0.5:
                i = rng.randrange(len(chars))
                chars[i] = rng.choice([c for c in alphabet if c != chars[i]])
            else:
                chars.insert(rng.randint(0, len(chars)), rng.choice(alphabet))
            if not _is_sub("".join(chars), t):
                s = "".join(chars)
                break
        else:
            s = t + alphabet[0]
    return {"s": s, "t": t}


def question(inputs):
    return (
        f'Given two strings s = "{inputs["s"]}" and t = "{inputs["t"]}", return True if s is a '
        "subsequence of t, or False otherwise. A subsequence is a string formed from the "
        "original string by deleting some (can be none) of the characters without disturbing "
        "the relative positions of the remaining characters."
    )


def reference(s, t):
    return _is_sub(s, t)


TASK = Task(
    name="lc_392_is_subsequence",
    source="leetcode",
    split="pretrain",
    description="Decide whether one string is a subsequence of another.",
    length="number of characters of t (s is shorter, usually)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the candidate subsequence", "t": "the string",
              "i": "the count of matched characters", "ch": "the current character"},
)
