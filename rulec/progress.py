"""Progress of a long job: a tqdm bar on a terminal, a plain line every 30 s otherwise
(log files get readable lines, not a redrawn bar), nothing when disabled."""

from __future__ import annotations

import os
import sys
import time

QUIET_ENV = "RULEC_QUIET"


def set_quiet() -> None:
    """``--quiet`` of a long job that runs other libraries' loops (training): no bars, no
    notes, no per-step log lines. An environment variable, so that processes the job
    starts (``accelerate launch``) are quiet too; tqdm reads ``TQDM_DISABLE`` itself."""
    os.environ[QUIET_ENV] = "1"
    os.environ["TQDM_DISABLE"] = "1"


def quiet() -> bool:
    return os.environ.get(QUIET_ENV) == "1"


def note(message: str) -> None:
    """A ``note: …`` line on stderr, unless quiet."""
    if not quiet():
        print(message, file=sys.stderr, flush=True)


class Progress:
    def __init__(self, total: int, initial: int = 0, unit: str = "rows", enabled: bool | None = True,
                 every: float = 30.0):
        """``enabled=None``: on a terminal only (the bar); True: a bar on a terminal, lines
        elsewhere; False: silent."""
        tty = sys.stderr.isatty()
        self.total, self.n, self.unit, self.every = total, initial, unit, every
        self.bar = None
        self.lines = bool(enabled) and not tty
        if enabled is not False and tty:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=initial, unit=unit, file=sys.stderr, dynamic_ncols=True,
                            smoothing=0.05)
        self.start = self.last = time.monotonic()
        self.first = initial

    def update(self, k: int = 1) -> None:
        self.n += k
        if self.bar is not None:
            self.bar.update(k)
        elif self.lines:
            now = time.monotonic()
            if now - self.last >= self.every:
                self.last = now
                rate = (self.n - self.first) / max(now - self.start, 1e-9)
                pct = 100 * self.n / self.total if self.total else 100
                print(f"progress: {self.n:,} / {self.total:,} {self.unit} ({pct:.0f}%), {rate:,.0f} {self.unit}/s",
                      file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
