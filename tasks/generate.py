"""Deterministic, parallel, resumable generation of task datasets (`rulec tasks gen`).

Determinism. Sample ``index`` of ``task`` at ``length`` draws everything (its inputs
and its 1-shot exemplar) from ``random.Random(f"{seed}/{task}/{length}/{index}")``
and nothing else, and results are written in plan order, so the output is
byte-identical whatever the number of workers and however often a run was
interrupted and resumed.

Output layout (``DIR``), as Hugging Face ``datasets`` expects it, so that
``datasets.load_dataset(DIR)`` loads every row with its features::

    README.md                                  dataset card: YAML configs + features
    data/<split>-00000-of-000NN.parquet        one shard per task (Parquet with zstd, or
                                               .jsonl with out_format="jsonl"), in the order
                                               of the tasks; lengths ascending, then index
    manifest.json                              config, counts per task x length, dropped

``<split>`` is ``train`` unless the config says otherwise (``paper-val``: validation,
``paper-test``: test); task names never appear in file names, so none of them is
mistaken for a split.

Rows stream to ``<shard>.partial`` through :class:`rulec.io.RowWriter` and are
renamed into place when the shard is complete; ``manifest.json`` is rewritten
atomically after every shard. A killed run rerun with ``resume=True`` skips the
complete shards and continues the partial one after its last complete row.

A row is dropped (and counted in the manifest) when ``len(prompt) + len(response)``
exceeds ``max_chars`` or its run exceeds the compiler's budgets. Samples are never
redrawn, so ``dropped[task][length] = per_length - counts[task][length]``.

Memory is bounded: samples are produced in chunks, at most a few chunks per
worker are in flight, and rows go straight to disk.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rulec import __version__
from rulec.cliutil import FIELDS_HELP, fields_error, kept_fields, plural
from rulec.compiler import BudgetError, RuleError
from rulec.errors import ConfigError
from rulec.io import (
    CARD,
    DATA_DIR,
    RowWriter,
    check_dataset_dir,
    check_output,
    data_file_name,
    dumps,
    is_our_card,
    lock_dir,
    write_atomic,
    write_card,
)
from rulec.io import FORMATS as OUT_FORMATS
from rulec.isolate import DEFAULT_LIMITS, Limits
from rulec.parallel import Failure, ordered_map
from rulec.rows import ROW_FIELDS
from rulec.tasks.formats import SHOT_MAX_LENGTH, build_row, check_format, compiled, exemplar_for
from rulec.tasks.registry import get_task

MANIFEST = "manifest.json"
DATASET_SPLITS = ("train", "validation", "test")
LOCK = ".rulec.lock"
CHUNK_SIZE = 25
FILE_SUFFIXES = (".jsonl", ".parquet", ".json", ".csv")  # -o names a file, not a directory
_ID_RE = re.compile(rb'^\{"id":"[^"]*-L(\d+)-(\d+)"')


class GenerateError(ConfigError):
    """A problem with the options or the output directory (a user error)."""


def _help(text: str) -> dict:
    return {"help": text}


@dataclass(frozen=True)
class GenConfig:
    """Everything that determines the content of a generated dataset."""

    tasks: tuple[str, ...] = field(metadata=_help("Task names."))
    lengths: tuple[int, ...] = field(
        default=tuple(range(1, 16)), metadata=_help("Lengths, e.g. 1-15, 31 or 1,3,6-10."))
    per_length: int = field(default=300, metadata=_help("Samples per task and length."))
    format: str = field(default="rfft", metadata=_help("direct, scratchpad, rfft or rfft_nl."))
    shots: int = field(default=0, metadata=_help("1: a 1-shot exemplar in every prompt."))
    seed: int = field(default=0, metadata=_help("Seed; the output depends on nothing else."))
    max_chars: int | None = field(
        default=None, metadata=_help("Drop rows whose prompt + response exceed this many characters."))
    out_format: str = field(
        default="parquet", metadata=_help("Shard file format: parquet (zstd) or jsonl."))
    shot_max_length: int = field(
        default=SHOT_MAX_LENGTH, metadata=_help("Longest length of a 1-shot exemplar."))
    preset: str | None = field(default=None, metadata=_help("The preset the options came from."))
    dataset_split: str = field(
        default="train", metadata=_help("The `datasets` split of the rows: train, validation or test."))
    fields: tuple[str, ...] | None = field(
        default=None, metadata=_help(FIELDS_HELP))

    def validate(self) -> None:
        if not self.tasks:
            raise GenerateError("no tasks selected")
        seen: set[str] = set()
        for name in self.tasks:
            if name in seen:
                raise GenerateError(f"task {name!r} is given twice")
            seen.add(name)
            get_task(name)  # UnknownTaskError with a did-you-mean hint
        if not self.lengths:
            raise GenerateError("no lengths selected")
        if min(self.lengths) < 1:
            raise GenerateError("lengths start at 1")
        if list(self.lengths) != sorted(set(self.lengths)):
            raise GenerateError("lengths must be ascending and distinct")
        if self.per_length < 1:
            raise GenerateError(f"per-length must be at least 1, not {self.per_length}")
        check_format(self.format, self.shots)
        if self.max_chars is not None and self.max_chars < 1:
            raise GenerateError(f"max-chars must be at least 1, not {self.max_chars}")
        if self.out_format not in OUT_FORMATS:
            raise GenerateError(f"unknown output format {self.out_format!r}; choose one of {', '.join(OUT_FORMATS)}")
        if self.shot_max_length < 1:
            raise GenerateError("the exemplar length must be at least 1")
        if self.dataset_split not in DATASET_SPLITS:
            raise GenerateError(f"unknown dataset split {self.dataset_split!r}; choose one of "
                                f"{', '.join(DATASET_SPLITS)}")
        problem = fields_error(self.fields, ROW_FIELDS)
        if problem:
            raise GenerateError(problem)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["tasks"] = list(self.tasks)
        d["lengths"] = list(self.lengths)
        d["fields"] = list(self.fields) if self.fields is not None else None
        return d

    @property
    def rows_planned(self) -> int:
        return len(self.tasks) * len(self.lengths) * self.per_length


def sample_rng(seed: int, task: str, length: int, index: int) -> random.Random:
    return random.Random(f"{seed}/{task}/{length}/{index}")


def sample_line(cfg: GenConfig, task_name: str, length: int, index: int) -> str | None:
    """The JSON line of one sample, or None when it is dropped."""
    task = get_task(task_name)
    rule = compiled(task)
    rng = sample_rng(cfg.seed, task_name, length, index)
    inputs = task.generate(length, rng)
    exemplar = exemplar_for(task, inputs, rng, cfg.shot_max_length) if cfg.shots else None
    try:
        row = build_row(task, rule, inputs, cfg.format, length=length, index=index,
                        shots=cfg.shots, exemplar_inputs=exemplar)
    except BudgetError:
        return None
    except RuleError as e:  # a bug in the task: say which sample
        raise RuleError(f"task {task_name}, length {length}, sample {index}: {e}") from None
    if cfg.max_chars is not None and len(row["prompt"]) + len(row["response"]) > cfg.max_chars:
        return None
    return dumps(row, cfg.fields)


# ---------------------------------------------------------------- workers

Chunk = tuple[str, int, int, int]  # task, length, first index, end index


def _sample(cfg: GenConfig, item: tuple[str, int, int]) -> str | None:
    return sample_line(cfg, *item)


def _setup(cfg: GenConfig) -> GenConfig:
    for task in cfg.tasks:  # compile every rule once per worker
        compiled(get_task(task))
    return cfg


def _samples(shards: list[Shard]) -> Iterator[tuple[str, int, int]]:
    for shard in shards:
        for task, length, start, stop in shard.chunks:
            for index in range(start, stop):
                yield task, length, index


# ---------------------------------------------------------------- output directory


@dataclass
class Shard:
    task: str
    path: Path
    counts: dict[int, int] = field(default_factory=dict)  # kept rows per length
    complete: bool = False
    resume_after: int = -1  # plan position of the last row already written
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def shard_path(out_dir: Path, cfg: GenConfig, task: str) -> Path:
    return out_dir / data_file_name(cfg.dataset_split, cfg.tasks.index(task), len(cfg.tasks), cfg.out_format)


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    path = out_dir / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise GenerateError(f"{path} is not valid JSON: {e}") from None


def _dump_manifest(data: dict[str, Any]) -> str:
    """One key a line; the per-task tables one task a line (readable, diffable)."""

    def compact(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and key != "config" and value:
            inner = ",\n".join(f"  {compact(k)}: {compact(v)}" for k, v in value.items())
            lines.append(f" {compact(key)}: {{\n{inner}\n }}")
        else:
            lines.append(f" {compact(key)}: {compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    write_atomic(path, _dump_manifest(data))


def _scan_jsonl(path: Path) -> tuple[dict[int, int], tuple[int, int] | None]:
    """Kept rows per length and the (length, index) of the last row of a JSONL file."""
    counts: dict[int, int] = {}
    last = None
    with open(path, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):  # a torn last line: RowWriter drops it on resume
                break
            m = _ID_RE.match(line)
            if not m:
                if line.strip():
                    raise GenerateError(f"{path}: unexpected line, not written by rulec tasks gen")
                continue
            length, index = int(m.group(1)), int(m.group(2))
            counts[length] = counts.get(length, 0) + 1
            last = (length, index)
    return counts, last


def _scan_final(path: Path, out_format: str) -> dict[int, int]:
    if out_format == "jsonl":
        return _scan_jsonl(path)[0]
    import pyarrow.parquet as pq

    counts: dict[int, int] = {}
    table = pq.read_table(path, columns=["length"]) if pq.read_metadata(path).num_rows else None
    for length in table.column("length").to_pylist() if table is not None else []:
        counts[length] = counts.get(length, 0) + 1
    return counts


def _plan(cfg: GenConfig, out_dir: Path, old: dict[str, Any] | None, chunk_size: int) -> list[Shard]:
    old_shards = (old or {}).get("shards", {})
    old_counts = (old or {}).get("counts", {})
    shards = []
    for task in cfg.tasks:
        path = shard_path(out_dir, cfg, task)
        shard = Shard(task, path)
        partial = _partial(path)
        if path.exists():
            info = old_shards.get(task)
            if info and info.get("complete") and task in old_counts:
                shard.counts = {int(k): v for k, v in old_counts[task].items()}
            else:  # killed between the rename and the manifest update
                shard.counts = _scan_final(path, cfg.out_format)
            shard.complete = True
            if partial.exists():  # parquet: killed between the rename and the unlink
                partial.unlink()
        elif partial.exists():
            counts, last = _scan_jsonl(partial)
            shard.counts = counts
            if last is not None:
                length, index = last
                if length not in cfg.lengths:
                    raise GenerateError(f"{partial}: length {length} is not in this run's lengths")
                shard.resume_after = cfg.lengths.index(length) * cfg.per_length + index
        if not shard.complete:
            position = 0
            for length in cfg.lengths:
                start = max(0, shard.resume_after + 1 - position)
                position += cfg.per_length
                for first in range(start, cfg.per_length, chunk_size):
                    shard.chunks.append((task, length, first, min(first + chunk_size, cfg.per_length)))
        shards.append(shard)
    return shards


def _prepare_dir(cfg: GenConfig, out_dir: Path, resume: bool, overwrite: bool) -> dict[str, Any] | None:
    """Check the output directory; return the old manifest when resuming."""
    if resume and overwrite:
        raise GenerateError("give --resume or --overwrite, not both")
    if out_dir.exists() and not out_dir.is_dir():
        raise GenerateError(f"output {out_dir} exists and is not a directory")
    if not out_dir.exists() or not any(p.name != LOCK for p in out_dir.iterdir()):
        return None
    old = read_manifest(out_dir)
    ours = old is not None and old.get("created_by") == "rulec tasks gen"
    diff = _config_diff(old.get("config") or {}, cfg) if ours else []
    different = (f"{out_dir} holds a different complete dataset ({', '.join(diff)}); "
                 "use --overwrite to replace it, or give another directory")
    if resume:
        if not ours:
            raise GenerateError(f"{out_dir} is not empty and holds no rulec tasks gen manifest; cannot resume")
        if diff and old.get("complete"):
            raise GenerateError(different)
        if diff:
            raise GenerateError(
                f"{out_dir} was generated with different options ({', '.join(diff)}); "
                "rerun with the same options, or use --overwrite"
            )
        return old
    if overwrite:
        names = {MANIFEST, MANIFEST + ".tmp", CARD + ".tmp"}
        if is_our_card(out_dir / CARD):
            names.add(CARD)
        files = [info.get("file", "") for info in (old or {}).get("shards", {}).values()]
        files += [str(shard_path(out_dir, cfg, t).relative_to(out_dir)) for t in cfg.tasks]
        for name in files:
            if name:
                names.update({name, name + ".partial", name + ".tmp"})
        for name in names:
            if "/" in name.strip("/") and not name.startswith(DATA_DIR + "/"):
                continue  # only our own files
            (out_dir / name).unlink(missing_ok=True)
        if (out_dir / DATA_DIR).is_dir() and not any((out_dir / DATA_DIR).iterdir()):
            (out_dir / DATA_DIR).rmdir()
        return None
    if ours and old.get("complete"):
        if diff:
            raise GenerateError(different)
        raise GenerateError(f"{out_dir} already holds this complete dataset ({plural(old.get('rows', 0), 'row')}); "
                            "nothing to do (use --overwrite to make it again)")
    if ours and diff:
        raise GenerateError(f"{out_dir} holds an interrupted run with other options ({', '.join(diff)}); "
                            "rerun with its options and --resume, or use --overwrite to replace it")
    if ours:
        raise GenerateError(f"{out_dir} holds an interrupted run of this dataset; use --resume to continue it "
                            "or --overwrite to replace it")
    raise GenerateError(f"{out_dir} holds a dataset that tasks gen did not write; use --overwrite to replace it")


_OPTION_FIELDS = {"lengths", "per_length", "format", "shots", "seed", "max_chars", "out_format", "preset",
                  "dataset_split", "fields"}


def _config_diff(was: dict[str, Any], cfg: GenConfig) -> list[str]:
    """What differs between an earlier run's config and this one, option by option."""
    return [_differs(k, was.get(k), v) for k, v in cfg.as_dict().items() if was.get(k) != v]


