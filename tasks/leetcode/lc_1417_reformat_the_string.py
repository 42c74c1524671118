"""LeetCode 1417. Reformat The String (canonical answer: majority kind first, stable order)."""

from rulec.tasks.base import Task

RULE = '''\
def reformat(s):
    letters = []
    digits = []
    for ch in s:
        if ch.isdigit():
            digits.append(ch)
        else:
            letters.append(ch)
    if abs(len(letters) - len(digits)) > 1:
        return ""
    if len(digits) > len(letters):
        first, second = digits, letters
    else:
        first, second = letters, digits
    result = ""
    while first:
        result += first.pop(0)
        if second:
            result += second.pop(0)
    return result
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"


def generate(length, rng):
    # length = number of characters of s
    if rng.random() < 0.55:
        n_letters = length // 2 if length % 2 == 0 else length // 2 + rng.randint(0, 1)
    else:
        options = [k for k in range(length + 1) if abs(2 * k - length) > 1]
        if not options:
            options = [length // 2 + rng.randint(0, length % 2)]
        n_letters = rng.choice(options)
    chars = [rng.choice(LETTERS) for _ in range(n_letters)]
    chars += [rng.choice(DIGITS) for _ in range(length - n_letters)]
    rng.shuffle(chars)
    return {"s": "".join(chars)}


def question(inputs):
    return (
        f'You are given an alphanumeric string s = "{inputs["s"]}" (lowercase English letters '
        "and digits). Find a permutation of the string where no letter is followed by another "
        "letter and no digit is followed by another digit. Build it by alternating the two "
        "kinds, starting with the kind that occurs more often (letters if both occur equally "
        "often) and keeping the letters, and the digits, in their original relative order. "
        "Return the reformatted string, or an empty string if it is impossible."
    )


def reference(s):
    letters = [c for c in s if c.isalpha()]
    digits = [c for c in s if c.isdigit()]
    if abs(len(letters) - len(digits)) > 1:
        return ""
    major, minor = (digits, letters) if len(digits) > len(letters) else (letters, digits)
    out = [""] * len(s)
    out[0::2] = major
    out[1::2] = minor
    return "".join(out)


TASK = Task(
    name="lc_1417_reformat_the_string",
    source="leetcode",
    split="pretrain",
    description="Interleave letters and digits of a string so no two of a kind are adjacent.",
    length="number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"s": "the string", "letters": "the letters", "digits": "the digits",
              "first": "the kind placed first", "second": "the other kind",
              "result": "the reformatted string"},
)
