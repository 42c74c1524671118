"""LeetCode 2810. Faulty Keyboard."""

from rulec.tasks.base import Task

RULE = '''\
def final_string(s):
    text = ''
    for ch in s:
        if ch == 'i':
            text = text[::-1]
        else:
            text += ch
    return text
'''


def generate(length, rng):
    # length = number of characters typed
    letters = "abcdefghjklmnopqrstuvwxyz"
    chars = [rng.choice(letters)]
    for _ in range(length - 1):
        chars.append("i" if rng.random() < 0.25 else rng.choice(letters))
    return {"s": "".join(chars)}


def question(inputs):
    return (
        "Your laptop keyboard is faulty, and whenever you type a character 'i' on it, it "
        "reverses the string that you have written. Typing other characters works as "
        f'expected. You type each character of s = "{inputs["s"]}" using the faulty '
        "keyboard. Return the final string that will be present on your laptop screen."
    )


def reference(s):
    from collections import deque

    out = deque()
    flipped = False
    for c in s:
        if c == "i":
            flipped = not flipped
        elif flipped:
            out.appendleft(c)
        else:
            out.append(c)
    text = "".join(out)
    return text[::-1] if flipped else text


TASK = Task(
    name="lc_2810_faulty_keyboard",
    source="leetcode",
    split="pretrain",
    description="Type a string on a keyboard where 'i' reverses the text so far.",
    length="number of characters typed",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the typed characters", "text": "the text on the screen", "ch": "the key"},
)
