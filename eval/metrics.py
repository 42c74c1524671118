"""The paper's metrics over scored samples (§4.2-4.4): accuracy by task and length with
Wilson 95% intervals, ACC_Len30, Max_Len_90%, in- vs out-of-distribution averages, the share
of errors that are loop-count errors, and the relative loop-count error."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> list[float] | None:
    """The Wilson score interval of k successes in n trials (None for n = 0)."""
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return [max(0.0, centre - half), min(1.0, centre + half)]


def rate(k: int, n: int) -> dict[str, Any]:
    return {"value": k / n if n else None, "ci95": wilson(k, n), "k": k, "n": n}


def max_len_90(by_length: dict[int, float], threshold: float = 0.9) -> int:
    """The longest length L with accuracy >= threshold at every evaluated length <= L
    (lengths below the evaluated range count as passed; one less than the shortest
    evaluated length when that one already fails)."""
    lengths = sorted(by_length)
    best = lengths[0] - 1 if lengths else 0
    for n in lengths:
        if by_length[n] < threshold:
            break
        best = n
    return best


def summarize(samples: Iterable[dict[str, Any]], id_lengths: tuple[int, int] = (1, 5)) -> dict[str, Any]:
    samples = list(samples)
    total = sum(bool(s["correct"]) for s in samples)
    cells: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for s in samples:
        cell = cells[s["task"]][int(s["length"])]
        cell[0] += bool(s["correct"])
        cell[1] += 1
    lo, hi = id_lengths

    def split_rate(pred) -> dict[str, Any]:
        chosen = [s for s in samples if pred(int(s["length"]))]
        return rate(sum(bool(s["correct"]) for s in chosen), len(chosen))

    by_task: dict[str, Any] = {}
    for task in sorted(cells):
        lengths = cells[task]
        by_length = {n: {"accuracy": k / m, "ci95": wilson(k, m), "correct": k, "n": m}
                     for n, (k, m) in sorted(lengths.items())}
        k = sum(c[0] for c in lengths.values())
        m = sum(c[1] for c in lengths.values())
        task_samples = [s for s in samples if s["task"] == task]
        by_task[task] = {
            "accuracy": k / m, "ci95": wilson(k, m), "n": m,
            "acc_len30": by_length[30]["accuracy"] if 30 in by_length else None,
            "max_len_90": max_len_90({n: c["accuracy"] for n, c in by_length.items()}),
            "id_accuracy": _mean_acc(s for s in task_samples if lo <= int(s["length"]) <= hi),
            "ood_accuracy": _mean_acc(s for s in task_samples if not lo <= int(s["length"]) <= hi),
            "by_length": {str(n): c for n, c in by_length.items()},
        }

    wrong = [s for s in samples if not s["correct"]]
    counted = [s for s in wrong if s.get("predicted_loop_iterations") is not None
               and s.get("loop_iterations") is not None]
    loop_errors = sum(s["predicted_loop_iterations"] != s["loop_iterations"] for s in counted)
    kinds = Counter((s.get("first_divergence") or {}).get("kind", "none") for s in wrong)
    return {
        "n": len(samples),
        "accuracy": total / len(samples) if samples else None,
        "accuracy_ci95": wilson(total, len(samples)),
        "correct": total,
        "id_lengths": [lo, hi],
        "in_distribution": split_rate(lambda n: lo <= n <= hi),
        "out_of_distribution": split_rate(lambda n: not lo <= n <= hi),
        "by_task": by_task,
        "acc_len30": _mean([t["acc_len30"] for t in by_task.values()]),
        "max_len_90": _mean([t["max_len_90"] for t in by_task.values()]),
        "errors": len(wrong),
        "loop_count_errors": rate(loop_errors, len(counted)),
        "relative_loop_count_error": _relative_loop_error(samples),
        "relative_loop_count_error_wrong": _relative_loop_error(wrong),
        "divergence_kinds": dict(sorted(kinds.items())),
        "hit_budget": rate(sum(bool(s.get("hit_budget")) for s in samples), len(samples)),
    }


def _relative_loop_error(samples: list[dict[str, Any]]) -> float | None:
    """Mean |predicted - true| / true iterations (the paper's Figure 3b), over samples whose
    output could be counted and whose rule ran at least one iteration."""
    errs = [abs(s["predicted_loop_iterations"] - s["loop_iterations"]) / s["loop_iterations"]
            for s in samples
            if s.get("predicted_loop_iterations") is not None and s.get("loop_iterations")]
    return _mean(errs)


def _mean_acc(samples) -> float | None:
    values = [bool(s["correct"]) for s in samples]
    return sum(values) / len(values) if values else None


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def table(summary: dict[str, Any]) -> str:
    """The terminal table: one line per task, then the totals."""
    rows = [("task", "n", "acc", "95% CI", "ACC_Len30", "Max_Len_90%")]
    for task, t in summary["by_task"].items():
        ci = t["ci95"]
        rows.append((task, str(t["n"]), _pct(t["accuracy"]), f"{_pct(ci[0])}-{_pct(ci[1])}",
                     _pct(t["acc_len30"]), str(t["max_len_90"])))
    ci = summary["accuracy_ci95"] or [None, None]
    rows.append(("all", str(summary["n"]), _pct(summary["accuracy"]),
                 f"{_pct(ci[0])}-{_pct(ci[1])}", _pct(summary["acc_len30"]),
                 "-" if summary["max_len_90"] is None else f"{summary['max_len_90']:.1f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(len(lines) - 1, "-" * len(lines[0]))
    le = summary["loop_count_errors"]
    extra = [f"errors: {summary['errors']}"]
    if le["n"]:
        extra.append(f"loop-count errors: {le['k']}/{le['n']} ({_pct(le['value'])}, 95% CI "
                     f"{_pct(le['ci95'][0])}-{_pct(le['ci95'][1])})")
    if summary["relative_loop_count_error"] is not None:
        extra.append(f"relative loop-count error: {summary['relative_loop_count_error']:.3f}")
    extra.append(f"hit budget: {summary['hit_budget']['k']}")
    return "\n".join(lines + ["; ".join(extra)])


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"
