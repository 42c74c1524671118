"""The paper's recipes as library calls: each builds its data, then calls ``run_stage``.

    pretrain(model, cfg, out)               stage 1, RF-pretraining (``icl``: 1-shot + synth)
    adapt(model, task, cfg, out)            stage 2 on one target task
    meta(model, task, cfg1, cfg2, out)      stage 1 into ``out/stage1``, then stage 2 into ``out``
    baseline(model, task, fmt, cfg, out)    stage 2 only, from the base model
    sft(model, data, cfg, out)              any rows in the row schema
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from rulec.cliutil import UserError
from rulec.train import data as D
from rulec.train.config import TrainConfig
from rulec.train.loading import load_tokenizer, resolve_model
from rulec.train.stages import merged_base, prepare_run_dir, run_stage


def _say(msg: str) -> None:
    from rulec.progress import note

    note(msg)


def preflight(model: str, cfg: TrainConfig) -> str:
    """Fail fast, before generating data: options, environment, the model's path."""
    from rulec.train.stages import check_environment

    cfg.validate()
    check_environment(cfg)
    return resolve_model(model)


def generated_rows(cfg: TrainConfig, exclude: tuple[str, ...] = ()) -> tuple[list, list, dict]:
    """Training rows, validation rows and their manifest, generated from ``cfg``'s data fields."""
    tasks = D.select_tasks(cfg.tasks, exclude)
    if not tasks:
        raise UserError(f"no tasks left in {cfg.tasks!r} after excluding {', '.join(exclude)}")
    lengths = D.parse_lengths(cfg.lengths)
    if not lengths:
        raise UserError("no training lengths given (--lengths)")
    _say(f"generating {len(tasks)} task(s) x lengths {cfg.lengths} x {cfg.per_length} ({cfg.format}"
         f"{', 1-shot' if cfg.shots else ''})")
    train = D.generate_rows(tasks, lengths, cfg.per_length, cfg.format, cfg.shots, cfg.data_seed,
                            cfg.data_workers)
    if cfg.synth:
        _say(f"synthesising {cfg.synth} samples")
        train += D.synth_rows(cfg.synth, shots=cfg.shots, nl=cfg.format == "rfft_nl",
                              seed=cfg.data_seed, workers=cfg.data_workers)
    val_lengths = D.parse_lengths(cfg.val_lengths)
    val = []
    if val_lengths:
        # The validation seed is offset so a validation length inside the training range
        # never repeats a training sample.
        val = D.generate_rows(tasks, val_lengths, cfg.val_per_length, cfg.format, cfg.shots,
                              cfg.data_seed + 1_000_003, cfg.data_workers)
    manifest = {"source": "generated", "tasks": tasks, "lengths": list(lengths),
                "per_length": cfg.per_length, "format": cfg.format, "shots": cfg.shots,
                "synthetic": cfg.synth, "seed": cfg.data_seed, "val_lengths": list(val_lengths),
                "val_per_length": cfg.val_per_length}
    return train, val, manifest


def file_rows(data: str, val_data: str | None) -> tuple[list, list, dict]:
    train = D.load_rows(data)
    val = D.load_rows(val_data) if val_data else []
    return train, val, {"source": str(Path(data).resolve()),
                        "val_source": str(Path(val_data).resolve()) if val_data else None}


def train_stage(model: str, cfg: TrainConfig, out: Path, rows: tuple[list, list, dict], *,
                resume: bool = False, overwrite: bool = False, prepared: bool = False,
                callbacks: list | None = None, extra: dict[str, Any] | None = None) -> Path:
    """Tokenise, drop over-long samples, train. ``model`` is what the user passed."""
    path = preflight(model, cfg)
    tokenizer = load_tokenizer(path)  # an adapter's own tokenizer, or its base's
    train, val, manifest = rows
    dataset, report = D.build_dataset(train, tokenizer, cfg.max_length, "training")
    manifest = {**manifest, "train": report}
    eval_dataset = None
    if val:
        eval_dataset, vreport = D.build_dataset(val, tokenizer, cfg.max_length, "validation")
        manifest["validation"] = vreport
    if not prepared:
        prepare_run_dir(out, resume, overwrite)
    base = merged_base(path, out)
    length = f"{cfg.steps} steps" if cfg.steps else f"{cfg.epochs:g} epoch(s)"
    _say(f"training {out}: {report['rows']} samples, {report['tokens']} tokens, "
         f"method {cfg.method}, {length}")
    return run_stage(cfg, base, dataset, out, eval_dataset=eval_dataset, resume=resume,
                     manifest=manifest, callbacks=callbacks,
                     extra={"model_arg": model, **(extra or {})})


