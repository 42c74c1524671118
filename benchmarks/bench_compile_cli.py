"""End to end: `rulec compile RULE --args-file INPUTS --json` vs PySnooper, in one run.

The command line is timed as a user runs it (a fresh process: start-up, reading the
inputs, the worker behind the process wall, JSON out to a file); PySnooper traces the
same function on the same inputs into a string buffer in this process (what a user
would reach for). The ratio of the two rates is the figure; both come from one run.

    python benchmarks/bench_compile_cli.py [--n 4000 20000] [--repeat 3]

For each N it prints the end-to-end rate (start-up included) and, from the smallest and
largest N, the start-up time and the steady rate once the workers are warm.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULE = Path(__file__).resolve().parent.parent / "examples" / "process_list.py"


def inputs(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [
        {"ywhm": [rng.randint(0, 99) for _ in range(10)], "erep": [rng.randint(0, 99) for _ in range(10)]}
        for _ in range(n)
    ]


def cli_seconds(items: list[dict], extra: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("".join(json.dumps(x) + "\n" for x in items))
        out = Path(tmp) / "out.jsonl"
        cmd = [sys.executable, "-m", "rulec", "compile", str(RULE), "--args-file", str(path), *extra]
        start = time.perf_counter()
        with open(out, "w") as sink:
            subprocess.run(cmd, check=True, stdout=sink)
        wall = time.perf_counter() - start
        assert sum(1 for _ in open(out)) == len(items)
    return wall


def snooper_rate(items: list[dict]) -> float:
    import pysnooper

    env: dict = {}
    exec(RULE.read_text(), env)
    native = env["process_list"]
    start = time.perf_counter()
    for x in items:
        buf = io.StringIO()
        pysnooper.snoop(buf, color=False)(native)(list(x["ywhm"]), list(x["erep"]))
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[4000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extra", nargs="*", default=["--json"], help="rulec compile options")
    args = parser.parse_args()
    sizes = sorted(args.n)
    items = inputs(sizes[-1])
    wall: dict[int, list[float]] = {n: [] for n in sizes}
    snoop = []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        for n in sizes:
            wall[n].append(cli_seconds(items[:n], args.extra))
        snoop.append(snooper_rate(items[:1000]))
    s = max(snoop)
    print(f"rulec compile {' '.join(args.extra)} on the D.2 rule, end to end (best of {args.repeat}; "
          f"PySnooper {s:.0f} traces/s in the same run)")
    for n in sizes:
        c = n / min(wall[n])
        print(f"  {n:>7} inputs  {min(wall[n]):6.2f} s  {c:8.0f} traces/s  {c / s:5.1f}x PySnooper")
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        steady = (hi - lo) / (min(wall[hi]) - min(wall[lo]))
        startup = min(wall[lo]) - lo / steady
        print(f"  start-up {startup:.2f} s; warm rate {steady:.0f} traces/s = {steady / s:.1f}x PySnooper")


if __name__ == "__main__":
    main()
