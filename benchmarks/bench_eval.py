"""Benchmark evaluation: batched vs one-at-a-time `hf` generation on the tiny model, and the
step checker's throughput beside the trace compiler's, all in one run.

    python benchmarks/bench_eval.py [--samples 32] [--batch-size 16] [--new-tokens 48]

Generation: the same rfft prompts (lc_2544 and nupa_add_integer, lengths 1-5) through the
`hf` backend with a fixed budget, once with ``--batch-size`` and once with batch size 1. The
tiny model is untrained, so every sample runs to the budget and both runs generate exactly
the same number of tokens. Checker: ``Checker.check`` on gold outputs of 8 tasks at length 10
(gold annotation included: the rule is run once per sample to get its events) against
``CompiledRule.run(...).code()`` on the same instances.
"""

from __future__ import annotations

import argparse
import random
import time


def _rows(tasks, lengths, per, fmt="rfft"):
    from rulec.tasks.formats import build_row, compiled
    from rulec.tasks.registry import get_task

    rows = []
    for name in tasks:
        task = get_task(name)
        for n in lengths:
            for i in range(per):
                inputs = task.generate(n, random.Random(f"bench/{name}/{n}/{i}"))
                rows.append(build_row(task, compiled(task), inputs, fmt, length=n, index=i))
    return rows


def bench_generation(samples: int, batch_size: int, new_tokens: int) -> dict:
    from rulec.eval.backends import BackendConfig, Request
    from rulec.eval.backends.hf import HFBackend
    from rulec.train.chat import prompt_messages

    per = max(1, -(-samples // 10))  # 2 tasks x 5 lengths x per >= samples
    rows = _rows(("lc_2544_alternating_digit_sum", "nupa_add_integer"), range(1, 6), per)[:samples]
    backend = HFBackend(BackendConfig(model="tiny", batch_size=batch_size, device="cpu"))

    def run(size: int) -> float:
        backend.config.batch_size = size
        reqs = [Request(r["id"], r, prompt_messages(r), new_tokens) for r in rows]
        t0 = time.perf_counter()
        backend.generate(reqs)
        return len(rows) / (time.perf_counter() - t0)

    run(batch_size)  # warm-up
    batched = run(batch_size)
    single = run(1)
    return {"samples": len(rows), "batched": batched, "single": single, "ratio": batched / single}


def bench_checker(per: int) -> dict:
    from rulec.eval.checker import Checker
    from rulec.tasks.formats import compiled
    from rulec.tasks.registry import get_task

    tasks = ("lc_2544_alternating_digit_sum", "lc_258_add_digits", "lc_283_move_zeroes",
             "nupa_add_integer", "nupa_digit_max_integer", "bbh_navigate", "bbh_word_sorting",
             "coin_flip")
    out = {}
    for fmt in ("rfft", "rfft_nl"):
        rows = _rows(tasks, (10,), per, fmt)
        t0 = time.perf_counter()
        for row in rows:
            Checker().check(row, row["response"])  # a fresh checker: nothing cached
        out[f"checker_{fmt}"] = len(rows) / (time.perf_counter() - t0)
        cut = [r["response"][: len(r["response"]) // 2] for r in rows]
        t0 = time.perf_counter()
        for row, output in zip(rows, cut):
            Checker().check(row, output)  # diverges: the gold trace is annotated from events
        out[f"checker_{fmt}_diverging"] = len(rows) / (time.perf_counter() - t0)
    rules = {t: compiled(get_task(t)) for t in tasks}
    t0 = time.perf_counter()
    for row in rows:
        rules[row["task"]].run(row["inputs"]).code()
    out["compiler_code_trace"] = len(rows) / (time.perf_counter() - t0)
    out["samples"] = len(rows)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=48)
    ap.add_argument("--checker-per-task", type=int, default=50)
    ap.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    args = ap.parse_args()
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    g = bench_generation(args.samples, args.batch_size, args.new_tokens)
    print(f"hf generation, tiny model, {g['samples']} samples x {args.new_tokens} new tokens:")
    print(f"  batch {args.batch_size:>3}: {g['batched']:8.2f} samples/s")
    print(f"  batch   1: {g['single']:8.2f} samples/s")
    print(f"  batched / one-at-a-time: {g['ratio']:.1f}x")
    c = bench_checker(args.checker_per_task)
    print(f"step checker on gold outputs, 8 tasks at length 10, {c['samples']} samples per form:")
    for fmt, name in (("rfft", "code"), ("rfft_nl", "NL")):
        print(f"  checker, {name} traces: {c['checker_' + fmt]:8.0f} samples/s following the trace, "
              f"{c['checker_' + fmt + '_diverging']:8.0f} samples/s truncated halfway")
    print(f"  compiler run + code trace: {c['compiler_code_trace']:8.0f} samples/s")


if __name__ == "__main__":
    main()
