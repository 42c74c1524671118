"""One training stage: ``run_stage(cfg, model, dataset, run_dir) -> run_dir``.

TRL's ``SFTTrainer`` on prompt/completion conversations (loss on the completion only), full
fine-tuning, LoRA or PiSSA through peft, padding-free packing or length-grouped padded
batches, early stopping on the validation loss, checkpoints that ``resume`` continues.

Run directory::

    RUN/train_config.json   resolved config, data manifest, rulec and library versions
    RUN/checkpoint-N/       Trainer checkpoints (model or adapter, optimiser, scheduler, RNG)
    RUN/final/              the model (full fine-tuning) or a plain LoRA adapter + tokenizer
    RUN/loss.png            training and validation loss vs step
    RUN/base/               only when the starting model was an adapter: it merged into a
                            full model, which RUN/final's adapter names as its base

A PiSSA adapter is saved converted to a plain LoRA (peft's
``path_initial_model_for_weight_conversion``), so it loads on the unmodified base model.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from rulec import __version__
from rulec.cliutil import UserError
from rulec.progress import note, quiet
from rulec.train.config import TrainConfig, as_dict

PISSA_INIT = "pissa_init"
CONFIG_FILE = "train_config.json"


# ---------------------------------------------------------------- environment checks


def deepspeed_zero_stage() -> int | None:
    """The ZeRO stage ``accelerate launch`` configured for this process, if any."""
    if os.environ.get("ACCELERATE_USE_DEEPSPEED", "").lower() not in ("1", "true", "yes"):
        if not os.environ.get("ACCELERATE_DEEPSPEED_ZERO_STAGE"):
            return None
    stage = os.environ.get("ACCELERATE_DEEPSPEED_ZERO_STAGE")
    if stage:
        return int(stage)
    path = os.environ.get("ACCELERATE_DEEPSPEED_CONFIG_FILE")
    if path and Path(path).is_file():
        try:
            return int(json.loads(Path(path).read_text()).get("zero_optimization", {}).get("stage", 0))
        except (ValueError, json.JSONDecodeError):
            return None
    return None


def check_environment(cfg: TrainConfig) -> None:
    if cfg.method == "pissa" and deepspeed_zero_stage() == 3:
        raise UserError(
            "PiSSA cannot run under DeepSpeed ZeRO-3: its SVD initialisation needs each full weight "
            "matrix, which ZeRO-3 shards across devices; use train/configs/zero2.yaml or --method lora"
        )


def use_packing(cfg: TrainConfig) -> bool:
    """Packing needs a varlen attention kernel to be fast: on a GPU with flash-attention."""
    if cfg.packing != "auto":
        return cfg.packing == "on"
    import importlib.util

    import torch

    return torch.cuda.is_available() and importlib.util.find_spec("flash_attn") is not None


def attention(cfg: TrainConfig, packing: bool) -> str:
    if cfg.attn_implementation != "auto":
        return cfg.attn_implementation
    return "flash_attention_2" if packing and _cuda() else "sdpa"


def dtype_for(cfg: TrainConfig):
    import torch

    precision = cfg.precision
    if precision == "auto":
        precision = "bf16" if _cuda() and torch.cuda.is_bf16_supported() else "fp32"
    return precision, {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[precision]


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


# ---------------------------------------------------------------- the model


def load_training_model(path: str, cfg: TrainConfig, packing: bool):
    """``(model, tokenizer)``; ``path`` is a full model directory or hub id."""
    from transformers import AutoModelForCausalLM

    from rulec.train.loading import load_tokenizer

    _, dtype = dtype_for(cfg)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            path, dtype=dtype, attn_implementation=attention(cfg, packing)
        )
    except OSError as e:
        raise UserError(f"cannot load model {path}: {str(e).splitlines()[0]}") from None
    tokenizer = load_tokenizer(path)
    if tokenizer.chat_template is None:
        raise UserError(f"the tokenizer of {path} has no chat template (use an instruct/chat model)")
    return model, tokenizer


def merged_base(model_path: str, run_dir: Path) -> str:
    """A full model to train from: ``model_path`` itself, or when it is an adapter (a LoRA /
    converted PiSSA stage 1), the adapter merged into its base and saved as ``RUN/base``."""
    from rulec.train.loading import adapter_base, is_adapter, load_tokenizer, resolve_model

    if not is_adapter(model_path):
        return str(Path(model_path).resolve()) if Path(model_path).exists() else model_path
    out = run_dir / "base"
    if (out / "config.json").exists():
        return str(out.resolve())
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base = resolve_model(adapter_base(model_path))
    model = AutoModelForCausalLM.from_pretrained(base, dtype="auto")
    model = PeftModel.from_pretrained(model, model_path).merge_and_unload()
    tmp = run_dir / "base.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    load_tokenizer(model_path).save_pretrained(tmp)
    os.replace(tmp, out)
    return str(out.resolve())


def add_adapter(model, cfg: TrainConfig, run_dir: Path, is_main: bool):
    """Wrap ``model`` in a LoRA / PiSSA adapter; for PiSSA save its initial state to
    ``RUN/pissa_init`` (what the final conversion to plain LoRA subtracts)."""
    import torch
    from peft import LoraConfig, get_peft_model

    targets: Any = cfg.target_modules
    if targets != "all-linear":
        targets = [t.strip() for t in targets.split(",") if t.strip()]
    lora = LoraConfig(
        r=cfg.lora_rank,
        lora_alpha=cfg.lora_alpha or cfg.lora_rank,
        lora_dropout=cfg.lora_dropout,
        target_modules=targets,
        init_lora_weights=cfg.pissa_init if cfg.method == "pissa" else True,
        task_type="CAUSAL_LM",
    )
    torch.manual_seed(cfg.seed)  # the randomised SVD of pissa_niter_N is seeded: resumable
    model = get_peft_model(model, lora)
    if cfg.method == "pissa" and is_main:
        run_dir.mkdir(parents=True, exist_ok=True)
        init = run_dir / PISSA_INIT
        if not (init / "adapter_config.json").exists():
            tmp = run_dir / (PISSA_INIT + ".tmp")
            shutil.rmtree(tmp, ignore_errors=True)
            # Saved as an ordinary LoRA init, so loading it never re-runs the SVD.
            model.peft_config["default"].init_lora_weights = True
            model.save_pretrained(tmp)
            model.peft_config["default"].init_lora_weights = cfg.pissa_init
            os.replace(tmp, init)
    return model


# ---------------------------------------------------------------- callbacks


def _callbacks():
    from transformers import TrainerCallback

    class TokensPerSecond(TrainerCallback):
        """Adds ``tokens_per_s`` (non-padding input tokens) to every log line."""

        def __init__(self) -> None:
            self.last: tuple[float, int] | None = None

        def on_train_begin(self, args, state, control, **kwargs):
            self.last = (time.perf_counter(), state.num_input_tokens_seen)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs is None or "loss" not in logs or self.last is None:
                return
            now, seen = time.perf_counter(), state.num_input_tokens_seen
            t0, s0 = self.last
            if now > t0 and seen > s0:
                logs["tokens_per_s"] = round((seen - s0) / (now - t0), 1)
            self.last = (now, seen)

    return TokensPerSecond


# ---------------------------------------------------------------- trainer arguments


def sft_config(cfg: TrainConfig, run_dir: Path, packing: bool, has_eval: bool, world_size: int = 1):
    from trl import SFTConfig

    precision, _ = dtype_for(cfg)
    early = has_eval and cfg.patience > 0
    report = [r.strip() for r in cfg.report_to.split(",") if r.strip()] or ["none"]
    return SFTConfig(
        output_dir=str(run_dir),
        seed=cfg.seed,
        data_seed=cfg.seed,
        learning_rate=cfg.lr,
        lr_scheduler_type=cfg.scheduler,
        warmup_steps=cfg.warmup_ratio,  # a float below 1 is a ratio of the total steps
        weight_decay=cfg.weight_decay,
        max_steps=cfg.steps if cfg.steps else -1,
        num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.micro_batch_size,
        per_device_eval_batch_size=cfg.micro_batch_size,
        gradient_accumulation_steps=cfg.accumulation(world_size),
        activation_checkpointing=cfg.gradient_checkpointing,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        # The data: completion-only loss; packing (padding-free, sample boundaries kept by
        # position ids) or length-grouped padded batches. Over-long samples were dropped
        # beforehand, so max_length never truncates here.
        completion_only_loss=True,
        packing=packing,
        packing_strategy="bfd",
        padding_free=packing,
        max_length=cfg.max_length if packing else None,
        train_sampling_strategy="group_by_length" if (cfg.group_by_length and not packing) else "random",
        length_column_name="n_tokens",
        dataset_num_proc=None,
        # Evaluation, early stopping, checkpoints, logging
        eval_strategy="steps" if has_eval else "no",
        eval_steps=cfg.eval_steps,
        save_strategy="steps",
        save_steps=cfg.save_steps,
        save_total_limit=cfg.save_total_limit,
        load_best_model_at_end=early,
        metric_for_best_model="eval_loss" if early else None,
        greater_is_better=False if early else None,
        logging_steps=cfg.logging_steps,
        logging_first_step=True,
        include_num_input_tokens_seen="non_padding",
        report_to=report,
        disable_tqdm=not sys.stderr.isatty() or quiet(),
        dataloader_pin_memory=_cuda(),
    )


# ---------------------------------------------------------------- the stage


def last_checkpoint(run_dir: Path) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(str(run_dir)) if run_dir.is_dir() else None


def prepare_run_dir(run_dir: Path, resume: bool, overwrite: bool) -> None:
    if run_dir.exists() and not run_dir.is_dir():
        raise UserError(f"output {run_dir} exists and is not a directory")
    if run_dir.is_dir() and any(run_dir.iterdir()) and not (resume or overwrite):
        raise UserError(f"output directory {run_dir} is not empty; use --resume to continue "
                        "the run or --overwrite to replace it")
    if overwrite and run_dir.is_dir():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)


def write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"rulec": __version__}
    for name in ("torch", "transformers", "peft", "trl", "datasets", "accelerate"):
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            pass
    return out


def run_stage(
    cfg: TrainConfig,
    model: str,
    dataset,
    run_dir: str | Path,
    *,
    eval_dataset=None,
    resume: bool = False,
    manifest: dict[str, Any] | None = None,
    callbacks: list | None = None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Train ``model`` (a full model directory or hub id) on ``dataset`` (prompt/completion
    records) with ``cfg``; write ``run_dir``. ``resume`` continues from the last checkpoint."""
    run = Path(run_dir)
    trainer, tokenizer, record = build_trainer(cfg, model, dataset, run, eval_dataset=eval_dataset)
    record.update(data=manifest or {}, **(extra or {}))
    if trainer.is_world_process_zero():
        write_json(run / CONFIG_FILE, record)
    for cb in callbacks or []:
        trainer.add_callback(cb)

    checkpoint = last_checkpoint(run) if resume else None
    if resume and checkpoint is None:
        note(f"note: no checkpoint in {run}; starting from the beginning")
    result = trainer.train(resume_from_checkpoint=checkpoint)

    if trainer.is_world_process_zero():
        save_final(trainer, cfg, run, tokenizer)
        history = trainer.state.log_history
        plot_losses(history, run / "loss.png", title=f"{run.name} ({cfg.method})")
        record.update(
            complete=True,
            steps=trainer.state.global_step,
            max_steps=trainer.state.max_steps,
            stopped_early=trainer.state.global_step < trainer.state.max_steps,
            best_checkpoint=trainer.state.best_model_checkpoint,
            best_eval_loss=trainer.state.best_metric,
            train_loss=result.training_loss,
            final_loss=_last(history, "loss"),
            final_eval_loss=_last(history, "eval_loss"),
            tokens_seen=trainer.state.num_input_tokens_seen,
            train_runtime=result.metrics.get("train_runtime"),
        )
        write_json(run / CONFIG_FILE, record)
        write_json(run / "log_history.json", {"log_history": history})
    trainer.accelerator.wait_for_everyone()
    return run


