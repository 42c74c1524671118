"""LeetCode 1598. Crawler Log Folder."""

from rulec.tasks.base import Task

RULE = '''\
def min_operations(logs):
    depth = 0
    while logs:
        log = logs.pop(0)
        if log == "../":
            if depth > 0:
                depth -= 1
        elif log == "./":
            pass
        else:
            depth += 1
    return depth
'''


def generate(length, rng):
    # length = number of operations in logs
    logs = []
    for _ in range(length):
        r = rng.random()
        if r < 0.45:
            name = rng.choice(["d", "f", "x", "a", "b"]) + str(rng.randint(1, 9))
            logs.append(name + "/")
        elif r < 0.8:
            logs.append("../")
        else:
            logs.append("./")
    return {"logs": logs}


def question(inputs):
    return (
        "The Leetcode file system keeps a log each time some user performs a change folder "
        'operation. "../" moves to the parent folder of the current folder (if already in the '
        'main folder, it remains in the same folder), "./" remains in the same folder, and '
        '"x/" moves to the child folder named x. The file system starts in the main folder, '
        f"then the operations in logs = {inputs['logs']} are performed. Return the minimum "
        "number of operations needed to go back to the main folder after the change folder "
        "operations."
    )


def reference(logs):
    path = []
    for log in logs:
        if log == "../":
            path = path[:-1]
        elif log != "./":
            path = path + [log]
    return len(path)


TASK = Task(
    name="lc_1598_crawler_log_folder",
    source="leetcode",
    split="adapt",
    description="Track the folder depth after a list of change-folder operations.",
    length="number of operations in logs",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "logs": "the remaining operations",
        "log": "the current operation",
        "depth": "the current folder depth",
    },
)
