"""Big-Bench Hard: Boolean expressions (evaluate not/and/or with parentheses)."""

from rulec.tasks.base import Task

RULE = '''\
def evaluate(expression):
    tokens = expression.split()
    stack = []
    result = False
    term = True
    negate = False
    for token in tokens:
        if token == "not":
            negate = not negate
        elif token == "and":
            pass
        elif token == "or":
            result = result or term
            term = True
        elif token == "(":
            stack.append([result, term, negate])
            result = False
            term = True
            negate = False
        else:
            if token == ")":
                value = result or term
                result, term, negate = stack.pop()
            else:
                value = token == "True"
            if negate:
                value = not value
                negate = False
            term = term and value
    return result or term
'''


def _expr(n, rng):
    """Token list of an expression with exactly n operators and operands."""
    if n == 1:
        return [rng.choice(["True", "False"])]
    if n == 2 or rng.random() < 0.2:
        return ["not"] + _wrap(_expr(n - 1, rng), rng)
    left = rng.randint(1, n - 2)
    right = n - 1 - left
    op = rng.choice(["and", "or"])
    return _wrap(_expr(left, rng), rng) + [op] + _wrap(_expr(right, rng), rng)


def _wrap(tokens, rng):
    if len(tokens) > 1 and rng.random() < 0.4:
        return ["("] + tokens + [")"]
    return tokens


def generate(length, rng):
    # length = number of operators and operands (True, False, not, and, or; not parentheses)
    want = rng.random() < 0.5
    for _ in range(100):
        expression = " ".join(_expr(length, rng))
        if reference(expression) == want:
            break
    return {"expression": expression}


def question(inputs):
    return f"Evaluate the result of a random Boolean expression. {inputs['expression']} is"


def reference(expression):
    tokens = expression.split()
    allowed = {"True", "False", "not", "and", "or", "(", ")"}
    if not set(tokens) <= allowed:
        raise ValueError("unexpected token")
    return bool(eval(" ".join(tokens), {"__builtins__": {}}))


TASK = Task(
    name="bbh_boolean_expressions",
    source="bbh",
    split="pretrain",
    description="Evaluate a Boolean expression of True/False with not, and, or and parentheses.",
    length="number of operators and operands (parentheses not counted)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "expression": "the expression",
        "tokens": "the tokens of the expression",
        "token": "the current token",
        "stack": "the saved outer states",
        "result": "the value of the finished or-parts",
        "term": "the value of the current and-part",
        "negate": "whether the next value is negated",
        "value": "the current value",
    },
)