def _differs(key: str, was: Any, now: Any) -> str:
    """``--seed: was 0, now 5`` (the values only when they are short)."""
    name = f"--{key.replace('_', '-')}" if key in _OPTION_FIELDS else key
    shown = [json.dumps(v, separators=(",", ":")) if isinstance(v, list) else str(v) for v in (was, now)]
    if max(len(x) for x in shown) > 40:
        return name
    return f"{name}: was {shown[0]}, now {shown[1]}"


def _manifest(cfg: GenConfig, shards: list[Shard], complete: bool) -> dict[str, Any]:
    counts = {s.task: {str(n): s.counts.get(n, 0) for n in cfg.lengths} for s in shards if s.complete}
    dropped = {
        s.task: {str(n): cfg.per_length - s.counts.get(n, 0) for n in cfg.lengths}
        for s in shards
        if s.complete
    }
    return {
        "created_by": "rulec tasks gen",
        "rulec_version": __version__,
        "complete": complete,
        "config": cfg.as_dict(),
        "rows": sum(s.rows for s in shards if s.complete),
        "rows_planned": cfg.rows_planned,
        "dropped_total": sum(sum(d.values()) for d in dropped.values()),
        "shards": {
            s.task: {
                "file": f"{DATA_DIR}/{s.path.name}",
                "rows": s.rows,
                "complete": True,
            }
            for s in shards
            if s.complete
        },
        "counts": counts,
        "dropped": dropped,
    }


