"""LeetCode 290. Word Pattern."""

from rulec.tasks.base import Task

RULE = """\
def word_pattern(pattern, s):
    words = s.split()
    if len(words) != len(pattern):
        return False
    letter_to_word = {}
    word_to_letter = {}
    for letter, word in zip(pattern, words):
        if letter in letter_to_word:
            if letter_to_word[letter] != word:
                return False
        elif word in word_to_letter:
            return False
        else:
            letter_to_word[letter] = word
            word_to_letter[word] = letter
    return True
"""

VOCAB = ["dog", "cat", "fish", "bird", "cow", "ant", "bee", "owl", "fox", "pig", "hen", "rat"]


def _follows(pattern, words):
    return len(words) == len(pattern) and len(set(pattern)) == len(set(words)) == len(
        set(zip(pattern, words))
    )


def generate(length, rng):
    # length = number of letters of pattern
    letters = "abcdefgh"[: rng.randint(1, min(5, length + 1))]
    pattern = [rng.choice(letters) for _ in range(length)]
    mapping = dict(zip(letters, rng.sample(VOCAB, len(letters))))
    words = [mapping[c] for c in pattern]
    if rng.random() < 0.5:
        original = words
        for _ in range(50):
            words = original[:]
            change = rng.randrange(5) if length > 1 else 4
            if change <= 2:
                i = rng.randrange(length)
                words[i] = rng.choice([w for w in VOCAB if w != words[i]])
            elif change == 3:
                # two different letters share a word
                used = sorted(set(pattern))
                if len(used) >= 2:
                    a, b = rng.sample(used, 2)
                    words = [mapping[a] if c == b else w for c, w in zip(pattern, words)]
            elif rng.random() < 0.5 and length > 1:
                del words[rng.randrange(length)]
            else:
                words.insert(rng.randrange(length + 1), rng.choice(VOCAB))
            if not _follows(pattern, words):
                break
    return {"pattern": "".join(pattern), "s": " ".join(words)}


def question(inputs):
    return (
        f'Given the pattern "{inputs["pattern"]}" and the string "{inputs["s"]}", does the string '
        "follow the pattern, i.e. is there a bijection between the letters of the pattern and "
        "the words of the string such that each letter maps to exactly one word and each word "
        "to exactly one letter? Answer True or False."
    )


def reference(pattern, s):
    words = s.split()
    if len(words) != len(pattern):
        return False
    return [pattern.index(c) for c in pattern] == [words.index(w) for w in words]


TASK = Task(
    name="lc_290_word_pattern",
    source="leetcode",
    split="pretrain",
    description="Decide whether the words of a string follow a letter pattern bijectively.",
    length="number of letters of pattern",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "pattern": "the pattern",
        "s": "the string",
        "words": "the words",
        "letter_to_word": "the letter-to-word map",
        "word_to_letter": "the word-to-letter map",
    },
)
