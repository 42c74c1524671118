"""`rulec rnr eval`: generate a model's replies to RNR rows with the evaluator's backends
(``rulec.eval.backends``: ``hf``, ``vllm``, ``openai``; the row's system turn is kept, and
``hf``/``vllm`` render it through the trainer's chat template), judge them, and compare runs
side by side.

Replies are saved per chunk to ``outputs.jsonl.partial``; an interrupted run resumes after
the replies it already has, and a finished one is reused when the model, backend, budget
and rows are the same.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.rnr.client import LLMClient, _atomic_write, progress_bar
from rulec.rnr.judge import JudgeConfig, format_summary, judge, write_judgement

BACKENDS = ("hf", "openai", "vllm")


@dataclass
class GenConfig:
    backend: str = "hf"
    max_new_tokens: int = 512
    batch_size: int = 8
    base_url: str | None = None  # openai backend
    concurrency: int = 8
    timeout: float = 120.0
    max_retries: int = 5
    backoff: float = 1.0
    progress: bool = True


def make_generator(model: str, cfg: GenConfig):
    """The evaluator's backend for ``model``."""
    from rulec.eval.backends import BackendConfig, make_backend

    if cfg.backend == "hf" and not cfg.progress:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    return make_backend(cfg.backend, BackendConfig(
        model=model, base_url=cfg.base_url, batch_size=cfg.batch_size, concurrency=cfg.concurrency,
        timeout=cfg.timeout, max_retries=cfg.max_retries, extra={"retry_backoff": cfg.backoff}))


def requests_for(rows: list[dict[str, Any]], max_new_tokens: int):
    """One backend request per row: its conversation without the assistant turn."""
    from rulec.eval.backends import Request
    from rulec.train.chat import prompt_messages

    return [Request(id=str(r.get("id")), row=r, messages=prompt_messages(r), max_new_tokens=max_new_tokens)
            for r in rows]


def label_for(model: str, taken: set[str]) -> str:
    base = model if model == "tiny" else (Path(model).name or "model")
    label, k = base, 2
    while label in taken:
        label, k = f"{base}-{k}", k + 1
    taken.add(label)
    return label


def _read_done(path: Path) -> dict[str, str]:
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                obj = json.loads(line)
                done[str(obj["id"])] = obj["output"]
            except (json.JSONDecodeError, KeyError, TypeError):
                break  # a line cut by an interruption: everything after it is redone
    return done


def generate_outputs(model: str, rows: list[dict[str, Any]], out: Path, gen: GenConfig) -> list[str]:
    """Each row's reply, resuming from ``outputs.jsonl.partial`` / reusing ``outputs.jsonl``
    made with the same settings."""
    meta = {"model": model, "backend": gen.backend, "max_new_tokens": gen.max_new_tokens,
            "ids": [r.get("id") for r in rows]}
    final, partial, meta_path = out / "outputs.jsonl", out / "outputs.jsonl.partial", out / "outputs.meta.json"
    try:
        same = json.loads(meta_path.read_text(encoding="utf-8")) == meta
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        same = False
    if not same:
        final.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
        _atomic_write(meta_path, json.dumps(meta))
    done = _read_done(final) if final.exists() else _read_done(partial)
    todo = [r for r in rows if str(r.get("id")) not in done]
    if todo:
        backend = make_generator(model, gen)
        chunk = max(gen.batch_size, gen.concurrency) * 4
        bar = progress_bar(len(rows), f"generate ({Path(model).name or model})", gen.progress)
        bar.update(len(rows) - len(todo))
        try:
            with open(partial, "w", encoding="utf-8") as f:
                for rid, text in done.items():
                    f.write(json.dumps({"id": rid, "output": text}, ensure_ascii=False) + "\n")
                for start in range(0, len(todo), chunk):
                    part = todo[start:start + chunk]
                    texts = backend.generate(requests_for(part, gen.max_new_tokens))
                    for row, text in zip(part, texts):
                        done[str(row.get("id"))] = text.strip()
                        f.write(json.dumps({"id": row.get("id"), "output": text.strip()}, ensure_ascii=False) + "\n")
                    f.flush()
                    os.fsync(f.fileno())
                    bar.update(len(part))
        finally:
            bar.close()
    texts = [done[str(r.get("id"))] for r in rows]
    _atomic_write(final, "".join(json.dumps({"id": r.get("id"), "output": t}, ensure_ascii=False) + "\n"
                                 for r, t in zip(rows, texts)))
    partial.unlink(missing_ok=True)
    return texts


def eval_model(model: str, rows: list[dict[str, Any]], out: Path, gen: GenConfig,
               judge_client: LLMClient | None, judge_cfg: JudgeConfig) -> dict[str, Any]:
    """Generate, judge, and write ``outputs.jsonl``, ``verdicts.jsonl``, ``summary.json``
    under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    texts = generate_outputs(model, rows, out, gen)
    outputs = {str(r.get("id")): t for r, t in zip(rows, texts)}
    records, summary = judge(rows, outputs, judge_client, judge_cfg)
    summary = {"model": model, "backend": gen.backend, **summary}
    write_judgement(out, records, summary)
    return summary


def compare(summaries: dict[str, dict[str, Any]]) -> str:
    """Runs side by side: pass rate, rule rate and the per-type rule rates; the last run's
    change against the first."""
    labels = list(summaries)
    width = max(12, *(len(x) for x in labels))

    def pct(x):
        return "n/a" if x is None else f"{100 * x:.1f}%"

    head = f"{'':<20}" + "".join(f"{x:>{width + 2}}" for x in labels)
    if len(labels) > 1:
        head += f"  {'change (last vs first)':<24}"
    lines = [head]

    def row(name: str, values: list[float | None]) -> None:
        line = f"{name:<20}" + "".join(f"{pct(v):>{width + 2}}" for v in values)
        if len(values) > 1:
            a, b = values[0], values[-1]
            if a is None or b is None:
                change = "n/a"
            else:
                rel = f" ({100 * (b - a) / a:+.0f}% rel)" if a else ""
                change = f"{100 * (b - a):+.1f} pt{rel}"
            line += f"  {change:<24}"
        lines.append(line)

    row("pass rate", [summaries[x]["pass_rate"] for x in labels])
    row("rule rate", [summaries[x]["rule_rate"] for x in labels])
    types = sorted({t for s in summaries.values() for t in s["by_type"]})
    for t in types:
        row(f"  {t}", [summaries[x]["by_type"].get(t, {}).get("rate") for x in labels])
    first = summaries[labels[0]]
    lines.append(f"measured: {first['measured']}")
    lines.append("Instruction following without system prompts (the seed's no-regression check) "
                 "is not measured here: run a benchmark such as IFEval with `rulec eval`.")
    return "\n".join(line.rstrip() for line in lines)


def print_report(label: str, summary: dict[str, Any]) -> str:
    return f"== {label} ({summary['model']}, backend {summary['backend']})\n{format_summary(summary)}"
