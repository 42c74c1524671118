"""`rulec train`: the two-stage trainer's command line (also `python -m rulec.train`).

Thin: every option of :class:`rulec.train.config.TrainConfig` becomes a flag (its help text
comes from the dataclass), the command resolves the preset and calls one function of
:mod:`rulec.train.pipeline`. torch, transformers, peft and TRL load only when a command runs.
"""

from __future__ import annotations

import sys
from dataclasses import fields

import click

from rulec.cliutil import UserError, fail
from rulec.train.config import TrainConfig

PRESET_NAMES = ("qwen2.5-7b", "qwen2.5-32b", "tiny")


class TrainGroup(click.Group):
    """Usage errors of the subcommands become one ``error:`` line, exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            if isinstance(e, UserError):
                raise
            raise UserError(e.format_message()) from None


def config_options(func):
    """One ``--flag`` per TrainConfig field (default None = the preset's value)."""
    kinds = {"int": int, "float": float, "str": str}
    for f in reversed(fields(TrainConfig)):
        flag = "--" + f.name.replace("_", "-")
        help_text = f.metadata.get("help", "")
        if f.type == "bool":
            func = click.option(f"{flag}/--no-{f.name.replace('_', '-')}", f.name, default=None,
                                help=help_text)(func)
        else:
            func = click.option(flag, f.name, type=kinds[f.type], default=None, help=help_text)(func)
    return func


def _quiet(ctx, param, value: bool) -> None:
    if value:
        from rulec.progress import set_quiet

        set_quiet()


def common_options(func):
    func = config_options(func)
    for opt in reversed([
        click.option("--model", "model", required=True, help="'tiny', a model directory, a hub id, or a rulec train run directory."),
        click.option("--preset", default=None, help="qwen2.5-7b | qwen2.5-32b | tiny (default: tiny for --model tiny or a run trained from it, else qwen2.5-7b)."),
        click.option("-o", "--output", "output", required=True, help="Run directory."),
        click.option("--resume", is_flag=True, help="Continue an interrupted run from its last checkpoint."),
        click.option("--overwrite", is_flag=True, help="Replace an existing run directory."),
        click.option("--quiet", is_flag=True, expose_value=False, callback=_quiet,
                     help="No progress bars, notes or per-step log lines (the run directory keeps them)."),
    ]):
        func = opt(func)
    return func


def _overrides(kw: dict) -> dict:
    names = {f.name for f in fields(TrainConfig)}
    return {k: kw.pop(k) for k in list(kw) if k in names}


def _preset(preset: str | None, model: str) -> str:
    """The given preset; else ``tiny`` for the tiny model or a run that started from it,
    else ``qwen2.5-7b``."""
    if preset:
        return preset
    import json
    from pathlib import Path

    for _ in range(4):  # follow run directories back to the model they started from
        record = Path(model) / "train_config.json"
        if not record.is_file():
            break
        try:
            model = str(json.loads(record.read_text()).get("model_arg", ""))
        except (OSError, ValueError):
            break
    return "tiny" if model == "tiny" else "qwen2.5-7b"


def _kv(pairs: tuple[str, ...]) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            fail(f"--s1 expects KEY=VALUE, got {pair!r}")
        out[key.strip().replace("-", "_")] = value.strip()
    return out


def _done(run) -> None:
    click.echo(str(run))


TRAIN_MODULES = ("torch", "transformers", "peft", "trl", "datasets", "accelerate")


@click.group("train", cls=TrainGroup)
@click.pass_context
def train_group(ctx) -> None:
    """Train on rule-following data: RF-pretraining, adaptation, Meta-RFFT, baselines, SFT."""
    import importlib.util

    if ctx.invoked_subcommand == "presets" or "--help" in sys.argv:
        return
    missing = [m for m in TRAIN_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        fail(f"`rulec train` needs {', '.join(missing)}: install a CPU or CUDA build of torch, "
             "then pip install 'rulec[train]' (see the README)")


@train_group.command("pretrain")
@common_options
@click.option("--data", help="Training rows (rulec tasks gen / synth output: JSONL, Parquet, or a directory).")
@click.option("--val-data", help="Validation rows (default with --data: none).")
@click.option("--icl", is_flag=True, help="1-shot exemplar in every sample, plus synthetic samples (the ICL model).")
def pretrain_cmd(model, preset, output, resume, overwrite, data, val_data, icl, **kw):
    """Stage 1: RF-pretraining on the pretraining tasks."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    name = _preset(preset, model)
    over = {**(_icl(name) if icl else {}), **{k: v for k, v in _overrides(kw).items() if v is not None}}
    cfg = resolve(name, "pretrain", **over)
    _done(pipeline.pretrain(model, cfg, output, data=data, val_data=val_data, resume=resume,
                            overwrite=overwrite))


def _icl(preset: str) -> dict:
    return {"shots": 1, "synth": 16 if preset == "tiny" else 100_000}


@train_group.command("adapt")
@common_options
@click.option("--task", help="The target task.")
@click.option("--data", help="Training rows instead of generating the task's data.")
@click.option("--val-data", help="Validation rows.")
def adapt_cmd(model, preset, output, resume, overwrite, task, data, val_data, **kw):
    """Stage 2: adapt a model (or an RF-pretrained run) to one target task.

    --format rfft_nl with a code-trained stage 1 is the code->NL transfer experiment."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    cfg = resolve(_preset(preset, model), "adapt", **_overrides(kw))
    _check_stage2_format(cfg.format)
    _done(pipeline.adapt(model, task, cfg, output, data=data, val_data=val_data, resume=resume,
                         overwrite=overwrite))


def _check_stage2_format(fmt: str) -> None:
    if fmt not in ("rfft", "rfft_nl"):
        fail(f"--format {fmt}: adapt and meta train rfft or rfft_nl; use `rulec train baseline` "
             "for direct and scratchpad")


@train_group.command("meta")
@common_options
@click.option("--task", help="The target task (stage 1 leaves it out).")
@click.option("--stage1", help="Reuse this RF-pretrained run instead of training stage 1.")
@click.option("--stage1-data", help="Stage-1 rows instead of generating them.")
@click.option("--data", help="Stage-2 rows instead of generating the task's data.")
@click.option("--icl", is_flag=True, help="The 1-shot model: stage 1 with exemplars and synthetic samples, no stage 2.")
@click.option("--s1", "s1", multiple=True, metavar="KEY=VALUE", help="Override a stage-1 option, e.g. --s1 lr=2e-5 (repeatable); the other flags set stage 2.")
def meta_cmd(model, preset, output, resume, overwrite, task, stage1, stage1_data, data, icl, s1, **kw):
    """Meta-RFFT: RF-pretraining (stage 1), then adaptation to --task (stage 2).

    With --icl: stage 1 only, every sample 1-shot, plus synthetic samples; the flags set
    stage 1."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    name = _preset(preset, model)
    over = _overrides(kw)
    if icl:
        if stage1:
            fail("--icl trains stage 1; it cannot reuse --stage1")
        cfg1 = resolve(name, "pretrain", **{**_icl(name), **_kv(s1),
                                            **{k: v for k, v in over.items() if v is not None}})
        _done(pipeline.meta(model, task, cfg1, None, output, stage1_data=stage1_data,
                            resume=resume, overwrite=overwrite))
        return
    if not task and not data:
        fail("meta needs --task (the target task) or --data")
    cfg1 = resolve(name, "pretrain", **_kv(s1))
    cfg2 = resolve(name, "adapt", **over)
    _check_stage2_format(cfg2.format)
    if cfg2.format == "rfft_nl" and "format" not in _kv(s1):
        from rulec.progress import note

        note("note: stage 1 on code rules (rfft), stage 2 on NL rules (rfft_nl)")
    _done(pipeline.meta(model, task, cfg1, cfg2, output, stage1=stage1, stage1_data=stage1_data,
                        data=data, resume=resume, overwrite=overwrite))


@train_group.command("baseline")
@common_options
@click.option("--task", required=True, help="The target task.")
def baseline_cmd(model, preset, output, resume, overwrite, task, **kw):
    """The paper's baselines: stage 2 only, from the base model, --format direct|scratchpad|rfft."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    over = _overrides(kw)
    fmt = over.pop("format", None)
    if fmt not in ("direct", "scratchpad", "rfft"):
        fail("baseline needs --format direct, scratchpad or rfft")
    cfg = resolve(_preset(preset, model), "adapt", **over)
    _done(pipeline.baseline(model, task, fmt, cfg, output, resume=resume, overwrite=overwrite))


@train_group.command("sft")
@common_options
@click.option("--data", required=True, help="Rows in the row schema (JSONL, Parquet, or a directory).")
@click.option("--val-data", help="Validation rows.")
def sft_cmd(model, preset, output, resume, overwrite, data, val_data, **kw):
    """Supervised fine-tuning on any rows in the row schema (e.g. roles-and-rules data);
    the adapt stage's settings."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    cfg = resolve(_preset(preset, model), "adapt", **_overrides(kw))
    _done(pipeline.sft(model, data, cfg, output, val_data=val_data, resume=resume,
                       overwrite=overwrite))


@train_group.command("stats")
@config_options
@click.option("--model", "model", default="tiny", show_default=True, help="Whose tokenizer counts the tokens.")
@click.option("--preset", default=None, help="Preset whose data options apply (default as for training).")
@click.option("--stage", type=click.Choice(["pretrain", "adapt"]), default="pretrain", show_default=True)
@click.option("--data", help="Rows to count (default: generate the stage's data).")
@click.option("--task", help="Shorthand for --tasks with one task.")
def stats_cmd(model, preset, stage, data, task, **kw):
    """Token counts by task x length (min / median / max), to choose --max-length."""
    from rulec.train import pipeline
    from rulec.train.config import resolve

    over = _overrides(kw)
    if task:
        over["tasks"] = task
    cfg = resolve(_preset(preset, model), stage, **over)
    click.echo(pipeline.stats(model, cfg, data))


@train_group.command("presets")
def presets_cmd():
    """Print every preset, resolved (stage 1 = pretrain, stage 2 = adapt)."""
    from rulec.train.config import describe

    click.echo(describe())


@train_group.command("tiny-model")
@click.option("-o", "--output", "output", required=True, help="Directory for the model.")
def tiny_model_cmd(output):
    """Build the tiny CPU model (Qwen2 architecture, BPE tokenizer, ChatML) into a directory."""
    from pathlib import Path

    from rulec.train.tiny import build_tiny_model

    out = Path(output)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        fail(f"output {output} exists and is not an empty directory")
    click.echo(str(build_tiny_model(out)))


def main() -> None:
    train_group(prog_name="python -m rulec.train", args=sys.argv[1:])

