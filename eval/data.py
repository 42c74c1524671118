"""The rows an evaluation runs on: a fixed data set (``--data``: JSONL, Parquet, or a
directory of shards written by ``rulec tasks gen`` / ``rulec synth``), or a test set generated
from the task registry with a seed by the same library ``rulec tasks gen`` uses, written to
``OUT/data`` so it can be reused (and regenerating it is a no-op)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.cliutil import UserError


@dataclass(frozen=True)
class EvalSetSpec:
    """What to generate (the paper's test set: lengths 6-30, 100 per length, rfft)."""

    tasks: tuple[str, ...]
    lengths: tuple[int, ...] = tuple(range(6, 31))
    per_length: int = 100
    format: str = "rfft"
    shots: int = 0
    seed: int = 0


def select_tasks(text: str) -> tuple[str, ...]:
    """``adapt`` / ``pretrain`` / ``all`` or comma-separated task names (checked)."""
    from rulec.tasks.registry import UnknownTaskError, all_tasks, get_task

    text = text.strip()
    if text in ("adapt", "pretrain"):
        return tuple(t.name for t in all_tasks() if t.split == text)
    if text == "all":
        return tuple(t.name for t in all_tasks())
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    if not names:
        raise UserError("--tasks: no task given")
    for name in names:
        try:
            get_task(name)
        except UnknownTaskError as e:
            raise UserError(str(e)) from None
    return tuple(dict.fromkeys(names))


def generate_test_set(spec: EvalSetSpec, out_dir: Path) -> Path:
    """Write the test set to ``out_dir`` (resumes, or reuses a complete one)."""
    from rulec.tasks.generate import GenConfig, GenerateError, generate, read_manifest

    cfg = GenConfig(tasks=spec.tasks, lengths=spec.lengths, per_length=spec.per_length,
                    format=spec.format, shots=spec.shots, seed=spec.seed)
    try:
        old = read_manifest(out_dir) if out_dir.is_dir() else None
        if old and old.get("complete") and old.get("config") == cfg.as_dict():
            return out_dir
        generate(cfg, out_dir, resume=old is not None, progress=False)
    except GenerateError as e:
        raise UserError(f"test set: {e}") from None
    return out_dir


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """All rows of a data file or directory; a one-line error if missing, unreadable or empty."""
    from rulec.io import load_rows as read_all

    p = Path(path)
    rows = read_all(p)
    missing = [k for k in ("id", "task", "answer") if k not in rows[0]]
    if missing or ("response" not in rows[0] and "messages" not in rows[0]):
        raise UserError(f"{p}: rows lack {', '.join(missing) or 'response'}; "
                        "expected rows written by rulec tasks gen or rulec synth")
    seen: set[str] = set()
    for row in rows:
        if row["id"] in seen:
            raise UserError(f"{p}: the sample id {row['id']!r} occurs twice")
        seen.add(row["id"])
    return rows


def manifest_of(path: str | Path) -> dict[str, Any] | None:
    p = Path(path)
    m = (p if p.is_dir() else p.parent) / "manifest.json"
    try:
        data = json.loads(m.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    return {k: data.get(k) for k in ("created_by", "config", "rulec_version", "complete") if k in data}
