"""LeetCode 125. Valid Palindrome."""

from rulec.tasks.base import Task

RULE = '''\
def is_palindrome(s):
    chars = []
    for char in s:
        if char.isalnum():
            chars.append(char.lower())
    while len(chars) > 1:
        first = chars.pop(0)
        last = chars.pop()
        if first != last:
            return False
    return True
'''

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
PUNCT = " ,.:;!?-"


def _flip_case(ch, rng):
    return ch.upper() if ch.isalpha() and rng.random() < 0.3 else ch


def generate(length, rng):
    # length = half the number of characters of s (s has 2 * length characters);
    # about half the instances are palindromes
    half = []
    for _ in range(length):
        half.append(rng.choice(PUNCT) if rng.random() < 0.25 else rng.choice(ALNUM))
    if not any(c.isalnum() for c in half):
        half[rng.randrange(length)] = rng.choice(ALNUM)
    mirror = [rng.choice(PUNCT) if not c.isalnum() else c for c in reversed(half)]
    if rng.random() < 0.5:
        # break the palindrome: change one alphanumeric character of the second half
        spots = [i for i, c in enumerate(mirror) if c.isalnum()]
        i = rng.choice(spots)
        mirror[i] = rng.choice([c for c in ALNUM if c != mirror[i]])
    s = [_flip_case(c, rng) for c in half] + [_flip_case(c, rng) for c in mirror]
    return {"s": "".join(s)}


def question(inputs):
    return (
        "A phrase is a palindrome if, after converting all uppercase letters into lowercase "
        "letters and removing all non-alphanumeric characters, it reads the same forward and "
        f'backward. Given a string s = "{inputs["s"]}", return True if it is a palindrome, or '
        "False otherwise."
    )


def reference(s):
    cleaned = "".join(c.lower() for c in s if c.isalnum())
    return cleaned == cleaned[::-1]


TASK = Task(
    name="lc_125_valid_palindrome",
    source="leetcode",
    split="adapt",
    description="Decide whether a string is a palindrome ignoring case and non-alphanumerics.",
    length="half the number of characters of s",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "s": "the string",
        "char": "the current character",
        "chars": "the remaining cleaned characters",
        "first": "the first remaining character",
        "last": "the last remaining character",
    },
)
