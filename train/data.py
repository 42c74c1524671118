"""Training data: rows (generated in-process or read from disk) to a ``datasets.Dataset`` of
TRL prompt/completion conversations, with samples longer than ``max_length`` dropped and
counted (never truncated).

Generated rows are the rows ``rulec tasks gen`` writes for the same options: sample
``index`` of ``task`` at ``length`` draws from ``Random(f"{seed}/{task}/{length}/{index}")``.
The chat messages come from :mod:`rulec.train.chat`, the one place the evaluator takes them
from too.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rulec.cliutil import UserError
from rulec.train.chat import completion_messages, prompt_messages


def parse_lengths(text: str) -> tuple[int, ...]:
    """``"1-15"``, ``"31"``, ``"1,3,5-7"`` -> ascending lengths; ``""`` -> none."""
    out: set[int] = set()
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise UserError(f"bad lengths {text!r}: expected e.g. 5, 1-15 or 1,3,6-10") from None
        if a < 1 or b < a:
            raise UserError(f"bad lengths {text!r}: need 1 <= start <= end")
        out.update(range(a, b + 1))
    return tuple(sorted(out))


def select_tasks(spec: str, exclude: Iterable[str] = ()) -> list[str]:
    """``pretrain`` / ``adapt`` (a split) or a comma list of task names (checked)."""
    from rulec.tasks.registry import UnknownTaskError, all_tasks, get_task

    skip = set(exclude)
    if spec in ("pretrain", "adapt"):
        return [t.name for t in all_tasks() if t.split == spec and t.name not in skip]
    names = [n.strip() for n in spec.split(",") if n.strip()]
    if not names:
        raise UserError("no tasks selected")
    for name in names:
        try:
            get_task(name)
        except UnknownTaskError as e:
            raise UserError(str(e)) from None
    return [n for n in names if n not in skip]


def _task_rows(job: tuple[str, tuple[int, ...], int, str, int, int]) -> list[dict[str, Any]]:
    from rulec.compiler import BudgetError
    from rulec.tasks.formats import SHOT_MAX_LENGTH, build_row, compiled, exemplar_for
    from rulec.tasks.registry import get_task

    name, lengths, per_length, fmt, shots, seed = job
    task = get_task(name)
    rule = compiled(task)
    rows = []
    for length in lengths:
        for index in range(per_length):
            rng = random.Random(f"{seed}/{name}/{length}/{index}")
            inputs = task.generate(length, rng)
            exemplar = exemplar_for(task, inputs, rng, SHOT_MAX_LENGTH) if shots else None
            try:
                rows.append(build_row(task, rule, inputs, fmt, length=length, index=index,
                                      shots=shots, exemplar_inputs=exemplar))
            except BudgetError:
                continue
    return rows


def generate_rows(tasks: list[str], lengths: tuple[int, ...], per_length: int, fmt: str = "rfft",
                  shots: int = 0, seed: int = 0, workers: int = 1) -> list[dict[str, Any]]:
    """Rows of ``tasks`` x ``lengths`` x ``per_length`` in the row schema, in plan order."""
    from rulec.tasks.formats import FormatError, check_format

    try:
        check_format(fmt, shots)
    except FormatError as e:
        raise UserError(str(e)) from None
    jobs = [(t, lengths, per_length, fmt, shots, seed) for t in tasks]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_task_rows, jobs, chunksize=1)
    else:
        parts = [_task_rows(j) for j in jobs]
    return [row for part in parts for row in part]


def synth_rows(n: int, *, shots: int = 1, nl: bool = False, seed: int = 0,
               workers: int = 1) -> list[dict[str, Any]]:
    """``n`` rows of ``rulec synth`` (written to a temporary file by the library, read back)."""
    from rulec.io import read_rows
    from rulec.snippets.synth import SynthConfig, synthesise

    with tempfile.TemporaryDirectory(prefix="rulec-synth-") as tmp:
        out = Path(tmp) / "synth.jsonl"
        synthesise(n, out, SynthConfig(seed=seed, shots=shots, nl=nl), workers=workers,
                   progress=sys.stderr.isatty())
        return list(read_rows(out))


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a ``rulec tasks gen`` / ``rulec synth`` output (file or directory)."""
    from rulec.io import load_rows as read_all

    rows = read_all(path)
    for row in rows[:1]:
        if not (row.get("messages") or ("prompt" in row and "response" in row)):
            raise UserError(f"{path}: rows need 'messages' or 'prompt' and 'response'")
    return rows


