"""The 22 snippets, the fast composer and `rulec synth`."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from rulec.cli import main
from rulec.compiler import compile_rule, format_answer
from rulec.io import decode_inputs
from rulec.snippets.compose import Piece, TemplateLibrary, rename, rule_source
from rulec.snippets.library import HAS_CONSTANT, SNIPPETS, instantiate
from rulec.snippets.synth import Generator, SynthConfig, synthesise

LIB = TemplateLibrary()


def native(rule: str, inputs: dict):
    env: dict = {}
    exec(rule, env)  # our own generated code
    name = rule.split("(", 1)[0].split()[-1]
    return env[name](**{k: list(v) for k, v in inputs.items()})


def test_there_are_22_snippets_that_parse():
    assert len(SNIPPETS) == 22
    for i in range(22):
        ast.parse(instantiate(i, 7, False))
        ast.parse(instantiate(i, 7, True))
    assert sum(HAS_CONSTANT) == 7  # snippets 0, 1, 4, 8, 9, 17, 18


def test_snippet_text_matches_the_paper_d2():
    # a few snippets checked character by character against appendix D.2
    assert SNIPPETS[7] == "list1 = list1[1:] if list1 else list1"
    assert SNIPPETS[9] == "val = list2[-1] if list2 else {}\nlist1.append(val)"
    assert SNIPPETS[16] == "if len(list1) > len(list2):\n    list2.insert(0, list1.pop())"


pieces_st = st.lists(
    st.builds(
        lambda i, c, s: Piece(i, c if HAS_CONSTANT[i] else None, s),
        st.integers(0, 21),
        st.integers(0, 99),
        st.booleans(),
    ),
    min_size=1,
    max_size=9,
)
lists_st = st.lists(st.integers(0, 99), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(pieces=pieces_st, a=lists_st, b=lists_st)
def test_fast_composer_equals_generic_compiler(pieces, a, b):
    """Assembling cached unit templates gives exactly what compiling the renamed source gives."""
    from rulec.compiler.sandbox import Budgets

    budgets = Budgets(max_iterations=25)
    src, units = rule_source(pieces, "qx", "zwv")
    generic = compile_rule(src, units=units, budgets=budgets)
    fast = LIB.compiled(pieces, budgets)
    assert rename(fast.text, "qx", "zwv") == generic.text
    try:
        want = generic.run({"qx": a, "zwv": b})
    except Exception as e:  # non-terminating programs must fail the same way
        with pytest.raises(type(e)):
            fast.run({"list1": a, "list2": b})
        return
    got = fast.run({"list1": a, "list2": b})
    assert rename(got.code(), "qx", "zwv") == want.code()
    assert got.answer == want.answer == format_answer(native(src, {"qx": a, "zwv": b}))
    assert got.loop_iterations == want.code().count("\nenter the loop")
    nl_fast = rename(got.nl(), "qx", "zwv")
    assert nl_fast.endswith(f"So the answer is {want.answer}")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), start=st.integers(0, 10_000))
def test_rows_agree_with_native_execution(seed, start):
    gen = Generator(SynthConfig(seed=seed))
    for index in range(start, start + 5):
        line, _key, reason = gen.candidate(index)
        if line is None:
            assert reason in {"non-terminating", "too-long", "length"}
            continue
        row = decode_inputs(json.loads(line))
        assert row["answer"] == format_answer(native(row["rule"], row["inputs"]))
        assert row["response"].endswith(f"So the answer is {row['answer']}")
        assert row["loop_iterations"] == row["response"].count("\nenter the loop")
        assert row["length"] == row["loop_iterations"]
        assert row["source"] == "synthetic" and row["snippets"]
        a, b = row["inputs"]
        assert a != b and a.isalpha() and b.isalpha()
        assert row["prompt"].endswith(
            f"Given two lists, {a} = {row['inputs'][a]} and {b} = {row['inputs'][b]}, what is the final value of {a}?"
        )
        assert row["messages"][1]["content"] == row["response"]


def test_names_are_never_keywords_builtins_or_temporaries():
    import builtins
    import keyword

    gen = Generator(SynthConfig(name_len=(2, 3)))
    seen = set()
    for i in range(400):
        line, _, _ = gen.candidate(i)
        if line:
            seen.update(decode_inputs(json.loads(line))["inputs"])
    assert seen
    assert not seen & (set(keyword.kwlist) | set(dir(builtins)) | {"var", "val"})


def test_snippets_occur_with_roughly_equal_frequency(tmp_path):
    out = tmp_path / "s.jsonl"
    synthesise(3000, out, SynthConfig(seed=3), progress=False)
    counts = Counter(i for line in out.open() for i in json.loads(line)["snippets"])
    assert set(counts) == set(range(22))
    mean = sum(counts.values()) / 22
    # termination favours shrinking snippets a little; no snippet may be rare or dominant
    assert min(counts.values()) > 0.6 * mean
    assert max(counts.values()) < 1.5 * mean


def test_same_seed_same_bytes_for_any_worker_count(tmp_path):
    one, two = tmp_path / "w1.jsonl", tmp_path / "w2.jsonl"
    synthesise(600, one, SynthConfig(seed=11), workers=1, progress=False, chunk=64)
    synthesise(600, two, SynthConfig(seed=11), workers=2, progress=False, chunk=64)
    assert one.read_bytes() == two.read_bytes()
    ids = [json.loads(line)["id"] for line in one.open()]
    assert len(ids) == len(set(ids)) == 600


def test_no_duplicate_rules_within_a_run(tmp_path):
    out = tmp_path / "d.jsonl"
    # a tiny space of rules: one snippet, no constants to vary -> many duplicates
    stats = synthesise(20, out, SynthConfig(seed=1, snippets=(1, 1), constants=(1, 1)), progress=False)
    rules = [tuple(json.loads(line)["snippets"]) for line in out.open()]
    assert stats.dropped["duplicate"] > 0
    keys = [json.loads(line)["rule"].split("\n", 2)[2] for line in out.open()]
    assert len(rules) == 20
    assert len(set(_canonical(json.loads(line)) for line in out.open())) == 20, keys[:3]


def _canonical(row):
    a, b = decode_inputs(row)["inputs"]
    return row["rule"].replace(a, "A").replace(b, "B")


def test_length_targeting(tmp_path):
    out = tmp_path / "l.jsonl"
    stats = synthesise(100, out, SynthConfig(seed=2, lengths=(3, 4)), progress=False)
    lengths = {json.loads(line)["length"] for line in out.open()}
    assert lengths <= {3, 4}
    assert stats.candidates < 300  # lists resized towards the loop count, not blind redraws


def test_long_lengths_without_mass_rejection(tmp_path):
    out = tmp_path / "long.jsonl"
    cfg = SynthConfig(seed=2, lengths=tuple(range(25, 31)), max_iterations=40, max_chars=60_000)
    stats = synthesise(10, out, cfg, progress=False, workers=1)
    rows = [json.loads(line) for line in out.open()]
    assert len(rows) == 10 and all(25 <= r["length"] <= 30 for r in rows)
    assert all(r["response"].count("\nenter the loop") == r["length"] for r in rows)
    # before aiming, ~19,000 candidates per row were dropped for their length
    assert stats.candidates < 100 * len(rows)


def test_resume_continues_a_killed_run_to_the_same_bytes(tmp_path):
    full = tmp_path / "full.jsonl"
    synthesise(300, full, SynthConfig(seed=5), progress=False, chunk=50)
    out = tmp_path / "part.jsonl"
    lines = full.read_bytes().splitlines(keepends=True)
    # a killed run: 120 complete rows and half of the next one in the partial file
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(b"".join(lines[:120]) + lines[120][:50])
    assert not out.exists()
    synthesise(300, out, SynthConfig(seed=5), resume=True, progress=False, chunk=50)
    assert out.read_bytes() == full.read_bytes()
    assert not partial.exists()


BASE = ["--workers", "1", "--quiet", "--lengths", "1-5"]


def _interrupted_cli_run(tmp_path, monkeypatch, n: int = 60, after: int = 30) -> Path:
    """`rulec synth` stopped by Ctrl-C after ``after`` rows: the .partial and its run record."""
    from rulec.io import RowWriter

    real = RowWriter.write_line
    count = [0]

    def write_line(self, line):
        count[0] += 1
        if count[0] > after:
            raise KeyboardInterrupt
        real(self, line)

    out = tmp_path / "s.jsonl"
    with monkeypatch.context() as m:
        m.setattr(RowWriter, "write_line", write_line)
        r = CliRunner().invoke(main, ["synth", "-n", str(n), *BASE, "-o", str(out)])
    assert r.exit_code == 130 and r.stderr.startswith(f"interrupted: {after} rows kept"), r.output
    assert (tmp_path / "s.jsonl.partial.json").exists()
    return out


@pytest.mark.parametrize(("change", "named"), [
    (["--lengths", "6-10"], "--lengths (was 1-5, now 6-10)"),
    (["--nl"], "--nl (was off, now on)"),
    (["--snippets", "2-3"], "--snippets (was 4-9, now 2-3)"),
    (["--values", "0-9"], "--values (was 0-99, now 0-9)"),
    (["--seed", "7", "--shots", "1"], "--seed (was 0, now 7), --shots (was 0, now 1)"),
])
def test_resume_refuses_other_options(tmp_path, monkeypatch, change, named):
    out = _interrupted_cli_run(tmp_path, monkeypatch)
    partial = tmp_path / "s.jsonl.partial"
    before = partial.read_bytes()
    args = ["synth", "-n", "60", *BASE, "-o", str(out), "--resume"]
    if change[0] == "--lengths":
        args[args.index("1-5")] = change[1]
    else:
        args += change
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [
        f"error: --resume: this run differs from the interrupted one in {named}; rerun without --resume or "
        "with the same options"]
    assert partial.read_bytes() == before and not out.exists()


def test_resume_with_a_larger_n_continues_the_same_rows(tmp_path, monkeypatch):
    """Row k depends only on the seed and the candidates before it, so a run of n rows is the
    first n rows of any longer run: -n may grow on --resume, not shrink below what is written."""
    out = _interrupted_cli_run(tmp_path, monkeypatch, 60, 30)
    r = CliRunner().invoke(main, ["synth", "-n", "20", *BASE, "-o", str(out), "--resume"])
    assert r.exit_code == 2 and "30 rows are already written, more than -n 20" in r.stderr, r.output
    r = CliRunner().invoke(main, ["synth", "-n", "80", *BASE, "-o", str(out), "--resume", "--workers", "2"])
    assert r.exit_code == 0, r.output
    ref = tmp_path / "ref.jsonl"
    assert CliRunner().invoke(main, ["synth", "-n", "80", *BASE, "-o", str(ref)]).exit_code == 0
    assert out.read_bytes() == ref.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ref.jsonl", "s.jsonl"]  # no record left behind


def test_resume_of_a_partial_without_a_record_checks_the_seed_only(tmp_path, monkeypatch):
    out = _interrupted_cli_run(tmp_path, monkeypatch, 40, 25)
    (tmp_path / "s.jsonl.partial.json").unlink()  # as an older rulec left it
    r = CliRunner().invoke(main, ["synth", "-n", "40", *BASE, "-o", str(out), "--resume"])
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines() == [f"warning: {out}.partial has no record of its options (an older rulec "
                                     "wrote it); resuming on the seed check only"]
    ref = tmp_path / "ref.jsonl"
    assert CliRunner().invoke(main, ["synth", "-n", "40", *BASE, "-o", str(ref)]).exit_code == 0
    assert out.read_bytes() == ref.read_bytes()


def test_directory_resume_record_is_gone_when_complete(tmp_path, monkeypatch):
    from rulec.io import RowWriter

    real = RowWriter.write_line
    count = [0]

    def write_line(self, line):
        count[0] += 1
        if count[0] > 10:
            raise KeyboardInterrupt
        real(self, line)

    out = tmp_path / "d"
    with monkeypatch.context() as m:
        m.setattr(RowWriter, "write_line", write_line)
        assert CliRunner().invoke(main, ["synth", "-n", "20", *BASE, "-o", str(out)]).exit_code == 130
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "train-00000-of-00001.parquet.partial", "train-00000-of-00001.parquet.partial.json"]
    r = CliRunner().invoke(main, ["synth", "-n", "20", *BASE, "--nl", "-o", str(out), "--resume"])
    assert r.exit_code == 2 and "--nl (was off, now on)" in r.stderr
    assert CliRunner().invoke(main, ["synth", "-n", "20", *BASE, "-o", str(out), "--resume"]).exit_code == 0
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]


def test_one_shot_uses_a_different_rule_in_the_paper_wording(tmp_path):
    out = tmp_path / "shot.jsonl"
    synthesise(30, out, SynthConfig(seed=4, shots=1), progress=False)
    for line in out.open():
        row = json.loads(line)
        prompt = row["prompt"]
        assert prompt.startswith("Here is 1 example:\nFollow the given rule to solve the question.\nrule:\n")
        example, question = prompt.split("Follow the above examples to answer the following question:\n")
        assert question.startswith("Follow the given rule to solve the question.\nrule:\ndef process_list(")
        assert "So the answer is" in example
        example_rule = example.split("rule:\n", 1)[1].split("\nQ:", 1)[0]
        assert example_rule != row["rule"]
        assert row["shots"] == 1


def test_parquet_output(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "s.parquet"
    synthesise(50, out, SynthConfig(seed=8), fmt="parquet", progress=False)
    table = pq.read_table(out)
    assert table.num_rows == 50
    row = table.slice(0, 1).to_pylist()[0]
    assert json.loads(row["inputs"]) and row["messages"][0]["role"] == "user"


def test_nl_rows(tmp_path):
    from rulec.compiler.nlcheck import python_syntax_in

    out = tmp_path / "nl.jsonl"
    synthesise(40, out, SynthConfig(seed=9, nl=True), progress=False)
    for line in out.open():
        row = json.loads(line)
        assert row["format"] == "rfft_nl"
        assert row["response"].endswith(f"So the answer is {row['answer']}")
        assert row["rule"].startswith("1. Begin loop:")
        assert python_syntax_in(row["rule"]) == []


def test_cli_synth_and_errors(tmp_path):
    runner = CliRunner()
    out = tmp_path / "c.jsonl"
    result = runner.invoke(main, ["synth", "-n", "20", "-o", str(out), "--quiet", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 20
    again = runner.invoke(main, ["synth", "-n", "20", "-o", str(out), "--quiet"])
    assert again.exit_code == 2 and "exists" in again.output
    for bad in (["--lengths", "5-1"], ["--lengths", "x"], ["--snippets", "0-3"], ["-n", "0"], ["--workers", "0"]):
        r = runner.invoke(main, ["synth", "-o", str(tmp_path / "z.jsonl"), "--quiet", *bad])
        assert r.exit_code == 2, (bad, r.output)
        assert not (tmp_path / "z.jsonl").exists()


def test_killed_process_leaves_no_file_under_the_final_name(tmp_path):
    out = tmp_path / "k.jsonl"
    code = (
        "import os, sys\n"
        "from rulec.snippets import synth\n"
        "orig = synth.RowWriter.write_line\n"
        "count = [0]\n"
        "def write_line(self, line):\n"
        "    count[0] += 1\n"
        "    if count[0] == 700:\n"
        "        self.flush(); os._exit(9)\n"
        "    orig(self, line)\n"
        "synth.RowWriter.write_line = write_line\n"
        f"synth.synthesise(1000, {str(out)!r}, synth.SynthConfig(seed=1), progress=False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == 9
    assert not out.exists()
    assert Path(str(out) + ".partial").exists()
    synthesise(1000, out, SynthConfig(seed=1), resume=True, progress=False)
    reference = tmp_path / "r.jsonl"
    synthesise(1000, reference, SynthConfig(seed=1), progress=False)
    assert out.read_bytes() == reference.read_bytes()


def test_candidates_are_reproducible_from_seed_and_index():
    a = Generator(SynthConfig(seed=42)).candidate(17)
    b = Generator(SynthConfig(seed=42)).candidate(17)
    assert a == b
    random.seed(0)  # global random state must not matter
    assert Generator(SynthConfig(seed=42)).candidate(17) == a