# ---------------------------------------------------------------- driver


@dataclass
class GenResult:
    manifest: dict[str, Any]
    written: int  # rows written by this invocation
    dropped: int  # samples dropped by this invocation
    skipped_shards: int  # shards already complete when resuming


def generate(
    cfg: GenConfig,
    out_dir: str | Path,
    *,
    workers: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_shard: Callable[[Shard], None] | None = None,
    limits: Limits | None = DEFAULT_LIMITS,
) -> GenResult:
    """Generate ``cfg`` into ``out_dir``. ``progress=None``: a bar when stderr is a TTY;
    True: also a line every 30 s when it is not; False: silent.

    Samples are made in worker processes behind the process wall (``limits``; ``None``:
    in this process); a sample whose worker hit a limit is dropped like one over budget.
    """
    cfg.validate()
    if workers < 1:
        raise GenerateError(f"workers must be at least 1, not {workers}")
    out = Path(out_dir)
    if out.suffix.lower() in FILE_SUFFIXES:
        raise GenerateError(f"tasks gen writes a dataset directory, not a {out.suffix} file: give -o a directory "
                            "name (--out-format picks the format of its shards)")
    check_output(out, directory=True)
    check_dataset_dir(out)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise GenerateError(f"cannot create {out}: {e.strerror}") from None
    held = lock_dir(out)
    try:
        return _generate(cfg, out, held, workers, resume, overwrite, progress, chunk_size, on_shard, limits)
    finally:
        (out / LOCK).unlink(missing_ok=True)
        held.close()
        if created and not any(out.iterdir()):  # refused before writing anything
            out.rmdir()


