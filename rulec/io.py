"""Streaming, atomic, resumable dataset output (JSONL or Parquet).

Rows stream to ``<out>.partial`` (JSONL, one row a line, flushed in batches). A killed
run leaves only that file; ``resume=True`` keeps its complete lines and continues
after them. ``close()`` writes the final format and renames it into place, so the
final name never holds a truncated file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "parquet")


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    return "parquet" if path.suffix == ".parquet" else "jsonl"


def dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


class RowWriter:
    def __init__(self, path: str | Path, fmt: str = "jsonl", resume: bool = False):
        self.path = Path(path)
        self.fmt = fmt
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.done = 0
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume and self.partial.exists():
            self.done = _keep_complete_lines(self.partial)
            self.handle = open(self.partial, "a", encoding="utf-8")
        else:
            self.handle = open(self.partial, "w", encoding="utf-8")
        self.buffer: list[str] = []

    def write(self, row: dict[str, Any]) -> None:
        self.buffer.append(dumps(row))
        if len(self.buffer) >= 256:
            self.flush()

    def write_line(self, line: str) -> None:
        self.buffer.append(line)
        if len(self.buffer) >= 256:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.handle.write("\n".join(self.buffer) + "\n")
            self.buffer.clear()
            self.handle.flush()

    def close(self) -> None:
        self.flush()
        self.handle.close()
        if self.fmt == "jsonl":
            os.replace(self.partial, self.path)
        else:
            tmp = self.path.with_name(self.path.name + ".tmp")
            jsonl_to_parquet(self.partial, tmp)
            os.replace(tmp, self.path)
            self.partial.unlink()

    def abort(self) -> None:
        """Keep the partial file for --resume; never touch the final name."""
        try:
            self.flush()
        finally:
            self.handle.close()


def _keep_complete_lines(path: Path) -> int:
    """Truncate a trailing partial line; return the number of complete lines."""
    with open(path, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        f.truncate(end)
    return data[:end].count(b"\n")


def jsonl_to_parquet(src: Path, dst: Path, batch: int = 4096) -> None:
    """Convert in batches (memory bounded); dict-valued columns with varying keys
    (``inputs``) are stored as JSON strings."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    rows: list[dict] = []

    def flush() -> None:
        nonlocal writer
        if not rows:
            return
        for r in rows:
            if isinstance(r.get("inputs"), dict):
                r["inputs"] = json.dumps(r["inputs"], ensure_ascii=False)
        table = pa.Table.from_pylist(rows)
        if writer is None:
            writer = pq.ParquetWriter(dst, table.schema)
        else:
            table = table.cast(writer.schema)
        writer.write_table(table)
        rows.clear()

    with open(src, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
                if len(rows) >= batch:
                    flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({}), dst)
    else:
        writer.close()


# ---------------------------------------------------------------- reading rows back

DATA_SUFFIXES = (".jsonl", ".parquet")


def data_files(path: str | Path) -> list[Path]:
    """The data files of an output: the file itself, or every ``.jsonl``/``.parquet`` file
    below a directory (sorted; ``.partial`` files, manifests and cards are not data)."""
    p = Path(path)
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in DATA_SUFFIXES)
    if p.is_file():
        return [p]
    raise FileNotFoundError(f"no such file or directory: {p}")


def decode_inputs(row: dict[str, Any]) -> dict[str, Any]:
    """``inputs`` as a dict, whether it was stored as an object or as a JSON string."""
    value = row.get("inputs")
    if isinstance(value, str):
        row["inputs"] = json.loads(value)
    return row


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Rows of any rulec output (a JSONL or Parquet file, or a directory of them), in file
    order, with ``inputs`` decoded to a dict."""
    for f in data_files(path):
        if f.suffix == ".jsonl":
            with open(f, encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        yield decode_inputs(json.loads(line))
        else:
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(f).iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    yield decode_inputs(row)
