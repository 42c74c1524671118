"""LeetCode 2418. Sort the People."""

from rulec.tasks.base import Task

RULE = '''\
def sort_people(names, heights):
    height_to_name = {}
    for i in range(len(names)):
        height_to_name[heights[i]] = names[i]
    result = []
    for height in sorted(heights, reverse=True):
        result.append(height_to_name[height])
    return result
'''

NAMES = [
    "Mary", "John", "Emma", "Bob", "Alice", "Tom", "Lucy", "Jack", "Sara", "Mike", "Anna",
    "Paul", "Lily", "Mark", "Nina", "Leo", "Kate", "Ryan", "Zoe", "Adam", "Eva", "Sam", "Mia",
    "Dan", "Ivy", "Max", "Rose", "Ben", "Ella", "Ian", "Jane", "Carl", "Owen", "Ruth", "Hugo",
]


def generate(length, rng):
    # length = number of people
    return {
        "names": [rng.choice(NAMES) for _ in range(length)],
        "heights": rng.sample(range(140, 200), length),
    }


def question(inputs):
    return (
        f"You are given an array of strings names = {inputs['names']} and an array heights = "
        f"{inputs['heights']} of distinct positive integers, both of the same length. For "
        "each index i, names[i] and heights[i] denote the name and height of the i-th person. "
        "Return names sorted in descending order by the people's heights."
    )


def reference(names, heights):
    order = sorted(range(len(names)), key=lambda i: -heights[i])
    return [names[i] for i in order]


TASK = Task(
    name="lc_2418_sort_the_people",
    source="leetcode",
    split="pretrain",
    description="Sort people's names by their heights in descending order.",
    length="number of people",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "names": "the names",
        "heights": "the heights",
        "height_to_name": "the name of each height",
        "result": "the sorted names",
    },
)
