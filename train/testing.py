"""Helpers for tests (the trainer's and the evaluator's): an over-fitted tiny model.

    from rulec.train.testing import overfit_rows, overfit_tiny_cached
    run = overfit_tiny_cached()         # a run directory; run/final is a full model
    rows = overfit_rows()               # the rows it reproduces exactly under greedy decoding

``overfit_tiny(out_dir, rows, steps)`` trains the tiny model (full fine-tuning, lr 2e-3
constant, batch 4) on a handful of short samples until it has memorised them; greedy
generation through the chat template then reproduces their responses exactly. The cached
variant builds it once under ``$RULEC_CACHE`` (shared by every test session that points
there) and is safe across processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path
from typing import Any

OVERFIT_TASKS = ("nupa_length_integer", "lc_2544_alternating_digit_sum")
OVERFIT_LENGTHS = "1-2"
OVERFIT_STEPS = 250


def overfit_rows() -> list[dict[str, Any]]:
    """4 short rfft rows: nupa_length_integer and lc_2544 at lengths 1 and 2, one each."""
    from rulec.train.data import generate_rows, parse_lengths

    return generate_rows(list(OVERFIT_TASKS), parse_lengths(OVERFIT_LENGTHS), 1, "rfft", 0, 0)


def overfit_config(steps: int = OVERFIT_STEPS):
    from rulec.train.config import resolve

    return resolve("tiny", "adapt", method="full", lr=2e-3, scheduler="constant",
                   warmup_ratio=0.0, steps=steps, batch_size=4, micro_batch_size=4,
                   max_length=1024, val_lengths="", patience=0, save_steps=max(steps, 1),
                   eval_steps=max(steps, 1), save_total_limit=1, logging_steps=25,
                   group_by_length=False, packing="off")


def overfit_tiny(out_dir: str | Path, rows: list[dict[str, Any]] | None = None,
                 steps: int = OVERFIT_STEPS, model: str = "tiny") -> Path:
    """Train ``model`` on ``rows`` (default :func:`overfit_rows`) for ``steps`` steps into the
    run directory ``out_dir`` (``out_dir/final`` is a full model with its tokenizer)."""
    from rulec.train.pipeline import train_stage

    rows = overfit_rows() if rows is None else rows
    manifest = {"source": "rulec.train.testing.overfit_tiny", "rows": [r.get("id") for r in rows]}
    return train_stage(model, overfit_config(steps), Path(out_dir), (rows, [], manifest),
                       overwrite=True, extra={"stage": "overfit"})


def overfit_tiny_cached(steps: int = OVERFIT_STEPS) -> Path:
    """:func:`overfit_tiny` with the default rows, built once under ``$RULEC_CACHE``."""
    from rulec.train.tiny import TinySpec, cache_dir

    rows = overfit_rows()
    key = hashlib.sha256(json.dumps([TinySpec().key(), steps, [r["id"] for r in rows],
                                     [r["response"] for r in rows]]).encode()).hexdigest()[:12]
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"overfit-{key}"
    if (path / "final" / "config.json").exists():
        return path
    with open(root / f".overfit-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / "final" / "config.json").exists():
            overfit_tiny(path, rows, steps)
    return path


def greedy(model, tokenizer, rows: list[dict[str, Any]], max_new_tokens: int = 512) -> list[str]:
    """Greedy completions of ``rows``' prompts through the chat template, one at a time."""
    import torch

    from rulec.train.chat import prompt_messages, render_prompt

    outputs = []
    for row in rows:
        text = render_prompt(tokenizer, prompt_messages(row))
        ids = tokenizer(text, return_tensors="pt", add_special_tokens=False).to(model.device)
        with torch.no_grad():
            out = model.generate(**ids, max_new_tokens=max_new_tokens, do_sample=False,
                                 eos_token_id=tokenizer.eos_token_id,
                                 pad_token_id=tokenizer.pad_token_id)
        outputs.append(tokenizer.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=True))
    return outputs