def build_trainer(cfg: TrainConfig, model: str, dataset, run: Path, *, eval_dataset=None):
    """``(SFTTrainer, tokenizer, record)`` ready to train ``model`` (a full model directory
    or hub id); ``record`` describes the run for ``train_config.json``."""
    from accelerate import PartialState
    from transformers import EarlyStoppingCallback, set_seed
    from trl import SFTTrainer

    cfg.validate()
    check_environment(cfg)
    if not sys.stderr.isatty() or quiet():  # no per-map progress bars in logs
        import datasets

        datasets.disable_progress_bars()
    if quiet():  # the libraries' own bars (loading and writing weights) and warnings too
        import huggingface_hub.utils
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        huggingface_hub.utils.disable_progress_bars()
    packing = use_packing(cfg)
    set_seed(cfg.seed)
    lm, tokenizer = load_training_model(model, cfg, packing)
    state = PartialState()
    if cfg.method != "full":
        lm = add_adapter(lm, cfg, run, state.is_main_process)
    state.wait_for_everyone()
    has_eval = eval_dataset is not None and len(eval_dataset) > 0
    args = sft_config(cfg, run, packing, has_eval, state.num_processes)
    trainer = SFTTrainer(
        model=lm,
        args=args,
        train_dataset=dataset,
        eval_dataset=eval_dataset if has_eval else None,
        processing_class=tokenizer,
    )
    trainer.callback_handler.callbacks.insert(0, _callbacks()())  # before the printers
    if quiet():  # no per-step log lines either (loss.png and the checkpoints keep them)
        from transformers.trainer_callback import PrinterCallback, ProgressCallback

        trainer.remove_callback(PrinterCallback)
        trainer.remove_callback(ProgressCallback)
    if has_eval and cfg.patience > 0:
        trainer.add_callback(EarlyStoppingCallback(early_stopping_patience=cfg.patience))
    record = {
        "created_by": "rulec train",
        "versions": versions(),
        "model": model,
        "packing": packing,
        "attn_implementation": attention(cfg, packing),
        "precision": dtype_for(cfg)[0],
        "world_size": state.num_processes,
        "grad_accum": args.gradient_accumulation_steps,
        "config": as_dict(cfg),
        "complete": False,
    }
    return trainer, tokenizer, record


def _last(history: list[dict[str, Any]], key: str) -> float | None:
    values = [h[key] for h in history if key in h]
    return values[-1] if values else None


def save_final(trainer, cfg: TrainConfig, run: Path, tokenizer) -> Path:
    """``RUN/final``: the full model, or the adapter (PiSSA converted to plain LoRA)."""
    final, tmp = run / "final", run / "final.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model = trainer.model
    if cfg.method == "full":
        trainer.save_model(str(tmp))
    elif cfg.method == "pissa":
        model.save_pretrained(str(tmp), path_initial_model_for_weight_conversion=str(run / PISSA_INIT))
    else:
        model.save_pretrained(str(tmp))
    tokenizer.save_pretrained(str(tmp))
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)
    return final


def plot_losses(history: list[dict[str, Any]], out: Path, title: str = "") -> None:
    """Training and validation loss vs step (like the paper's Figures 8-10)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(h["step"], h["loss"]) for h in history if "loss" in h]
    val = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    if train:
        ax.plot(*zip(*train), label="training loss")
    if val:
        ax.plot(*zip(*val), marker="o", label="validation loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    tmp = out.with_name(out.stem + ".tmp.png")
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    os.replace(tmp, out)
