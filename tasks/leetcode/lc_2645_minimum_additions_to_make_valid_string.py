"""LeetCode 2645. Minimum Additions to Make Valid String."""

from rulec.tasks.base import Task

RULE = '''\
def add_minimum(word):
    groups = 1
    for i in range(1, len(word)):
        if word[i] <= word[i - 1]:
            groups += 1
    return groups * 3 - len(word)
'''


def generate(length, rng):
    # length = number of characters of word
    return {"word": "".join(rng.choice("abc") for _ in range(length))}


def question(inputs):
    return (
        f'Given a string word = "{inputs["word"]}" to which you can insert the letter "a", '
        '"b" or "c" anywhere and any number of times, return the minimum number of letters '
        'that must be inserted so that word becomes valid. A string is called valid if it '
        'can be formed by concatenating the string "abc" several times.'
    )


def reference(word):
    inserted = 0
    expected = 0
    for c in word:
        target = "abc".index(c)
        while expected != target:
            inserted += 1
            expected = (expected + 1) % 3
        expected = (expected + 1) % 3
    return inserted + (3 - expected) % 3


TASK = Task(
    name="lc_2645_minimum_additions_to_make_valid_string",
    source="leetcode",
    split="pretrain",
    description='Minimum insertions to turn a string of a/b/c into repeated "abc".',
    length="number of characters of word",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"word": "the word", "groups": "the number of \"abc\" groups needed"},
)
