"""Instruction datasets: local JSONL / JSON / Parquet files or ``datasets`` directories
(``save_to_disk``), in Alpaca style (instruction / input / output) or chat style (UltraChat's
``messages``, ShareGPT's ``conversations``), mapped to (instruction, response) pairs."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.errors import DataError


@dataclass
class FieldMap:
    """Which fields hold what. ``style="auto"`` picks chat style when ``messages_field`` is
    present in a row, Alpaca style otherwise."""

    style: str = "auto"  # auto | alpaca | chat
    instruction: str = "instruction"
    input: str = "input"
    output: str = "output"
    messages: str = "messages"


@dataclass
class Pair:
    index: int  # position in the source
    instruction: str  # the user turn (instruction + input)
    response: str  # the reference response
    fields: dict[str, str]


_ROLE_NAMES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant",
               "system": "system"}


def _chat_pair(turns: Any) -> tuple[str, str] | None:
    """The first user turn and the assistant turn after it."""
    if not isinstance(turns, list):
        return None
    norm = []
    for t in turns:
        if not isinstance(t, dict):
            return None
        role = _ROLE_NAMES.get(str(t.get("role", t.get("from", ""))).lower())
        content = t.get("content", t.get("value"))
        if role and isinstance(content, str):
            norm.append((role, content))
    for i, (role, content) in enumerate(norm[:-1]):
        if role == "user" and norm[i + 1][0] == "assistant":
            return content, norm[i + 1][1]
    return None


def to_pair(index: int, row: dict[str, Any], fm: FieldMap) -> Pair | None:
    chat_field = fm.messages if fm.messages in row else ("conversations" if "conversations" in row else None)
    if fm.style == "chat" or (fm.style == "auto" and chat_field):
        got = _chat_pair(row.get(chat_field or fm.messages))
        if not got:
            return None
        instruction, response = got
        fields = {"instruction": instruction}
    else:
        instruction = row.get(fm.instruction)
        response = row.get(fm.output)
        extra = row.get(fm.input)
        if not isinstance(instruction, str) or not isinstance(response, str):
            return None
        fields = {"instruction": instruction}
        if isinstance(extra, str) and extra.strip():
            fields["input"] = extra
            instruction = f"{instruction.strip()}\n\n{extra.strip()}"
    if not instruction.strip() or not response.strip():
        return None
    return Pair(index, instruction.strip(), response.strip(), fields)


def _is_dataset_dir(p: Path) -> bool:
    return any((p / n).exists() for n in ("dataset_info.json", "state.json", "dataset_dict.json"))


def read_source(path: str, split: str | None = None) -> Iterator[dict[str, Any]]:
    p = Path(path)
    if not p.exists():
        raise DataError(f"no such file or directory: {path}")
    if p.is_dir():
        if not _is_dataset_dir(p):
            raise DataError(f"{path} is a directory but not a `datasets` save_to_disk directory")
        yield from _read_dataset_dir(p, split)
        return
    if p.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(p).iter_batches(batch_size=1024):
            yield from batch.to_pylist()
        return
    try:
        with open(p, encoding="utf-8") as f:
            if p.suffix == ".json":
                data = json.load(f)
                if not isinstance(data, list):
                    raise DataError(f"{path}: expected a JSON list of objects")
                yield from data
                return
            for number, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as e:
                        raise DataError(f"{path} line {number}: not JSON ({e.msg})") from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not a UTF-8 text file") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: not JSON ({e.msg})") from None


def _read_dataset_dir(p: Path, split: str | None) -> Iterator[dict[str, Any]]:
    from datasets import DatasetDict, load_from_disk

    ds = load_from_disk(str(p))
    if isinstance(ds, DatasetDict):
        names = list(ds)
        chosen = split or ("train" if "train" in names else names[0] if len(names) == 1 else None)
        if chosen not in ds:
            raise DataError(f"{p} has splits {names}; choose one with --split")
        ds = ds[chosen]
    yield from ds


def load_pairs(path: str, fm: FieldMap, n: int | None = None, seed: int = 0,
               split: str | None = None) -> tuple[list[Pair], int]:
    """``(pairs, skipped)``: usable pairs (a seeded sample of ``n`` of them, in source order)
    and how many rows had no usable instruction/response."""
    pairs, skipped = [], 0
    for i, row in enumerate(read_source(path, split)):
        pair = to_pair(i, row, fm) if isinstance(row, dict) else None
        if pair is None:
            skipped += 1
        else:
            pairs.append(pair)
    if not pairs:
        raise DataError(
            f"{path}: no usable rows (looked for {fm.instruction!r}/{fm.output!r} or a "
            f"{fm.messages!r} list; map fields with --instruction-field/--output-field/--messages-field)")
    if n is not None and n < len(pairs):
        chosen = sorted(random.Random(seed).sample(range(len(pairs)), n))
        pairs = [pairs[i] for i in chosen]
    return pairs, skipped
