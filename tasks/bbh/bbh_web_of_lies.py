"""Big-Bench Hard: Web of lies (does the last person tell the truth?)."""

from rulec.tasks.base import Task

RULE = '''\
def web_of_lies(people):
    name, truthful = people.pop(0)
    while people:
        name, claim = people.pop(0)
        if claim == truthful:
            truthful = True
        else:
            truthful = False
    return truthful
'''

NAMES = [
    "Fidel", "Jerry", "Vina", "Millicent", "Raymond", "Sherrie", "Kristian", "Helene", "Delfina",
    "Tamika", "Alexis", "Jamey", "Lorine", "Shenna", "Gwenn", "Audrie", "Yoland", "Conception",
    "Elanor", "Ryan", "Jaymie", "Bernita", "Christie", "Kandi", "Antwan", "Inga", "Alejandro",
    "Crista", "Sima", "Osvaldo", "Willian", "Leda", "Michaela", "Teressa", "Dallas", "Jim",
    "Rashida", "Phoebe", "Fletcher", "Maybelle", "Amberly", "Andree", "Ka", "Shaunda",
]


def generate(length, rng):
    # length = number of people; the first person's honesty is stated, each later person
    # says whether the previous one tells the truth
    names = rng.sample(NAMES, length)
    people = [[names[0], rng.random() < 0.5]]
    people += [[name, rng.random() < 0.5] for name in names[1:]]
    return {"people": people}


def question(inputs):
    people = inputs["people"]
    first, truthful = people[0]
    parts = [f"{first} {'tells the truth' if truthful else 'lies'}."]
    for i in range(1, len(people)):
        previous, name, claim = people[i - 1][0], people[i][0], people[i][1]
        parts.append(f"{name} says {previous} {'tells the truth' if claim else 'lies'}.")
    last = people[-1][0]
    return (
        f"Question: {' '.join(parts)} Does {last} tell the truth? In short, the first person "
        "and whether they tell the truth, then each person and whether they say the previous "
        f"person tells the truth, are as follows: {people}."
    )


def reference(people):
    lies = sum(1 for _, claim in people[1:] if not claim)
    return people[0][1] if lies % 2 == 0 else not people[0][1]


TASK = Task(
    name="bbh_web_of_lies",
    source="bbh",
    split="pretrain",
    description="Follow a chain of people calling each other truthful or liars.",
    length="number of people",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "people": "the remaining people",
        "name": "the current person",
        "truthful": "whether the current person tells the truth",
        "claim": "whether the current person says the previous person tells the truth",
    },
)
