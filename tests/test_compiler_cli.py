"""`rulec compile`: output, --args / --args-file / --json, one-line errors, fast start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from rulec.cli import main

ROOT = Path(__file__).resolve().parent.parent
ADD_DIGITS = str(ROOT / "examples" / "add_digits.py")
PROCESS_LIST = str(ROOT / "examples" / "process_list.py")

CLI = [sys.executable, "-c", "from rulec.cli import main; main()"]
HEAVY_MODULES = ("torch", "transformers", "datasets", "peft", "accelerate", "vllm", "trl", "openai", "matplotlib")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_prints_the_rule():
    result = run("compile", ADD_DIGITS)
    assert result.exit_code == 0
    assert result.stdout == Path(ADD_DIGITS).read_text().rstrip("\n") + "\n"


def test_args_json_prints_prompt_and_trace():
    result = run("compile", ADD_DIGITS, "--args", '{"num": 15}')
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Follow the given rule to solve the question.\nrule:\ndef add_digits(num: int) -> int:")
    assert "\nQ: " in out
    assert out.rstrip("\n").splitlines()[-1] == "So the answer is 6"
    assert result.stderr == ""


def test_args_python_literal_dict():
    as_json = run("compile", PROCESS_LIST, "--args", '{"ywhm": [3], "erep": [50, 31]}')
    as_literal = run("compile", PROCESS_LIST, "--args", "{'ywhm': [3], 'erep': [50, 31],}")
    assert as_literal.exit_code == 0, as_literal.stderr
    assert as_literal.stdout == as_json.stdout
    assert as_literal.stdout.rstrip("\n").endswith("So the answer is [53]")


def test_args_literal_is_never_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    result = run("compile", ADD_DIGITS, "--args", f"{{'num': __import__('os').mkdir({str(marker)!r})}}")
    assert result.exit_code == 2
    assert not marker.exists()


def test_args_file_jsonl_with_json(tmp_path):
    inputs = tmp_path / "inputs.jsonl"
    inputs.write_text('{"num": 15}\n\n{"num": 7}\n{"num": 99}\n', encoding="utf-8")
    result = run("compile", ADD_DIGITS, "--args-file", str(inputs), "--json")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    for rec, (num, answer, iterations) in zip(records, [(15, "6", 3), (7, "7", 0), (99, "9", 6)]):
        assert set(rec) >= {"rule", "prompt", "trace", "answer", "loop_iterations", "steps"}
        assert rec["answer"] == answer
        assert rec["loop_iterations"] == iterations
        assert rec["trace"].splitlines()[-1] == f"So the answer is {answer}"
        assert rec["trace"].count("\nenter the loop\n") == iterations
        assert rec["rule"] in rec["prompt"]
        assert isinstance(rec["steps"], int) and rec["steps"] > 0
        assert str(num) in rec["prompt"]


def test_json_with_single_args():
    result = run("compile", PROCESS_LIST, "--args", '{"ywhm": [3], "erep": [50, 31]}', "--json")
    rec = json.loads(result.stdout)
    assert rec["answer"] == "[53]"
    assert rec["loop_iterations"] == 1


# -- errors: exactly one line on stderr, `error: ...`, exit code 2, no traceback ------------


def _rule_file(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _bytes_file(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


ERRORS = {
    "missing file": (lambda t: ["compile", str(t / "nope.py")], "no such file"),
    "syntax error": (lambda t: ["compile", _rule_file(t, "bad.py", "def f(x:\n    return x\n")], "syntax error"),
    "unknown function": (lambda t: ["compile", ADD_DIGITS, "--function", "nope"], "no function `nope`"),
    "unknown argument": (lambda t: ["compile", ADD_DIGITS, "--args", '{"n": 1}'], "unknown argument `n`"),
    "missing argument": (lambda t: ["compile", ADD_DIGITS, "--args", "{}"], "missing argument `num`"),
    "wrong argument type": (lambda t: ["compile", ADD_DIGITS, "--args", '{"num": "x"}'], "TypeError"),
    "bad --args text": (lambda t: ["compile", ADD_DIGITS, "--args", "{bad"], "--args"),
    "--args not a dict": (lambda t: ["compile", ADD_DIGITS, "--args", "[1, 2]"], "--args"),
    "bad --args-file line": (
        lambda t: ["compile", ADD_DIGITS, "--args-file", _rule_file(t, "in.jsonl", "not json\n")], "line 1"),
    "missing --args-file": (lambda t: ["compile", ADD_DIGITS, "--args-file", str(t / "none.jsonl")], "no such file"),
    "unsupported construct": (
        lambda t: ["compile", _rule_file(t, "imp.py", "import os\n\ndef f(x):\n    return x\n")], "`import`"),
    "class": (lambda t: ["compile", _rule_file(t, "cls.py", "class A:\n    pass\n")], "class"),
    "infinite loop": (
        lambda t: ["compile", _rule_file(t, "inf.py", "def f(x):\n    while True:\n        x += 1\n    return x\n"),
                   "--args", '{"x": 1}'], "steps"),
    "exception in the rule": (
        lambda t: ["compile", _rule_file(t, "ix.py", "def f(x):\n    y = x[3]\n    return y\n"), "--args", '{"x": []}'],
        "IndexError"),
    "no function in the file": (lambda t: ["compile", _rule_file(t, "empty.py", "'''nothing'''\n")], "no function"),
    "not UTF-8": (lambda t: ["compile", _bytes_file(t, "bin.py", b"\xff\xfe\x00def")], "UTF-8"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_are_one_line(case, tmp_path):
    make_args, fragment = ERRORS[case]
    args = make_args(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_error_names_file_and_line(tmp_path):
    path = _rule_file(tmp_path, "evil.py", "def f(x):\n    y = 1\n    return open('/etc/passwd')\n")
    result = CliRunner().invoke(main, ["compile", path])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: evil.py:3: ")


def test_subprocess_error_is_one_line_and_no_traceback(tmp_path):
    path = _rule_file(tmp_path, "inf.py", "def f(x):\n    while True:\n        pass\n    return x\n")
    proc = subprocess.run(
        [*CLI, "compile", path, "--args", '{"x": 1}'],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("error: ")


# -- start-up: no heavy imports on the compile path -------------------------------------------

CHECK_IMPORTS = """
import sys
from rulec.cli import main
try:
    main(["compile", {path!r}, "--args", '{{"num": 15}}'], standalone_mode=False)
