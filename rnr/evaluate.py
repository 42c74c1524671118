"""`rulec rnr eval`: generate a model's replies to RNR rows (system turn kept in the chat
template), judge them, and compare runs side by side.

Generation goes through :func:`generate_responses`, the one switch point to the evaluator's
backends (``rulec.eval.backends``, ``generate(requests) -> list[str]``) once they are on main.
Until then: ``hf`` (transformers, batched greedy decoding, through train/chat.py's
``prompt_messages`` + ``render_prompt`` so the template is the trainer's), ``openai`` (any
OpenAI-compatible endpoint, through the cached client) and ``vllm`` (offline ``LLM``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.errors import ConfigError
from rulec.rnr.client import ClientConfig, LLMClient, _atomic_write, progress_bar
from rulec.rnr.judge import JudgeConfig, format_summary, judge, write_judgement

BACKENDS = ("hf", "openai", "vllm")


@dataclass
class GenConfig:
    backend: str = "hf"
    max_new_tokens: int = 512
    batch_size: int = 8
    base_url: str | None = None  # openai backend
    concurrency: int = 8
    cache_dir: Path | None = None
    progress: bool = True


def generate_responses(model: str, rows: list[dict[str, Any]], cfg: GenConfig) -> list[str]:
    """The model's reply to each row's conversation (system + user turns), greedy."""
    if cfg.backend == "hf":
        return _hf_generate(model, rows, cfg)
    if cfg.backend == "openai":
        return _openai_generate(model, rows, cfg)
    if cfg.backend == "vllm":
        return _vllm_generate(model, rows, cfg)
    raise ConfigError(f"unknown backend {cfg.backend!r}; choose one of {', '.join(BACKENDS)}")


def _hf_generate(model: str, rows: list[dict[str, Any]], cfg: GenConfig) -> list[str]:
    import torch

    from rulec.train.chat import prompt_messages, render_prompt
    from rulec.train.loading import load_for_inference

    if not cfg.progress:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    lm, tok = load_for_inference(model)
    tok.padding_side = "left"
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    prompts = [render_prompt(tok, prompt_messages(r)) for r in rows]
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))  # similar lengths batch well
    out: list[str] = [""] * len(prompts)
    bar = progress_bar(len(prompts), f"generate ({Path(model).name})", cfg.progress)
    try:
        for start in range(0, len(order), cfg.batch_size):
            idx = order[start:start + cfg.batch_size]
            enc = tok([prompts[i] for i in idx], return_tensors="pt", padding=True,
                      add_special_tokens=False).to(lm.device)
            with torch.no_grad():
                gen = lm.generate(**enc, max_new_tokens=cfg.max_new_tokens, do_sample=False,
                                  pad_token_id=tok.pad_token_id)
            for i, seq in zip(idx, gen[:, enc["input_ids"].shape[1]:]):
                out[i] = tok.decode(seq, skip_special_tokens=True).strip()
            bar.update(len(idx))
    finally:
        bar.close()
    return out


def _openai_generate(model: str, rows: list[dict[str, Any]], cfg: GenConfig) -> list[str]:
    from rulec.train.chat import prompt_messages

    if not cfg.base_url:
        raise ConfigError("--backend openai needs --base-url")
    client = LLMClient(ClientConfig(
        base_url=cfg.base_url, model=model, cache_dir=cfg.cache_dir, concurrency=cfg.concurrency,
        temperature=0.0, max_tokens=cfg.max_new_tokens, json_mode=False))
    bar = progress_bar(len(rows), f"generate ({model})", cfg.progress)
    try:
        return [t.strip() for t in client.map(lambda r: client.complete(prompt_messages(r)), rows, progress=bar)]
    finally:
        bar.close()


def _vllm_generate(model: str, rows: list[dict[str, Any]], cfg: GenConfig) -> list[str]:
    try:
        from vllm import LLM, SamplingParams
    except ImportError:
        raise ConfigError("--backend vllm needs vllm (pip install 'rulec[vllm]', GPU only)") from None
    from rulec.train.chat import prompt_messages, render_prompt
    from rulec.train.loading import load_tokenizer, resolve_model

    path = resolve_model(model)
    tok = load_tokenizer(path)
    llm = LLM(model=path)
    params = SamplingParams(temperature=0.0, max_tokens=cfg.max_new_tokens)  # vLLM's default is 16
    outs = llm.generate([render_prompt(tok, prompt_messages(r)) for r in rows], params)
    return [o.outputs[0].text.strip() for o in outs]


def label_for(model: str, taken: set[str]) -> str:
    base = model if model == "tiny" else (Path(model).name or "model")
    label, k = base, 2
    while label in taken:
        label, k = f"{base}-{k}", k + 1
    taken.add(label)
    return label


def eval_model(model: str, rows: list[dict[str, Any]], out: Path, gen: GenConfig,
               judge_client: LLMClient | None, judge_cfg: JudgeConfig) -> dict[str, Any]:
    """Generate (reusing ``outputs.jsonl`` made earlier by the same model and settings),
    judge, write ``outputs.jsonl``, ``verdicts.jsonl``, ``summary.json`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    meta = {"model": model, "backend": gen.backend, "max_new_tokens": gen.max_new_tokens,
            "ids": [r.get("id") for r in rows]}
    outputs_path, meta_path = out / "outputs.jsonl", out / "outputs.meta.json"
    texts = None
    if outputs_path.exists() and meta_path.exists():
        try:
            if json.loads(meta_path.read_text()) == meta:
                done = [json.loads(line) for line in outputs_path.read_text().splitlines() if line.strip()]
                texts = [d["output"] for d in done]
        except (json.JSONDecodeError, KeyError):
            texts = None
    if texts is None:
        texts = generate_responses(model, rows, gen)
        _atomic_write(outputs_path, "".join(
            json.dumps({"id": r.get("id"), "output": t}, ensure_ascii=False) + "\n" for r, t in zip(rows, texts)))
        _atomic_write(meta_path, json.dumps(meta))
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
