"""`rulec synth -n N` wall time, peak memory, and the ratio to the I/O floor.

The I/O floor is the time to JSON-serialise and write the same rows (read back
from the output; the reading is not counted). Both are measured in one run.

    python benchmarks/bench_synth.py [--n 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def io_floor(path: Path, out: Path) -> float:
    spent = 0.0
    with open(path, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as sink:
        batch = []
        for line in f:
            batch.append(json.loads(line))
            if len(batch) == 256:
                t = time.perf_counter()
                sink.write("\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in batch) + "\n")
                sink.flush()
                spent += time.perf_counter() - t
                batch.clear()
        t = time.perf_counter()
        sink.write("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in batch))
        sink.flush()
        os.fsync(sink.fileno())
        spent += time.perf_counter() - t
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extra", nargs="*", default=[], help="more rulec synth options, e.g. --nl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "synth.jsonl"
        cmd = [sys.executable, "-m", "rulec", "synth", "-n", str(args.n), "-o", str(out),
               "--workers", str(args.workers), "--quiet", *args.extra]
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size_mb = out.stat().st_size / 1e6
        floor = io_floor(out, Path(tmp) / "floor.jsonl")
    print(f"rulec synth -n {args.n} --workers {args.workers} {' '.join(args.extra)}")
    print(f"  wall                {wall:8.1f} s   ({args.n / wall:,.0f} rows/s, {size_mb:,.0f} MB)")
    print(f"  peak RSS (largest)  {peak_mb:8.0f} MB  (one process: parent or a worker)")
    print(f"  I/O floor           {floor:8.1f} s   (JSON-serialise + write the same rows)")
    print(f"  ratio to the floor  {wall / floor:8.1f}x")


if __name__ == "__main__":
    main()