def pretrain(model: str, cfg: TrainConfig, out: str | Path, *, data: str | None = None,
             val_data: str | None = None, exclude: tuple[str, ...] = (), **kw) -> Path:
    preflight(model, cfg)
    rows = file_rows(data, val_data) if data else generated_rows(cfg, exclude)
    return train_stage(model, cfg, Path(out), rows, extra={"stage": "pretrain"}, **kw)


def adapt(model: str, task: str | None, cfg: TrainConfig, out: str | Path, *,
          data: str | None = None, val_data: str | None = None, stage: str = "adapt", **kw) -> Path:
    preflight(model, cfg)
    if data:
        rows = file_rows(data, val_data)
    else:
        if not task:
            raise UserError("give --task (or --data)")
        rows = generated_rows(replace(cfg, tasks=task))
    return train_stage(model, cfg, Path(out), rows, extra={"stage": stage, "task": task}, **kw)


def meta(model: str, task: str | None, cfg1: TrainConfig, cfg2: TrainConfig | None,
         out: str | Path, *, stage1: str | None = None, stage1_data: str | None = None,
         data: str | None = None, resume: bool = False, overwrite: bool = False) -> Path:
    """Meta-RFFT: stage 1 into ``out/stage1`` (or reuse the ``stage1`` run), then stage 2 on
    ``task`` into ``out``. ``cfg2=None`` is the ICL model: stage 1 alone, into ``out``."""
    out = Path(out)
    exclude = (task,) if task else ()
    preflight(model, cfg1)
    if cfg2 is not None:
        cfg2.validate()
        if not task and not data:
            raise UserError("meta needs --task (the target task) or --data")
        if task:
            D.select_tasks(task)
    if cfg2 is None:
        return pretrain(model, cfg1, out, data=stage1_data, exclude=exclude, resume=resume,
                        overwrite=overwrite)
    if stage1 is not None and not (Path(stage1) / "final").is_dir():
        raise UserError(f"--stage1 {stage1} is not a finished run directory (no final/)")
    prepare_run_dir(out, resume, overwrite)
    if stage1 is None:
        s1 = out / "stage1"
        if not (resume and (s1 / "final").is_dir()):
            pretrain(model, cfg1, s1, data=stage1_data, exclude=exclude, resume=resume)
        stage1 = str(s1)
    if data:
        rows = file_rows(data, None)
    else:
        if not task:
            raise UserError("give --task (or --data)")
        rows = generated_rows(replace(cfg2, tasks=task))
    return train_stage(stage1, cfg2, out, rows, resume=resume, prepared=True,
                       extra={"stage": "meta", "task": task, "stage1": str(Path(stage1).resolve())})


def baseline(model: str, task: str | None, fmt: str, cfg: TrainConfig, out: str | Path, **kw) -> Path:
    return adapt(model, task, replace(cfg, format=fmt), out, stage=f"baseline-{fmt}", **kw)


def sft(model: str, data: str, cfg: TrainConfig, out: str | Path, *, val_data: str | None = None,
        **kw) -> Path:
    preflight(model, cfg)
    rows = file_rows(data, val_data)
    return train_stage(model, cfg, Path(out), rows, extra={"stage": "sft"}, **kw)


def stats(model: str, cfg: TrainConfig, data: str | None = None) -> str:
    rows = D.load_rows(data) if data else generated_rows(replace(cfg, val_lengths=""))[0]
    tokenizer = load_tokenizer(resolve_model(model))
    return D.format_stats(D.token_stats(rows, tokenizer, cfg.max_length), cfg.max_length)
