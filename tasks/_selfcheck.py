"""Native self-check of task modules: python -m rulec.tasks._selfcheck [NAME ...]

Runs each task's rule natively (plain exec, no compiler) against its reference on
random instances of lengths 1-31 and checks generator determinism. Used while
writing tasks; the real test suite lives in tests/.
"""

from __future__ import annotations

import copy
import random
import sys

from rulec.tasks.registry import all_tasks


def check(task, per_length: int = 8) -> list[str]:
    problems = []
    env: dict = {}
    exec(compile(task.rule, task.name, "exec"), env)  # noqa: S102 - trusted, our own tasks
    funcs = [v for k, v in env.items() if callable(v) and not k.startswith("__")]
    fn = env[task.function] if task.function else funcs[0]
    for length in range(1, 32):
        for i in range(per_length):
            a = task.generate(length, random.Random(f"{length}-{i}"))
            b = task.generate(length, random.Random(f"{length}-{i}"))
            if a != b:
                problems.append(f"generate not deterministic at length {length}")
            q = task.question(copy.deepcopy(a))
            if not isinstance(q, str) or not q:
                problems.append("question must be a non-empty str")
            try:
                got = fn(**copy.deepcopy(a))
            except Exception as e:  # noqa: BLE001
                problems.append(f"rule raised {e!r} on {a}")
                continue
            want = task.reference(**copy.deepcopy(a))
            if got != want or type(got) is not type(want):
                problems.append(f"length {length}: rule {got!r} != reference {want!r} on {a}")
    return problems[:5]


def main(names: list[str]) -> int:
    bad = 0
    for task in all_tasks():
        if names and task.name not in names:
            continue
        problems = check(task)
        print(("FAIL " if problems else "ok   ") + task.name)
        for p in problems:
            print("     " + p)
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
