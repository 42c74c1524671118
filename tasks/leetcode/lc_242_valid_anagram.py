"""LeetCode 242. Valid Anagram."""

from rulec.tasks.base import Task

RULE = '''\
def is_anagram(s, t):
    if len(s) != len(t):
        return False
    counts = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    for ch in t:
        if counts.get(ch, 0) == 0:
            return False
        counts[ch] -= 1
    return True
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of characters of s
    alphabet = LETTERS[: rng.randint(3, 8)]
    s = [rng.choice(alphabet) for _ in range(length)]
    t = s[:]
    rng.shuffle(t)
    if rng.random() < 0.5:
        mode = rng.random()
        if mode < 0.7:
            i = rng.randrange(len(t))
            t[i] = rng.choice([c for c in alphabet if c != t[i]])
        elif mode < 0.85 or len(t) == 1:
            t.insert(rng.randint(0, len(t)), rng.choice(alphabet))
        else:
            del t[rng.randrange(len(t))]
    return {"s": "".join(s), "t": "".join(t)}


def question(inputs):
    return (
        f'Given two strings s = "{inputs["s"]}" and t = "{inputs["t"]}", return True if t '
        "is an anagram of s (uses exactly the same letters, each the same number of times), "
        "and False otherwise."
    )


def reference(s, t):
    return sorted(s) == sorted(t)


TASK = Task(
    name="lc_242_valid_anagram",
    source="leetcode",
    split="pretrain",
    description="Decide whether one string is an anagram of another.",
    length="number of characters of s (t has the same length, or one more or one fewer)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the first string", "t": "the second string", "counts": "the letter counts",
              "ch": "the current character"},
)
