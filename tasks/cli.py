"""`rulec tasks`: list, show and generate the 88 rule-following tasks."""

from __future__ import annotations

import json
import os
from collections import Counter

import click

from rulec.cliutil import config_default, config_help, fail, fields_option, parse_fields
from rulec.hub import hub_options


def natural_key(name: str) -> list:
    """``lc_125`` before ``lc_1041``: digit runs compare as numbers."""
    import re

    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _d(name: str):
    from rulec.tasks.generate import GenConfig

    return config_default(GenConfig, name)


def _h(name: str) -> str:
    from rulec.tasks.generate import GenConfig

    return config_help(GenConfig, name)


@click.group("tasks")
def tasks_group() -> None:
    """The 88 rule-following tasks of the Meta-RFFT paper: list, show, generate data."""


def _task_info(task) -> dict:
    return {
        "name": task.name,
        "source": task.source,
        "split": task.split,
        "description": task.description,
        "length": task.length,
    }


@tasks_group.command("list")
@click.option("--split", type=click.Choice(["pretrain", "adapt"]), help="Only this split.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of task objects.")
def list_cmd(split: str | None, as_json: bool) -> None:
    """List the tasks (name, source, split, description)."""
    from rulec.tasks.registry import all_tasks

    tasks = sorted((t for t in all_tasks() if split is None or t.split == split), key=lambda t: natural_key(t.name))
    if as_json:
        click.echo(json.dumps([_task_info(t) for t in tasks], indent=1, ensure_ascii=False))
        return
    width = max((len(t.name) for t in tasks), default=4)
    for t in tasks:
        click.echo(f"{t.name:<{width}}  {t.source:<8}  {t.split:<8}  {t.description}")
    sources = Counter(t.source for t in tasks)
    splits = Counter(t.split for t in tasks)
    summary = ", ".join(f"{n} {k}" for k, n in sources.items())
    click.echo(f"{len(tasks)} tasks: {summary}; " + ", ".join(f"{n} {k}" for k, n in splits.items()))


@tasks_group.command("show")
@click.argument("name")
@click.option("--length", type=click.IntRange(1, 1000), default=3, show_default=True, help="Instance length.")
@click.option("--format", "fmt", default="rfft", show_default=True, help="direct, scratchpad, rfft or rfft_nl.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed (sample 0 of `gen` with this seed).")
@click.option("--shots", type=click.IntRange(0, 1), default=0, show_default=True, help="1: add a 1-shot exemplar.")
@click.option("--index", type=click.IntRange(0), default=0, show_default=True, help="Sample index.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole row as JSON.")
def show_cmd(name: str, length: int, fmt: str, seed: int, shots: int, index: int, as_json: bool) -> None:
    """Print the prompt and response of one instance of task NAME."""
    from rulec.io import dumps
    from rulec.tasks.formats import build_row, check_format, compiled, exemplar_for
    from rulec.tasks.generate import sample_rng
    from rulec.tasks.registry import get_task

    task = get_task(name)
    check_format(fmt, shots)
    rng = sample_rng(seed, task.name, length, index)
    inputs = task.generate(length, rng)
    exemplar = exemplar_for(task, inputs, rng) if shots else None
    row = build_row(task, compiled(task), inputs, fmt, length=length, index=index,
                    shots=shots, exemplar_inputs=exemplar)
    if as_json:
        click.echo(dumps(row))  # as stored: `inputs` a JSON string
    else:
        click.echo(row["prompt"])
        click.echo("")
        click.echo(row["response"])


def _select_tasks(targets: tuple[str, ...], split: str | None, tasks_opt: str | None, preset) -> tuple[str, ...]:
    from rulec.tasks.registry import all_tasks, get_task

    given = [x for x in (targets, split, tasks_opt) if x]
    if len(given) > 1:
        fail("select tasks one way: TASK names / all, --split, or --tasks")
    if preset is not None and preset.needs_task and (split or "all" in targets):
        fail(f"--preset {preset.name} takes target task name(s), e.g. --preset {preset.name} lc_258_add_digits")
    if split:
        return tuple(t.name for t in all_tasks() if t.split == split)
    if tasks_opt:
        names = [n.strip() for n in tasks_opt.split(",") if n.strip()]
    elif targets:
        if "all" in targets:
            if len(targets) > 1:
                fail("'all' selects every task; give it alone")
            return tuple(t.name for t in all_tasks())
        names = list(targets)
    elif preset is not None and preset.split:
        return tuple(t.name for t in all_tasks() if t.split == preset.split)
    elif preset is not None:
        fail(f"--preset {preset.name} needs the target task, e.g. --preset {preset.name} lc_258_add_digits")
    else:
        fail("no tasks selected: give TASK names, all, --split or --tasks (or a --preset)")
    seen: set[str] = set()
    for n in names:
        get_task(n)
        if n in seen:
            fail(f"task {n!r} is given twice")
        seen.add(n)
    return tuple(names)


