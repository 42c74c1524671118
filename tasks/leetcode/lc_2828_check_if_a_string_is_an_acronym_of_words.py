"""LeetCode 2828. Check if a String Is an Acronym of Words."""

from rulec.tasks.base import Task

RULE = """\
def is_acronym(words, s):
    acronym = ""
    for word in words:
        acronym += word[0]
    return acronym == s
"""

LOWER = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of words
    words = ["".join(rng.choice(LOWER) for _ in range(rng.randint(1, 6))) for _ in range(length)]
    s = [w[0] for w in words]
    if rng.random() < 0.5:
        change = rng.randrange(4) if length > 1 else 0
        if change <= 1:
            i = rng.randrange(length)
            s[i] = rng.choice([c for c in LOWER if c != s[i]])
        elif change == 2:
            del s[rng.randrange(length)]
        else:
            i, j = rng.sample(range(length), 2)
            if s[i] == s[j]:
                s[i] = rng.choice([c for c in LOWER if c != s[i]])
            else:
                s[i], s[j] = s[j], s[i]
    return {"words": words, "s": "".join(s)}


def question(inputs):
    return (
        f'Given the array of strings {inputs["words"]} and the string "{inputs["s"]}", is the '
        "string an acronym of the words, i.e. the concatenation of the first character of each "
        "word in order? Answer True or False."
    )


def reference(words, s):
    return len(words) == len(s) and all(w.startswith(c) for w, c in zip(words, s))


TASK = Task(
    name="lc_2828_check_if_a_string_is_an_acronym_of_words",
    source="leetcode",
    split="pretrain",
    description="Check whether a string equals the first letters of a list of words.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "words": "the words",
        "s": "the string",
        "acronym": "the acronym",
        "word": "the word",
    },
)
