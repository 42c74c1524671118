"""The numbered NL rule and the NL trace (`rulec compile --nl`, paper appendix D.3).

Golden files: tests/golden/nl_*.txt. Regenerate after an intended format change with
    RULEC_REGEN_GOLDEN=1 pytest tests/test_nl.py
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from golden import assert_golden
from hypothesis import given, settings
from hypothesis import strategies as st

from rulec.cli import main
from rulec.compiler import compile_file, compile_rule
from rulec.compiler.nlcheck import python_syntax_in
from rulec.compiler.polish import polish_rule, validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
REF = re.compile(r"step \((\d+(?:\.\d+)*)\)")


def golden(name: str, text: str) -> None:
    assert_golden(name, text + "\n")


def step_numbers(rule_text: str) -> list[str]:
    return [m.group(1).rstrip(".") for m in re.finditer(r"^\s*(\d+(?:\.\d+)*\.?) ", rule_text, re.M)]


# -- D.3: add_digits with the glossary num -> "the number" ---------------------------------

GLOSSARY = {"num": "the number"}


def test_d3_add_digits_rule_has_the_papers_numbering():
    rule = compile_file(EXAMPLES / "add_digits.py")
    nl = rule.nl_rule(GLOSSARY, {"num": 32})
    # appendix D.3 numbers the steps exactly like this
    assert step_numbers(nl.text) == [
        "1", "1.1", "1.2", "1.2.1", "1.2.2", "1.2.2.1", "1.2.2.2",
        "1.2.2.2.1", "1.2.2.2.2", "1.2.2.3", "1.2.3", "1.3", "2",
    ]
    lines = nl.text.splitlines()
    assert "Check whether the number is greater than 9" in lines[1]
    assert "go to step (2)" in lines[1]
    assert "go to step (1.2.3)" in lines[5]
    assert lines[-1] == "2. Return the number."
    golden("nl_add_digits_rule.txt", nl.text)


def test_d3_add_digits_trace_on_32():
    rule = compile_file(EXAMPLES / "add_digits.py")
    trace = rule.run({"num": 32})
    text = trace.nl(GLOSSARY)
    decisions = [line for line in text.splitlines() if "loop is over" in line or "Enter the" in line]
    # the paper's trace: enter outer, enter inner twice, inner over -> 1.2.3, outer over -> 2,
    # each with the reason the check holds or fails ("The number is 32, which is not 0.")
    assert decisions == [
        "The number is 32, which is greater than 9. Enter the outer loop.",
        "The number is 32, which is not 0. Enter the inner loop.",
        "The number is 3, which is not 0. Enter the inner loop.",
        "The number is 0. The inner loop is over. Go to step (1.2.3).",
        "The number is 5, which is at most 9. The outer loop is over. Go to step (2).",
    ]
    assert "Now sum = 0 + 2 = 2." in text and "Now sum = 2 + 3 = 5." in text
    assert "Now number = 32 / 10 rounded down = 3." in text  # D.3: "number = 32 // 10 = 3"
    assert text.splitlines()[-1] == "So the answer is 5"
    golden("nl_add_digits_32.txt", text)


def test_d2_process_list_nl():
    rule = compile_file(EXAMPLES / "process_list.py")
    inputs = {"ywhm": [3], "erep": [50, 31]}
    nl = rule.nl_rule({}, inputs)
    assert len([s for s in nl.steps if s.step is not None]) == 1 + 9 + 1  # loop, 9 units, return
    text = rule.run(inputs).nl()
    assert text.splitlines()[-1] == "So the answer is [53]"
    golden("nl_process_list_rule.txt", nl.text)
    golden("nl_process_list_d2.txt", text)


# -- invariants over many rules --------------------------------------------------------------

PROGRAMS = {
    "while_and_if_chain": (
        "def f(n, xs):\n"
        "    total = 0\n"
        "    while n > 0:\n"
        "        if n % 3 == 0:\n"
        "            total += n\n"
        "        elif n % 3 == 1:\n"
        "            total -= 1\n"
        "        else:\n"
        "            pass\n"
        "        n -= 1\n"
        "    return total\n",
        {"n": 7, "xs": [1]},
    ),
    "for_enumerate_break_continue": (
        "def f(xs):\n"
        "    best = -1\n"
        "    for i, x in enumerate(xs):\n"
        "        if x < 0:\n"
        "            continue\n"
        "        if x > 50:\n"
        "            break\n"
        "        best = max(best, x * i)\n"
        "    return best\n",
        {"xs": [3, -1, 7, 60, 2]},
    ),
    "structural_if_with_loop": (
        "def f(s):\n"
        "    out = ''\n"
        "    if len(s) > 2:\n"
        "        for ch in reversed(s):\n"
        "            out = out + ch.upper()\n"
        "    else:\n"
        "        out = s\n"
        "    return out\n",
        {"s": "abcd"},
    ),
    "helper_and_dict": (
        "def count(xs):\n"
        "    seen = {}\n"
        "    for x in xs:\n"
        "        seen[x] = seen.get(x, 0) + 1\n"
        "    return seen\n"
        "\n"
        "def mode(xs):\n"
        "    counts = count(xs)\n"
        "    best = None\n"
        "    for k, v in sorted(counts.items()):\n"
        "        if best is None or v > counts[best]:\n"
        "            best = k\n"
        "    return best\n",
        {"xs": [4, 1, 4, 2, 1, 4]},
    ),
    "try_slices_comprehension": (
        "def f(a, b):\n"
        "    try:\n"
        "        q = a // b\n"
        "    except ZeroDivisionError:\n"
        "        q = a\n"
        "    evens = [x for x in range(q) if x % 2 == 0]\n"
        "    tail = evens[1:]\n"
        "    del evens[0]\n"
        "    return sum(tail) + len(evens)\n",
        {"a": 17, "b": 0},
    ),
    "early_return_tuple_unpack": (
        "def fib(n):\n"
        "    a, b = 0, 1\n"
        "    i = 0\n"
        "    while True:\n"
        "        if i == n:\n"
        "            return a\n"
        "        a, b = b, a + b\n"
        "        i += 1\n",
        {"n": 9},
    ),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_nl_invariants(name):
    source, inputs = PROGRAMS[name]
    rule = compile_rule(source)
    nl = rule.nl_rule({}, inputs)
    trace = rule.run(inputs)
    code, text = trace.code(), trace.nl()
    numbers = nl.numbers()
    # every code step has exactly one NL step, numbered alike
    code_steps = _all_steps(rule.program)
    assert {id(s) for s in code_steps} == set(nl.of)
    assert all(nl.of[id(s)].number == s.number for s in code_steps)
    assert len(numbers) == len(nl.steps)  # numbers are unique
    # every go-to names a step that exists, in the rule and in the trace
    for ref in REF.findall(nl.text + "\n" + text):
        assert ref in numbers, ref
    # every step number the trace recites exists
    for line in text.splitlines():
        m = re.match(r"^(\d+(?:\.\d+)*)\.? ", line)
        if m:
            assert m.group(1) in numbers, line
    # code trace and NL trace agree
    assert text.splitlines()[-1] == code.splitlines()[-1] == f"So the answer is {trace.answer}"
    assert text.count("Enter the loop.") == code.count("\nenter the loop") == trace.loop_iterations
    assert python_syntax_in(nl.text) == [], nl.text


def _all_steps(program):
    from rulec.compiler.ir import Branch, Loop, Try

    out = []

    def walk(steps):
        for s in steps:
            out.append(s)
            if isinstance(s, Loop):
                walk(s.body)
            elif isinstance(s, Branch):
                for arm in s.arms:
                    walk(arm)
            elif isinstance(s, Try):
                walk(s.body)
                for h in s.handlers:
                    walk(h[2])
                if s.final:
                    walk(s.final)

    for fn in program.functions.values():
        walk(fn.body)
    return out


def test_every_task_renders_in_nl():
    import random

    from rulec.tasks import all_tasks

    for task in all_tasks():
        rule = compile_rule(task.rule, task.function)
        inputs = task.generate(4, random.Random(0))
        nl = rule.nl_rule(task.glossary, inputs)
        trace = rule.run(inputs)
        text = trace.nl(task.glossary)
        assert text.endswith(f"So the answer is {trace.answer}"), task.name
        for ref in REF.findall(nl.text + text):
            assert ref in nl.numbers(), (task.name, ref)


def test_glossary_replaces_names():
    rule = compile_file(EXAMPLES / "add_digits.py")
    plain = rule.nl_rule({}, {"num": 5}).text
    glossed = rule.nl_rule({"num": "the number", "sum": "the digit sum"}, {"num": 5}).text
    assert "num is greater than 9" in plain
    assert "the number is greater than 9" in glossed and "the digit sum" in glossed
    assert " num " not in glossed


def test_nl_rule_is_the_same_for_any_input_of_the_same_shape():
    rule = compile_file(EXAMPLES / "process_list.py")
    a = rule.nl_rule({}, {"ywhm": [1], "erep": [2]}).text
    b = rule.nl_rule({}, {"ywhm": [9, 9, 9], "erep": [0]}).text
    assert a == b


# -- polish through a local OpenAI-compatible server -------------------------------------------


class _Server:
    def __init__(self, reply):
        self.reply = reply
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers["Content-Length"])
                request = json.loads(self.rfile.read(length))
                outer.calls += 1
                prompt = request["messages"][0]["content"]
                body = {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": request["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": outer.reply(prompt)}}],
                }
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _procedure(prompt: str) -> str:
    return prompt.split("\n\n", 1)[1]


def test_polish_accepts_a_faithful_rewording(tmp_path, monkeypatch):
    pytest.importorskip("openai")
    monkeypatch.setenv("RULEC_CACHE", str(tmp_path))
    nl = compile_file(EXAMPLES / "add_digits.py").nl_rule(GLOSSARY, {"num": 1})
    with _Server(lambda p: _procedure(p).replace("Set the number sum to 0.", "Start the sum at 0.")) as server:
        text, note = polish_rule(nl, base_url=server.url, model="m")
        assert note is None and "Start the sum at 0." in text
        again, _ = polish_rule(nl, base_url=server.url, model="m")
        assert again == text and server.calls == 1  # cached by request hash


def test_polish_falls_back_when_numbering_or_references_break(tmp_path, monkeypatch):
    pytest.importorskip("openai")
    monkeypatch.setenv("RULEC_CACHE", str(tmp_path))
    nl = compile_file(EXAMPLES / "add_digits.py").nl_rule(GLOSSARY, {"num": 1})
    broken = [
        lambda p: _procedure(p).replace("1.2.3 ", "1.2.4 "),
        lambda p: _procedure(p).replace("go to step (2)", "stop"),
        lambda p: "\n".join(_procedure(p).splitlines()[:-1]),
    ]
    for i, reply in enumerate(broken):
        with _Server(reply) as server:
            text, note = polish_rule(nl, base_url=server.url, model=f"m{i}")
            assert text == nl.text and note and "kept the template" in note


def test_polish_survives_an_unreachable_endpoint(tmp_path, monkeypatch):
    pytest.importorskip("openai")
    monkeypatch.setenv("RULEC_CACHE", str(tmp_path))
    nl = compile_file(EXAMPLES / "add_digits.py").nl_rule({}, {"num": 1})
    text, note = polish_rule(nl, base_url="http://127.0.0.1:9/v1", model="m", timeout=2)
    assert text == nl.text and "failed" in note


def test_validate():
    original = "1. Begin loop:\n    1.1 Check x. Go to step (2).\n2. Return x."
    assert validate(original, original) is None
    assert validate(original, original.replace("(2)", "(3)"))
    assert validate(original, original.replace("1.1 ", "1.1: "))


# -- CLI ---------------------------------------------------------------------------------------------


def test_cli_nl(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["compile", str(EXAMPLES / "add_digits.py"), "--nl"])
    assert result.exit_code == 0 and result.output.startswith("1. Begin outer loop:")
    gloss = tmp_path / "g.json"
    gloss.write_text(json.dumps(GLOSSARY))
    result = runner.invoke(
        main, ["compile", str(EXAMPLES / "add_digits.py"), "--nl", "--glossary", str(gloss), "--args", '{"num": 32}', "--json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"rule_nl", "trace_nl", "rule", "trace", "answer"} <= set(record)
    assert record["trace_nl"].endswith("So the answer is 5")
    assert "the number" in record["rule_nl"]
    assert record["prompt_nl"].startswith("Follow the given rule to solve the question.\nrule:\n1. Begin outer loop:")


@pytest.mark.parametrize(
    "args",
    [
        ["--nl", "--glossary", "missing.json"],
        ["--glossary", "x.json"],
        ["--nl", "--polish"],
    ],
)
def test_cli_nl_errors(args, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["compile", str(EXAMPLES / "add_digits.py"), *args])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1


def test_a_variable_name_is_never_capitalised_at_the_start_of_a_trace_line():
    """A reader must recognise the rule's own names: `num` stays `num` (not `Num`)."""
    rule = compile_file(EXAMPLES / "add_digits.py")
    lines = rule.run({"num": 15}).nl().splitlines()
    assert any(line.startswith("num is ") for line in lines)
    assert not any(line.startswith("Num ") for line in lines)


_NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(_NUMBERS, st.lists(_NUMBERS, max_size=3)), max_size=6))
def test_the_fast_path_for_lists_of_numbers_reads_like_the_full_notation(value):
    """repr_words reads a list of numbers as written without parsing it; the parser-based
    notation must agree on every such list."""
    import ast

    from rulec.compiler import nl_values

    text = repr(value)
    slow = nl_values._node_value(ast.parse(text, mode="eval").body, True)
    assert nl_values.repr_words.__wrapped__(text) == slow