# ---------------------------------------------------------------- rows -> Dataset


def to_records(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """TRL conversational prompt/completion records, with the task and length kept aside."""
    for row in rows:
        yield {
            "prompt": prompt_messages(row),
            "completion": completion_messages(row),
            "task": str(row.get("task", "")),
            "task_length": int(row.get("length") or 0),
        }


def count_tokens(tokenizer, records: list[dict[str, Any]]) -> list[int]:
    """Tokens of each record exactly as TRL tokenises it (the chat template over prompt +
    completion)."""
    return [
        len(tokenizer.apply_chat_template(r["prompt"] + r["completion"], tokenize=True, return_dict=False))
        for r in records
    ]


def build_dataset(rows: list[dict[str, Any]], tokenizer, max_length: int, what: str = "training"):
    """``(Dataset, report)``: samples over ``max_length`` tokens dropped and counted."""
    from datasets import Dataset

    records = list(to_records(rows))
    lengths = count_tokens(tokenizer, records)
    kept, dropped = [], Counter()
    counts: Counter = Counter()
    for rec, n in zip(records, lengths):
        key = f"{rec['task']}/L{rec['task_length']}"
        if n > max_length:
            dropped[key] += 1
            continue
        rec["n_tokens"] = n
        kept.append(rec)
        counts[key] += 1
    if not kept:
        longest = max(lengths) if lengths else 0
        raise UserError(f"--max-length {max_length} drops every {what} sample "
                        f"({len(records)} samples, the longest has {longest} tokens)")
    report = {
        "rows": len(kept),
        "dropped_too_long": sum(dropped.values()),
        "dropped": dict(sorted(dropped.items())),
        "tokens": sum(r["n_tokens"] for r in kept),
        "counts": dict(sorted(counts.items())),
    }
    if dropped:
        from rulec.progress import note

        note(f"note: dropped {report['dropped_too_long']} {what} samples longer than "
             f"{max_length} tokens ({_summary(dropped)})")
    return Dataset.from_list(kept), report


def _summary(counter: Counter, limit: int = 6) -> str:
    items = counter.most_common(limit)
    more = len(counter) - len(items)
    return ", ".join(f"{k}: {v}" for k, v in items) + (f", +{more} more" if more > 0 else "")


# ---------------------------------------------------------------- `rulec train stats`


def token_stats(rows: list[dict[str, Any]], tokenizer,
                max_length: int | None = None) -> list[dict[str, Any]]:
    """Token counts (min / median / max, and how many exceed ``max_length``) by task x length."""
    records = list(to_records(rows))
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for rec, n in zip(records, count_tokens(tokenizer, records)):
        groups[(rec["task"], rec["task_length"])].append(n)
    return [
        {"task": t, "length": n, "samples": len(v), "min": min(v),
         "median": int(statistics.median(v)), "max": max(v),
         **({"over": sum(x > max_length for x in v)} if max_length is not None else {})}
        for (t, n), v in sorted(groups.items())
    ]


def format_stats(table: list[dict[str, Any]], max_length: int | None = None) -> str:
    head = ["task", "length", "samples", "min", "median", "max"]
    if max_length is not None:
        head.append(f"over_{max_length}")
    rows = [head] + [[str(r[k if not k.startswith("over_") else "over"]) for k in head] for r in table]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    all_max = max((r["max"] for r in table), default=0)
    total = sum(r["samples"] for r in table)
    lines.append(f"{total} samples; longest {all_max} tokens")
    if max_length is not None:
        over = sum(r["over"] for r in table)
        lines.append(f"--max-length {max_length} would drop {over} of {total} samples")
    return "\n".join(lines)
