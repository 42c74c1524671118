"""LeetCode 796. Rotate String."""

from rulec.tasks.base import Task

RULE = '''\
def rotate_string(s, goal):
    if len(s) != len(goal):
        return False
    shifts = 0
    while shifts < len(s):
        if s == goal:
            return True
        s = s[1:] + s[0]
        shifts += 1
    return False
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _is_rotation(s, goal):
    return len(s) == len(goal) and goal in s + s


def generate(length, rng):
    # length = number of characters of s (and of goal)
    alphabet = LETTERS[: rng.randint(2, 5)]
    s = "".join(rng.choice(alphabet) for _ in range(length))
    r = rng.randrange(length)
    goal = s[r:] + s[:r]
    if rng.random() < 0.5:
        chars = list(goal)
        if rng.random() < 0.5:
            rng.shuffle(chars)
        if _is_rotation(s, "".join(chars)):
            i = rng.randrange(length)
            chars[i] = rng.choice([c for c in alphabet if c != chars[i]])
        goal = "".join(chars)
    return {"s": s, "goal": goal}


def question(inputs):
    return (
        f'Given two strings s = "{inputs["s"]}" and goal = "{inputs["goal"]}", return True if '
        "and only if s can become goal after some number of shifts on s. A shift on s consists "
        "of moving the leftmost character of s to the rightmost position."
    )


def reference(s, goal):
    return _is_rotation(s, goal)


TASK = Task(
    name="lc_796_rotate_string",
    source="leetcode",
    split="pretrain",
    description="Decide whether a string can be rotated into another string.",
    length="number of characters of s (goal has the same length)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the (shifted) string", "goal": "the goal string",
              "shifts": "the number of shifts done"},
)
