"""Big-Bench Hard: Word sorting (sort words alphabetically)."""

from rulec.tasks.base import Task

RULE = '''\
def word_sorting(words):
    result = []
    while words:
        word = words.pop(0)
        i = 0
        while i < len(result) and result[i] < word:
            i += 1
        result.insert(i, word)
    return " ".join(result)
'''

VOCABULARY = [
    "syndrome", "therefrom", "oven", "costume", "counterpart", "mutton", "fortescue", "mackinaw",
    "pamphlet", "hydrant", "cowbell", "ferrous", "sedition", "chopstick", "dissipate",
    "bituminous", "regiment", "whimsy", "albeit", "gorky", "bate", "zipper", "ellipsoid",
    "aerospace", "transcendental", "wintertime", "stoic", "lexicon", "borough", "ingot", "hemlock",
    "nautical", "quagmire", "jubilant", "kinetic", "obelisk", "paprika", "ravine", "saffron",
    "tundra", "umbrella", "vestibule", "walrus", "xylem", "yeoman", "zealot", "abbey", "bramble",
    "citadel", "dormant", "emblem", "fjord", "gazebo", "harness", "inkwell", "jasmine", "kerosene",
    "lagoon", "monsoon", "nectarine", "orchid", "parsley", "quiver", "rhubarb", "sapphire",
    "trellis", "upholster", "verdict", "wicker", "yarrow", "zenith", "anvil", "buckle", "cinder",
    "dwindle", "ember", "flannel", "granite", "hazel", "ivory", "juniper", "knapsack", "lantern",
    "mosaic", "nimble", "opal", "pinnacle", "quill", "rustic", "scarlet", "thistle", "urchin",
    "valor", "willow"
]


def generate(length, rng):
    # length = number of (distinct) words to sort
    return {"words": rng.sample(VOCABULARY, length)}


def question(inputs):
    return f"Sort the following words alphabetically: List: {' '.join(inputs['words'])}"


def reference(words):
    return " ".join(sorted(words))


TASK = Task(
    name="bbh_word_sorting",
    source="bbh",
    split="pretrain",
    description="Sort a list of words alphabetically by insertion.",
    length="number of words",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "words": "the remaining words",
        "word": "the current word",
        "result": "the sorted words so far",
        "i": "the insertion position",
    },
)
