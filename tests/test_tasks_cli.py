"""`rulec tasks list|show|gen`, and the generator's determinism, resume and manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rulec.tasks.generate as gen
from rulec.cli import main
from rulec.cliutil import UserError, parse_int_set
from rulec.io import data_file_name
from rulec.tasks.generate import GenConfig, generate
from rulec.tasks.presets import PRESETS

SMALL = ["--tasks", "lc_258_add_digits,bbh_navigate,nupa_add_integer", "--lengths", "1-3", "--per-length", "4"]


def run(*args: str):
    return CliRunner().invoke(main, ["tasks", *args])


def files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def shard(out: Path, task: str) -> Path:
    """The data file of ``task`` in a tasks gen directory (named by split and position)."""
    c = json.loads((out / "manifest.json").read_text())["config"]
    k = c["tasks"].index(task)
    return out / data_file_name(c["dataset_split"], k, len(c["tasks"]), c["out_format"])


def jsonl(path: Path) -> list[dict]:
    """The rows of a shard as stored (``inputs`` a JSON string), JSONL or Parquet."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------- list / show


def test_list_json_counts():
    r = run("list", "--json")
    assert r.exit_code == 0, r.output
    tasks = json.loads(r.stdout)
    assert len(tasks) == 88
    count = lambda key: {v: sum(t[key] == v for t in tasks) for v in {t[key] for t in tasks}}  # noqa: E731
    assert count("source") == {"leetcode": 74, "nupa": 4, "bbh": 8, "symbolic": 2}
    assert count("split") == {"pretrain": 76, "adapt": 12}
    assert set(tasks[0]) == {"name", "source", "split", "description", "length"}


def test_list_split_and_text():
    r = run("list", "--split", "adapt")
    assert r.exit_code == 0
    lines = r.stdout.strip().split("\n")
    assert len(lines) == 13 and lines[-1].startswith("12 tasks:")
    assert any(line.startswith("lc_258_add_digits ") for line in lines)


def test_show_prints_prompt_and_response():
    r = run("show", "lc_258_add_digits", "--length", "4", "--seed", "3")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("Follow the given rule to solve the question.\nrule:\ndef add_digits(num):")
    assert "\nQ: Given an integer number " in r.stdout
    assert r.stdout.rstrip().split("\n")[-1].startswith("So the answer is ")


