"""End to end: `rulec compile RULE --args-file INPUTS --json` vs PySnooper, in one run.

The command line is timed as a user runs it (a fresh process: start-up, reading the
inputs, the worker behind the process wall, JSON out to a file); PySnooper traces the
same function on the same inputs into a string buffer in this process (what a user
would reach for). The ratio of the two rates is the figure; both come from one run.

    python benchmarks/bench_compile_cli.py [--n 4000] [--repeat 3]
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


def cli_rate(items: list[dict], extra: list[str]) -> float:
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
    return len(items) / wall


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
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--extra", nargs="*", default=["--json"], help="rulec compile options")
    args = parser.parse_args()
    items = inputs(args.n)
    cli, snoop = [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        cli.append(cli_rate(items, args.extra))
        snoop.append(snooper_rate(items[: max(200, args.n // 10)]))
    c, s = max(cli), max(snoop)
    print(f"rulec compile {' '.join(args.extra)} on {args.n} inputs of the D.2 rule, end to end")
    print(f"  rulec (best of {args.repeat})   {c:10.0f} traces/s")
    print(f"  PySnooper (best of {args.repeat}) {s:10.0f} traces/s")
    print(f"  ratio                {c / s:10.1f}x PySnooper")


if __name__ == "__main__":
    main()
