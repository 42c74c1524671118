"""LeetCode 682. Baseball Game."""

from rulec.tasks.base import Task

RULE = '''\
def cal_points(operations):
    record = []
    while operations:
        op = operations.pop(0)
        if op == "+":
            record.append(record[-1] + record[-2])
        elif op == "D":
            record.append(2 * record[-1])
        elif op == "C":
            record.pop()
        else:
            record.append(int(op))
    total = 0
    for score in record:
        total += score
    return total
'''


def generate(length, rng):
    # length = number of operations
    ops = []
    record = []
    for _ in range(length):
        choices = ["int", "int"]
        if record:
            choices.append("C")
            if abs(record[-1]) <= 200:
                choices.append("D")
        if len(record) >= 2 and abs(record[-1] + record[-2]) <= 400:
            choices.append("+")
        kind = rng.choice(choices)
        if kind == "int":
            value = rng.randint(-30, 30)
            ops.append(str(value))
            record.append(value)
        elif kind == "C":
            ops.append("C")
            record.pop()
        elif kind == "D":
            ops.append("D")
            record.append(2 * record[-1])
        else:
            ops.append("+")
            record.append(record[-1] + record[-2])
    return {"operations": ops}


def question(inputs):
    return (
        "You are keeping the scores for a baseball game with strange rules. Starting with an "
        "empty record, apply the operations in order: an integer x records a new score of x; "
        "'+' records a new score that is the sum of the previous two scores; 'D' records a new "
        "score that is double the previous score; 'C' invalidates the previous score, removing "
        "it from the record. Return the sum of all the scores on the record after applying all "
        f"the operations. operations = {inputs['operations']}"
    )


def reference(operations):
    stack = []
    for op in operations:
        if op == "+":
            stack.append(stack[-1] + stack[-2])
        elif op == "D":
            stack.append(stack[-1] * 2)
        elif op == "C":
            stack.pop()
        else:
            stack.append(int(op))
    return sum(stack)


TASK = Task(
    name="lc_682_baseball_game",
    source="leetcode",
    split="pretrain",
    description="Apply baseball score operations (+, D, C, integers) and sum the record.",
    length="number of operations",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"operations": "the remaining operations", "record": "the score record",
              "op": "the current operation", "total": "the total score"},
)