@pytest.mark.parametrize("fmt", ["direct", "scratchpad", "rfft", "rfft_nl"])
def test_show_equals_first_generated_row(tmp_path, fmt):
    shown = run("show", "bbh_navigate", "--length", "2", "--format", fmt, "--seed", "9", "--shots", "1", "--json")
    assert shown.exit_code == 0, shown.output
    out = tmp_path / "d"
    r = run("gen", "bbh_navigate", "--lengths", "2", "--per-length", "1", "--format", fmt, "--seed", "9",
            "--shots", "1", "--workers", "1", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert jsonl(shard(out, "bbh_navigate")) == [json.loads(shown.stdout)]


# ---------------------------------------------------------------- gen


def test_gen_rows_and_manifest(tmp_path):
    out = tmp_path / "d"
    r = run("gen", *SMALL, "--workers", "1", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(files(out)) == [  # Parquet by default
        "README.md", "data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet",
        "data/train-00002-of-00003.parquet", "manifest.json",
    ]
    m = json.loads((out / "manifest.json").read_text())
    assert m["config"]["out_format"] == "parquet"
    assert m["complete"] and m["rows"] == m["rows_planned"] == 36 and m["dropped_total"] == 0
    assert m["counts"]["bbh_navigate"] == {"1": 4, "2": 4, "3": 4}
    assert m["config"]["seed"] == 0 and m["config"]["format"] == "rfft" and m["rulec_version"]
    rows = jsonl(shard(out, "lc_258_add_digits"))
    assert [row["id"] for row in rows[:5]] == [
        "lc_258_add_digits-adapt-L1-0", "lc_258_add_digits-adapt-L1-1", "lc_258_add_digits-adapt-L1-2",
        "lc_258_add_digits-adapt-L1-3", "lc_258_add_digits-adapt-L2-0",
    ]
    assert all(len(str(json.loads(row["inputs"])["num"])) == row["length"] for row in rows)
    assert all(row["response"].endswith("So the answer is " + row["answer"]) for row in rows)
    assert len({row["prompt"] for row in rows}) > 6, "samples differ"


def test_gen_workers_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("gen", *SMALL, "--shots", "1", "--workers", "1", "-o", str(a)).exit_code == 0
    assert run("gen", *SMALL, "--shots", "1", "--workers", "2", "-o", str(b)).exit_code == 0
    assert files(a) == files(b)
    c = tmp_path / "c"
    assert run("gen", *SMALL, "--shots", "1", "--seed", "1", "--workers", "2", "-o", str(c)).exit_code == 0
    assert shard(c, "bbh_navigate").read_bytes() != shard(a, "bbh_navigate").read_bytes()


def test_gen_rfft_nl_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    args = ["--tasks", "nupa_add_integer,lc_283_move_zeroes", "--lengths", "2-4", "--per-length", "3",
            "--format", "rfft_nl", "--shots", "1"]
    assert run("gen", *args, "--workers", "1", "-o", str(a)).exit_code == 0
    assert run("gen", *args, "--workers", "2", "-o", str(b)).exit_code == 0
    assert files(a) == files(b)
    row = jsonl(shard(a, "nupa_add_integer"))[0]
    assert row["format"] == "rfft_nl" and row["rule"] in row["prompt"] and "def add(" not in row["prompt"]


@pytest.mark.parametrize("fmt", ["rfft", "rfft_nl"])
def test_gen_all_tasks_identical_across_processes(tmp_path, fmt):
    """Separate interpreters (different str hash seeds) and worker counts: same bytes."""
    outs = []
    for hash_seed, workers in (("1", "2"), ("2", "1")):
        out = tmp_path / f"h{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        cmd = [sys.executable, "-c", "from rulec.cli import main; main()", "tasks", "gen", "all", "--lengths", "2,9", "--per-length", "1",
               "--format", fmt, "--shots", "1", "--workers", workers, "-o", str(out)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outs.append(files(out))
    assert len(outs[0]) == 88 + 2 and outs[0] == outs[1]  # 88 shards, the manifest, the card


def test_gen_library_chunking_does_not_matter(tmp_path):
    cfg = GenConfig(("lc_283_move_zeroes",), (1, 4), 9, format="scratchpad")
    generate(cfg, tmp_path / "a", chunk_size=2, workers=2)
    generate(cfg, tmp_path / "b", chunk_size=100)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_max_chars_drops_and_counts(tmp_path):
    out = tmp_path / "d"
    r = run("gen", *SMALL, "--max-chars", "1500", "--workers", "1", "-o", str(out))
    assert r.exit_code == 0, r.output
    m = json.loads((out / "manifest.json").read_text())
    assert 0 < m["dropped_total"] < 36
    assert m["rows"] + m["dropped_total"] == 36
    for task, per in m["counts"].items():
        rows = jsonl(shard(out, task))
        assert len(rows) == sum(per.values()) == m["shards"][task]["rows"]
        assert all(len(row["prompt"]) + len(row["response"]) <= 1500 for row in rows)
        for length, kept in per.items():
            assert kept + m["dropped"][task][length] == 4
            assert sum(row["length"] == int(length) for row in rows) == kept


def test_parquet_output(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("gen", *SMALL, "--workers", "2", "-o", str(a)).exit_code == 0  # the default
    assert run("gen", *SMALL, "--out-format", "jsonl", "--workers", "1", "-o", str(b)).exit_code == 0
    assert sorted(files(b))[1:4] == [f"data/train-0000{k}-of-00003.jsonl" for k in range(3)]
    assert sorted(files(a)) == [
        "README.md", "data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet",
        "data/train-00002-of-00003.parquet", "manifest.json",
    ]
    table = pq.read_table(shard(a, "nupa_add_integer"))
    assert table.num_rows == 12
    rows = table.to_pylist()
    want = jsonl(shard(b, "nupa_add_integer"))
    assert [r["id"] for r in rows] == [w["id"] for w in want]
    assert rows[5]["response"] == want[5]["response"]
    assert rows[5]["inputs"] == want[5]["inputs"]  # the same JSON string in both formats
    assert rows[5]["messages"] == want[5]["messages"]
    assert pq.ParquetFile(shard(a, "nupa_add_integer")).metadata.row_group(0).column(0).compression == "ZSTD"


def test_presets(tmp_path):
    out = tmp_path / "d"
    r = run("gen", "--preset", "paper-adapt", "lc_461_hamming_distance", "--per-length", "2", "--workers", "1",
            "-o", str(out))
    assert r.exit_code == 0, r.output
    m = json.loads((out / "manifest.json").read_text())
    assert m["config"]["lengths"] == [1, 2, 3, 4, 5] and m["config"]["preset"] == "paper-adapt"
    assert m["config"]["tasks"] == ["lc_461_hamming_distance"] and m["rows"] == 10
    assert PRESETS["paper-pretrain"].lengths == tuple(range(1, 16)) and PRESETS["paper-pretrain"].per_length == 300
    assert PRESETS["paper-test"].lengths == tuple(range(6, 31)) and PRESETS["paper-test"].per_length == 100
    assert PRESETS["paper-adapt"].per_length == 1000 and PRESETS["paper-val"].lengths == (31,)


def test_preset_paper_val_all_pretrain_tasks(tmp_path):
    out = tmp_path / "d"
    r = run("gen", "--preset", "paper-val", "--per-length", "1", "--format", "direct", "-o", str(out))
    assert r.exit_code == 0, r.output
    m = json.loads((out / "manifest.json").read_text())
    assert len(m["config"]["tasks"]) == 76 and m["config"]["lengths"] == [31]
    assert m["rows"] + m["dropped_total"] == 76


# ---------------------------------------------------------------- resume


def test_resume_after_kill_mid_shard(tmp_path, monkeypatch):
    cfg = GenConfig(("lc_258_add_digits", "bbh_navigate", "coin_flip"), (1, 2, 3), 10, shots=1)
    whole = tmp_path / "whole"
    generate(cfg, whole)

    real = gen.sample_line
    calls = {"n": 0}

    def dying(*args):
        calls["n"] += 1
        if calls["n"] > 47:  # in the middle of the second shard (after a flushed chunk)
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(gen, "sample_line", dying)
    part = tmp_path / "part"
    with pytest.raises(KeyboardInterrupt):
        generate(cfg, part, chunk_size=5)
    assert shard(part, "lc_258_add_digits").suffix == ".parquet"  # the default format
    assert (shard(part, "lc_258_add_digits")).exists()
    assert Path(str(shard(part, "bbh_navigate")) + ".partial").exists() and not (shard(part, "bbh_navigate")).exists()
    assert not json.loads((part / "manifest.json").read_text())["complete"]
    kept = len(Path(str(shard(part, "bbh_navigate")) + ".partial").read_text().splitlines())
    assert kept == 17  # every sample before the 48th call (samples stream in order)
    monkeypatch.setattr(gen, "sample_line", real)

    result = generate(cfg, part, resume=True, workers=2)
    assert result.skipped_shards == 1
    assert result.written == 90 - 30 - kept
    assert files(part) == files(whole)


@pytest.mark.parametrize("out_format", ["parquet", "jsonl"])
def test_resume_torn_partial_via_cli(tmp_path, out_format):
    whole, part, ref = tmp_path / "whole", tmp_path / "part", tmp_path / "ref"
    args = [*SMALL] + (["--out-format", "jsonl"] if out_format == "jsonl" else [])  # parquet: the default
    assert run("gen", *args, "--workers", "1", "-o", str(whole)).exit_code == 0
    assert run("gen", *args, "--workers", "1", "-o", str(part)).exit_code == 0
    # the .partial of a shard is JSONL whatever the final format: its lines, from a JSONL run
    assert run("gen", *SMALL, "--workers", "1", "--out-format", "jsonl", "-o", str(ref)).exit_code == 0
    # turn `part` into the state of a run killed while writing its last shard
    last = shard(part, "nupa_add_integer")
    assert last.suffix == "." + out_format
    lines = shard(ref, "nupa_add_integer").read_bytes().split(b"\n")
    Path(str(last) + ".partial").write_bytes(b"\n".join(lines[:5]) + b"\n" + lines[5][:40])
    last.unlink()
    m = json.loads((part / "manifest.json").read_text())
    m["complete"] = False
    del m["shards"]["nupa_add_integer"], m["counts"]["nupa_add_integer"]
    (part / "manifest.json").write_text(json.dumps(m))

    r = run("gen", *args, "--workers", "2", "--resume", "-o", str(part))
    assert r.exit_code == 0, r.output
    assert "2 shards already complete" in r.stderr
    assert files(part) == files(whole)
    # resuming a complete run changes nothing
    assert run("gen", *args, "--resume", "-o", str(part)).exit_code == 0
    assert files(part) == files(whole)


def test_resume_final_file_without_manifest_entry(tmp_path):
    whole, part = tmp_path / "whole", tmp_path / "part"
    cfg = GenConfig(("coin_flip", "lc_344_reverse_string"), (2, 5), 3, out_format="parquet")
    generate(cfg, whole)
    generate(cfg, part)
    m = json.loads((part / "manifest.json").read_text())
    m["complete"] = False
    del m["shards"]["lc_344_reverse_string"], m["counts"]["lc_344_reverse_string"]
    (part / "manifest.json").write_text(json.dumps(m))
    result = generate(cfg, part, resume=True)
    assert result.written == 0 and result.skipped_shards == 2
    assert files(part) == files(whole)


def test_resume_with_other_options_refused(tmp_path):
    out = tmp_path / "d"
    assert run("gen", *SMALL, "--workers", "1", "-o", str(out)).exit_code == 0
    before = files(out)
    r = run("gen", *SMALL, "--seed", "5", "--resume", "-o", str(out))
    assert r.exit_code == 2 and "different complete dataset (--seed: was 0, now 5)" in r.stderr
    assert files(out) == before


@pytest.mark.parametrize(("change", "named"), [
    (["--lengths", "1-4"], "--lengths: was [1,2,3], now [1,2,3,4]"),
    (["--per-length", "5"], "--per-length: was 4, now 5"),
    (["--format", "scratchpad"], "--format: was rfft, now scratchpad"),
    (["--nl"], "--format: was rfft, now rfft_nl"),
    (["--shots", "1"], "--shots: was 0, now 1"),
    (["--max-chars", "900"], "--max-chars: was None, now 900"),
    (["--out-format", "jsonl"], "--out-format: was parquet, now jsonl"),
    (["--fields", "id,prompt,response"], "--fields: was None, now [\"id\",\"prompt\",\"response\"]"),
    (["--dataset-split", "test"], "--dataset-split: was train, now test"),
])
def test_resume_of_an_interrupted_run_refuses_every_changed_option(tmp_path, change, named):
    def stop(shard):
        raise KeyboardInterrupt

    out = tmp_path / "d"
    with pytest.raises(KeyboardInterrupt):  # stopped after its first shard, like Ctrl-C
        generate(GenConfig(tuple(SMALL[1].split(",")), (1, 2, 3), 4), out, on_shard=stop)
    before = files(out)
    assert not json.loads(before["manifest.json"])["complete"]
    r = run("gen", *SMALL, *change, "--resume", "-o", str(out))
    _one_line_error(r, f"different options ({named}); rerun with the same options, or use --overwrite")
    assert files(out) == before
    r = run("gen", *SMALL, "--resume", "--workers", "1", "-o", str(out))  # the same options: resumed
    # the first shard, and the second if its Parquet conversion (a thread) had finished
    assert r.exit_code == 0 and "already complete" in r.stderr, r.output
    whole = tmp_path / "whole"
    assert run("gen", *SMALL, "--workers", "1", "-o", str(whole)).exit_code == 0
    assert files(out) == files(whole)


def test_overwrite(tmp_path):
    out = tmp_path / "d"
    assert run("gen", *SMALL, "--workers", "1", "-o", str(out)).exit_code == 0
    (out / "notes.txt").write_text("mine")
    r = run("gen", "coin_flip", "--lengths", "2", "--per-length", "3", "--overwrite", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(files(out)) == ["README.md", "data/train-00000-of-00001.parquet", "manifest.json", "notes.txt"]


# ---------------------------------------------------------------- errors


def _one_line_error(r, *needles: str) -> None:
    assert r.exit_code == 2, r.output
    err = r.stderr.strip()
    assert "\n" not in err and err.startswith("error: "), err
    assert "Traceback" not in r.output
    for needle in needles:
        assert needle in err, err


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["lc_258_add_digit"], ["unknown task 'lc_258_add_digit'", "did you mean 'lc_258_add_digits'"]),
        (["--tasks", "coin_flip,bbh_navigat"], ["did you mean 'bbh_navigate'"]),
        (["coin_flip", "--lengths", "5-1"], ["--lengths", "'5-1'", "start is after the end"]),
        (["coin_flip", "--lengths", "x"], ["--lengths", "'x'"]),
        (["coin_flip", "--lengths", "0-3"], ["--lengths", "values start at 1"]),
        (["coin_flip", "--format", "code"], ["unknown format 'code'"]),
        (["coin_flip", "--per-length", "0"], ["per-length must be at least 1"]),
        (["coin_flip", "--per-length", "many"], ["--per-length"]),
        (["coin_flip", "--shots", "2"], ["--shots"]),
        (["coin_flip", "--out-format", "csv"], ["--out-format"]),
        (["coin_flip", "coin_flip"], ["given twice"]),
        ([], ["no tasks selected"]),
        (["all", "coin_flip"], ["'all'"]),
        (["coin_flip", "--split", "adapt"], ["one way"]),
        (["--preset", "paper-adapt"], ["needs the target task"]),
        (["--preset", "paper-foo"], ["unknown preset 'paper-foo'"]),
        (["coin_flip", "--resume", "--overwrite"], ["not both"]),
        (["coin_flip", "--workers", "0"], ["--workers"]),
    ],
)
def test_gen_errors(tmp_path, args, needles):
    out = tmp_path / "d"
    _one_line_error(run("gen", *args, "-o", str(out)), *needles)
    assert not out.exists(), "nothing written"


def test_gen_refuses_non_empty_dir(tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "x.txt").write_text("x")
    for extra in ([], ["--resume"], ["--overwrite"]):  # a directory rulec did not write: never written
        _one_line_error(run("gen", "coin_flip", "--per-length", "1", *extra, "-o", str(out)), "did not write")
        assert [p.name for p in out.iterdir()] == ["x.txt"]
    assert [p.name for p in out.iterdir()] == ["x.txt"]


def test_gen_output_is_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("")
    _one_line_error(run("gen", "coin_flip", "-o", str(f)))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "nosuch_task"], "unknown task"),
        (["show", "coin_flip", "--format", "rfft_code"], "unknown format"),
        (["show", "coin_flip", "--length", "0"], "--length"),
        (["list", "--split", "train"], "--split"),
    ],
)
def test_show_list_errors(args, needle):
    _one_line_error(run(*args), needle)


def test_parse_lengths():
    assert parse_int_set("1-15", "--lengths") == tuple(range(1, 16))
    assert parse_int_set("31", "--lengths") == (31,)
    assert parse_int_set("1,3,6-8, 3", "--lengths") == (1, 3, 6, 7, 8)
    for bad in ("5-1", "x", "", "1-", "-3", "0", "1-5000"):
        with pytest.raises(UserError):
            parse_int_set(bad, "--lengths")
