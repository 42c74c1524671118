"""LeetCode 2423. Remove Letter To Equalize Frequency."""

from rulec.tasks.base import Task

RULE = """\
def equal_frequency(word):
    counts = {}
    for letter in word:
        counts[letter] = counts.get(letter, 0) + 1
    for letter in counts.keys():
        counts[letter] -= 1
        target = 0
        equal = True
        for other in counts.keys():
            count = counts[other]
            if count == 0:
                continue
            if target == 0:
                target = count
            elif count != target:
                equal = False
                break
        if equal:
            return True
        counts[letter] += 1
    return False
"""

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _reference(word):
    from collections import Counter

    for i in range(len(word)):
        freqs = set(Counter(word[:i] + word[i + 1 :]).values())
        if len(freqs) <= 1:
            return True
    return False


def generate(length, rng):
    # length = number of letters left after the removal; the word has length + 1 letters
    size = length + 1
    if rng.random() < 0.5:
        # a word where the answer is true: k letters with equal frequency f plus one extra letter
        options = [(k, length // k) for k in range(1, min(length, 25) + 1) if length % k == 0]
        k, f = rng.choice(options)
        chosen = rng.sample(LETTERS, k + 1)
        letters = [c for c in chosen[:k] for _ in range(f)]
        letters.append(rng.choice(chosen[:k]) if rng.random() < 0.5 else chosen[k])
        rng.shuffle(letters)
        return {"word": "".join(letters)}
    word = ""
    for _ in range(200):
        alphabet = rng.sample(LETTERS, rng.randint(2, min(size, 8)) if size > 2 else 2)
        word = "".join(rng.choice(alphabet) for _ in range(size))
        if not _reference(word):
            break
    return {"word": word}


def question(inputs):
    return (
        f'Given the string "{inputs["word"]}", can you remove exactly one letter so that '
        "every letter still present in the string occurs the same number of times? "
        "Answer True or False."
    )


def reference(word):
    return _reference(word)


TASK = Task(
    name="lc_2423_remove_letter_to_equalize_frequency",
    source="leetcode",
    split="pretrain",
    description="Decide whether removing one letter makes all letter frequencies equal.",
    length="number of letters left after the removal (the word has length + 1 letters)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "word": "the word",
        "counts": "the letter counts",
        "letter": "the removed letter",
        "other": "the other letter",
        "target": "the common frequency",
        "equal": "whether all frequencies are equal",
    },
)
