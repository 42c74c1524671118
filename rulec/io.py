"""Streaming, atomic, resumable dataset output (JSONL or Parquet).

Rows stream to ``<out>.partial`` (JSONL, one row a line, flushed in batches). A killed
run leaves only that file; ``resume=True`` keeps its complete lines and continues
after them. ``close()`` writes the final format and renames it into place, so the
final name never holds a truncated file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.errors import RulecError

FORMATS = ("jsonl", "parquet")
MAX_TEXT_FILE = 1 << 20  # rule and glossary files
MAX_LINE = 16 << 20  # one line of an inputs file


class FileError(RulecError):
    """A file that cannot be read or written as asked."""


def read_text(path: str | Path, what: str = "file", limit: int = MAX_TEXT_FILE) -> str:
    """A UTF-8 text file of at most ``limit`` bytes (``/dev/zero`` cannot exhaust memory)."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait forever (it then
        # reads as empty); reads themselves block as usual once the file is open
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        os.set_blocking(fd, True)
        with open(fd, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise FileError(f"no such file: {p}") from None
    except IsADirectoryError:
        raise FileError(f"{p} is a directory, not a {what}") from None
    except OSError as e:
        raise FileError(f"cannot read {p}: {e.strerror}") from None
    if len(data) > limit:
        raise FileError(f"{p} is larger than {limit >> 20} MiB; not a {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileError(f"{p} is not a UTF-8 text file") from None


def iter_lines(path: str | Path, limit: int = MAX_LINE):
    """(line number, text) of a UTF-8 text file (``-``: stdin), each line at most ``limit``
    bytes."""
    import sys

    if str(path) == "-":
        handle = sys.stdin.buffer
    else:
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            raise FileError(f"no such file: {path}") from None
        except IsADirectoryError:
            raise FileError(f"{path} is a directory, not a file of inputs") from None
        except OSError as e:
            raise FileError(f"cannot read {path}: {e.strerror}") from None
    try:
        number = 0
        while True:
            try:
                raw = handle.readline(limit + 1)
            except OSError as e:
                raise FileError(f"cannot read {path}: {e.strerror}") from None
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise FileError(f"{path} line {number} is longer than {limit >> 20} MiB")
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                raise FileError(f"{path} is not a UTF-8 text file (line {number})") from None
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def format_for(path: Path, explicit: str | None) -> str:
    """The file format: ``explicit`` (checked against the suffix), else from the suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if explicit:
        if explicit not in FORMATS:
            raise FileError(f"unknown output format {explicit!r}; choose one of {', '.join(FORMATS)}")
        if suffix in FORMATS and suffix != explicit:
            raise FileError(f"--out-format {explicit} does not match the file name {Path(path).name}")
        return explicit
    if suffix in FORMATS:
        return suffix
    raise FileError(
        f"cannot tell the output format of {Path(path).name}: name it .jsonl or .parquet, "
        "or give --out-format"
    )


def need_pyarrow(fmt: str) -> None:
    """Parquet needs the optional ``pyarrow``: say so before any work starts."""
    if fmt == "parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise FileError("Parquet output needs pyarrow: pip install 'rulec[data]'")


def check_output(path: str | Path, *, directory: bool = False) -> None:
    """Refuse an output path that cannot or must not be written, before any work starts:
    a parent that is not a directory, a name too long, an existing special file
    (device, FIFO, socket) or a symlink to one — rulec only ever replaces regular files."""
    p = Path(path)
    name_max = 255
    try:
        name_max = os.pathconf(_existing_ancestor(p), "PC_NAME_MAX")
    except (OSError, ValueError):
        pass
    if len(p.name.encode("utf-8", "surrogateescape")) + len(".partial") > name_max:
        raise FileError(f"output name {p.name[:40]}… is too long ({len(p.name)} characters)")
    ancestor = _existing_ancestor(p.parent)
    if not ancestor.is_dir():
        raise FileError(f"cannot write {p}: {ancestor} is not a directory")
    if p.is_symlink() or p.exists():
        if directory:
            if not p.is_dir():
                raise FileError(f"output {p} exists and is not a directory")
        elif not p.is_file():
            kind = "a directory" if p.is_dir() else "not a regular file"
            raise FileError(f"output {p} is {kind}; rulec only replaces regular files")


def _existing_ancestor(p: Path) -> Path:
    p = p if str(p) else Path(".")
    while not (p.exists() or p.is_symlink()) and p != p.parent:
        p = p.parent
    return p


def replace_file(src: Path, dst: Path) -> None:
    """``os.replace`` onto a regular file or a new name only (never a device, FIFO,
    directory or a symlink to one)."""
    if dst.is_symlink() or dst.exists():
        if not dst.is_file():
            raise FileError(f"output {dst} is not a regular file; rulec only replaces regular files")
    os.replace(src, dst)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through ``path.tmp`` and a rename: never half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def record_path(partial: Path) -> Path:
    """The run record beside a ``.partial``: the options the interrupted run was started with
    (``synth``, ``compile --rows``), read back by ``--resume``."""
    return partial.with_name(partial.name + ".json")


def dumps(row: dict[str, Any], fields: tuple[str, ...] | None = None) -> str:
    """A row as one JSON line: ``inputs`` as a JSON string (one type in every dataset),
    only ``fields`` when given."""
    if isinstance(row.get("inputs"), dict):
        row = {**row, "inputs": json.dumps(row["inputs"], ensure_ascii=False)}
    if fields is not None:
        row = {k: v for k, v in row.items() if k in fields}
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- dataset directories

DATA_DIR = "data"
CARD = "README.md"
_CARD_MARK = "<!-- written by rulec -->"


def is_directory_output(output: str | Path) -> bool:
    """``-o`` names a dataset directory: an existing directory, a trailing ``/`` or no suffix."""
    p = Path(output)
    return p.is_dir() or not p.suffix or str(output).endswith("/")


DEFAULT_DIR_FORMAT = "parquet"  # the file format of a dataset directory unless --out-format says


def data_file_name(split: str, index: int, count: int, fmt: str) -> str:
    """``data/train-00000-of-00077.jsonl``: the names `datasets` maps to splits."""
    return f"{DATA_DIR}/{split}-{index:05d}-of-{count:05d}.{fmt}"


def earlier_files(directory: Path, target: Path) -> tuple[list[Path], list[Path]]:
    """What an earlier run left in ``DIR/data`` beside ``target`` (the data file this run
    writes), named like it (``train-…``): complete data files, which the card's
    ``data/train-*`` would load together with the new one (e.g. JSONL from before Parquet was
    the default), and ``.partial`` files of another format."""
    folder = directory / DATA_DIR
    if not folder.is_dir():
        return [], []
    prefix = target.name.split("-", 1)[0] + "-"
    done, partials = [], []
    for f in sorted(folder.iterdir()):
        if not f.name.startswith(prefix) or f == target or not f.is_file():
            continue
        if f.suffix in DATA_SUFFIXES:
            done.append(f)
        elif f.suffix == ".partial" and f.name != target.name + ".partial":
            partials.append(f)
    return done, partials


_OUR_TOP = {DATA_DIR, CARD + ".tmp", "manifest.json", "manifest.json.tmp", ".rulec.lock"}
_OUR_DATA = re.compile(r"(train|validation|test)-\d{5}-of-\d{5}\.(jsonl|parquet)(\.partial(\.json)?)?(\.tmp)?")


def is_dataset_dir(directory: Path) -> bool:
    """An empty directory, or one rulec writes datasets into: its card, or (an interrupted run,
    before the card) nothing but rulec's own files — ``data/<split>-…`` shards, their
    ``.partial`` files, a manifest, a lock."""
    entries = list(directory.iterdir())
    if is_our_card(directory / CARD):
        return True
    shards = directory / DATA_DIR
    for entry in entries:
        if entry.name == CARD and shards.is_dir() and any(shards.iterdir()):
            continue  # a card the user edited (rulec keeps it) beside rulec's data
        if entry.name not in _OUR_TOP:
            return False
        if entry.name == DATA_DIR:
            if not entry.is_dir() or entry.is_symlink():
                return False
            if not all(_OUR_DATA.fullmatch(f.name) for f in entry.iterdir()):
                return False
    return True


def check_dataset_dir(directory: str | Path) -> None:
    """Refuse to write a dataset into an existing, non-empty directory rulec did not write
    (``-o`` naming a project folder by mistake), --overwrite or not."""
    d = Path(directory)
    if not d.is_dir():
        return
    try:
        ours = is_dataset_dir(d)
    except OSError as e:
        raise FileError(f"cannot read {d}: {e.strerror}") from None
    if not ours:
        raise FileError(f"{d} is a directory that rulec did not write (it holds other files); "
                        "give a new or empty directory")


def is_our_card(path: Path) -> bool:
    try:
        return _CARD_MARK in path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return False


@dataclass(frozen=True)
class SplitStats:
    num_examples: int  # rows
    num_bytes: int  # bytes of the data files
    digest: bytes  # of the files' names and bytes


def split_stats(out_dir: Path, split: str) -> SplitStats:
    """Rows, bytes and a content digest of the complete data files of one split
    (``DIR/data/<split>-*.jsonl|parquet``, what the card's ``data_files`` pattern loads)."""
    folder = out_dir / DATA_DIR
    files = sorted(f for f in folder.glob(f"{split}-*") if f.is_file() and f.suffix in DATA_SUFFIXES)
    digest = hashlib.blake2b(digest_size=16)
    rows = size = 0
    for f in files:
        digest.update(f"{f.name}\0{f.stat().st_size}\0".encode())
        newlines = 0
        with open(f, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                newlines += chunk.count(b"\n")
        size += f.stat().st_size
        if f.suffix == ".parquet":
            import pyarrow.parquet as pq

            rows += pq.read_metadata(f).num_rows
        else:
            rows += newlines
    return SplitStats(rows, size, digest.digest())


def write_card(out_dir: Path, splits: list[str], fields: list[str], title: str, body: str) -> None:
    """A dataset card (README.md) whose YAML header tells `datasets.load_dataset(DIR)` the
    splits and the features; never replaces a README that rulec did not write."""
    from rulec.rows import features_yaml

    card = out_dir / CARD
    if card.exists() and not is_our_card(card):
        return
    configs = "\n".join(f"  - split: {s}\n    path: {DATA_DIR}/{s}-*" for s in splits)
    stats = {s: split_stats(out_dir, s) for s in splits}
    digest = hashlib.blake2b(digest_size=16)
    for s in splits:
        digest.update(stats[s].digest)
    sizes = "\n".join(f"  - name: {s}\n    num_bytes: {st.num_bytes}\n    num_examples: {st.num_examples}"
                      for s, st in stats.items())
    total = sum(st.num_bytes for st in stats.values())
    # `datasets` keys its cache of a directory with a card on the directory's basename and the
    # card's YAML only (not the data files): the sizes and the data's fingerprint (in the
    # config's description, which it hashes) make the key follow the data
    text = (
        f"---\nconfigs:\n- config_name: default\n"
        f"  description: 'rulec data fingerprint {digest.hexdigest()}'\n  data_files:\n{configs}\n"
        f"dataset_info:\n{features_yaml(fields)}\n  splits:\n{sizes}\n"
        f"  download_size: {total}\n  dataset_size: {total}\n"
        f"---\n{_CARD_MARK}\n# {title}\n\n{body}\n\n"
        "```python\nimport datasets\n"
        'ds = datasets.load_dataset("path/to/this/directory")\n'
        "# `inputs` is a JSON string: rulec.io.decode_inputs(row) turns it back into a dict\n```\n"
    )
    write_atomic(card, text)


class RowWriter:
    def __init__(self, path: str | Path, fmt: str = "jsonl", resume: bool = False):
        self.path = Path(path)
        self.fmt = fmt
        self.partial = self.path.with_name(self.path.name + ".partial")
        self.done = 0
        need_pyarrow(fmt)
        check_output(self.path)
        check_output(self.partial)
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.partial.exists()
            # open without truncating, lock, and only then truncate or keep
            self.handle = open(self.partial, "a", encoding="utf-8")
        except OSError as e:
            raise FileError(f"cannot write {e.filename or self.partial}: {e.strerror}") from None
        lock(self.handle, self.partial)
        if resume and existed:
            self.done = _keep_complete_lines(self.partial)
            self.handle.seek(0, os.SEEK_END)
        else:
            self.handle.truncate(0)
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
            # the buffer is emptied before the write: a Ctrl-C during or right after it may
            # lose rows (--resume makes them again after the last complete line) but never
            # writes them twice (abort() flushes once more)
            data = "\n".join(self.buffer) + "\n"
            self.buffer.clear()
            self.handle.write(data)
            self.handle.flush()

    def close(self) -> None:
        self.close_lines()
        self.finish()

    def close_lines(self) -> None:
        """Every row on disk in the closed partial file; :meth:`finish` makes the final file."""
        self.flush()
        self.handle.close()

    def finish(self) -> None:
        """The final file from the closed partial: renamed (JSONL) or converted (Parquet;
        safe in another thread, the partial stays until the Parquet file is in place)."""
        if self.fmt == "jsonl":
            replace_file(self.partial, self.path)
        else:
            tmp = self.path.with_name(self.path.name + ".tmp")
            jsonl_to_parquet(self.partial, tmp)
            replace_file(tmp, self.path)
            self.partial.unlink()

    def abort(self) -> None:
        """Keep the partial file for --resume (an empty one is removed); never touch the
        final name."""
        try:
            self.flush()
        finally:
            empty = self.handle.tell() == 0
            self.handle.close()
            if empty:
                self.partial.unlink(missing_ok=True)


def lock(handle, path: Path) -> None:
    """An exclusive lock on an open file (released when it is closed): a second run on the
    same output is refused instead of interleaving its rows."""
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise FileError(f"{path} is being written by another rulec run; wait for it or stop it") from None
    except OSError:
        pass  # a file system without locks: go on unlocked


def lock_dir(out_dir: Path):
    """Hold ``DIR/.rulec.lock`` for the lifetime of the returned handle."""
    path = out_dir / ".rulec.lock"
    try:
        handle = open(path, "a")
    except OSError as e:
        raise FileError(f"cannot write {path}: {e.strerror}") from None
    lock(handle, out_dir)
    return handle


def count_rows(path: Path) -> int:
    """Complete rows of a file, its ``.partial``, or every data file and partial under a
    directory (for the `interrupted: N rows kept` line)."""
    files = [path, path.with_name(path.name + ".partial")] if not path.is_dir() else [
        f for f in path.rglob("*") if f.suffix in (".jsonl", ".partial", ".parquet")]
    n = 0
    for f in files:
        if not f.is_file():
            continue
        if f.suffix == ".parquet":
            try:
                import pyarrow.parquet as pq

                n += pq.read_metadata(f).num_rows
            except Exception:
                pass
            continue
        with open(f, "rb") as handle:
            n += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return n


def _keep_complete_lines(path: Path) -> int:
    """Truncate a trailing partial line; return the number of complete lines."""
    with open(path, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        f.truncate(end)
    return data[:end].count(b"\n")


def jsonl_to_parquet(src: Path, dst: Path, batch: int = 4096) -> None:
    """Convert a JSONL file to Parquet (zstd), memory bounded: pyarrow's streaming JSON
    reader (C++, 2-3x faster than parsing in Python), or — for what it cannot read (a line
    longer than its 16 MiB block, a column whose type changes, an old pyarrow) — batches
    parsed in Python."""
    import pyarrow as pa
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    open_json = getattr(pj, "open_json", None)  # pyarrow >= 19
    if open_json is not None and Path(src).stat().st_size > 0:
        writer = None
        try:
            reader = open_json(src, read_options=pj.ReadOptions(block_size=16 << 20))
            if "inputs" not in reader.schema.names or pa.types.is_string(reader.schema.field("inputs").type):
                writer = pq.ParquetWriter(dst, reader.schema, compression="zstd")
                for record_batch in reader:
                    writer.write_batch(record_batch)
                writer.close()
                return
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            if writer is not None:
                writer.close()
        Path(dst).unlink(missing_ok=True)
    _jsonl_to_parquet_batched(src, dst, batch)


def _jsonl_to_parquet_batched(src: Path, dst: Path, batch: int) -> None:
    """Batches parsed in Python; dict-valued ``inputs`` (varying keys) become JSON strings."""
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
            writer = pq.ParquetWriter(dst, table.schema, compression="zstd")
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


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every row of a rulec output (file or directory), for the trainer and the evaluator;
    a missing, unreadable or empty data set is one ``DataError`` line."""
    from rulec.errors import DataError

    p = Path(path)
    if not p.exists():
        raise DataError(f"no such data file or directory: {p}")
    try:
        rows = list(read_rows(p))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataError(f"{p}: not a rulec data set ({e})") from None
    except OSError as e:
        raise DataError(f"cannot read {p}: {e}") from None
    except Exception as e:  # pyarrow errors on a broken parquet file
        raise DataError(f"cannot read {p}: {type(e).__name__}: {str(e).splitlines()[0]}") from None
    if not rows:
        raise DataError(f"the data set {p} is empty (expected .jsonl or .parquet files)")
    return rows
