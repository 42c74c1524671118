"""LeetCode 2682. Find the Losers of the Circular Game."""

from rulec.tasks.base import Task

RULE = '''\
def circular_game_losers(n, k):
    visited = [False] * n
    friend = 0
    turn = 1
    while not visited[friend]:
        visited[friend] = True
        friend = (friend + turn * k) % n
        turn += 1
    losers = []
    for i in range(n):
        if not visited[i]:
            losers.append(i + 1)
    return losers
'''


def generate(length, rng):
    # length = number of friends n
    return {"n": length, "k": rng.randint(1, length)}


def question(inputs):
    n, k = inputs["n"], inputs["k"]
    return (
        f"There {'is 1 friend' if n == 1 else f'are {n} friends'} playing a game, sitting "
        "in a circle and numbered from 1 to "
        f"{n} in clockwise order. The 1st friend receives the ball first and passes it to the "
        f"friend who is k = {k} steps away in the clockwise direction; on the i-th turn, the "
        "friend holding the ball passes it to the friend who is i * k steps away in the "
        "clockwise direction. The game is finished when some friend receives the ball for "
        "the second time. The losers of the game are the friends who did not receive the "
        "ball in the entire game. Return the losers in ascending order."
    )


def reference(n, k):
    got = {1}
    pos, step = 1, 1
    while True:
        pos = (pos - 1 + step * k) % n + 1
        if pos in got:
            break
        got.add(pos)
        step += 1
    return sorted(set(range(1, n + 1)) - got)


TASK = Task(
    name="lc_2682_find_the_losers_of_the_circular_game",
    source="leetcode",
    split="pretrain",
    description="Simulate the circular ball game with growing steps and list the losers.",
    length="number of friends n",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "n": "the number of friends",
        "k": "the step size",
        "visited": "which friends received the ball",
        "friend": "the friend holding the ball (0-indexed)",
        "turn": "the turn number",
        "losers": "the losers",
    },
)
