"""`datasets.load_dataset(DIR)` loads the rows that are in DIR now, not rows it cached from
another directory of the same name or from an earlier run in the same place.

`datasets` keys its cache of a local directory with a YAML card on the directory's basename
and the card's YAML; these tests share one cache between the loads, as a user's
``~/.cache/huggingface/datasets`` is shared.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rulec.cli import main
from rulec.io import read_rows

datasets = pytest.importorskip("datasets")
pytest.importorskip("pyarrow")


def _run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


def _ids(path, cache):
    datasets.disable_progress_bars()
    return datasets.load_dataset(str(path), cache_dir=str(cache))["train"]["id"]


def _written_ids(path):
    return [r["id"] for r in read_rows(path)]


def test_synth_same_basename_in_two_parents(tmp_path):
    cache = tmp_path / "cache"
    a, b = tmp_path / "x1" / "D", tmp_path / "x2" / "D"
    _run("synth", "-n", 12, "--workers", 1, "--quiet", "-o", a)
    _run("synth", "-n", 34, "--seed", 5, "--workers", 1, "--quiet", "-o", b)
    first, second = _ids(a, cache), _ids(b, cache)
    assert len(first) == 12 and len(second) == 34
    assert first == _written_ids(a) and second == _written_ids(b)


def test_synth_overwrite_in_place_same_row_count(tmp_path):
    """Same number of rows, other seed: only the content tells the two runs apart."""
    cache = tmp_path / "cache"
    out = tmp_path / "D"
    _run("synth", "-n", 10, "--workers", 1, "--quiet", "-o", out)
    before = _ids(out, cache)
    rows_before = list(read_rows(out))
    _run("synth", "-n", 10, "--seed", 3, "--workers", 1, "--quiet", "--overwrite", "-o", out)
    rows_after = list(read_rows(out))
    assert rows_after != rows_before
    loaded = datasets.load_dataset(str(out), cache_dir=str(cache))["train"]
    assert loaded["prompt"] == [r["prompt"] for r in rows_after]
    assert before == [r["id"] for r in rows_before]


def test_tasks_gen_overwrite_in_place_loads_the_new_rows(tmp_path):
    cache = tmp_path / "cache"
    out = tmp_path / "D"
    common = ("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1-2", "--workers", 1, "--quiet")
    _run(*common, "--per-length", 2, "-o", out)
    assert len(_ids(out, cache)) == 4
    _run(*common, "--per-length", 5, "--overwrite", "-o", out)
    ids = _ids(out, cache)
    assert len(ids) == 10 and ids == _written_ids(out)


def test_compile_rows_same_basename_in_two_parents(tmp_path):
    cache = tmp_path / "cache"
    rule = tmp_path / "rule.py"
    rule.write_text("def f(xs):\n    t = 0\n    for x in xs:\n        t = t + x\n    return t\n")
    outs = []
    for parent, count in (("p1", 2), ("p2", 5)):
        inputs = tmp_path / f"{parent}.jsonl"
        inputs.write_text("".join(f'{{"xs": {list(range(i + 1))}}}\n' for i in range(count)))
        out = tmp_path / parent / "D"
        _run("compile", rule, "--args-file", inputs, "--workers", 1, "--rows", "-o", out)
        outs.append((out, count))
    for out, count in outs:
        ids = _ids(out, cache)
        assert len(ids) == count and ids == _written_ids(out)


def test_card_records_rows_and_bytes_of_every_split(tmp_path):
    out = tmp_path / "V"
    _run("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", 3,
         "--dataset-split", "validation", "--workers", 1, "--quiet", "-o", out)
    info = datasets.load_dataset_builder(str(out), cache_dir=str(tmp_path / "cache")).info
    data = sorted((out / "data").iterdir())
    assert info.splits["validation"].num_examples == 3
    assert info.download_size == sum(f.stat().st_size for f in data)


# ---------------------------------------------------------------- a directory rulec did not write


def _project(tmp_path):
    d = tmp_path / "project"
    d.mkdir()
    (d / "main.py").write_text("print('mine')\n")
    return d


@pytest.mark.parametrize("command", [
    ("synth", "-n", 5, "--workers", 1),
    ("synth", "-n", 5, "--workers", 1, "--overwrite"),
    ("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", 2, "--workers", 1),
    ("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", 2, "--workers", 1,
     "--overwrite"),
])
def test_refuses_a_non_empty_directory_rulec_did_not_write(tmp_path, command):
    d = _project(tmp_path)
    r = CliRunner().invoke(main, [str(a) for a in (*command, "-o", d)])
    assert r.exit_code == 2, r.output
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("error: ")
    assert "did not write" in r.stderr
    assert sorted(p.name for p in d.iterdir()) == ["main.py"]


@pytest.mark.parametrize("command", [
    ("synth", "-n", 5, "--workers", 1, "--quiet"),
    ("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", 2, "--workers", 1,
     "--quiet"),
])
def test_an_empty_directory_or_our_own_is_written(tmp_path, command):
    d = tmp_path / "empty"
    d.mkdir()
    _run(*command, "-o", d)
    _run(*command, "--overwrite", "-o", d)  # a rulec dataset directory: replaced
    assert (d / "README.md").exists() and len(_written_ids(d)) in (2, 5)


def test_an_interrupted_run_without_its_card_counts_as_ours(tmp_path):
    from rulec.io import FileError, check_dataset_dir

    d = tmp_path / "D"
    (d / "data").mkdir(parents=True)
    for name in ("train-00000-of-00002.parquet", "train-00001-of-00002.parquet.partial",
                 "train-00001-of-00002.parquet.partial.json"):
        (d / "data" / name).write_text("")
    (d / "manifest.json").write_text("{}")
    check_dataset_dir(d)  # resumable: no error
    (d / "README.md").write_text("my own card\n")  # the user's card beside rulec's data: kept, allowed
    check_dataset_dir(d)
    (d / "data" / "notes.txt").write_text("mine\n")
    with pytest.raises(FileError, match="did not write"):
        check_dataset_dir(d)
    only_readme = tmp_path / "E"
    only_readme.mkdir()
    (only_readme / "README.md").write_text("a project\n")
    with pytest.raises(FileError, match="did not write"):
        check_dataset_dir(only_readme)


@pytest.mark.parametrize("name", ["tg.parquet", "tg.jsonl", "tg.JSON", "tg.csv"])
def test_tasks_gen_refuses_a_file_name(tmp_path, name):
    out = tmp_path / name
    r = CliRunner().invoke(main, ["tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1",
                                  "--per-length", "2", "--workers", "1", "-o", str(out)])
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
    assert "writes a dataset directory" in r.stderr and "--out-format" in r.stderr
    assert not out.exists()


def test_summaries_say_1_row(tmp_path):
    r = _run("synth", "-n", 1, "--workers", 1, "-o", tmp_path / "one.jsonl")
    assert "wrote 1 row to" in r.stderr
    d = tmp_path / "D"
    _run("synth", "-n", 1, "--workers", 1, "--quiet", "-o", d)
    assert "1 synthetic rule-following row written" in (d / "README.md").read_text()
    t = tmp_path / "T"
    r = _run("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--per-length", 1,
             "--workers", 1, "-o", t)
    assert "wrote 1 row of 1 task to" in r.stderr
    assert "1 row of 1 task generated" in (t / "README.md").read_text()
    again = CliRunner().invoke(main, ["tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1",
                                      "--per-length", "1", "--workers", "1", "-o", str(t)])
    assert again.exit_code == 2 and "(1 row)" in again.stderr


def test_tasks_gen_rerun_of_a_finished_directory_with_other_options(tmp_path):
    out = tmp_path / "D"
    base = ("tasks", "gen", "--tasks", "lc_258_add_digits", "--lengths", "1", "--workers", "1")
    _run(*base, "--per-length", 2, "--quiet", "-o", out)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*"))
    for extra in ([], ["--resume"]):
        r = CliRunner().invoke(main, [str(a) for a in (*base, "--per-length", 3, *extra, "-o", out)])
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
        assert "holds a different complete dataset (--per-length: was 2, now 3)" in r.stderr
        assert "--overwrite" in r.stderr and "use --resume" not in r.stderr
    assert sorted((p.name, p.stat().st_mtime_ns) for p in out.rglob("*")) == before
    _run(*base, "--per-length", 3, "--overwrite", "--quiet", "-o", out)
    assert len(_written_ids(out)) == 3
