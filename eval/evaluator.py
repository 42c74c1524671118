"""Run an evaluation: rows -> budgets -> backend.generate -> step checker -> samples.jsonl
(cached per sample id, so an interrupted or extended run generates only what is missing)
-> summary.json (atomic) and a printed table."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rulec import __version__
from rulec.cliutil import UserError
from rulec.eval.backends import BackendConfig, Request, make_backend
from rulec.eval.budget import Budget, hit_budget
from rulec.eval.checker import Checker, gold_response

SAMPLES = "samples.jsonl"
SUMMARY = "summary.json"


@dataclass
class EvalConfig:
    out: Path
    backend: str = "hf"
    backend_config: BackendConfig = field(default_factory=BackendConfig)
    data: str | None = None  # a data file or directory; else ``test_set`` is generated
    test_set: Any = None  # rulec.eval.data.EvalSetSpec
    max_new_tokens: int | None = None  # overrides the budget
    budget_factor: float = 1.5
    budget_margin: int = 32
    id_lengths: tuple[int, int] = (1, 5)
    progress: bool | None = None


def budget(gold_tokens: int, cfg: EvalConfig) -> int:
    """Tokens a sample may generate: about 1.5x its gold response, plus a margin."""
    return Budget(cfg.budget_factor, cfg.budget_margin, cfg.max_new_tokens).tokens(gold_tokens)


def load_cache(path: Path) -> dict[str, dict[str, Any]]:
    """Finished samples by id; a torn last line (a killed run) is dropped."""
    if not path.exists():
        return {}
    with open(path, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        f.truncate(end)
    out = {}
    for line in data[:end].decode("utf-8").splitlines():
        if line.strip():
            s = json.loads(line)
            out[s["id"]] = s
    return out


def evaluate(cfg: EvalConfig) -> dict[str, Any]:
    from rulec.eval import data as D
    from rulec.eval.metrics import summarize

    cfg.out.mkdir(parents=True, exist_ok=True)
    if cfg.data is None:
        data_path = D.generate_test_set(cfg.test_set, cfg.out / "data")
    else:
        data_path = Path(cfg.data)
    rows = D.load_rows(data_path)
    samples_path = cfg.out / SAMPLES
    cache = load_cache(samples_path)
    pending = [r for r in rows if r["id"] not in cache or cache[r["id"]]["prompt"] != r["prompt"]]
    backend = info = None
    if pending:
        backend = make_backend(cfg.backend, cfg.backend_config)
        info = backend.describe()
        _generate(backend, pending, cfg, samples_path, cache, len(rows))
    samples = [cache[r["id"]] for r in rows]
    summary = summarize(samples, cfg.id_lengths)
    old = _read_json(cfg.out / SUMMARY) or {}
    summary["run"] = {
        "backend_info": info or old.get("run", {}).get("backend_info"),
        "backend": cfg.backend,
        "model": cfg.backend_config.model,
        "adapter": cfg.backend_config.adapter,
        "data": str(data_path),
        "manifest": D.manifest_of(data_path),
        "test_set": asdict(cfg.test_set) if cfg.data is None else None,
        "max_new_tokens": cfg.max_new_tokens,
        "budget": {"factor": cfg.budget_factor, "margin": cfg.budget_margin},
        "generated_now": len(pending),
        "rulec_version": __version__,
    }
    _write_json_atomic(cfg.out / SUMMARY, summary)
    return summary


def _generate(backend, rows, cfg: EvalConfig, path: Path, cache: dict, total: int) -> None:
    from tqdm import tqdm

    from rulec.train.chat import prompt_messages

    checker = Checker()
    requests = []
    for row in rows:
        gold = backend.count_tokens(gold_response(row))
        requests.append(Request(row["id"], row, prompt_messages(row), budget(gold, cfg)))
    requests.sort(key=lambda r: -len(r.row["prompt"]))  # longest first: memory trouble shows early
    chunk = max(1, getattr(backend, "chunk_size", 64))
    bar = tqdm(total=total, initial=total - len(rows), unit="sample", file=sys.stderr,
               disable=(not sys.stderr.isatty()) if cfg.progress is None else not cfg.progress)
    with open(path, "a", encoding="utf-8") as out:
        for start in range(0, len(requests), chunk):
            part = requests[start:start + chunk]
            outputs = backend.generate(part)
            if len(outputs) != len(part):
                raise RuntimeError(f"backend {backend.name} returned {len(outputs)} outputs for {len(part)} requests")
            lines = []
            for req, output in zip(part, outputs):
                sample = score(checker, req, output, backend)
                cache[req.id] = sample
                lines.append(json.dumps(sample, ensure_ascii=False))
            out.write("\n".join(lines) + "\n")
            out.flush()
            os.fsync(out.fileno())
            bar.update(len(part))
    bar.close()


def score(checker: Checker, req: Request, output: str, backend) -> dict[str, Any]:
    row = req.row
    result = checker.check(row, output)
    hit = req.hit_budget
    if hit is None:
        hit = hit_budget(None, result.predicted, backend.count_tokens(output), req.max_new_tokens)
    return {
        "id": row["id"], "task": row["task"], "length": row.get("length"),
        "format": row.get("format"), "shots": row.get("shots", 0),
        "prompt": row["prompt"], "output": output, "answer": row["answer"],
        "predicted": result.predicted, "correct": result.correct,
        "loop_iterations": row.get("loop_iterations"),
        "predicted_loop_iterations": result.predicted_loop_iterations,
        "hit_budget": bool(hit), "max_new_tokens": req.max_new_tokens,
        "first_divergence": result.first_divergence.to_dict() if result.first_divergence else None,
    }


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UserError(f"output {out} exists and is not a directory")
