"""Every output kind loads with `datasets.load_dataset(DIR)`: right rows, right features.

Task names contain "valid" (and rows carry "test"/"train"-like words); none of that may
make `datasets` mistake a shard for a split.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rulec.cli import main
from rulec.io import decode_inputs, read_rows
from rulec.rows import ROW_FIELDS

datasets = pytest.importorskip("datasets")
pytest.importorskip("pyarrow")

TASKS = "lc_242_valid_anagram,lc_125_valid_palindrome,lc_258_add_digits"


def _load(path, tmp_path):
    datasets.disable_progress_bars()
    return datasets.load_dataset(str(path), cache_dir=str(tmp_path / "hf-cache"))


def _run(*args):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output
    return r


def _format_args(out_format):
    """``--out-format jsonl``, or nothing for the default (Parquet for every directory)."""
    return ["--out-format", out_format] if out_format == "jsonl" else []


@pytest.mark.parametrize("out_format", ["parquet", "jsonl"])  # parquet: the default, not given
def test_tasks_gen_directory_loads_every_row(tmp_path, out_format):
    out = tmp_path / "d"
    _run("tasks", "gen", "--tasks", TASKS, "--lengths", "1-2", "--per-length", "4", "--workers", "1",
         *_format_args(out_format), "--quiet", "-o", str(out))
    ds = _load(out, tmp_path)
    assert list(ds) == ["train"]
    train = ds["train"]
    assert train.num_rows == 3 * 2 * 4
    assert list(train.features) == list(ROW_FIELDS)
    assert train.features["inputs"].dtype == "string"
    assert train.features["length"].dtype == "int64"
    assert {r["task"] for r in train} == set(TASKS.split(","))
    names = sorted(p.name for p in (out / "data").iterdir())
    assert names == [f"train-0000{k}-of-00003.{out_format}" for k in range(3)]
    row = decode_inputs(dict(train[0]))
    assert isinstance(row["inputs"], dict)
    assert [r["id"] for r in read_rows(out)] == train["id"]


def test_validation_and_test_splits_by_preset_or_option(tmp_path):
    val, test = tmp_path / "val", tmp_path / "test"
    _run("tasks", "gen", "--tasks", "lc_242_valid_anagram", "--lengths", "3", "--per-length", "2",
         "--dataset-split", "validation", "--workers", "1", "--quiet", "-o", str(val))
    _run("tasks", "gen", "--preset", "paper-test", "lc_125_valid_palindrome", "--lengths", "6",
         "--per-length", "2", "--workers", "1", "--quiet", "-o", str(test))
    assert {k: v.num_rows for k, v in _load(val, tmp_path).items()} == {"validation": 2}
    assert {k: v.num_rows for k, v in _load(test, tmp_path).items()} == {"test": 2}


def test_fields_drop_messages(tmp_path):
    out = tmp_path / "d"
    _run("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", "3", "--workers",
         "1", "--fields", "id,prompt,response,answer,inputs", "--quiet", "-o", str(out))
    train = _load(out, tmp_path)["train"]
    assert sorted(train.features) == sorted(["id", "prompt", "response", "answer", "inputs"])
    assert train.num_rows == 3
    bad = CliRunner().invoke(main, ["tasks", "gen", "coin_flip", "--fields", "prompt,nope", "-o",
                                    str(tmp_path / "e")])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: ") and "nope" in bad.stderr


@pytest.mark.parametrize("out_format", ["parquet", "jsonl"])  # parquet: the default, not given
def test_synth_directory_loads(tmp_path, out_format):
    out = tmp_path / "s"
    _run("synth", "-n", "30", "--workers", "1", "--quiet", *_format_args(out_format), "-o", str(out))
    assert [p.name for p in (out / "data").iterdir()] == [f"train-00000-of-00001.{out_format}"]
    train = _load(out, tmp_path)["train"]
    assert train.num_rows == 30
    assert train.features["snippets"].feature.dtype == "int64"
    assert train.features["inputs"].dtype == "string"
    assert all(len(decode_inputs(dict(r))["inputs"]) == 2 for r in train)


def test_synth_file_loads_with_the_json_builder(tmp_path):
    out = tmp_path / "s.jsonl"
    _run("synth", "-n", "20", "--workers", "1", "--quiet", "-o", str(out))
    ds = datasets.load_dataset("json", data_files=str(out), cache_dir=str(tmp_path / "c"))
    assert ds["train"].num_rows == 20


ADD_DIGITS_INPUTS = '{"num": 15}\n{"num": "x"}\n{"num": 99}\n'


@pytest.mark.parametrize("fmt", ["rfft", "rfft_nl", "scratchpad", "direct"])
def test_compile_rows_directory_loads(tmp_path, fmt):
    from pathlib import Path

    rule = Path(__file__).resolve().parent.parent / "examples" / "add_digits.py"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(ADD_DIGITS_INPUTS)
    out = tmp_path / "rows"
    r = _run("compile", str(rule), "--args-file", str(inputs), "--rows", "--format", fmt, "--skip-errors",
             "-o", str(out))
    skipped, summary = r.stderr.splitlines()
    assert skipped.startswith("skipped: input line 2: ") and summary == f"wrote 2 rows to {out}"
    assert [p.name for p in (out / "data").iterdir()] == ["train-00000-of-00001.parquet"]  # the default
    train = _load(out, tmp_path)["train"]
    assert train.num_rows == 2
    assert train["input_line"] == [1, 3]
    assert train["answer"] == ["6", "9"]
    assert set(train["format"]) == {fmt}
    assert all(resp.endswith(f"So the answer is {a}") for resp, a in zip(train["response"], train["answer"]))
    assert [json.loads(x) for x in train["inputs"]] == [{"num": 15}, {"num": 99}]


def test_compile_rows_directory_jsonl_on_request(tmp_path):
    from pathlib import Path

    rule = Path(__file__).resolve().parent.parent / "examples" / "add_digits.py"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"num": 15}\n{"num": 99}\n')
    out = tmp_path / "rows"
    _run("compile", str(rule), "--args-file", str(inputs), "--rows", "--out-format", "jsonl", "-o", str(out))
    assert [p.name for p in (out / "data").iterdir()] == ["train-00000-of-00001.jsonl"]
    train = _load(out, tmp_path)["train"]
    assert train["answer"] == ["6", "9"] and list(train.features) == [*ROW_FIELDS, "input_line"]


def test_compile_rows_error_names_the_input_line(tmp_path):
    from pathlib import Path

    rule = Path(__file__).resolve().parent.parent / "examples" / "add_digits.py"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(ADD_DIGITS_INPUTS)
    out = tmp_path / "rows.jsonl"
    r = CliRunner().invoke(main, ["compile", str(rule), "--args-file", str(inputs), "--rows", "-o", str(out)])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: input line 2: ") and len(r.stderr.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("fields", [None, "id,task,length,prompt,response,answer,inputs"])
def test_trainer_and_evaluator_read_the_default_directories(tmp_path, fields):
    """The trainer and the evaluator read a Parquet directory, with or without `messages`."""
    from rulec.eval.data import load_rows as eval_rows
    from rulec.train.data import load_rows as train_rows
    from rulec.train.data import to_records

    out = tmp_path / "d"
    _run("tasks", "gen", "--tasks", "lc_258_add_digits,coin_flip", "--lengths", "2", "--per-length", "3",
         "--workers", "1", "--quiet", "-o", str(out), *(["--fields", fields] if fields else []))
    assert sorted(p.suffix for p in (out / "data").iterdir()) == [".parquet", ".parquet"]
    rows = train_rows(out)
    assert len(rows) == 6 and ("messages" in rows[0]) == (fields is None)
    records = list(to_records(rows))
    assert [r["prompt"][0]["content"] for r in records] == [r["prompt"] for r in rows]
    assert [r["completion"][0]["content"] for r in records] == [r["response"] for r in rows]
    assert [r["id"] for r in eval_rows(out)] == [r["id"] for r in rows]
    assert isinstance(rows[0]["inputs"], dict)


def test_a_directory_of_jsonl_from_an_earlier_run_is_not_mixed_with_parquet(tmp_path):
    """A directory written as JSONL (the default before Parquet) is refused, then replaced by
    --overwrite, so `data/train-*` never loads two runs at once."""
    out = tmp_path / "s"
    _run("synth", "-n", "6", "--workers", "1", "--quiet", "--out-format", "jsonl", "-o", str(out))
    r = CliRunner().invoke(main, ["synth", "-n", "9", "--workers", "1", "--quiet", "-o", str(out)])
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"error: {out} holds data/train-00000-of-00001.jsonl from an earlier run; use --overwrite to replace it"]
    _run("synth", "-n", "9", "--workers", "1", "--quiet", "--overwrite", "-o", str(out))
    assert [p.name for p in (out / "data").iterdir()] == ["train-00000-of-00001.parquet"]
    assert _load(out, tmp_path)["train"].num_rows == 9


def test_an_interrupted_jsonl_directory_run_is_named_not_mixed(tmp_path):
    out = tmp_path / "s"
    (out / "data").mkdir(parents=True)
    partial = out / "data" / "train-00000-of-00001.jsonl.partial"
    partial.write_text("")
    for resume in (["--resume"], []):
        r = CliRunner().invoke(main, ["synth", "-n", "5", "--quiet", *resume, "-o", str(out)])
        assert r.exit_code == 2 and r.stderr.splitlines() == [
            f"error: {out} holds a run interrupted while writing jsonl: rerun with --out-format jsonl --resume, "
            "or use --overwrite"]
    _run("synth", "-n", "5", "--workers", "1", "--quiet", "--overwrite", "-o", str(out))
    assert [p.name for p in (out / "data").iterdir()] == ["train-00000-of-00001.parquet"]


def test_compile_rows_directory_refuses_earlier_jsonl(tmp_path):
    from pathlib import Path

    rule = Path(__file__).resolve().parent.parent / "examples" / "add_digits.py"
    out = tmp_path / "rows"
    args = ["compile", str(rule), "--args", '{"num": 15}', "--rows", "-o", str(out)]
    _run(*args, "--out-format", "jsonl")
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2 and "exists" in r.stderr  # the card and the JSONL file: --overwrite
    _run(*args, "--overwrite")
    assert [p.name for p in (out / "data").iterdir()] == ["train-00000-of-00001.parquet"]
    assert _load(out, tmp_path)["train"]["answer"] == ["6"]


@pytest.mark.parametrize("case", ["rows", "a line over the reader's block", "inputs as objects", "empty"])
def test_jsonl_to_parquet_reads_back_the_same_rows(tmp_path, case):
    """pyarrow's JSON reader, or the Python batches (``inputs`` objects become JSON strings)."""
    import pyarrow.parquet as pq

    from rulec.io import jsonl_to_parquet

    rows = [{"id": f"r{i}", "length": i, "inputs": json.dumps({"x": i}), "messages": [
        {"role": "user", "content": "q" * i}, {"role": "assistant", "content": "a"}]} for i in range(50)]
    stored = [dict(r) for r in rows]
    if case == "a line over the reader's block":
        rows[30]["messages"][0]["content"] = "q" * (17 << 20)
    if case == "inputs as objects":
        for r in stored:
            r["inputs"] = json.loads(r["inputs"])
    if case == "empty":
        rows = stored = []
    src, dst = tmp_path / "a.jsonl", tmp_path / "a.parquet"
    src.write_text("".join(json.dumps(r) + "\n" for r in stored))
    jsonl_to_parquet(src, dst, batch=16)
    assert pq.read_table(dst).to_pylist() == rows


