"""`rulec eval report`: plots and tables over one or several evaluation runs.

- ``accuracy_vs_length.png``  one panel per task, accuracy vs length for every run, the
  in-distribution (training) lengths shaded (the paper's Figure 2)
- ``errors.png``              per run: the share of errors that are loop-count errors with
  its 95% interval, and the step checker's divergence kinds (Figure 3a style)
- ``shots.png``               when runs differ in shots: accuracy per task, 0-shot vs 1-shot
  (Figure 4 style)
- ``table.md`` / ``table.csv`` tasks x runs, ACC_Len30 and Max_Len_90% (Table 2 style)
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from rulec.cliutil import UserError

KINDS = ("loop", "branch", "value", "recitation", "format")


def load_run(path: Path) -> dict[str, Any]:
    try:
        summary = json.loads((path / "summary.json").read_text())
    except FileNotFoundError:
        raise UserError(f"{path} holds no summary.json (run `rulec eval run -o {path}` first)") from None
    except (OSError, json.JSONDecodeError) as e:
        raise UserError(f"cannot read {path / 'summary.json'}: {e}") from None
    shots = set()
    samples = path / "samples.jsonl"
    if samples.exists():
        with open(samples, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    try:
                        shots.add(json.loads(line).get("shots", 0))
                    except json.JSONDecodeError:
                        break
    summary["_shots"] = sorted(shots) or [0]
    return summary


def make_report(runs: list[Path], out: Path, labels: list[str] | None = None) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    summaries = [load_run(p) for p in runs]
    names = labels or _unique_names(runs)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _accuracy_plot(summaries, names, out / "accuracy_vs_length.png"),
        _errors_plot(summaries, names, out / "errors.png"),
    ]
    if len({tuple(s["_shots"]) for s in summaries}) > 1:
        written.append(_shots_plot(summaries, names, out / "shots.png"))
    md, rows = table2(summaries, names)
    written.append(_write_text(out / "table.md", md))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    written.append(_write_text(out / "table.csv", buf.getvalue()))
    return written


def table2(summaries: list[dict], names: list[str]) -> tuple[str, list[list[str]]]:
    """Tasks x runs with ACC_Len30 and Max_Len_90% (Markdown and CSV rows)."""
    tasks = sorted({t for s in summaries for t in s["by_task"]})
    header = ["task"] + [f"{n} {m}" for n in names for m in ("ACC_Len30", "Max_Len_90%")]
    rows = [header]
    for task in tasks:
        row = [task]
        for s in summaries:
            t = s["by_task"].get(task)
            row += [_pct(t and t["acc_len30"]), "-" if not t else str(t["max_len_90"])]
        rows.append(row)
    avg = ["average"]
    for s in summaries:
        avg += [_pct(s.get("acc_len30")), "-" if s.get("max_len_90") is None else f"{s['max_len_90']:.1f}"]
    rows.append(avg)
    md = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    md += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(md) + "\n", rows


def _accuracy_plot(summaries, names, path: Path) -> Path:
    import matplotlib.pyplot as plt

    tasks = sorted({t for s in summaries for t in s["by_task"]})
    cols = min(4, len(tasks))
    rows = math.ceil(len(tasks) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3 * rows), squeeze=False)
    for ax, task in zip(axes.flat, tasks):
        lo, hi = summaries[0].get("id_lengths", [1, 5])
        ax.axvspan(lo - 0.5, hi + 0.5, color="0.9", label="in-distribution")
        for s, name in zip(summaries, names):
            t = s["by_task"].get(task)
            if not t:
                continue
            xs = sorted(int(n) for n in t["by_length"])
            ys = [t["by_length"][str(n)]["accuracy"] for n in xs]
            ax.plot(xs, ys, marker="o", markersize=3, label=name)
        ax.set_title(task, fontsize=9)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("length")
        ax.set_ylabel("accuracy")
    for ax in list(axes.flat)[len(tasks):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def _errors_plot(summaries, names, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.5))
    shares, lows, highs = [], [], []
    for s in summaries:
        le = s["loop_count_errors"]
        v = le["value"] or 0.0
        ci = le["ci95"] or [v, v]
        shares.append(v)
        lows.append(v - ci[0])
        highs.append(ci[1] - v)
    x = range(len(names))
    a.bar(x, shares, yerr=[lows, highs], capsize=4, color="tab:red", label="loop errors")
    a.bar(x, [1 - v for v in shares], bottom=shares, color="tab:gray", alpha=0.5, label="non-loop errors")
    a.set_xticks(list(x), names, rotation=20)
    a.set_ylabel("share of errors")
    a.set_title("loop-count errors (95% CI)")
    a.legend(fontsize=7)
    width = 0.8 / max(1, len(summaries))
    for i, (s, name) in enumerate(zip(summaries, names)):
        kinds = s.get("divergence_kinds", {})
        total = max(1, s.get("errors", 0))
        b.bar([k + i * width for k in range(len(KINDS))], [kinds.get(k, 0) / total for k in KINDS],
              width=width, label=name)
    b.set_xticks([k + width * (len(summaries) - 1) / 2 for k in range(len(KINDS))], KINDS)
    b.set_ylabel("share of errors")
    b.set_title("first divergence (step checker)")
    b.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def _shots_plot(summaries, names, path: Path) -> Path:
    import matplotlib.pyplot as plt

    tasks = sorted({t for s in summaries for t in s["by_task"]})
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(tasks)), 3.5))
    width = 0.8 / len(summaries)
    for i, (s, name) in enumerate(zip(summaries, names)):
        ys = [s["by_task"].get(t, {}).get("accuracy") or 0 for t in tasks]
        label = f"{name} ({'/'.join(map(str, s['_shots']))}-shot)"
        ax.bar([k + i * width for k in range(len(tasks))], ys, width=width, label=label)
    ax.set_xticks([k + width * (len(summaries) - 1) / 2 for k in range(len(tasks))], tasks,
                  rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("accuracy")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp, dpi=110)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def _write_text(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _unique_names(runs: list[Path]) -> list[str]:
    names = [p.resolve().name for p in runs]
    if len(set(names)) < len(names):
        names = [str(p) for p in runs]
    return names


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.1f}"
