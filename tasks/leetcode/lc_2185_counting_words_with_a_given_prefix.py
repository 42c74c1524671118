"""LeetCode 2185. Counting Words With a Given Prefix."""

from rulec.tasks.base import Task

RULE = """\
def prefix_count(words, pref):
    count = 0
    for word in words:
        if word.startswith(pref):
            count += 1
    return count
"""


def generate(length, rng):
    # length = number of words
    alphabet = "abcde"
    pref = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
    share = rng.random()
    words = []
    for _ in range(length):
        if rng.random() < share:
            rest = rng.randint(0, 4)
            word = pref + "".join(rng.choice(alphabet) for _ in range(rest))
        else:
            word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
        words.append(word)
    return {"words": words, "pref": pref}


def question(inputs):
    return (
        f'Given the array of strings {inputs["words"]} and the string "{inputs["pref"]}", '
        f'return the number of strings in the array that start with "{inputs["pref"]}".'
    )


def reference(words, pref):
    import re

    pattern = re.compile(re.escape(pref))
    return sum(1 for w in words if pattern.match(w))


TASK = Task(
    name="lc_2185_counting_words_with_a_given_prefix",
    source="leetcode",
    split="pretrain",
    description="Count the words that start with a given prefix.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"words": "the words", "pref": "the prefix", "word": "the word", "count": "the count"},
)
