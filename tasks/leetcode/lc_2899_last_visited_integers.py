"""LeetCode 2899. Last Visited Integers."""

from rulec.tasks.base import Task

RULE = '''\
def last_visited_integers(nums):
    seen = []
    ans = []
    k = 0
    for num in nums:
        if num == -1:
            k += 1
            if k <= len(seen):
                ans.append(seen[k - 1])
            else:
                ans.append(-1)
        else:
            seen.insert(0, num)
            k = 0
    return ans
'''


def generate(length, rng):
    # length = number of elements of nums
    return {"nums": [-1 if rng.random() < 0.45 else rng.randint(1, 100) for _ in range(length)]}


def question(inputs):
    return (
        f"Given an integer array nums = {inputs['nums']} where each element is either a "
        "positive integer or -1, start with two empty arrays seen and ans and iterate over "
        "nums from the beginning. If a positive integer is encountered, prepend it to the "
        "front of seen. If -1 is encountered, let k be the number of consecutive -1s seen so "
        "far (including the current one): if k is at most the length of seen, append the "
        "k-th element of seen to ans; otherwise append -1 to ans. Return the array ans."
    )


def reference(nums):
    visited = []
    out = []
    run = 0
    for x in nums:
        if x > 0:
            visited.append(x)
            run = 0
        else:
            run += 1
            out.append(visited[-run] if run <= len(visited) else -1)
    return out


TASK = Task(
    name="lc_2899_last_visited_integers",
    source="leetcode",
    split="pretrain",
    description="For each -1, report the k-th most recently seen positive integer.",
    length="number of elements of nums",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "nums": "the array",
        "seen": "the positive integers seen, most recent first",
        "ans": "the answers",
        "k": "the number of consecutive -1s",
    },
)
