"""LeetCode 388. Longest Absolute File Path."""

from rulec.tasks.base import Task

RULE = """\
def length_longest_path(file_system):
    stack = []
    best = 0
    for line in file_system.split("\\n"):
        name = line.lstrip("\\t")
        depth = len(line) - len(name)
        while len(stack) > depth:
            stack.pop()
        if stack:
            length = stack[-1] + 1 + len(name)
        else:
            length = len(name)
        if "." in name:
            if length > best:
                best = length
        else:
            stack.append(length)
    return best
"""

LOWER = "abcdefghijklmnopqrstuvwxyz"


def _name(rng, is_file):
    base = "".join(rng.choice(LOWER) for _ in range(rng.randint(1, 6)))
    if is_file:
        return base + "." + rng.choice(["txt", "py", "ext", "md", "c", "json"])
    return base


def generate(length, rng):
    # length = number of lines (files and directories) in the file system
    file_rate = rng.uniform(0.2, 0.6)
    open_dirs = 0  # depth of the deepest directory a new entry may go into
    lines = []
    for i in range(length):
        depth = rng.randint(max(0, open_dirs - 2), open_dirs) if i else 0
        is_file = rng.random() < file_rate or (i == length - 1 and rng.random() < 0.9)
        lines.append("\t" * depth + _name(rng, is_file))
        open_dirs = depth if is_file else depth + 1
    return {"file_system": "\n".join(lines)}


def question(inputs):
    shown = inputs["file_system"].replace("\n", "\\n").replace("\t", "\\t")
    return (
        f'Given the string "{shown}" representing a file system, where "\\n" separates entries '
        'and the number of "\\t" characters before a name is its depth (an entry belongs to the '
        "closest preceding directory one level up), and names containing a '.' are files while "
        "the others are directories, return the length of the longest absolute path to a file "
        "(names joined by '/'), or 0 if there is no file."
    )


def reference(file_system):
    lines = file_system.split("\n")
    depths = [len(line) - len(line.lstrip("\t")) for line in lines]
    best = 0
    for i, line in enumerate(lines):
        name = line.lstrip("\t")
        if "." not in name:
            continue
        parts = [name]
        want = depths[i] - 1
        for j in range(i - 1, -1, -1):
            if want < 0:
                break
            if depths[j] == want:
                parts.append(lines[j].lstrip("\t"))
                want -= 1
        best = max(best, len("/".join(reversed(parts))))
    return best


TASK = Task(
    name="lc_388_longest_absolute_file_path",
    source="leetcode",
    split="pretrain",
    description="Length of the longest absolute file path in a tab-indented file system listing.",
    length="number of lines (files and directories) in the file system",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "file_system": "the file system text",
        "stack": "the path lengths of the open directories",
        "line": "the entry line",
        "name": "the entry name",
        "depth": "the entry depth",
        "length": "the path length",
        "best": "the longest file path length",
    },
)
