"""Training configuration: one dataclass per stage, presets, and resolution of overrides.

A preset holds two stage configs: ``pretrain`` (stage 1, RF-pretraining) and ``adapt``
(stage 2, downstream adaptation; also used by ``baseline`` and ``sft``). Table 3 of the
paper gives the ``qwen2.5-7b`` and ``qwen2.5-32b`` values; ``tiny`` is sized for a CPU.

    cfg = resolve("qwen2.5-7b", "pretrain", lr=2e-5)

Every field carries ``metadata={"help": ...}``; the command line exposes every field as an
option (``--lr``, ``--steps``, ``--batch-size``, ...), so the help text lives here once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from rulec.cliutil import UserError

METHODS = ("full", "lora", "pissa")
PACKING = ("auto", "on", "off")
PRECISIONS = ("auto", "bf16", "fp16", "fp32")
STAGES = ("pretrain", "adapt")


@dataclass
class TrainConfig:
    """One training stage: the model update, the optimiser, the data, the bookkeeping."""

    # --- what is trained
    method: str = field(default="pissa", metadata={"help": "full | lora | pissa (LoRA initialised from the principal singular vectors)."})
    lora_rank: int = field(default=8, metadata={"help": "LoRA / PiSSA rank."})
    lora_alpha: int = field(default=0, metadata={"help": "LoRA alpha; 0 = the rank (scaling 1, as PiSSA assumes)."})
    lora_dropout: float = field(default=0.0, metadata={"help": "Dropout on the LoRA path."})
    target_modules: str = field(default="all-linear", metadata={"help": "Modules that get adapters: 'all-linear' or a comma list (q_proj,v_proj)."})
    pissa_init: str = field(default="pissa_niter_16", metadata={"help": "peft init_lora_weights for PiSSA: 'pissa' (full SVD) or 'pissa_niter_N' (fast randomised SVD)."})
    # --- optimisation
    lr: float = field(default=1e-5, metadata={"help": "Peak learning rate."})
    scheduler: str = field(default="cosine", metadata={"help": "Learning-rate schedule (transformers name: cosine, linear, constant, ...)."})
    warmup_ratio: float = field(default=0.03, metadata={"help": "Linear warm-up as a fraction of the steps (the paper does not give one)."})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay."})
    steps: int = field(default=0, metadata={"help": "Optimiser steps; 0 = run --epochs over the data."})
    epochs: float = field(default=1.0, metadata={"help": "Epochs when --steps is 0."})
    batch_size: int = field(default=32, metadata={"help": "Global batch size (samples per optimiser step, all devices)."})
    micro_batch_size: int = field(default=4, metadata={"help": "Samples per device per forward pass."})
    grad_accum: int = field(default=0, metadata={"help": "Gradient-accumulation steps; 0 = batch-size / (micro-batch-size x devices)."})
    max_length: int = field(default=4096, metadata={"help": "Longest sample in tokens; longer samples are dropped and counted, never truncated."})
    packing: str = field(default="auto", metadata={"help": "Padding-free packing: on | off | auto (on with flash-attention on a GPU, off on CPU)."})
    group_by_length: bool = field(default=True, metadata={"help": "Without packing: batch samples of similar length (little padding)."})
    gradient_checkpointing: bool = field(default=False, metadata={"help": "Recompute activations in the backward pass (less memory)."})
    precision: str = field(default="auto", metadata={"help": "auto (bf16 on GPU, fp32 on CPU) | bf16 | fp16 | fp32."})
    attn_implementation: str = field(default="auto", metadata={"help": "auto | sdpa | eager | flash_attention_2 | flash_attention_3."})
    seed: int = field(default=0, metadata={"help": "Seed for initialisation, data order and dropout."})
    # --- evaluation, checkpoints, logging
    eval_steps: int = field(default=50, metadata={"help": "Validation loss every N steps (when there is validation data)."})
    patience: int = field(default=3, metadata={"help": "Early stopping: evaluations without improvement before stopping; 0 = off."})
    save_steps: int = field(default=50, metadata={"help": "Checkpoint every N steps (a multiple of --eval-steps under early stopping)."})
    save_total_limit: int = field(default=3, metadata={"help": "Checkpoints kept (the best one is always kept)."})
    logging_steps: int = field(default=10, metadata={"help": "Log loss, learning rate and tokens/s every N steps."})
    report_to: str = field(default="none", metadata={"help": "none | tensorboard | wandb | all (comma list allowed)."})
    # --- data generated in-process (ignored with --data)
    tasks: str = field(default="pretrain", metadata={"help": "Tasks: 'pretrain' (the RF-pretraining split), 'adapt', or a comma list of names."})
    lengths: str = field(default="1-15", metadata={"help": "Training lengths, e.g. 1-15 or 1,3,5-7."})
    per_length: int = field(default=300, metadata={"help": "Training samples per task per length."})
    val_lengths: str = field(default="31", metadata={"help": "Validation lengths ('' = no validation set)."})
    val_per_length: int = field(default=20, metadata={"help": "Validation samples per task per length."})
    format: str = field(default="rfft", metadata={"help": "direct | scratchpad | rfft | rfft_nl."})
    shots: int = field(default=0, metadata={"help": "1 = a 1-shot exemplar in every prompt (the ICL model)."})
    synth: int = field(default=0, metadata={"help": "Synthetic `rulec synth` samples added to the training data."})
    data_seed: int = field(default=0, metadata={"help": "Seed of the generated data (as `rulec tasks gen --seed`)."})
    data_workers: int = field(default=1, metadata={"help": "Processes generating the data."})

    def validate(self) -> None:
        def bad(msg: str) -> None:
            raise UserError(msg)

        if self.method not in METHODS:
            bad(f"--method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.packing not in PACKING:
            bad(f"--packing must be one of {', '.join(PACKING)}, not {self.packing!r}")
        if self.precision not in PRECISIONS:
            bad(f"--precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")
        if self.method != "full" and self.lora_rank < 1:
            bad("--lora-rank must be at least 1")
        if self.method == "pissa" and not (self.pissa_init == "pissa" or self.pissa_init.startswith("pissa_niter_")):
            bad(f"--pissa-init must be 'pissa' or 'pissa_niter_N', not {self.pissa_init!r}")
        for name in ("batch_size", "micro_batch_size", "max_length", "eval_steps", "save_steps", "logging_steps"):
            if getattr(self, name) < 1:
                bad(f"--{name.replace('_', '-')} must be at least 1")
        if self.steps < 0 or self.epochs <= 0:
            bad("--steps must be >= 0 and --epochs > 0")
        if self.lr <= 0:
            bad("--lr must be positive")
        if self.shots not in (0, 1):
            bad("--shots must be 0 or 1")
        if self.patience and self.save_steps % self.eval_steps:
            bad(f"--save-steps ({self.save_steps}) must be a multiple of --eval-steps ({self.eval_steps}) "
                "under early stopping (--patience 0 turns it off)")

    def accumulation(self, world_size: int = 1) -> int:
        """Gradient-accumulation steps so that one optimiser step sees ``batch_size`` samples."""
        if self.grad_accum:
            return self.grad_accum
        per_step = self.micro_batch_size * world_size
        if self.batch_size % per_step:
            raise UserError(
                f"--batch-size {self.batch_size} is not a multiple of --micro-batch-size "
                f"{self.micro_batch_size} x {world_size} device(s); set --grad-accum explicitly"
            )
        return max(1, self.batch_size // per_step)


# Table 3 of the paper (appendix B); the same learning rate, one epoch, early stopping on
# the length-31 validation loss. Table 3's step counts are where early stopping ended.
_PAPER_PRETRAIN = dict(lr=1e-5, epochs=1.0, batch_size=256, micro_batch_size=4, max_length=4096,
                       tasks="pretrain", lengths="1-15", per_length=300, val_lengths="31",
                       val_per_length=20, eval_steps=50, save_steps=50, patience=3)
_PAPER_ADAPT = dict(method="pissa", lora_rank=8, lr=1e-5, steps=156, epochs=1.0, batch_size=32,
                    micro_batch_size=4, max_length=4096, tasks="adapt", lengths="1-5",
                    per_length=1000, val_lengths="", patience=0, save_steps=52, eval_steps=52)

PRESETS: dict[str, dict[str, TrainConfig]] = {
    "qwen2.5-7b": {
        "pretrain": TrainConfig(method="full", steps=800, **_PAPER_PRETRAIN),
        "adapt": TrainConfig(**_PAPER_ADAPT),
    },
    "qwen2.5-32b": {
        "pretrain": TrainConfig(method="pissa", lora_rank=32, steps=700, gradient_checkpointing=True,
                                **_PAPER_PRETRAIN),
        "adapt": TrainConfig(gradient_checkpointing=True, **_PAPER_ADAPT),
    },
    # CPU: the tiny model, a few tasks' worth of short samples, tens of steps.
    "tiny": {
        "pretrain": TrainConfig(method="full", lr=1e-3, scheduler="constant", warmup_ratio=0.0,
                                steps=30, batch_size=8, micro_batch_size=8, max_length=1024,
                                tasks="pretrain", lengths="1-3", per_length=2, val_lengths="6",
                                val_per_length=1, eval_steps=10, save_steps=10, patience=3,
                                logging_steps=5),
        "adapt": TrainConfig(method="pissa", lora_rank=8, lr=1e-3, scheduler="constant",
                             warmup_ratio=0.0, steps=20, batch_size=8, micro_batch_size=8,
                             max_length=1024, tasks="adapt", lengths="1-3", per_length=8,
                             val_lengths="", patience=0, eval_steps=10, save_steps=10,
                             logging_steps=5, pissa_init="pissa_niter_4"),
    },
}

DEFAULT_PRESET = "tiny"


def field_names() -> list[str]:
    return [f.name for f in fields(TrainConfig)]


def coerce(name: str, value: Any) -> Any:
    """``value`` (a string from ``--s1 KEY=VALUE`` or a config file) as the field's type."""
    kinds = {f.name: f.type for f in fields(TrainConfig)}
    if name not in kinds:
        import difflib

        close = difflib.get_close_matches(name, list(kinds), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UserError(f"unknown training option {name!r}{hint}")
    if not isinstance(value, str):
        return value
    kind = kinds[name]
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            if value.lower() in ("1", "true", "yes", "on"):
                return True
            if value.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
    except ValueError:
        raise UserError(f"option {name}: expected {kind}, got {value!r}") from None
    return value


def resolve(preset: str = DEFAULT_PRESET, stage: str = "adapt", **overrides: Any) -> TrainConfig:
    """The preset's config for ``stage`` with ``overrides`` applied (``None`` = keep)."""
    if preset not in PRESETS:
        import difflib

        close = difflib.get_close_matches(preset, list(PRESETS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; choose one of {', '.join(PRESETS)}"
        raise UserError(f"unknown preset {preset!r}{hint}")
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    changes = {k: coerce(k, v) for k, v in overrides.items() if v is not None}
    cfg = replace(PRESETS[preset][stage], **changes)
    cfg.validate()
    return cfg


def as_dict(cfg: TrainConfig) -> dict[str, Any]:
    return asdict(cfg)


def describe() -> str:
    """Every preset, resolved, as aligned text (``rulec train presets``)."""
    names = field_names()
    columns = [(p, s, PRESETS[p][s]) for p in PRESETS for s in STAGES]
    head = ["option"] + [f"{p}/{s}" for p, s, _ in columns]
    rows = [head] + [[n] + [str(getattr(c, n)) for _, _, c in columns] for n in names]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


__all__ = ["TrainConfig", "PRESETS", "resolve", "describe", "coerce", "field_names"]
