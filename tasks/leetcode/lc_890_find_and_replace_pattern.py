"""LeetCode 890. Find and Replace Pattern."""

from rulec.tasks.base import Task

RULE = '''\
def find_and_replace_pattern(words, pattern):
    result = []
    for word in words:
        forward = {}
        backward = {}
        matches = True
        for a, b in zip(word, pattern):
            if a not in forward and b not in backward:
                forward[a] = b
                backward[b] = a
            elif forward.get(a) != b or backward.get(b) != a:
                matches = False
                break
        if matches:
            result.append(word)
    return result
'''


def generate(length, rng):
    # length = number of words
    size = rng.randint(2, 5)
    pattern = "".join(rng.choice("abc") for _ in range(size))
    words = []
    for _ in range(length):
        if rng.random() < 0.4:
            letters = rng.sample("abcdefghijklmnopqrstuvwxyz", 3)
            mapping = dict(zip("abc", letters))
            words.append("".join(mapping[c] for c in pattern))
        else:
            alphabet = rng.sample("abcdefghijklmnopqrstuvwxyz", rng.randint(2, 4))
            words.append("".join(rng.choice(alphabet) for _ in range(size)))
    return {"words": words, "pattern": pattern}


def question(inputs):
    return (
        f'Given a list of strings words = {inputs["words"]} and a string pattern = '
        f'"{inputs["pattern"]}", return a list of the words that match the pattern, in their '
        "original order. A word matches the pattern if there exists a permutation of letters "
        "p so that after replacing every letter x in the pattern with p(x), we get the "
        "desired word (a permutation of letters is a bijection from letters to letters)."
    )


def _shape(s):
    first = {}
    return [first.setdefault(c, len(first)) for c in s]


def reference(words, pattern):
    return [w for w in words if _shape(w) == _shape(pattern)]


TASK = Task(
    name="lc_890_find_and_replace_pattern",
    source="leetcode",
    split="pretrain",
    description="Select the words that match a letter pattern under a bijection.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "words": "the words",
        "pattern": "the pattern",
        "result": "the matching words",
        "forward": "the mapping from word letters to pattern letters",
        "backward": "the mapping from pattern letters to word letters",
        "matches": "whether the word matches",
        "word": "the current word",
        "a": "the word letter",
        "b": "the pattern letter",
    },
)
