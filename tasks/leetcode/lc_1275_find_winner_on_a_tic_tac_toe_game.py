"""LeetCode 1275. Find Winner on a Tic Tac Toe Game (generalised to an n x n grid)."""

from rulec.tasks.base import Task

RULE = """\
def tictactoe(moves, n):
    rows = [0] * n
    cols = [0] * n
    diagonal = 0
    anti_diagonal = 0
    player = 1
    for move in moves:
        row, col = move
        rows[row] += player
        cols[col] += player
        if row == col:
            diagonal += player
        if row + col == n - 1:
            anti_diagonal += player
        if abs(rows[row]) == n or abs(cols[col]) == n or abs(diagonal) == n or abs(anti_diagonal) == n:
            if player == 1:
                return "A"
            return "B"
        player = -player
    if len(moves) == n * n:
        return "Draw"
    return "Pending"
"""


def _lines(n):
    lines = [[(r, c) for c in range(n)] for r in range(n)]
    lines += [[(r, c) for r in range(n)] for c in range(n)]
    lines.append([(i, i) for i in range(n)])
    lines.append([(i, n - 1 - i) for i in range(n)])
    return lines


def _first_win(moves, n):
    """Index of the move that completes a line, or None."""
    owned = [set(), set()]
    lines = _lines(n)
    for i, (r, c) in enumerate(moves):
        owned[i % 2].add((r, c))
        if any(all(cell in owned[i % 2] for cell in line) for line in lines):
            return i
    return None


def generate(length, rng):
    # length = number of moves; the grid is 3 x 3 up to 9 moves, else the smallest n x n that fits
    n = 3
    while n * n < length:
        n += 1
    cells = [(r, c) for r in range(n) for c in range(n)]
    counts = [(length + 1) // 2, length // 2]
    last = (length - 1) % 2
    want_win = rng.random() < 0.5 and counts[last] >= n
    moves = None
    for attempt in range(2000):
        if want_win and attempt < 1000:
            line = rng.choice(_lines(n))
            others = [cell for cell in cells if cell not in line]
            rng.shuffle(others)
            extra = counts[last] - n
            mine_rest = list(line) + others[:extra]
            final = rng.choice(line)
            mine_rest.remove(final)
            rng.shuffle(mine_rest)
            mine = mine_rest + [final]
            theirs = others[extra : extra + counts[1 - last]]
            sequences = [mine, theirs] if last == 0 else [theirs, mine]
            candidate = [sequences[i % 2][i // 2] for i in range(length)]
            if _first_win(candidate, n) == length - 1:
                moves = candidate
                break
        else:
            order = cells[:]
            rng.shuffle(order)
            candidate = order[:length]
            if _first_win(candidate, n) is None:
                moves = candidate
                break
    return {"moves": [[r, c] for r, c in moves], "n": n}


def question(inputs):
    n = inputs["n"]
    return (
        f"Two players A and B play tic-tac-toe on a {n} x {n} grid. A always moves first and "
        "places 'X', B places 'O', and they alternate; a player wins as soon as they fill a "
        "whole row, a whole column or one of the two diagonals, and the game then ends. "
        f"Given the moves {inputs['moves']} (each move is [row, column]), return the winner "
        "'A' or 'B' if there is one, 'Draw' if the grid is full without a winner, and "
        "'Pending' otherwise."
    )


def reference(moves, n):
    grid = [[None] * n for _ in range(n)]
    for i, (r, c) in enumerate(moves):
        grid[r][c] = "AB"[i % 2]
    lines = [grid[r] for r in range(n)]
    lines += [[grid[r][c] for r in range(n)] for c in range(n)]
    lines.append([grid[i][i] for i in range(n)])
    lines.append([grid[i][n - 1 - i] for i in range(n)])
    for line in lines:
        if line[0] is not None and all(x == line[0] for x in line):
            return line[0]
    return "Draw" if len(moves) == n * n else "Pending"


TASK = Task(
    name="lc_1275_find_winner_on_a_tic_tac_toe_game",
    source="leetcode",
    split="pretrain",
    description="Find the winner of a tic-tac-toe game (A, B, Draw or Pending) from its moves.",
    length="number of moves (grid 3 x 3 up to 9 moves, else the smallest n x n with n*n >= moves)",
    rule=RULE,
    generate=generate,
    question=question,
    reference=reference,
    glossary={
        "moves": "the moves",
        "n": "the grid size",
        "rows": "the row sums",
        "cols": "the column sums",
        "diagonal": "the diagonal sum",
        "anti_diagonal": "the anti-diagonal sum",
        "player": "the current player (1 for A, -1 for B)",
    },
)
