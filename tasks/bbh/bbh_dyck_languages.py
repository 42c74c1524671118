"""Big-Bench Hard: Dyck languages (close the open brackets of a sequence)."""

from rulec.tasks.base import Task

RULE = '''\
def complete_sequence(sequence):
    pairs = {"(": ")", "[": "]", "{": "}", "<": ">"}
    tokens = sequence.split()
    stack = []
    for token in tokens:
        if token in pairs:
            stack.append(token)
        else:
            stack.pop()
    closing = []
    while stack:
        opening = stack.pop()
        closing.append(pairs[opening])
    return " ".join(closing)
'''

PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def generate(length, rng):
    # length = number of brackets in the given sequence; at least one stays open at the end
    tokens, stack = [], []
    for i in range(length):
        last = i == length - 1
        must_open = not stack or (last and len(stack) == 1)
        if must_open or rng.random() < 0.55:
            token = rng.choice("([{<")
            stack.append(token)
            tokens.append(token)
        else:
            tokens.append(PAIRS[stack.pop()])
    return {"sequence": " ".join(tokens)}


def question(inputs):
    return (
        "Complete the rest of the sequence, making sure that the parentheses are closed "
        f"properly. Input: {inputs['sequence']}"
    )


def reference(sequence):
    s = sequence.replace(" ", "")
    previous = None
    while s != previous:  # cancel matched pairs until none is left
        previous = s
        for pair in ("()", "[]", "{}", "<>"):
            s = s.replace(pair, "")
    return " ".join(PAIRS[c] for c in reversed(s))


TASK = Task(
    name="bbh_dyck_languages",
    source="bbh",
    split="pretrain",
    description="Close the still-open brackets of a Dyck-language prefix in the right order.",
    length="number of brackets in the input sequence",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "sequence": "the input sequence",
        "pairs": "the matching closing brackets",
        "tokens": "the brackets of the sequence",
        "token": "the current bracket",
        "stack": "the stack of open brackets",
        "closing": "the closing brackets",
        "opening": "the innermost open bracket",
    },
)
