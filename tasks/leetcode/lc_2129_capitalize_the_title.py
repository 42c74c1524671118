"""LeetCode 2129. Capitalize the Title."""

from rulec.tasks.base import Task

RULE = '''\
def capitalize_title(title):
    words = title.split(' ')
    result = []
    for word in words:
        if len(word) <= 2:
            result.append(word.lower())
        else:
            result.append(word[0].upper() + word[1:].lower())
    return ' '.join(result)
'''

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generate(length, rng):
    # length = number of words in the title
    words = []
    for _ in range(length):
        size = rng.choice([1, 2, 2, 3, 4, 5, 6, 7, 8])
        words.append("".join(rng.choice(LETTERS) for _ in range(size)))
    return {"title": " ".join(words)}


def question(inputs):
    return (
        f'Given the string title = "{inputs["title"]}" consisting of words separated by a '
        "single space, capitalize it: if a word has 1 or 2 letters, change all its letters "
        "to lowercase; otherwise, change its first letter to uppercase and the remaining "
        "letters to lowercase. Return the capitalized title."
    )


def reference(title):
    return " ".join(w.capitalize() if len(w) > 2 else w.lower() for w in title.split())


TASK = Task(
    name="lc_2129_capitalize_the_title",
    source="leetcode",
    split="pretrain",
    description="Capitalize each word of a title, lowercasing words of 1 or 2 letters.",
    length="number of words in the title",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"title": "the title", "words": "the words", "result": "the capitalized words"},
)
