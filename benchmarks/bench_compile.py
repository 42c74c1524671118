"""Trace-generation throughput on the paper's D.2 rule with random 10-element lists.

Measured in one run, single process: traces per second for
  - native execution of the rule (no trace at all: the ceiling),
  - rulec code trace (run + render), and the same trace written as the rule runs (run_code),
  - rulec NL trace (run + render), and its cost relative to the code trace,
  - PySnooper tracing the same function into a string buffer (what a user would reach for),
  - plain JSON serialisation of the same rows (the I/O floor).
Figures are ratios within the run, so the noisy shared machine matters less.

    python benchmarks/bench_compile.py [--n 2000]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from pathlib import Path

from rulec.compiler import compile_file

RULE = Path(__file__).resolve().parent.parent / "examples" / "process_list.py"


def inputs(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [
        {"ywhm": [rng.randint(0, 99) for _ in range(10)], "erep": [rng.randint(0, 99) for _ in range(10)]}
        for _ in range(n)
    ]


def rate(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    items = inputs(args.n)
    source = RULE.read_text()
    env: dict = {}
    exec(source, env)
    native = env["process_list"]
    rule = compile_file(RULE)
    rule.nl_rule({}, items[0])

    def run_native(x):
        return native(list(x["ywhm"]), list(x["erep"]))

    def run_code(x):
        return rule.run(x).code()

    def run_written(x):  # the code trace alone, written as the rule runs (copies its inputs)
        return rule.run_code(x).text

    def run_nl(x):
        return rule.run(x).nl()

    def run_both(x):
        t = rule.run(x)
        return t.code(), t.nl()

    import pysnooper

    def run_snooper(x):
        buf = io.StringIO()
        traced = pysnooper.snoop(buf, color=False)(native)
        traced(list(x["ywhm"]), list(x["erep"]))
        return buf.getvalue()

    rows = [{"prompt": rule.prompt("q"), "response": rule.run(x).code(), "inputs": x} for x in items[:200]]
    rows = (rows * (len(items) // len(rows) + 1))[: len(items)]

    def serialise(row):
        sink.write(json.dumps(row) + "\n")

    sink = io.StringIO()
    results = {
        "native (no trace)": rate(run_native, items),
        "rulec code trace": rate(run_code, items),
        "rulec code trace, run_code": rate(run_written, items),
        "rulec NL trace": rate(run_nl, items),
        "rulec code + NL": rate(run_both, items),
        "PySnooper": rate(run_snooper, items[: max(50, len(items) // 10)]),
        "JSON serialise (I/O floor)": rate(serialise, rows),
    }
    code = results["rulec code trace"]
    print(f"D.2 rule, 10-element lists, {args.n} inputs, one process")
    print(f"{'what':30} {'per second':>12} {'vs code trace':>14}")
    for name, value in results.items():
        print(f"{name:30} {value:12.0f} {value / code:13.2f}x")
    print(f"code trace / PySnooper: {code / results['PySnooper']:.1f}x "
          f"(run_code: {results['rulec code trace, run_code'] / results['PySnooper']:.1f}x)")
    print(f"NL render adds: {code / results['rulec NL trace']:.2f}x the code-trace time")


if __name__ == "__main__":
    main()