def _generate(cfg, out, held, workers, resume, overwrite, progress, chunk_size, on_shard, limits) -> GenResult:
    old = _prepare_dir(cfg, out, resume, overwrite)
    (out / DATA_DIR).mkdir(parents=True, exist_ok=True)
    for task in cfg.tasks:  # compile every rule before writing anything
        compiled(get_task(task))
    shards = _plan(cfg, out, old, chunk_size)
    _write_json_atomic(out / MANIFEST, _manifest(cfg, shards, complete=False))

    from rulec.progress import Progress

    done_before = sum(
        cfg.rows_planned // len(cfg.tasks) if s.complete else s.resume_after + 1 for s in shards
    )
    bar = Progress(cfg.rows_planned, done_before, "rows", progress)
    written = dropped = 0
    skipped = sum(1 for s in shards if s.complete)
    writer: RowWriter | None = None
    results = ordered_map(_sample, _samples(shards), setup=_setup, setup_args=(cfg,),
                          workers=workers, limits=limits, batch=chunk_size)
    # Parquet: a shard is converted in a thread while the next one is generated (pyarrow
    # works outside the GIL); shards are marked complete in order as their files appear.
    pool = ThreadPoolExecutor(1, thread_name_prefix="rulec-parquet") if cfg.out_format != "jsonl" else None
    converting: list[tuple[Shard, Future]] = []

    def finished(shard: Shard) -> None:
        shard.complete = True
        _write_json_atomic(out / MANIFEST, _manifest(cfg, shards, complete=False))
        if on_shard is not None:
            on_shard(shard)

    def settle(pending: int) -> None:
        """Mark converted shards complete, in order, waiting until at most ``pending`` are left."""
        while converting and (len(converting) > pending or converting[0][1].done()):
            shard, future = converting.pop(0)
            future.result()
            finished(shard)

    try:
        for shard in shards:
            if shard.complete:
                continue
            writer = RowWriter(shard.path, cfg.out_format, resume=resume)
            for _, length, start, stop in shard.chunks:
                kept = 0
                for _ in range(start, stop):
                    line = next(results)
                    if line is None or isinstance(line, Failure):
                        dropped += 1
                    else:
                        writer.write_line(line)
                        kept += 1
                shard.counts[length] = shard.counts.get(length, 0) + kept
                written += kept
                bar.update(stop - start)
            writer.close_lines()
            closed, writer = writer, None
            if pool is None:
                closed.finish()
                finished(shard)
            else:
                converting.append((shard, pool.submit(closed.finish)))
                settle(pending=1)
        settle(pending=0)
    except BaseException:
        if writer is not None:
            writer.abort()
        results.close()
        bar.close()
        raise
    finally:
        if pool is not None:  # a conversion under way completes; one not started waits for --resume
            pool.shutdown(wait=True, cancel_futures=True)
    results.close()
    bar.close()
    manifest = _manifest(cfg, shards, complete=True)
    _write_json_atomic(out / MANIFEST, manifest)
    fields = kept_fields(cfg.fields, ROW_FIELDS)
    write_card(out, [cfg.dataset_split], fields, "rulec tasks gen",
               f"{plural(manifest['rows'], 'row')} of {plural(len(cfg.tasks), 'task')} generated by "
               f"`rulec tasks gen` (seed {cfg.seed}); the config is in `{MANIFEST}`.")
    return GenResult(manifest, written, dropped, skipped)
