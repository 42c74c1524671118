"""LeetCode 383. Ransom Note."""

from rulec.tasks.base import Task

RULE = '''\
def can_construct(ransom_note, magazine):
    letters = list(magazine)
    for ch in ransom_note:
        if ch not in letters:
            return False
        letters.remove(ch)
    return True
'''

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def generate(length, rng):
    # length = number of characters of magazine
    size = rng.randint(3, 8)
    alphabet = LETTERS[:size]
    magazine = [rng.choice(alphabet) for _ in range(length)]
    r = rng.randint(1, length)
    if rng.random() < 0.5:
        note = rng.sample(magazine, r)
    else:
        note = rng.sample(magazine, r - 1)
        extended = LETTERS[: size + 1]
        short = [c for c in extended if note.count(c) >= magazine.count(c)]
        note.append(rng.choice(short))
        rng.shuffle(note)
    return {"ransom_note": "".join(note), "magazine": "".join(magazine)}


def question(inputs):
    return (
        f'Given two strings ransomNote = "{inputs["ransom_note"]}" and magazine = '
        f'"{inputs["magazine"]}", return True if ransomNote can be constructed by using the '
        "letters from magazine and False otherwise. Each letter in magazine can only be used "
        "once in ransomNote."
    )


def reference(ransom_note, magazine):
    from collections import Counter

    return not (Counter(ransom_note) - Counter(magazine))


TASK = Task(
    name="lc_383_ransom_note",
    source="leetcode",
    split="pretrain",
    description="Decide whether a note can be built from the letters of a magazine.",
    length="number of characters of magazine (the note has 1..length characters)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"ransom_note": "the ransom note", "magazine": "the magazine",
              "letters": "the unused magazine letters", "ch": "the current note letter"},
)
