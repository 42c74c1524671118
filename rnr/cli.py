"""`rulec rnr`: roles-and-rules triplets — generate, judge, eval, compare."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rulec.cliutil import fail, parse_range

_common_llm = [
    click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True,
                 help="Requests in flight at once."),
    click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
                 help="Re-asks after a rejected (malformed or non-conforming) answer."),
    click.option("--timeout", type=click.FloatRange(0.01), default=120.0, show_default=True,
                 help="Seconds per request."),
    click.option("--max-retries", type=click.IntRange(0, 50), default=6, show_default=True,
                 help="Retries of a request after 429/5xx/timeouts (exponential backoff)."),
    click.option("--backoff", type=click.FloatRange(0.0), default=1.0, show_default=True,
                 help="First backoff wait in seconds (doubles each retry)."),
    click.option("--cache", "cache", type=click.Path(file_okay=False),
                 help="Request cache directory (default: $RULEC_CACHE/rnr-requests, else OUT/cache)."),
    click.option("--quiet", is_flag=True, help="No progress bar."),
]


def llm_options(f):
    for opt in reversed(_common_llm):
        f = opt(f)
    return f


def _client(base_url, model, cache_dir, concurrency, timeout, max_retries, backoff, **kw):
    from rulec.rnr.client import ClientConfig, LLMClient

    if not base_url.startswith(("http://", "https://")):
        fail(f"--base-url must start with http:// or https://, got {base_url!r}")

    return LLMClient(ClientConfig(
        base_url=base_url, model=model, cache_dir=Path(cache_dir), concurrency=concurrency,
        timeout=timeout, max_retries=max_retries, backoff=backoff, **kw))


def _read_rows(path: str, limit: int | None) -> list[dict]:
    from rulec.io import read_rows

    try:
        rows = []
        for row in read_rows(path):
            rows.append(row)
            if limit and len(rows) >= limit:
                break
    except FileNotFoundError:
        fail(f"no such file or directory: {path}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        fail(f"{path}: not a JSONL/Parquet row file ({e})")
    if not rows:
        fail(f"{path}: no rows")
    return rows


def _stages(s: dict) -> str:
    stages = s["failed_by_stage"]
    if not stages:
        return ""
    return " (" + ", ".join(f"{k}: {v}" for k, v in stages.items()) + "; see failures.json)"


@click.group("rnr")
def rnr_group() -> None:
    """Roles and rules: system-prompt triplets from instruction data (generate, judge, eval)."""


@rnr_group.command("generate")
@click.option("-i", "--input", "input_path", required=True,
              help="Instruction data: JSONL/JSON/Parquet file or a `datasets` save_to_disk directory.")
@click.option("-o", "--output", "--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output directory (rows.jsonl, failures.json, summary.json, cache/).")
@click.option("--base-url", required=True, help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1.")
@click.option("--model", required=True, help="Model that writes the system prompts and responses.")
@click.option("-n", "--n", "n", type=click.IntRange(1), help="Sample this many instructions (seeded).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--rules-per-prompt", default="3-8", show_default=True, help="Rules per system prompt, N or A-B.")
@click.option("--categories", help="Rule categories to use, comma separated (default: all). "
              "See `rulec rnr types`.")
@click.option("--dedup-threshold", type=click.FloatRange(0.0, 1.0), default=0.7, show_default=True,
              help="System prompts at least this similar (Jaccard, word 3-grams) count as duplicates.")
@click.option("--style", type=click.Choice(["auto", "alpaca", "chat"]), default="auto", show_default=True,
              help="Alpaca instruction/input/output, or chat messages (UltraChat, ShareGPT).")
@click.option("--instruction-field", default="instruction", show_default=True)
@click.option("--input-field", default="input", show_default=True)
@click.option("--output-field", default="output", show_default=True)
@click.option("--messages-field", default="messages", show_default=True)
@click.option("--split", help="Split of a DatasetDict directory (default: train).")
@click.option("--temperature", type=click.FloatRange(0.0, 2.0), default=0.7, show_default=True)
@click.option("--max-tokens", type=click.IntRange(16), default=2048, show_default=True)
@click.option("--no-json-mode", is_flag=True, help="Do not send response_format=json_object.")
@llm_options
def generate_cmd(input_path, out, base_url, model, n, seed, rules_per_prompt, categories, dedup_threshold,
                 style, instruction_field, input_field, output_field, messages_field, split, temperature,
                 max_tokens, no_json_mode, concurrency, retries, timeout, max_retries, backoff, cache, quiet):
    """Write (system prompt, instruction, response) rows from an instruction dataset."""
    from rulec.rnr.client import cache_root
    from rulec.rnr.generate import GenerateConfig, generate
    from rulec.rnr.rules import CATEGORIES, types_in
    from rulec.rnr.sources import FieldMap

    cats = CATEGORIES
    if categories:
        cats = tuple(c.strip() for c in categories.split(",") if c.strip())
        unknown = [c for c in cats if c not in CATEGORIES]
        if unknown:
            fail(f"--categories: unknown {', '.join(unknown)} (known: {', '.join(CATEGORIES)})")
    lo, hi = parse_range(rules_per_prompt, "--rules-per-prompt", low=1)
    if hi > len(types_in(cats)):
        fail(f"--rules-per-prompt: at most {len(types_in(cats))} rules with these categories "
             "(one rule per type)")
    out_dir = Path(out)
    cfg = GenerateConfig(
        input=input_path, out=out_dir, n=n, seed=seed, rules_per_prompt=(lo, hi), categories=cats,
        retries=retries, dedup_threshold=dedup_threshold, split=split, progress=not quiet,
        fields=FieldMap(style, instruction_field, input_field, output_field, messages_field))
    client = _client(base_url, model, cache_root(out_dir, cache), concurrency, timeout, max_retries,
                     backoff, temperature=temperature, max_tokens=max_tokens, json_mode=not no_json_mode)
    s = generate(cfg, client)
    req = s["requests"]
    click.echo(f"kept {s['kept']} of {s['sampled']} rows -> {out_dir / 'rows.jsonl'}; "
               f"failed {s['failed']}{_stages(s)}; "
               f"{s['near_duplicates_rejected']} near-duplicate system prompts re-asked", err=True)
    click.echo(f"requests {req['requests']} (cached {req['cached']}, retries {req['retries']}), "
               f"tokens {req['prompt_tokens']} in + {req['completion_tokens']} out", err=True)


@rnr_group.command("judge")
@click.option("--data", required=True, help="RNR rows (rulec rnr generate's output, or rows.jsonl).")
@click.option("--outputs", help="Model outputs: JSONL of {\"id\", \"output\"} (default: the rows' own responses).")
@click.option("-o", "--output", "--out", "out", type=click.Path(file_okay=False), help="Write verdicts.jsonl and summary.json here.")
@click.option("--base-url", help="OpenAI-compatible endpoint of the judge model.")
@click.option("--model", help="Judge model for the rules code cannot check (omit: code verifiers only).")
@click.option("--limit", type=click.IntRange(1), help="Judge only the first N rows.")
@llm_options
def judge_cmd(data, outputs, out, base_url, model, limit, concurrency, retries, timeout, max_retries,
              backoff, cache, quiet):
    """Per-rule adherence verdicts: code verifiers first, the LLM judge for the rest."""
    from rulec.rnr.client import cache_root
    from rulec.rnr.judge import JudgeConfig, format_summary, judge, read_outputs, write_judgement

    if bool(base_url) != bool(model):
        fail("give --base-url and --model together (or neither, for code verifiers only)")
    rows = _read_rows(data, limit)
    outs = read_outputs(outputs) if outputs else None
    client = None
    if model:
        client = _client(base_url, model, cache_root(Path(out) if out else None, cache), concurrency, timeout, max_retries,
                         backoff, temperature=0.0, max_tokens=1024)
    records, summary = judge(rows, outs, client, JudgeConfig(retries=retries, progress=not quiet))
    if out:
        write_judgement(Path(out), records, summary)
    click.echo(format_summary(summary))


@rnr_group.command("eval")
@click.option("--model", "models", required=True, multiple=True,
              help="tiny, a model directory/hub id, or a `rulec train` run; repeat to compare (base first).")
@click.option("--data", required=True, help="RNR rows to evaluate on.")
@click.option("--backend", type=click.Choice(["hf", "openai", "vllm"]), default="hf", show_default=True)
@click.option("-o", "--output", "--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output directory: one folder per model, comparison.json.")
@click.option("--base-url", help="Endpoint serving the model (--backend openai).")
@click.option("--judge-model", help="LLM judge for rules code cannot check (omit: code verifiers only).")
@click.option("--judge-base-url", help="Endpoint of the judge (default: --base-url).")
@click.option("--max-new-tokens", type=click.IntRange(1), default=512, show_default=True)
@click.option("--batch-size", type=click.IntRange(1), default=8, show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Evaluate only the first N rows.")
@llm_options
def eval_cmd(models, data, backend, out, base_url, judge_model, judge_base_url, max_new_tokens,
             batch_size, limit, concurrency, retries, timeout, max_retries, backoff, cache, quiet):
    """Generate each model's replies (system turn in the chat template), judge, compare."""
    from rulec.rnr.client import _atomic_write, cache_root
    from rulec.rnr.evaluate import GenConfig, compare, eval_model, label_for, print_report
    from rulec.rnr.judge import JudgeConfig, check_rows

    if backend == "openai" and not base_url:
        fail("--backend openai needs --base-url")
    for url in (base_url, judge_base_url):
        if url and not url.startswith(("http://", "https://")):
            fail(f"base URL must start with http:// or https://, got {url!r}")
    judge_url = judge_base_url or base_url
    if judge_model and not judge_url:
        fail("--judge-model needs --judge-base-url (or --base-url)")
    rows = _read_rows(data, limit)
    check_rows(rows)
    out_dir = Path(out)
    cache_dir = cache_root(out_dir, cache)
    judge_client = None
    if judge_model:
        judge_client = _client(judge_url, judge_model, cache_dir, concurrency, timeout, max_retries,
                               backoff, temperature=0.0, max_tokens=1024)
    gen = GenConfig(backend=backend, max_new_tokens=max_new_tokens, batch_size=batch_size,
                    base_url=base_url, concurrency=concurrency, timeout=timeout,
                    max_retries=max_retries, backoff=backoff, progress=not quiet)
    taken: set[str] = set()
    summaries = {}
    for model in models:
        label = label_for(model, taken)
        summaries[label] = eval_model(model, rows, out_dir / label, gen, judge_client,
                                      JudgeConfig(retries=retries, progress=not quiet))
        click.echo(print_report(label, summaries[label]))
    _atomic_write(out_dir / "comparison.json", json.dumps(summaries, indent=1) + "\n")
    if len(summaries) > 1:
        click.echo(compare(summaries))


@rnr_group.command("compare")
@click.argument("runs", nargs=-1, required=True, type=click.Path(file_okay=False))
def compare_cmd(runs):
    """Side-by-side table of `rnr eval` runs (folders with summary.json), the first as baseline."""
    from rulec.rnr.evaluate import compare

    summaries = {}
    for run in runs:
        p = Path(run) / "summary.json"
        try:
            summaries[Path(run).name if Path(run).name not in summaries else run] = json.loads(p.read_text())
        except FileNotFoundError:
            fail(f"{run}: no summary.json (not a `rulec rnr eval` model folder)")
        except json.JSONDecodeError:
            fail(f"{p}: damaged")
    click.echo(compare(summaries))


@rnr_group.command("types")
def types_cmd():
    """The rule types, their categories, params and how each is checked."""
    from rulec.rnr.rules import RULE_TYPES

    for t in RULE_TYPES.values():
        params = ", ".join(t.params) or "-"
        click.echo(f"{t.name:<18} {t.category:<18} {t.backend:<45} params: {params}")
