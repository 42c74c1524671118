"""LeetCode 953. Verifying an Alien Dictionary."""

from rulec.tasks.base import Task

RULE = '''\
def is_alien_sorted(words, order):
    for i in range(len(words) - 1):
        first = words[i]
        second = words[i + 1]
        j = 0
        while j < len(first) and j < len(second) and first[j] == second[j]:
            j += 1
        if j == len(first):
            continue
        if j == len(second):
            return False
        if order.index(first[j]) > order.index(second[j]):
            return False
    return True
'''


def _key(order):
    return lambda w: [order.index(c) for c in w]


def generate(length, rng):
    # length = number of words
    order = "".join(rng.sample("abcdefghijklmnopqrstuvwxyz", 26))
    alphabet = rng.sample(order, rng.randint(2, 4))
    words = []
    for _ in range(length):
        if words and rng.random() < 0.25:
            base = rng.choice(words)
            words.append(base[: rng.randint(1, len(base))] + "".join(
                rng.choice(alphabet) for _ in range(rng.randint(0, 2))))
        else:
            words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))))
    words.sort(key=_key(order))
    if length > 1 and rng.random() < 0.5:
        pairs = [i for i in range(length - 1) if words[i] != words[i + 1]]
        if pairs:
            i = rng.choice(pairs)
            words[i], words[i + 1] = words[i + 1], words[i]
    return {"words": words, "order": order}


def question(inputs):
    return (
        "In an alien language, surprisingly, they also use English lowercase letters, but "
        f'possibly in a different order. The order of the alphabet is "{inputs["order"]}". '
        f"Given the sequence of words {inputs['words']} written in the alien language, "
        "return True if and only if the given words are sorted lexicographically in this "
        "alien language."
    )


def reference(words, order):
    return words == sorted(words, key=_key(order))


TASK = Task(
    name="lc_953_verifying_an_alien_dictionary",
    source="leetcode",
    split="pretrain",
    description="Check whether words are sorted under an alien alphabet order.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "words": "the words",
        "order": "the alien alphabet",
        "first": "the current word",
        "second": "the next word",
        "j": "the position of the first difference",
    },
)
