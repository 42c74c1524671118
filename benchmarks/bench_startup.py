"""Start-up cost of the CLI: `rulec compile` on a small rule vs a bare interpreter, as a ratio
measured in one run (the machine is shared, so absolute seconds mean little).

    python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    bare = wall([sys.executable, "-c", "pass"], args.repeat)
    help_ = wall([sys.executable, "-m", "rulec", "--help"], args.repeat)
    comp = wall([sys.executable, "-m", "rulec", "compile", str(ROOT / "examples" / "add_digits.py"),
                 "--args", '{"num": 15}'], args.repeat)
    print(f"python -c pass        {bare:.3f} s")
    print(f"rulec --help          {help_:.3f} s  ({help_ / bare:.1f}x bare python)")
    print(f"rulec compile (small) {comp:.3f} s  ({comp / bare:.1f}x bare python)")


if __name__ == "__main__":
    main()
