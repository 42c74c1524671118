"""Training data efficiency and speed on the RF-pretraining mix (the tiny model, CPU).

In one run, on the same rows (every RF-pretraining task at a spread of lengths, rfft):

1. the fraction of real (non-padding) tokens in what the trainer feeds the model:
   padding-free packing (TRL ``packing=True, packing_strategy="bfd"``: samples concatenated
   with position ids restarting per sample; the fill of the fixed-length packed rows and of
   the collated batches), length-grouped padded batches (the CPU fallback), and plain
   random padded batches;
2. training throughput (real tokens per second) of the tiny model with packing vs plain
   padded batches vs grouped padded batches, each for the same number of optimiser steps
   of the same batch size.

    python benchmarks/bench_train.py [--per-length 1] [--lengths 1-12] [--steps 8]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def batches(trainer, limit: int | None = None):
    for i, batch in enumerate(trainer.get_train_dataloader()):
        if limit is not None and i >= limit:
            return
        yield batch


def real_fraction(trainer) -> tuple[float, int, int]:
    real = total = 0
    for batch in batches(trainer):
        n = batch["input_ids"].numel()
        mask = batch.get("attention_mask")
        real += int(mask.sum()) if mask is not None else n
        total += n
    return real / total, real, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-length", type=int, default=1)
    ap.add_argument("--lengths", default="1-12")
    ap.add_argument("--batch", type=int, default=8, help="samples per step (padded batches)")
    ap.add_argument("--pack-length", type=int, default=2048,
                    help="packed row length; one packed row a step (longer samples are dropped)")
    ap.add_argument("--steps", type=int, default=8, help="training steps per variant for tokens/s")
    args = ap.parse_args()

    os.environ.setdefault("RULEC_CACHE", str(Path(tempfile.gettempdir()) / "rulec-bench-cache"))
    import torch

    from rulec.train import data as D
    from rulec.train.config import resolve
    from rulec.train.stages import build_trainer
    from rulec.train.tiny import tiny_model_path

    tiny = str(tiny_model_path())
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny)
    tasks = D.select_tasks("pretrain")
    rows = D.generate_rows(tasks, D.parse_lengths(args.lengths), args.per_length, "rfft", 0, 0)
    dataset, report = D.build_dataset(rows, tok, args.pack_length)
    print(f"RF-pretraining mix: {len(tasks)} tasks x lengths {args.lengths} x {args.per_length} = "
          f"{report['rows']} samples, {report['tokens']} tokens "
          f"(median {sorted(dataset['n_tokens'])[len(dataset) // 2]}, max {max(dataset['n_tokens'])}); "
          f"torch threads {torch.get_num_threads()}, load {os.getloadavg()[0]:.1f}")

    variants = {
        "packed (bfd, padding-free)": dict(packing="on", group_by_length=False, micro_batch_size=1,
                                           batch_size=1),
        "grouped padded (CPU default)": dict(packing="off", group_by_length=True),
        "plain padded (random batches)": dict(packing="off", group_by_length=False),
    }
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, over in variants.items():
            sizes = dict(batch_size=args.batch, micro_batch_size=args.batch)
            cfg = resolve("tiny", "adapt", method="full", lr=1e-4, steps=args.steps,
                          **{**sizes, **over}, max_length=args.pack_length, save_steps=10**6, eval_steps=10**6,
                          patience=0, logging_steps=10**6)
            trainer, _, _ = build_trainer(cfg, tiny, dataset, Path(tmp) / name.split()[0])
            frac, real, total = real_fraction(trainer)
            fill = None
            if over["packing"] == "on":
                packed = trainer.train_dataset
                fill = sum(len(x) for x in packed["input_ids"]) / (len(packed) * args.pack_length)
            t0 = time.perf_counter()
            out = trainer.train()
            seconds = time.perf_counter() - t0
            seen = trainer.state.num_input_tokens_seen  # non-padding tokens
            results[name] = dict(frac=frac, fill=fill, tps=seen / seconds, seconds=seconds,
                                 tokens=seen, loss=out.training_loss)

    base = results["plain padded (random batches)"]["tps"]
    print(f"\n{'variant':32} {'real-token fraction':>20} {'tokens/s':>10} {'vs plain':>9}")
    for name, r in results.items():
        frac = f"{r['frac']:.3f}" + (f" (rows {r['fill']:.3f})" if r["fill"] is not None else "")
        print(f"{name:32} {frac:>20} {r['tps']:>10.0f} {r['tps'] / base:>8.2f}x")
    print(f"\n{args.steps} steps per variant; padded: {args.batch} samples a step; packed: one "
          f"row of up to {args.pack_length} tokens a step.")


if __name__ == "__main__":
    main()
