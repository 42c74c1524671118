"""NL trace length vs code trace length, and nlcheck findings, over the registered tasks.

    python benchmarks/nl_length.py [--length 10] [--per-task 3] [--check 1,10,30]

For every task, ``--per-task`` instances of ``--length`` are rendered in the ``rfft``
and ``rfft_nl`` formats (exactly the responses the trainer reads); the ratio of the NL
response's characters to the code response's is reported per task (the mean over its
instances) and as a distribution over tasks. With ``--check``, every NL rule and NL
trace at the given lengths is run through ``nlcheck.python_syntax_in`` and the findings
are counted (lines, tasks, the most common snippets).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter

from rulec.compiler.nlcheck import python_syntax_in, without_answer
from rulec.tasks import all_tasks
from rulec.tasks.formats import compiled, nl_rule_text, render


def quantiles(xs: list[float]) -> str:
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return (f"min {xs[0]:.2f}  q1 {q[0]:.2f}  median {q[1]:.2f}  q3 {q[2]:.2f}  "
            f"max {xs[-1]:.2f}  (n={len(xs)})")


def ratios(length: int, per_task: int, verbose: bool) -> dict[str, float]:
    out = {}
    for task in all_tasks():
        rule = compiled(task)
        rs = []
        for i in range(per_task):
            inputs = task.generate(length, random.Random(f"nl-length/{task.name}/{length}/{i}"))
            code = render(task, rule, inputs, "rfft", 0)[1]
            nl = render(task, rule, inputs, "rfft_nl", 0)[1]
            rs.append(len(nl) / len(code))
        out[task.name] = statistics.mean(rs)
        if verbose:
            print(f"  {task.name:45s} {out[task.name]:.2f}", file=sys.stderr)
    return out


def check(lengths: list[int], per_task: int) -> tuple[int, int, set[str], Counter]:
    """(texts checked, texts with findings, tasks with findings, snippet counts)."""
    texts = bad = 0
    tasks: set[str] = set()
    snippets: Counter = Counter()
    for task in all_tasks():
        rule = compiled(task)
        found = python_syntax_in(nl_rule_text(task, rule))
        texts += 1
        for length in lengths:
            for i in range(per_task):
                inputs = task.generate(length, random.Random(f"nlcheck/{task.name}/{length}/{i}"))
                response = render(task, rule, inputs, "rfft_nl", 0)[1]
                found += python_syntax_in(without_answer(response))
                texts += 1
        if found:
            bad += 1
            tasks.add(task.name)
            snippets.update(found)
    return texts, bad, tasks, snippets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--length", type=int, default=10)
    ap.add_argument("--per-task", type=int, default=3)
    ap.add_argument("--check", default="", help="comma-separated lengths to run nlcheck on")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    r = ratios(args.length, args.per_task, args.verbose)
    print(f"NL/code trace characters at length {args.length} over {len(r)} tasks: {quantiles(list(r.values()))}")
    worst = sorted(r.items(), key=lambda kv: -kv[1])[:5]
    print("  highest: " + ", ".join(f"{k} {v:.2f}" for k, v in worst))
    if args.check:
        lengths = [int(x) for x in args.check.split(",")]
        texts, bad, tasks, snippets = check(lengths, 1)
        print(f"nlcheck at lengths {lengths}: {len(tasks)} tasks with findings; "
              f"{sum(snippets.values())} distinct snippets per task summed")
        for s, n in snippets.most_common(25):
            print(f"  {n:4d}  {s!r}")
        if tasks:
            print("  tasks: " + ", ".join(sorted(tasks)))
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
