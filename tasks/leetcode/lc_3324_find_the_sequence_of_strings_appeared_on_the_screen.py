"""LeetCode 3324. Find the Sequence of Strings Appeared on the Screen."""

from rulec.tasks.base import Task

RULE = '''\
def string_sequence(target):
    result = []
    screen = ""
    for char in target:
        screen += "a"
        result.append(screen)
        while screen[-1] != char:
            screen = screen[:-1] + chr(ord(screen[-1]) + 1)
            result.append(screen)
    return result
'''

# Letters are drawn from a-e so that the number of key presses (and the answer) stays
# proportional to the length: at most 5 strings per character of target.
LETTERS = "abcde"


def generate(length, rng):
    # length = number of characters of target
    return {"target": "".join(rng.choice(LETTERS) for _ in range(length))}


def question(inputs):
    return (
        f'Alice is going to type target = "{inputs["target"]}" on her computer using a special '
        'keyboard that has only two keys: Key 1 appends the character "a" to the string on the '
        "screen, and Key 2 changes the last character of the string on the screen to its next "
        'character in the English alphabet (for example "c" changes to "d" and "z" changes to '
        '"a"). Initially there is an empty string on the screen. Return a list of all strings '
        "that appear on the screen as Alice types target, in the order they appear, using the "
        "minimum key presses."
    )


def reference(target):
    out = []
    for i, ch in enumerate(target):
        prefix = target[:i]
        out.extend(prefix + chr(c) for c in range(ord("a"), ord(ch) + 1))
    return out


TASK = Task(
    name="lc_3324_find_the_sequence_of_strings_appeared_on_the_screen",
    source="leetcode",
    split="adapt",
    description="List every string shown on screen while typing a target with append-a and "
    "next-letter keys.",
    length="number of characters of target (letters a-e)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "target": "the target string",
        "result": "the list of strings on the screen",
        "screen": "the string on the screen",
        "char": "the current target character",
    },
)
