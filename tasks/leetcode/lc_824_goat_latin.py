"""LeetCode 824. Goat Latin."""

from rulec.tasks.base import Task

RULE = '''\
def to_goat_latin(sentence):
    words = sentence.split(' ')
    result = []
    suffix = 'a'
    for word in words:
        if word[0] in 'aeiouAEIOU':
            new_word = word + 'ma'
        else:
            new_word = word[1:] + word[0] + 'ma'
        result.append(new_word + suffix)
        suffix += 'a'
    return ' '.join(result)
'''

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generate(length, rng):
    # length = number of words in the sentence
    words = []
    for _ in range(length):
        size = rng.randint(1, 6)
        first = rng.choice("aeiouAEIOU") if rng.random() < 0.4 else rng.choice(LETTERS)
        words.append(first + "".join(rng.choice(LETTERS) for _ in range(size - 1)))
    return {"sentence": " ".join(words)}


def question(inputs):
    return (
        f'Given the sentence "{inputs["sentence"]}" of words separated by single spaces, '
        "convert it to Goat Latin: if a word begins with a vowel ('a', 'e', 'i', 'o' or 'u', "
        "in either case), append \"ma\" to the end of the word; otherwise remove its first "
        "letter, append it to the end, then add \"ma\". Then add one letter 'a' to the end "
        "of each word per its word index in the sentence, starting with 1. Return the final "
        "sentence."
    )


def reference(sentence):
    out = []
    for i, w in enumerate(sentence.split(), start=1):
        base = w if w[0].lower() in "aeiou" else w[1:] + w[:1]
        out.append(base + "ma" + "a" * i)
    return " ".join(out)


TASK = Task(
    name="lc_824_goat_latin",
    source="leetcode",
    split="pretrain",
    description="Convert a sentence to Goat Latin.",
    length="number of words in the sentence",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "sentence": "the sentence",
        "words": "the words",
        "result": "the converted words",
        "suffix": "the trailing a's",
        "new_word": "the converted word",
    },
)
