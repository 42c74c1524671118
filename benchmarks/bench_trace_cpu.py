"""Code-trace throughput in CPU seconds (not wall time), for comparing two checkouts on a
busy machine: wall-clock rates move with other jobs' load, a process's CPU time much less.
Run it alternately from each checkout's environment and compare the means.

    python benchmarks/bench_trace_cpu.py [--n 3000] [--label NAME]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from rulec.compiler import compile_file

RULE = Path(__file__).resolve().parent.parent / "examples" / "process_list.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--label", default="this checkout")
    args = parser.parse_args()
    rule = compile_file(RULE)
    rng = random.Random(0)
    items = [
        {"ywhm": [rng.randint(0, 99) for _ in range(10)], "erep": [rng.randint(0, 99) for _ in range(10)]}
        for _ in range(args.n)
    ]
    for x in items[:200]:  # warm up
        rule.run(x).code()
    start = time.process_time()
    for x in items:
        rule.run(x).code()
    rate = len(items) / (time.process_time() - start)
    print(f"{args.label}: {rate:.0f} code traces per CPU second")


if __name__ == "__main__":
    main()