def test_compile_rows_fields_and_a_foreign_directory(tmp_path):
    from pathlib import Path

    rule = str(Path(__file__).resolve().parent.parent / "examples" / "add_digits.py")
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"num": 15}\n{"num": 99}\n')
    out = tmp_path / "rows"
    _run("compile", rule, "--args-file", str(inputs), "--rows", "--fields", "id,prompt,response,input_line",
         "--quiet", "-o", str(out))
    train = _load(out, tmp_path)["train"]
    assert train.column_names == ["id", "prompt", "response", "input_line"]
    assert train["input_line"] == [1, 2] and train["response"][0].endswith("So the answer is 6")
    for bad, why in (("prompt", "keep id"), ("id,nope", "unknown nope")):
        r = CliRunner().invoke(main, ["compile", rule, "--args-file", str(inputs), "--rows", "--fields", bad,
                                      "-o", str(tmp_path / "x")])
        assert r.exit_code == 2 and r.stderr.startswith(f"error: --fields: {why}"), r.stderr
    foreign = tmp_path / "project"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    r = CliRunner().invoke(main, ["compile", rule, "--args-file", str(inputs), "--rows", "-o", str(foreign),
                                  "--overwrite"])
    assert r.exit_code == 2 and "rulec did not write" in r.stderr, r.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def test_an_interrupt_right_after_a_write_does_not_write_rows_twice(tmp_path):
    """Ctrl-C arriving just after a batch reached the file: abort() must not write it again."""
    from rulec.io import RowWriter

    class Interrupting:
        def __init__(self, handle):
            self.handle, self.armed = handle, True

        def write(self, data):
            self.handle.write(data)
            if self.armed:
                self.armed = False
                raise KeyboardInterrupt

        def __getattr__(self, name):
            return getattr(self.handle, name)

    writer = RowWriter(tmp_path / "a.jsonl")
    writer.handle = Interrupting(writer.handle)
    for i in range(3):
        writer.write({"id": f"r{i}"})
    with pytest.raises(KeyboardInterrupt):
        writer.flush()
    writer.abort()
    lines = (tmp_path / "a.jsonl.partial").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["r0", "r1", "r2"]
