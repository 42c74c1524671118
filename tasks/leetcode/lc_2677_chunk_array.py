"""LeetCode 2677. Chunk Array."""

from rulec.tasks.base import Task

RULE = '''\
def chunk(arr, size):
    result = []
    current = []
    while arr:
        current.append(arr.pop(0))
        if len(current) == size:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result
'''


def generate(length, rng):
    # length = number of elements of arr; the chunk size is between 1 and length + 1
    arr = [rng.randint(0, 99) for _ in range(length)]
    size = rng.randint(1, min(length + 1, 8))
    return {"arr": arr, "size": size}


def question(inputs):
    return (
        f"Given an array arr = {inputs['arr']} and a chunk size size = {inputs['size']}, "
        "return a chunked array: it contains the original elements of arr in order, split into "
        "subarrays of length size; the last subarray may be shorter if the length of arr is not "
        "evenly divisible by size."
    )


def reference(arr, size):
    return [arr[i : i + size] for i in range(0, len(arr), size)]


TASK = Task(
    name="lc_2677_chunk_array",
    source="leetcode",
    split="adapt",
    description="Split an array into consecutive subarrays of a given size.",
    length="number of elements of arr",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "arr": "the remaining elements",
        "size": "the chunk size",
        "result": "the list of chunks",
        "current": "the current chunk",
    },
)
