"""Big-Bench Hard: Object counting (how many items of a kind do I have?)."""

from rulec.tasks.base import Task

RULE = '''\
def object_counting(items, category):
    total = 0
    while items:
        item = items.pop(0)
        if item[2] == category:
            total += item[1]
    return total
'''

LEXICON = {
    "musical instrument": "piano flute trumpet violin drum clarinet trombone accordion cello "
    "saxophone",
    "fruit": "apple banana peach plum grape orange strawberry nectarine raspberry blackberry",
    "vegetable": "carrot onion potato cabbage yam cauliflower eggplant turnip radish cucumber",
    "animal": "cat dog rabbit goat cow pig chicken duck fish mouse snake frog donkey snail",
    "object": "chair table bed couch lamp microwave oven toaster stove car fridge",
}
PLURAL_CATEGORY = {
    "musical instrument": "musical instruments",
    "fruit": "fruits",
    "vegetable": "vegetables",
    "animal": "animals",
    "object": "objects",
}
IRREGULAR = {"fish": "fish", "mouse": "mice", "strawberry": "strawberries",
             "raspberry": "raspberries", "blackberry": "blackberries", "potato": "potatoes",
             "radish": "radishes", "peach": "peaches", "couch": "couches"}
NUMBERS = {2: "two", 3: "three", 4: "four"}


def _phrase(name, count):
    if count == 1:
        return ("an " if name[0] in "aeiou" else "a ") + name
    return NUMBERS[count] + " " + IRREGULAR.get(name, name + "s")


def generate(length, rng):
    # length = number of items (distinct names, each with a quantity 1-4)
    category = rng.choice(list(LEXICON))
    targets = LEXICON[category].split()
    others = [w for c, ws in LEXICON.items() if c != category for w in ws.split()]
    n_target = min(len(targets), max(1, round(length * rng.uniform(0.4, 0.8))))
    n_other = length - n_target
    chosen = [[w, category] for w in rng.sample(targets, n_target)]
    kinds = {w: c for c, ws in LEXICON.items() for w in ws.split()}
    chosen += [[w, kinds[w]] for w in rng.sample(others, n_other)]
    rng.shuffle(chosen)
    items = [[w, rng.choice([1, 1, 1, 2, 3, 4]), c] for w, c in chosen]
    return {"items": items, "category": category}


def question(inputs):
    phrases = [_phrase(name, count) for name, count, _ in inputs["items"]]
    if len(phrases) == 1:
        listing = phrases[0]
    elif len(phrases) == 2:
        listing = phrases[0] + " and " + phrases[1]
    else:
        listing = ", ".join(phrases[:-1]) + ", and " + phrases[-1]
    return (
        f"I have {listing}. How many {PLURAL_CATEGORY[inputs['category']]} do I have? "
        f"In short, the items (name, quantity, kind) are as follows: {inputs['items']}."
    )


def reference(items, category):
    return sum(count for _, count, kind in items if kind == category)


TASK = Task(
    name="bbh_object_counting",
    source="bbh",
    split="pretrain",
    description="Count how many items of a given kind are in a list with quantities.",
    length="number of items (names) listed",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "items": "the remaining items",
        "item": "the current item",
        "category": "the asked kind",
        "total": "the count",
    },
)
