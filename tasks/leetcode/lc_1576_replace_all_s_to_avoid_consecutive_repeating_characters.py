"""LeetCode 1576. Replace All ?'s to Avoid Consecutive Repeating Characters."""

from rulec.tasks.base import Task

RULE = """\
def modify_string(s):
    chars = list(s)
    for i in range(len(chars)):
        if chars[i] == "?":
            for letter in "abc":
                if i > 0 and chars[i - 1] == letter:
                    continue
                if i < len(chars) - 1 and chars[i + 1] == letter:
                    continue
                chars[i] = letter
                break
    return "".join(chars)
"""


def generate(length, rng):
    # length = number of characters of s
    rate = rng.uniform(0.2, 0.6)
    chars = []
    for _ in range(length):
        if rng.random() < rate:
            chars.append("?")
        else:
            options = [c for c in "abcd" if not chars or chars[-1] != c]
            chars.append(rng.choice(options))
    if "?" not in chars:
        i = rng.randrange(length)
        chars[i] = "?"
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f"Given the string \"{inputs['s']}\" of lowercase letters and '?' characters, replace "
        "every '?' with a lowercase letter so that no two adjacent characters are equal. Go from "
        "left to right and replace each '?' with the first of 'a', 'b', 'c' that differs from "
        "both of its current neighbours. Return the resulting string."
    )


def reference(s):
    out = []
    for i, ch in enumerate(s):
        if ch == "?":
            banned = set(out[-1:]) | set(s[i + 1 : i + 2])
            ch = min(set("abc") - banned)
        out.append(ch)
    return "".join(out)


TASK = Task(
    name="lc_1576_replace_all_s_to_avoid_consecutive_repeating_characters",
    source="leetcode",
    split="pretrain",
    description="Replace each '?' by the first of a, b, c differing from both neighbours.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "chars": "the characters",
        "i": "the position",
        "letter": "the candidate letter",
    },
)
