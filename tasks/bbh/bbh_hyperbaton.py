"""Big-Bench Hard: Hyperbaton (which sentence has the correct adjective order?)."""

from rulec.tasks.base import Task

RULE = '''\
def hyperbaton(option_a, option_b, categories):
    if is_ordered(option_a, categories):
        return "(A)"
    if is_ordered(option_b, categories):
        return "(B)"
    return "neither"


def is_ordered(words, categories):
    order = ["opinion", "size", "age", "shape", "color", "origin", "material", "purpose", "noun"]
    previous = 0
    for word in words:
        rank = order.index(categories[word])
        if rank < previous:
            return False
        previous = rank
    return True
'''

ORDER = ["opinion", "size", "age", "shape", "color", "origin", "material", "purpose", "noun"]
LEXICON = {
    "opinion": "lovely nice obnoxious silly terrible wonderful good awful ridiculous "
    "mysterious repulsive adorable",
    "size": "big small large little tiny enormous huge massive midsize",
    "age": "old new ancient old-fashioned brand-new archaic",
    "shape": "square circular triangular rectangular spherical prismlike pyramidal",
    "color": "red blue green yellow black white gray brown pink purple tan",
    "origin": "American Chinese Japanese Indian Mexican German Brazilian Egyptian Russian "
    "Turkish Filipino Nigerian Ethiopian Vietnamese Iranian",
    "material": "wool leather plastic glass steel paper wooden cardboard silver gold rubber "
    "cloth fiberglass iron lead",
    "purpose": "smoking hiking drinking eating walking exercise snorkeling whittling",
}
ADJECTIVES = [(w, c) for c, ws in LEXICON.items() for w in ws.split()]
NOUNS = "car ship knife sweater shoe box bicycle chair table house ball bag watch surfboard "
NOUNS += "spoon shirt cup monkey dog cat bottle umbrella lamp"
NOUNS = NOUNS.split()


def _is_ordered(words, categories):
    ranks = [ORDER.index(categories[w]) for w in words]
    return ranks == sorted(ranks)


def generate(length, rng):
    # length = number of adjectives in each option (the noun comes in addition)
    noun = rng.choice(NOUNS)
    while True:
        chosen = rng.sample(ADJECTIVES, length)
        if length == 1 or len({c for _, c in chosen}) > 1:
            break
    categories = {w: c for w, c in chosen}
    categories[noun] = "noun"
    correct = [w for w, _ in sorted(chosen, key=lambda wc: ORDER.index(wc[1]))] + [noun]
    if length == 1:
        wrong = [noun, correct[0]]  # the only wrong order with one adjective
    else:
        adjectives = correct[:-1]
        while True:
            shuffled = rng.sample(adjectives, length)
            if not _is_ordered(shuffled, categories):
                break
        wrong = shuffled + [noun]
    categories = dict(sorted(categories.items(), key=lambda kv: kv[0].lower()))
    if rng.random() < 0.5:
        return {"option_a": correct, "option_b": wrong, "categories": categories}
    return {"option_a": wrong, "option_b": correct, "categories": categories}


def question(inputs):
    return (
        "Which sentence has the correct adjective order: Options: "
        f"(A) {' '.join(inputs['option_a'])} (B) {' '.join(inputs['option_b'])}. "
        f"In short, the categories of the words are as follows: {inputs['categories']}."
    )


def reference(option_a, option_b, categories):
    if _is_ordered(option_a, categories):
        return "(A)"
    return "(B)" if _is_ordered(option_b, categories) else "neither"


TASK = Task(
    name="bbh_hyperbaton",
    source="bbh",
    split="pretrain",
    description="Pick the option whose adjectives follow the English adjective order.",
    length="number of adjectives in each option",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    function="hyperbaton",
    glossary={
        "option_a": "option (A)",
        "option_b": "option (B)",
        "categories": "the categories of the words",
        "words": "the words of the sentence",
        "word": "the current word",
        "order": "the adjective order",
        "rank": "the rank of the current word",
        "previous": "the rank of the previous word",
    },
)
