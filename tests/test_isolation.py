"""The process-level wall on its own (rulec.isolate, rulec.parallel) and the CLI's files.

Each evil item runs in a limited worker: it must end as one Failure (one `error:` or
`skipped:` line on the command line) naming the budget, the parent must survive, and
the next item must still be processed, in order.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import one_error_line
from click.testing import CliRunner

from rulec import runner
from rulec.cli import main
from rulec.isolate import Limits, seccomp_supported
from rulec.parallel import Failure, WorkerSetupError, ordered_map

ROOT = Path(__file__).resolve().parent.parent
ADD_DIGITS = str(ROOT / "examples" / "add_digits.py")
FAST = Limits(cpu_seconds=1, wall_seconds=5)


def _evil(state, item):
    kind, value = item
    if kind == "alloc":  # 4 GB at once
        return len(bytearray(4 << 30))
    if kind == "spin":  # a loop in C: no Python signal handler can stop it
        return any(iter(int, 1))
    if kind == "segv":
        return ctypes.string_at(0)
    if kind == "abort":
        os.abort()
    if kind == "sleep":  # silent, no CPU: only the parent's wall clock sees it
        time.sleep(60)
    if kind == "raise":
        raise ValueError(f"bad item {value}")
    return value * state


def _collect(items, workers=1, limits=FAST, batch=4):
    return list(ordered_map(_evil, items, setup=int, setup_args=(10,), workers=workers,
                            limits=limits, batch=batch))


@pytest.mark.parametrize("kind, budget", [
    ("alloc", "memory budget (2 GiB)"),
    ("spin", "CPU time budget (1 s)"),
    ("segv", "SIGSEGV"),
    ("abort", "SIGABRT"),
    ("sleep", "wall-clock budget (5 s)"),
])
def test_each_failure_is_one_item_and_the_next_item_runs(kind, budget):
    items = [("ok", 1), ("ok", 2), (kind, 0), ("ok", 4), ("ok", 5)]
    # one CPU second can take many wall seconds on a loaded machine: only the silent hang
    # is meant to meet the wall clock
    out = _collect(items, limits=FAST if kind == "sleep" else Limits(cpu_seconds=1, wall_seconds=120))
    assert out[:2] == [10, 20] and out[3:] == [40, 50]
    assert isinstance(out[2], Failure)
    assert budget in out[2].message
    assert os.getpid() > 0  # the parent is alive: we are still here


def test_order_and_results_do_not_depend_on_workers():
    items = [("ok", i) for i in range(30)]
    items[7] = ("abort", 0)
    items[19] = ("segv", 0)
    one = _collect(items, workers=1, batch=3)
    three = _collect(items, workers=3, batch=3)
    assert [type(x) for x in one] == [type(x) for x in three]
    assert [x for x in one if not isinstance(x, Failure)] == [i * 10 for i in range(30) if i not in (7, 19)]
    assert [x.kind for x in one if isinstance(x, Failure)] == ["SIGABRT", "SIGSEGV"]


def test_batches_grow_and_a_crash_in_a_grown_batch_fails_only_its_item():
    """Batches start at ``batch`` items and grow to 4x; the results stay in order and a
    worker that dies in a large batch fails only the item it was running."""
    items = [("ok", i) for i in range(400)]
    items[333] = ("segv", 0)
    out = _collect(items, workers=2, batch=2)
    assert isinstance(out[333], Failure) and out[333].kind == "SIGSEGV"
    assert out[:333] + out[334:] == [i * 10 for i in range(400) if i != 333]


def test_an_exception_of_fn_is_raised_at_its_place_in_the_order():
    seen = []
    with pytest.raises(ValueError, match="bad item 3"):
        for x in ordered_map(_evil, [("ok", 1), ("ok", 2), ("raise", 3), ("ok", 4)], setup=int,
                             setup_args=(1,), limits=FAST, batch=10):
            seen.append(x)
    assert seen == [1, 2]


def _bad_setup(kind):
    if kind == "raise":
        raise LookupError("no such rule")
    ctypes.string_at(0)


def test_setup_errors_and_crashes():
    with pytest.raises(LookupError, match="no such rule"):
        list(ordered_map(_evil, [("ok", 1)], setup=_bad_setup, setup_args=("raise",), limits=FAST))
    with pytest.raises(WorkerSetupError, match="SIGSEGV"):
        list(ordered_map(_evil, [("ok", 1)], setup=_bad_setup, setup_args=("segv",), limits=FAST))


def test_more_workers_than_items_never_deadlocks():
    start = time.monotonic()
    out = list(ordered_map(_evil, [("ok", i) for i in range(3)], setup=int, setup_args=(1,),
                           workers=20, limits=FAST, batch=1))
    assert out == [0, 1, 2]
    assert time.monotonic() - start < 60  # a deadlock would hang far longer


# ---------------------------------------------------------------- what a worker may not do


def _probe(state, what):
    try:
        if what == "fork":
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            return "forked"
        if what == "exec":
            subprocess.run(["true"], check=False)
            return "ran a program"
        if what == "write":
            with open(state / "escaped.txt", "w") as f:
                f.write("x")
            return "wrote a file"
        if what == "unlink":
            os.unlink(state / "keep.txt")
            return "deleted a file"
        if what == "socket":
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            return "opened a socket"
        if what == "kill-parent":
            os.kill(os.getppid(), 0)
            return "signalled the parent"
        if what == "raise-limit":
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            return "raised its memory limit"
        if what == "read":
            return len(Path(ADD_DIGITS).read_text())
    except OSError:
        return "refused"
    except ValueError:  # setrlimit above the hard limit
        return "refused"


@pytest.mark.skipif(not seccomp_supported(), reason="the seccomp filter is Linux x86-64 only")
def test_the_worker_cannot_create_processes_write_files_or_reach_out(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    whats = ["fork", "exec", "write", "unlink", "socket", "kill-parent", "raise-limit", "read"]
    out = list(ordered_map(_probe, whats, setup=Path, setup_args=(str(tmp_path),), limits=FAST))
    assert out[:-1] == ["refused"] * (len(whats) - 1), dict(zip(whats, out))
    assert out[-1] > 0  # reading stays possible
    assert not (tmp_path / "escaped.txt").exists()
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_in_process_mode_is_plain_map():
    assert list(ordered_map(_evil, [("ok", 2)], setup=int, setup_args=(3,), limits=None)) == [6]


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("RULEC_MEMORY", "512M")
    monkeypatch.setenv("RULEC_CPU_SECONDS", "7")
    lim = Limits.from_env()
    assert lim.memory == 512 << 20 and lim.cpu_seconds == 7
    assert "512 MiB" in lim.describe("memory")
    monkeypatch.setenv("RULEC_MEMORY", "lots")
    with pytest.raises(ValueError, match="RULEC_MEMORY"):
        Limits.from_env()


# ---------------------------------------------------------------- the wall under `rulec compile`

def _rule(tmp_path, text: str) -> str:
    path = tmp_path / "rule.py"
    path.write_text(text)
    return str(path)


def _patch_record(monkeypatch, evil: str) -> None:
    """Input ``{"num": 2}`` does something evil inside the worker, past the language wall
    (the workers fork from this process, so the patched method is what they run)."""
    for method in ("record", "record_json"):  # the text output, and --json's
        real = getattr(runner.Compiled, method)

        def patched(self, inputs, *args, real=real, **kwargs):
            if inputs.get("num") == 2:
                _evil(None, (evil, 0))
            return real(self, inputs, *args, **kwargs)

        monkeypatch.setattr(runner.Compiled, method, patched)


def _three_inputs(tmp_path) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text('{"num": 15}\n{"num": 2}\n{"num": 99}\n')
    return str(path)


def test_cli_many_workers_same_output(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(f'{{"num": {n}}}\n' for n in range(200)))
    one = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", str(path), "--json", "--workers", "1"])
    two = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", str(path), "--json", "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 200


def test_cli_without_skip_errors_stops_at_the_input_with_one_line(tmp_path, monkeypatch):
    _patch_record(monkeypatch, "spin")
    r = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", _three_inputs(tmp_path), "--json"],
                           env={"RULEC_CPU_SECONDS": "1"})
    assert r.exit_code == 2
    assert [json.loads(x)["answer"] for x in r.stdout.splitlines()] == ["6"]
    assert r.stderr.splitlines() == ["error: input line 2: the rule exceeded the CPU time budget (1 s)"]


@pytest.mark.parametrize("evil, budget", [
    ("spin", "the rule exceeded the CPU time budget (1 s)"),
    ("alloc", "the rule exceeded the memory budget (2 GiB)"),
    ("abort", "the rule crashed its worker process (SIGABRT)"),
    ("segv", "the rule crashed its worker process (SIGSEGV)"),
])
def test_cli_crashes_and_memory_are_one_line(tmp_path, monkeypatch, evil, budget):
    _patch_record(monkeypatch, evil)
    r = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args-file", _three_inputs(tmp_path), "--json",
                                  "--skip-errors"], env={"RULEC_CPU_SECONDS": "1"})
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["answer"] for x in r.stdout.splitlines()] == ["6", "9"]
    assert r.stderr.splitlines() == [f"skipped: input line 2: {budget}"]


def test_cli_a_rule_that_breaks_the_parser_is_one_line(tmp_path):
    deep = "def f(x):\n    return " + "(" * 3000 + "x" + ")" * 3000 + "\n"
    r = CliRunner().invoke(main, ["compile", _rule(tmp_path, deep), "--args", '{"x": 1}'])
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("error: rule.py")
    again = CliRunner().invoke(main, ["compile", ADD_DIGITS, "--args", '{"num": 15}'])
    assert again.exit_code == 0 and again.stdout.endswith("So the answer is 6\n")


# ---------------------------------------------------------------- files and options


@pytest.mark.parametrize("what", ["rule", "args", "glossary"])
def test_dev_zero_as_an_input_file_is_one_line(what):
    args = {
        "rule": ["compile", "/dev/zero"],
        "args": ["compile", ADD_DIGITS, "--args-file", "/dev/zero"],
        "glossary": ["compile", ADD_DIGITS, "--nl", "--glossary", "/dev/zero"],
    }[what]
    one_error_line(CliRunner().invoke(main, args), "/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "symlink to a fifo", "symlink to /dev/null"])
def test_output_never_replaces_a_special_file(tmp_path, kind):
    special = tmp_path / "special.jsonl"
    os.mkfifo(special)
    out = special
    if kind.startswith("symlink"):
        out = tmp_path / "link.jsonl"
        out.symlink_to("/dev/null" if kind.endswith("null") else special)
    r = CliRunner().invoke(main, ["synth", "-n", "3", "-o", str(out), "--overwrite", "--quiet"])
    one_error_line(r, "regular file")
    assert special.is_fifo()
    assert out.is_symlink() or out.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["special.jsonl"] + (["link.jsonl"] if kind.startswith("symlink") else []))


@pytest.mark.parametrize("case", ["under a file", "in /proc", "name too long", "csv suffix"])
def test_bad_output_paths_are_one_line(tmp_path, case):
    (tmp_path / "plain").write_text("x")
    out = {
        "under a file": str(tmp_path / "plain" / "s.jsonl"),
        "in /proc": "/proc/rulec-test/s.jsonl",
        "name too long": str(tmp_path / ("a" * 300 + ".jsonl")),
        "csv suffix": str(tmp_path / "s.csv"),
    }[case]
    one_error_line(CliRunner().invoke(main, ["synth", "-n", "3", "-o", out, "--quiet"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain"]


def test_parquet_without_pyarrow_is_refused_before_any_work(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    r = CliRunner().invoke(main, ["synth", "-n", "3", "-o", str(tmp_path / "s.parquet"), "--quiet"])
    one_error_line(r, "pip install 'rulec[data]'")
    assert list(tmp_path.iterdir()) == []


def test_resume_on_a_garbage_partial_is_one_line(tmp_path):
    out = tmp_path / "g.jsonl"
    (tmp_path / "g.jsonl.partial").write_bytes(b"\x00\xffnot json\n{\"id\": 3}\n")
    one_error_line(CliRunner().invoke(main, ["synth", "-n", "3", "-o", str(out), "--resume", "--quiet"]),
              "g.jsonl.partial line 1")
    assert not out.exists()


def test_stdout_on_dev_full_is_one_line():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "rulec", "compile", ADD_DIGITS, "--args", '{"num": 15}'],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["error: cannot write the output: No space left on device"]


def test_synth_options_that_cannot_terminate_are_refused(tmp_path, monkeypatch):
    from rulec.snippets import synth

    for bad in (["--name-len", "1-100000"], ["--list-len", "5-100000000"], ["--snippets", "1000000"],
                ["--values", "0-99999999999999"], ["--max-iterations", "1000000000"]):
        one_error_line(CliRunner().invoke(main, ["synth", "-n", "1", "-o", str(tmp_path / "a.jsonl"), *bad]))
    monkeypatch.setattr(synth, "MAX_DROPS_IN_A_ROW", 300)
    r = CliRunner().invoke(main, ["synth", "-n", "1", "--max-chars", "100", "-o", str(tmp_path / "a.jsonl"),
                                  "--quiet", "--workers", "1"])
    one_error_line(r, "300 candidates in a row were dropped", "too-long")
    assert list(tmp_path.iterdir()) == []  # no rows: no partial file either


def test_synth_with_more_workers_than_rows(tmp_path):
    out = tmp_path / "w.jsonl"
    r = CliRunner().invoke(main, ["synth", "-n", "10", "--workers", "20", "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert len(out.read_text().splitlines()) == 10


def test_cli_a_fifo_without_writer_as_the_rule_is_one_line_not_a_hang(tmp_path):
    fifo = tmp_path / "rule.py"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "rulec", "compile", str(fifo)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: ")
