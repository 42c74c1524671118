"""One vocabulary across the commands, one-line usage errors, clean interrupts, the lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import one_error_line
from click.testing import CliRunner

from rulec.cli import main

ROOT = Path(__file__).resolve().parent.parent
ADD_DIGITS = str(ROOT / "examples" / "add_digits.py")

# command -> the shared options it must accept (same names, same meaning everywhere)
VOCABULARY = {
    ("synth",): ["-o", "--output", "--out-format", "--format", "--nl", "--workers", "--seed", "--quiet",
                 "--resume", "--overwrite", "--push-to-hub", "--private"],
    ("tasks", "gen"): ["-o", "--output", "--out-format", "--format", "--nl", "--workers", "--seed", "--quiet",
                       "--resume", "--overwrite", "--fields", "--push-to-hub", "--private"],
    ("compile", ADD_DIGITS): ["-o", "--output", "--out-format", "--format", "--nl", "--json", "--overwrite",
                             "--workers", "--quiet", "--push-to-hub", "--private", "--fields", "--resume"],
    ("eval", "run"): ["-o", "--output", "--format", "--seed", "--quiet"],
    ("train", "adapt"): ["-o", "--output", "--format", "--seed", "--quiet", "--resume", "--overwrite"],
    ("tasks", "show", "coin_flip"): ["--format", "--seed", "--json"],
    ("tasks", "list"): ["--json"],
}


@pytest.mark.parametrize("command", list(VOCABULARY), ids=lambda c: " ".join(c[:2]))
def test_every_command_speaks_the_shared_options(command):
    r = CliRunner().invoke(main, [*command, "--help"])
    assert r.exit_code == 0, r.output
    words = set(r.stdout.replace(",", " ").replace("/", " ").split())
    missing = [opt for opt in VOCABULARY[command] if opt not in words]
    assert not missing, f"{' '.join(command)} lacks {missing}"


USAGE_MISTAKES = [
    ["synth", "--bogus"],
    ["synth", "-n", "zero"],
    ["synth", "--format", "jsonl"],
    ["synth", "--workers", "0"],
    ["tasks", "gen", "coin_flip", "--bogus", "-o", "x"],
    ["tasks", "gen", "coin_flip"],  # no -o
    ["tasks", "list", "--split", "nope"],
    ["tasks", "nope"],
    ["compile"],
    ["compile", ADD_DIGITS, "--max-steps", "0"],
    ["compile", ADD_DIGITS, "--format", "rfft"],  # --format without --rows
    ["nope"],
    ["--bogus"],
]


@pytest.mark.parametrize("args", USAGE_MISTAKES, ids=lambda a: " ".join(a))
def test_usage_mistakes_are_one_line(args, tmp_path):
    r = CliRunner().invoke(main, args)
    one_error_line(r)
    assert "Usage:" not in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(("typo", "meant"), [(["synht"], "synth"), (["tasks", "lst"], "list"),
                                            (["compil"], "compile")])
def test_a_mistyped_command_names_the_close_one(typo, meant):
    r = CliRunner().invoke(main, [*typo, "--help"])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [f"error: No such command '{typo[-1]}'. Did you mean '{meant}'?"]


def test_json_is_always_json():
    r = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--json"])
    assert json.loads(r.stdout)["rule"].startswith("def add_digits(")
    listed = CliRunner().invoke(main, ["tasks", "list", "--json"])
    assert isinstance(json.loads(listed.stdout), list)


def test_tasks_list_sorts_naturally():
    names = [line.split()[0] for line in CliRunner().invoke(main, ["tasks", "list"]).stdout.splitlines()[:-1]]
    lc = [n for n in names if n.startswith("lc_")]
    numbers = [int(n.split("_")[1]) for n in lc]
    assert numbers == sorted(numbers)


# ---------------------------------------------------------------- interrupts and the lock


def _start_synth(out: Path, n: int = 200_000) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "rulec", "synth", "-n", str(n), "--workers", "2", "-o", str(out), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _wait_for_rows(partial: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if partial.exists() and partial.stat().st_size > 0:
            return
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.2)
    raise AssertionError("no rows written in time")


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"),
                                             (signal.SIGTERM, 143, "terminated")])
def test_interrupt_is_one_line_and_resumable(tmp_path, sig, code, word):
    out = tmp_path / "s.jsonl"
    partial = tmp_path / "s.jsonl.partial"
    proc = _start_synth(out)
    try:
        _wait_for_rows(partial, proc)
        os.killpg(proc.pid, sig)  # like Ctrl-C / `kill` of the whole job: workers get it too
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{word}: ") and lines[0].endswith("rerun with --resume"), err
    kept = int(lines[0].split()[1].replace(",", ""))
    assert kept == len(partial.read_bytes().splitlines())
    assert not out.exists()


def test_resume_after_interrupt_gives_the_same_bytes(tmp_path):
    n = 3000
    out, ref = tmp_path / "s.jsonl", tmp_path / "ref.jsonl"
    proc = _start_synth(out, n)
    try:
        _wait_for_rows(tmp_path / "s.jsonl.partial", proc)
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    if proc.returncode == 0:  # finished before the signal: nothing to resume
        pytest.skip("the run finished before it was interrupted")
    r = CliRunner().invoke(main, ["synth", "-n", str(n), "-o", str(out), "--resume", "--quiet", "--workers", "2"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["synth", "-n", str(n), "-o", str(ref), "--quiet", "--workers", "1"])
    assert out.read_bytes() == ref.read_bytes()


PROCESS_LIST = str(ROOT / "examples" / "process_list.py")


def _compile_inputs(tmp_path: Path, n: int) -> Path:
    import random

    rng = random.Random(0)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"ywhm": [rng.randint(0, 99) for _ in range(10)],
                                        "erep": [rng.randint(0, 99) for _ in range(10)]}) + "\n"
                            for _ in range(n)))
    return path


def test_compile_rows_interrupt_is_one_line_and_resume_gives_the_same_bytes(tmp_path):
    inputs = _compile_inputs(tmp_path, 15_000)
    out, ref = tmp_path / "rows.jsonl", tmp_path / "ref.jsonl"
    cmd = ["compile", PROCESS_LIST, "--args-file", str(inputs), "--rows", "--quiet"]
    proc = subprocess.Popen([sys.executable, "-m", "rulec", *cmd, "-o", str(out), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _wait_for_rows(tmp_path / "rows.jsonl.partial", proc)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    if proc.returncode == 0:
        pytest.skip("the run finished before it was interrupted")
    assert proc.returncode == 130, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: ") and lines[0].endswith("rerun with --resume"), err
    kept = int(lines[0].split()[1].replace(",", ""))
    assert 0 < kept == len((tmp_path / "rows.jsonl.partial").read_bytes().splitlines()) < 15_000
    # another rule cannot continue it
    other = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", str(inputs), "--rows", "-o", str(out),
                                      "--resume"])
    assert other.exit_code == 2 and "differs from the interrupted one in its rule" in other.stderr
    r = CliRunner().invoke(main, [*cmd, "-o", str(out), "--resume", "--workers", "1"])
    assert r.exit_code == 0, r.stderr
    r = CliRunner().invoke(main, [*cmd, "-o", str(ref), "--workers", "2"])
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes() == ref.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "ref.jsonl", "rows.jsonl"]


def test_compile_rows_of_nothing_is_an_error_and_writes_nothing(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"num": "x"}\n')
    for inputs, why in ((empty, "the inputs are empty"), (bad, "every input failed")):
        r = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", str(inputs), "--rows", "--skip-errors",
                                      "--quiet", "-o", str(tmp_path / "d")])
        assert r.exit_code == 2 and r.stderr.splitlines() == [f"error: no rows to write: {why}"]
        assert not (tmp_path / "d").exists() or not any((tmp_path / "d").rglob("*.*"))


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    out = tmp_path / "s.jsonl"
    partial = tmp_path / "s.jsonl.partial"
    proc = _start_synth(out)
    try:
        _wait_for_rows(partial, proc)
        before = partial.stat().st_size
        r = CliRunner().invoke(main, ["synth", "-n", "10", "-o", str(out), "--resume", "--quiet"])
        assert r.exit_code == 2
        assert r.stderr.splitlines() == [f"error: {partial} is being written by another rulec run; wait for it "
                                         "or stop it"]
        assert partial.stat().st_size >= before  # not truncated by the refused run
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def test_progress_lines_when_not_on_a_terminal(capsys):
    from rulec.progress import Progress

    p = Progress(10, 0, "rows", True, every=0)
    p.update(4)
    p.close()
    silent = Progress(10, 0, "rows", False, every=0)
    silent.update(4)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("progress: 4 / 10 rows (40%)")
