"""Big-Bench-Hard-style: reverse a list of words."""

from rulec.tasks.base import Task

RULE = '''\
def reverse_list(items):
    result = []
    while items:
        item = items.pop()
        result.append(item)
    return result
'''

WORDS = [
    "apple", "river", "candle", "orbit", "pencil", "tiger", "window", "garden", "silver", "rocket",
    "castle", "meadow", "violin", "planet", "basket", "mirror", "forest", "ladder", "harbor",
    "lemon", "puzzle", "thunder", "marble", "anchor", "jacket", "pillow", "saddle", "trumpet",
    "wagon", "island", "carpet", "bottle", "falcon", "helmet", "lantern", "needle", "oyster",
    "pepper", "quartz", "ribbon", "shovel", "tunnel", "velvet", "walnut", "yogurt", "zebra",
    "bridge", "cactus", "dolphin", "engine", "feather", "glacier", "hammer", "igloo", "jungle",
    "kettle", "lizard", "magnet", "nectar"
]


def generate(length, rng):
    # length = number of items in the list (words may repeat)
    return {"items": [rng.choice(WORDS) for _ in range(length)]}


def question(inputs):
    return f"Reverse the order of the items in the list {inputs['items']}."


def reference(items):
    return items[::-1]


TASK = Task(
    name="bbh_reverse_list",
    source="bbh",
    split="pretrain",
    description="Reverse a list of words.",
    length="number of items in the list",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "items": "the remaining items",
        "item": "the last remaining item",
        "result": "the reversed list",
    },
)
