"""The golden-file helper shared by every test module that pins an output.

``pytest --regen-golden`` (or ``RULEC_REGEN_GOLDEN=1``) rewrites the file from the current
output instead of comparing; review the diff and commit it only for an intended change.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """``text`` must equal ``tests/golden/<name>`` byte for byte."""
    path = GOLDEN / name
    if os.environ.get("RULEC_REGEN_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run pytest --regen-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} drifted from the current output; if the change is intended, "
        "run pytest --regen-golden and review the diff"
    )
