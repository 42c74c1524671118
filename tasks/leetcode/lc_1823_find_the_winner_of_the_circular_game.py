"""LeetCode 1823. Find the Winner of the Circular Game."""

from rulec.tasks.base import Task

RULE = '''\
def find_the_winner(n, k):
    friends = list(range(1, n + 1))
    index = 0
    while len(friends) > 1:
        index = (index + k - 1) % len(friends)
        friends.pop(index)
    return friends[0]
'''


def generate(length, rng):
    # length = number of friends n
    return {"n": length, "k": rng.randint(1, length)}


def question(inputs):
    n, k = inputs["n"], inputs["k"]
    return (
        f"There {'is 1 friend' if n == 1 else f'are {n} friends'} playing a game, sitting "
        "in a circle and numbered from 1 to "
        f"{n} in clockwise order. Start at the 1st friend, count the next k = {k} friends in "
        "the clockwise direction including the friend you started at (the counting wraps "
        "around the circle). The last friend you counted leaves the circle. If there is "
        "still more than one friend, go back to counting from the friend immediately "
        "clockwise of the friend who just left. The last friend in the circle wins. Return "
        "the winner of the game."
    )


def reference(n, k):
    winner = 0
    for size in range(2, n + 1):
        winner = (winner + k) % size
    return winner + 1


TASK = Task(
    name="lc_1823_find_the_winner_of_the_circular_game",
    source="leetcode",
    split="pretrain",
    description="Josephus problem: simulate the counting-out game and return the winner.",
    length="number of friends n",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "n": "the number of friends",
        "k": "the count",
        "friends": "the friends still in the circle",
        "index": "the position to count from",
    },
)
