"""`rulec eval run`, `rulec eval report` and `rulec check`. Thin: parse, call the library,
print. torch, transformers, openai and matplotlib are imported only by the commands that
use them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rulec.cliutil import fail, parse_int_set, parse_range


@click.group("eval")
def eval_group() -> None:
    """Evaluate models on rule-following tasks: length generalisation and the step checker."""


@eval_group.command("run")
@click.option("--model", help="tiny, a model directory or hub id, or a `rulec train` run directory "
              "(for --backend openai: the served model name).")
@click.option("--adapter", help="A peft adapter to load on the model.")
@click.option("--tasks", "tasks_text", help="adapt, pretrain, all, or comma-separated task names.")
@click.option("--lengths", default="6-30", show_default=True, help="Test lengths, e.g. 6-30 or 1,3,5-7.")
@click.option("--per-length", type=click.IntRange(1), default=100, show_default=True)
@click.option("--format", "fmt", default="rfft", show_default=True,
              type=click.Choice(["direct", "scratchpad", "rfft", "rfft_nl"]))
@click.option("--shots", type=click.Choice(["0", "1"]), default="0", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--data", help="Evaluate a fixed data set (JSONL, Parquet or a directory of shards).")
@click.option("--backend", default="hf", show_default=True,
              help="hf, vllm, openai, oracle, or a module:Class path.")
@click.option("--base-url", help="OpenAI-compatible endpoint (--backend openai); key from OPENAI_API_KEY.")
@click.option("--batch-size", type=click.IntRange(1), default=16, show_default=True)
@click.option("--max-new-tokens", type=click.IntRange(1), help="Fixed budget (default: 1.5x the gold response + 32).")
@click.option("--concurrency", type=click.IntRange(1), default=8, show_default=True, help="openai: parallel requests.")
@click.option("--max-retries", type=click.IntRange(0), default=5, show_default=True, help="openai: retries per request.")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="openai: seconds per request.")
@click.option("--tensor-parallel", type=click.IntRange(1), default=1, show_default=True, help="vllm: GPUs.")
@click.option("--dtype", help="float32, bfloat16, float16 (default: bfloat16 on GPU, float32 on CPU).")
@click.option("--device", help="hf: cpu, cuda, cuda:1 ...")
@click.option("--id-lengths", default="1-5", show_default=True, help="In-distribution (training) lengths.")
@click.option("-o", "--output", "--out", "out", required=True, help="Output directory (samples.jsonl, summary.json).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--quiet", is_flag=True, help="No progress and no summary table (summary.json is still written).")
def run_cmd(model, adapter, tasks_text, lengths, per_length, fmt, shots, seed, data, backend,
            base_url, batch_size, max_new_tokens, concurrency, max_retries, timeout,
            tensor_parallel, dtype, device, id_lengths, out, progress, quiet):
    """Generate, score and summarise; reruns resume from OUT/samples.jsonl."""
    from rulec.eval.backends import BackendConfig, backend_class
    from rulec.eval.data import EvalSetSpec, select_tasks
    from rulec.eval.evaluator import EvalConfig, check_out_dir, evaluate
    from rulec.eval.metrics import table

    backend_class(backend)  # unknown names fail here, before any work
    if quiet and progress:
        fail("give --quiet or --progress, not both")
    if quiet:
        progress = False
    if data and tasks_text:
        fail("give --tasks or --data, not both")
    if not data and not tasks_text:
        fail("give --tasks (to generate a test set) or --data")
    if backend not in ("oracle",) and not model:
        fail(f"--backend {backend} needs --model")
    if backend in ("hf", "vllm"):
        from rulec.train.loading import resolve_model

        resolve_model(model)
        if adapter and not Path(adapter).is_dir():
            fail(f"adapter {adapter} does not exist or is not a directory")
    spec = None
    if not data:
        spec = EvalSetSpec(select_tasks(tasks_text), parse_int_set(lengths, "--lengths", 1, 1000),
                           per_length, fmt, int(shots), seed)
    out_dir = Path(out)
    check_out_dir(out_dir)
    cfg = EvalConfig(
        out=out_dir, backend=backend, data=data, test_set=spec, max_new_tokens=max_new_tokens,
        id_lengths=parse_range(id_lengths, "--id-lengths", 1), progress=progress,
        backend_config=BackendConfig(
            model=model, adapter=adapter, base_url=base_url, batch_size=batch_size,
            device=device, dtype=dtype, tensor_parallel=tensor_parallel,
            concurrency=concurrency, timeout=timeout, max_retries=max_retries),
    )
    summary = evaluate(cfg)
    if quiet:
        return
    click.echo(table(summary))
    click.echo(f"wrote {out_dir / 'samples.jsonl'} and {out_dir / 'summary.json'} "
               f"({summary['run']['generated_now']} generated now)")


@eval_group.command("report")
@click.argument("runs", nargs=-1, required=True)
@click.option("-o", "--output", "--out", "out", required=True, help="Report directory (PNGs, table.md, table.csv).")
@click.option("--label", "labels", multiple=True, help="A name per run, in order (default: the directory name).")
def report_cmd(runs, out, labels):
    """Plots and a Table 2-style table over one or several runs."""
    from rulec.eval.report import make_report

    if labels and len(labels) != len(runs):
        fail(f"give one --label per run ({len(runs)}), or none")
    written = make_report([Path(r) for r in runs], Path(out), list(labels) or None)
    for p in written:
        click.echo(str(p))


@click.command("check")
@click.option("--sample", "sample_path", required=True, help="The row (JSON object, or a JSONL file's first line).")
@click.option("--output", "output_path", required=True, help="The model's output text ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check_cmd(sample_path, output_path, as_json):
    """Compare a model output with the compiled trace of its row; name the first divergence."""
    from rulec.eval.checker import check

    row = _read_row(sample_path)
    if output_path == "-":
        output = click.get_text_stream("stdin").read()
    else:
        try:
            output = Path(output_path).read_text(encoding="utf-8")
        except FileNotFoundError:
            fail(f"no such file: {output_path}")
        except (OSError, UnicodeDecodeError) as e:
            fail(f"cannot read {output_path}: {e}")
    try:
        result = check(row, output)
    except (KeyError, ValueError) as e:
        fail(f"{sample_path}: not a usable row ({e})")
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    click.echo(f"correct: {'yes' if result.correct else 'no'} "
               f"(predicted {result.predicted!r}, gold {row.get('answer')!r})")
    click.echo(f"loop iterations: {result.predicted_loop_iterations} (gold {result.loop_iterations})")
    d = result.first_divergence
    if d is None:
        click.echo("the output follows the compiled trace to the end")
    else:
        click.echo(f"first divergence: step {d.step}, output line {d.line}, kind {d.kind}")
        click.echo(f"  expected: {d.expected}")
        click.echo(f"  got:      {d.got}")


def _read_row(path: str) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except (OSError, UnicodeDecodeError) as e:
        fail(f"cannot read {path}: {e}")
    text = text.strip()
    try:
        row = json.loads(text)
    except json.JSONDecodeError:
        try:
            row = json.loads(text.splitlines()[0]) if text else None
        except json.JSONDecodeError:
            row = None
    if not isinstance(row, dict):
        fail(f"{path} does not hold a JSON row")
    if "inputs" in row and isinstance(row["inputs"], str):
        row["inputs"] = json.loads(row["inputs"])
    return row
