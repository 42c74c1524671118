"""Symbolic reasoning: last letter concatenation (Wei et al.)."""

from rulec.tasks.base import Task

RULE = '''\
def last_letter_concatenation(words):
    result = ""
    while words:
        word = words.pop(0)
        result += word[-1]
    return result
'''

NAMES = [
    "Elon", "Musk", "Larry", "Page", "Sergey", "Brin", "Bill", "Gates", "Steve", "Jobs", "Tim",
    "Cook", "Jeff", "Bezos", "Mark", "Zuckerberg", "Maria", "Garcia", "James", "Smith", "Linda",
    "Johnson", "Robert", "Brown", "Patricia", "Miller", "Michael", "Davis", "Barbara", "Wilson",
    "David", "Moore", "Susan", "Taylor", "Richard", "Anderson", "Jessica", "Thomas", "Joseph",
    "Jackson", "Sarah", "White", "Charles", "Harris", "Karen", "Martin", "Daniel", "Thompson",
    "Nancy", "Lopez", "Matthew", "Clark", "Lisa", "Lewis", "Anthony", "Walker", "Betty", "Hall",
    "Donald", "Allen", "Sandra", "Young", "Kevin", "King"
]


def generate(length, rng):
    # length = number of words
    return {"words": rng.sample(NAMES, length)}


def question(inputs):
    return (
        f'Take the last letters of each word in "{" ".join(inputs["words"])}" and '
        "concatenate them."
    )


def reference(words):
    return "".join(w[-1:] for w in words)


TASK = Task(
    name="last_letter_concatenation",
    source="symbolic",
    split="pretrain",
    description="Concatenate the last letters of a list of words.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "words": "the remaining words",
        "word": "the current word",
        "result": "the concatenated letters",
    },
)
