"""LeetCode 2390. Removing Stars From a String."""

from rulec.tasks.base import Task

RULE = '''\
def remove_stars(s):
    stack = []
    for ch in s:
        if ch == '*':
            stack.pop()
        else:
            stack.append(ch)
    return ''.join(stack)
'''


def generate(length, rng):
    # length = number of characters of s (letters and stars)
    chars = []
    letters = 0
    for i in range(length):
        last = i == length - 1
        if letters > (1 if last else 0) and rng.random() < 0.35:
            chars.append("*")
            letters -= 1
        else:
            chars.append(rng.choice("abcdefghijklmnopqrstuvwxyz"))
            letters += 1
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'You are given a string s = "{inputs["s"]}", which contains stars *. In one '
        "operation, you can choose a star in s, remove the closest non-star character to its "
        "left, and remove the star itself. Return the string after all stars have been "
        "removed."
    )


def reference(s):
    while "*" in s:
        i = s.index("*")
        s = s[: i - 1] + s[i + 1:]
    return s


TASK = Task(
    name="lc_2390_removing_stars_from_a_string",
    source="leetcode",
    split="pretrain",
    description="Each star deletes itself and the closest letter on its left.",
    length="number of characters of s (letters and stars)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the string", "stack": "the kept characters", "ch": "the character"},
)
