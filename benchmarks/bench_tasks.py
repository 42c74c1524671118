"""Benchmark `rulec tasks gen`: rows/s, peak memory, and the I/O floor.

    python benchmarks/bench_tasks.py [--per-length 20] [--workers 2] [--format rfft]

Generates a slice of the paper-pretrain corpus (all 76 RF-pretraining tasks x
lengths 1-15 x ``--per-length``) in a fresh subprocess, so its peak RSS (main
process and the largest worker) is its own; repeats it at twice the size to show
that memory does not grow with the corpus; extrapolates the rate to the full
corpus (76 x 15 x 300 = 342,000 rows); and compares with the I/O floor: the time
to ``json.dumps`` the same rows and write them to disk, with nothing generated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL_ROWS = 76 * 15 * 300

CHILD = r"""
import json, resource, sys, time
from rulec.tasks.generate import GenConfig, generate
from rulec.tasks.presets import PRESETS
from rulec.tasks.registry import all_tasks
per_length, workers, fmt, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
p = PRESETS["paper-pretrain"]
tasks = tuple(t.name for t in all_tasks() if t.split == p.split)
cfg = GenConfig(tasks, p.lengths, per_length, format=fmt)
t0 = time.perf_counter()
result = generate(cfg, out, workers=workers, progress=False)
wall = time.perf_counter() - t0
rss = lambda who: resource.getrusage(who).ru_maxrss / 1024
print(json.dumps({"rows": result.manifest["rows"], "dropped": result.manifest["dropped_total"],
                  "wall": wall, "rss_main": rss(resource.RUSAGE_SELF),
                  "rss_worker": rss(resource.RUSAGE_CHILDREN)}))
"""


def run_slice(per_length: int, workers: int, fmt: str, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(per_length), str(workers), fmt, str(out)],
        check=True, capture_output=True, text=True,
    )
    stats = json.loads(proc.stdout.strip().split("\n")[-1])
    stats["bytes"] = sum(p.stat().st_size for p in out.glob("*.jsonl"))
    return stats


def io_floor(out: Path, dst: Path) -> float:
    """Seconds to json.dumps every row of ``out`` and write it (rows loaded beforehand, per shard)."""
    from rulec.io import dumps

    total = 0.0
    with open(dst, "w", encoding="utf-8") as f:
        for shard in sorted(out.glob("*.jsonl")):
            rows = [json.loads(line) for line in shard.read_text(encoding="utf-8").splitlines()]
            t0 = time.perf_counter()
            f.write("\n".join(dumps(r) for r in rows) + "\n")
            f.flush()
            total += time.perf_counter() - t0
        t0 = time.perf_counter()
        os.fsync(f.fileno())
        total += time.perf_counter() - t0
    return total


def fmt_time(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d} min"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-length", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--format", default="rfft")
    ap.add_argument("--no-memory-check", action="store_true", help="skip the 2x slice")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_tasks_") as tmp:
        tmp_path = Path(tmp)
        a = run_slice(args.per_length, args.workers, args.format, tmp_path / "a")
        floor = io_floor(tmp_path / "a", tmp_path / "floor.jsonl")
        b = None
        if not args.no_memory_check:
            b = run_slice(2 * args.per_length, args.workers, args.format, tmp_path / "b")

    rate = a["rows"] / a["wall"]
    floor_rate = a["rows"] / floor
    per_row_bytes = a["bytes"] / max(a["rows"], 1)
    table = [
        ("slice", f"76 tasks x lengths 1-15 x {args.per_length}, {args.format}, {args.workers} workers"),
        ("rows written (dropped)", f"{a['rows']:,} ({a['dropped']})"),
        ("wall time", f"{a['wall']:.1f} s"),
        ("rows/s", f"{rate:,.0f}"),
        ("MB written (avg row)", f"{a['bytes'] / 1e6:,.0f} MB ({per_row_bytes / 1e3:.1f} kB)"),
        ("peak RSS main / worker", f"{a['rss_main']:.0f} / {a['rss_worker']:.0f} MB"),
        ("I/O floor (dumps+write) rows/s", f"{floor_rate:,.0f}"),
        ("generation / I/O floor time", f"{floor_rate / rate:.1f}x"),
        (f"full paper-pretrain ({FULL_ROWS:,} rows)", f"{fmt_time(FULL_ROWS / rate)} (extrapolated at this rate)"),
        ("  its I/O floor", fmt_time(FULL_ROWS / floor_rate)),
        ("  its size on disk", f"{FULL_ROWS * per_row_bytes / 1e9:.1f} GB"),
    ]
    if b is not None:
        table.append((f"2x slice ({b['rows']:,} rows): rows/s", f"{b['rows'] / b['wall']:,.0f}"))
        marginal = (b["rows"] - a["rows"]) / max(b["wall"] - a["wall"], 1e-9)
        startup = max(a["wall"] - a["rows"] / marginal, 0.0)
        table.append(("marginal rows/s (start-up excluded)", f"{marginal:,.0f} (start-up {startup:.1f} s)"))
        table.append(("  full paper-pretrain at that rate", fmt_time(startup + FULL_ROWS / marginal)))
        table.append(("2x slice: peak RSS main / worker", f"{b['rss_main']:.0f} / {b['rss_worker']:.0f} MB"))
    width = max(len(k) for k, _ in table)
    for k, v in table:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
