"""LeetCode 705. Design HashSet (as a list of operations)."""

from rulec.tasks.base import Task

RULE = '''\
def my_hash_set(operations):
    size = 7
    buckets = [[] for _ in range(size)]
    results = []
    while operations:
        op, key = operations.pop(0)
        bucket = buckets[key % size]
        if op == "add":
            if key not in bucket:
                bucket.append(key)
        elif op == "remove":
            if key in bucket:
                bucket.remove(key)
        else:
            results.append(key in bucket)
    return results
'''


def generate(length, rng):
    # length = number of operations
    ops = []
    used = []
    for _ in range(length):
        op = rng.choices(["add", "remove", "contains"], weights=[4, 2.5, 3.5])[0]
        if used and rng.random() < 0.6:
            key = rng.choice(used)
        else:
            key = rng.randint(0, 20)
        if op == "add":
            used.append(key)
        ops.append([op, key])
    if all(op != "contains" for op, _ in ops):
        ops[-1][0] = "contains"
    return {"operations": ops}


def _call(op, key):
    return f"{op}({key})"


def question(inputs):
    calls = ", ".join(_call(op, key) for op, key in inputs["operations"])
    return (
        "Design a HashSet without using any built-in hash table libraries: add(key) inserts "
        "the value key into the HashSet; remove(key) removes the value key from the HashSet "
        "(if key does not exist, do nothing); contains(key) returns whether the value key "
        "exists in the HashSet or not. Starting with an empty HashSet, perform the operations "
        f"{calls} in order, and return the list of the results of the contains operations. "
        f"In short, the operations are as follows: {inputs['operations']}."
    )


def reference(operations):
    present = set()
    out = []
    for op, key in operations:
        if op == "add":
            present.add(key)
        elif op == "remove":
            present.discard(key)
        else:
            out.append(key in present)
    return out


TASK = Task(
    name="lc_705_design_hashset",
    source="leetcode",
    split="pretrain",
    description="Simulate a HashSet (add/remove/contains) and return the contains results.",
    length="number of operations",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={"operations": "the remaining operations", "buckets": "the hash buckets",
              "bucket": "the bucket of the key", "op": "the operation name", "key": "the key",
              "results": "the contains results", "size": "the number of buckets"},
)