@tasks_group.command("gen", short_help="Generate a dataset (JSONL/Parquet shards + manifest).")
@click.argument("targets", nargs=-1)
@click.option("--split", type=click.Choice(["pretrain", "adapt"]), help="All tasks of this split.")
@click.option("--tasks", "tasks_opt", help="Comma-separated task names.")
@click.option("--preset", help="paper-pretrain, paper-val, paper-adapt TASK or paper-test TASK.")
@click.option("--lengths", help=_h("lengths") + "  [default: the preset's, else 1-15]")
@click.option("--per-length", type=int, help=_h("per_length") + f"  [default: the preset's, else {_d('per_length')}]")
@click.option("--format", "fmt", help=_h("format") + f"  [default: {_d('format')}]")
@click.option("--shots", type=click.IntRange(0, 1), help=_h("shots") + f"  [default: {_d('shots')}]")
@click.option("--seed", type=int, default=_d("seed"), show_default=True, help=_h("seed"))
@click.option("--workers", type=click.IntRange(1), default=os.cpu_count() or 1, show_default="all cores",
              help="Worker processes (the output is identical for any number).")
@click.option("--max-chars", type=click.IntRange(1), help=_h("max_chars"))
@click.option("--resume", is_flag=True, help="Continue an interrupted run in DIR.")
@click.option("--overwrite", is_flag=True, help="Replace the output of an earlier run in DIR.")
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--dataset-split", type=click.Choice(["train", "validation", "test"]), default=None,
              help=_h("dataset_split") + "  [default: the preset's, else train]")
@fields_option
@click.option("--quiet", is_flag=True, help="No progress or summary.")
@click.option("--nl", is_flag=True, help="Natural-language rule and trace (same as --format rfft_nl).")
@click.option("--out-format", type=click.Choice(["jsonl", "parquet"]), default=_d("out_format"),
              show_default=True, help=_h("out_format"))
@hub_options
def gen_cmd(targets, split, tasks_opt, preset, lengths, per_length, fmt, shots, seed, workers, max_chars,
            resume, overwrite, output, out_format, dataset_split, fields, quiet, nl, push_to_hub, private) -> None:
    """Generate rows for TARGETS (task names or `all`), a --split, --tasks or a --preset.

    Writes one shard per task (Parquet with zstd; --out-format jsonl for JSONL), a
    dataset card and manifest.json into DIR. The same options and
    seed give byte-identical files whatever --workers; an interrupted run
    continues with --resume. Options given explicitly override a preset's.

    \b
    rulec tasks gen --preset paper-pretrain -o data/pretrain
    rulec tasks gen --preset paper-adapt lc_258_add_digits -o data/adapt_258
    rulec tasks gen --split adapt --lengths 1-5 --per-length 100 --format scratchpad -o d
    """
    from pathlib import Path

    from rulec.cli import process_limits
    from rulec.cliutil import keep_on_interrupt, parse_int_set, plural
    from rulec.hub import check_push, push_dir
    from rulec.io import DATA_DIR, count_rows
    from rulec.tasks.generate import generate
    from rulec.tasks.presets import get_preset, resolve

    if nl:
        if fmt not in (None, "rfft_nl"):
            fail(f"--nl asks for --format rfft_nl, not {fmt}")
        fmt = "rfft_nl"
    p = get_preset(preset) if preset is not None else None
    names = _select_tasks(targets, split, tasks_opt, p)
    cfg = resolve(
        preset,
        tasks=names,
        lengths=parse_int_set(lengths, "--lengths", 1, 1000) if lengths is not None else None,
        per_length=per_length,
        format=fmt,
        shots=shots,
        seed=seed,
        max_chars=max_chars,
        out_format=out_format,
        dataset_split=dataset_split,
        fields=parse_fields(fields),
    )
    check_push(push_to_hub, private, directory=True)
    limits = process_limits()
    with keep_on_interrupt(lambda: count_rows(Path(output) / DATA_DIR)):
        result = generate(cfg, output, workers=workers, resume=resume, overwrite=overwrite, limits=limits,
                          progress=not quiet)
    if not quiet:
        m = result.manifest
        note = f" ({plural(result.skipped_shards, 'shard')} already complete)" if result.skipped_shards else ""
        click.echo(
            f"wrote {plural(m['rows'], 'row')} of {plural(len(cfg.tasks), 'task')} to {output}{note}; "
            f"dropped {m['dropped_total']:,} of {m['rows_planned']:,}",
            err=True,
        )
    if push_to_hub:
        url = push_dir(output, push_to_hub, private)
        if not quiet:
            click.echo(f"pushed {output} to {url}", err=True)