finally:
    sys.stdout.flush()
heavy = [m for m in {heavy!r} if m in sys.modules]
print("HEAVY:" + ",".join(heavy))
"""


def test_compile_does_not_import_heavy_modules():
    code = CHECK_IMPORTS.format(path=ADD_DIGITS, heavy=HEAVY_MODULES)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "So the answer is 6" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY:", proc.stdout.splitlines()[-1]




def test_skip_errors_also_skips_a_malformed_input_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"num": 15}\nnot json\n{"num": 3}\n')
    proc = subprocess.run([*CLI, "compile", ADD_DIGITS, "--args-file", str(path), "--json", "--skip-errors"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["answer"] for x in proc.stdout.splitlines()] == ["6", "3"]
    assert proc.stderr.splitlines() == [
        "skipped: input line 2: not a JSON object or Python literal dict: 'not json'"]
    proc = subprocess.run([*CLI, "compile", ADD_DIGITS, "--args-file", str(path), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "error: input line 2: not a JSON object or Python literal dict: 'not json'"]
    quiet = subprocess.run([*CLI, "compile", ADD_DIGITS, "--args-file", str(path), "--json", "--skip-errors",
                            "--quiet"], capture_output=True, text=True, timeout=120)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert [json.loads(x)["answer"] for x in quiet.stdout.splitlines()] == ["6", "3"]


def _parent_modules(tmp_path, env: dict) -> list[str]:
    inputs = tmp_path / "in.jsonl"
    inputs.write_text('{"num": 15}\n{"num": 7}\n')
    code = (
        "import sys\nfrom rulec.cli import main\n"
        f"main(['compile', {ADD_DIGITS!r}, '--args-file', {str(inputs)!r}, '--json'], standalone_mode=False)\n"
        "print(sorted(m for m in ('libcst', 'rulec.compiler.codegen', 'rulec.snippets.synth', 'rulec.tasks.registry')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    lines = out.splitlines()
    assert [json.loads(x)["answer"] for x in lines[:2]] == ["6", "7"]
    return json.loads(lines[2].replace("'", '"'))


def test_compile_does_not_import_other_commands_or_libcst_in_the_parent(tmp_path):
    """Commands load lazily and the rule is compiled in the worker: without a bytecode
    cache to fill, the parent of `rulec compile --args-file` never imports libcst, the
    synthesiser or the task registry."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    assert _parent_modules(tmp_path, env) == []


def test_compile_caches_the_compilers_bytecode(tmp_path):
    """A worker cannot write bytecode (no file grows behind the process wall); where Python
    caches it, the parent imports the compiler before the workers fork, so its modules are
    compiled once, not on every run (never the synthesiser or the task registry)."""
    prefix = tmp_path / "pycache"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    assert _parent_modules(tmp_path, env) == ["libcst", "rulec.compiler.codegen"]
    cached = {p.name.split(".")[0] for p in prefix.rglob("*.pyc") if "compiler" in p.parts}
    assert {"codegen", "render", "run", "build", "parse"} <= cached


@settings(max_examples=60, deadline=None)
@given(
    xs=st.lists(st.integers(0, 99), max_size=8),
    ys=st.lists(st.integers(0, 99), max_size=8),
    question=st.none() | st.text(max_size=30).map(lambda t: t + " {ywhm} \"{erep}\""),
)
def test_the_fast_json_record_equals_the_encoded_record(xs, ys, question):
    """`compile --json` assembles each record from the rule's JSON encoded once; it must be
    exactly json.dumps of the record (quotes, backslashes, line breaks, non-ASCII)."""
    state = _json_states(question)
    inputs = {"ywhm": xs, "erep": ys}
    fast = state.record_json({"ywhm": list(xs), "erep": list(ys)})
    assert fast == json.dumps(state.record(inputs), ensure_ascii=False)
    # inputs parsed from a line run uncopied; the rule pops from them, the question must
    # still show them as given
    owned = {"ywhm": list(xs), "erep": list(ys)}
    assert state.record_json(owned, owned=True) == fast


_STATES: dict = {}


def _json_states(question):
    """The worker's state for a question template, built once per template."""
    from rulec.runner import CompileJob, setup

    if question not in _STATES:
        _STATES[question] = setup(CompileJob(Path(PROCESS_LIST).read_text(), "process_list.py",
                                             as_json=True, question=question))
    return _STATES[question]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_json_string_is_json_dumps_without_ascii_escapes(text):
    from rulec.runner import json_string

    assert json_string(text) == json.dumps(text, ensure_ascii=False)
