"""The generated-function executor (compiler/codegen.py) emits exactly the interpreter's events.

The interpreter runs when a scratchpad is requested (``scratch=True``) or the program
needs it (helpers, try, ...); the generated function runs otherwise. Every check below
runs both on the same inputs and compares everything a renderer could see.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import PROPERTY_SETTINGS, programs, rule_inputs

from rulec.compiler import RuleError, compile_file, compile_rule
from rulec.compiler.codegen import generated
from rulec.compiler.events import ITER_END
from rulec.compiler.run import execute

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def both(rule, inputs):
    """(interpreter runtime or exception, generated runtime or exception)."""
    out = []
    for scratch in (True, False):
        try:
            out.append(execute(rule.program, copy.deepcopy(inputs), rule.budgets, scratch))
        except RuleError as e:
            out.append(e)
    return out


def assert_same(rule, inputs):
    assert_same_text(rule, inputs)
    if generated(rule.program) is None:
        return  # the interpreter runs both ways: nothing to compare
    interp, gen = both(rule, inputs)
    if isinstance(interp, RuleError) or isinstance(gen, RuleError):
        assert isinstance(interp, RuleError) and isinstance(gen, RuleError), (interp, gen)
        assert type(interp) is type(gen)
        return
    events = [e for e in interp.events if e[0] != ITER_END]
    assert events == gen.events
    assert (interp.steps, interp.iterations) == (gen.steps, gen.iterations)
    assert interp.value == gen.value


def assert_same_text(rule, inputs):
    """The function that writes the code trace as it runs (``run_code``) gives the text
    the events render to, or the same error."""
    try:
        expected = rule.run(copy.deepcopy(inputs))
        text = expected.code()
    except RuleError as e:
        with pytest.raises(type(e)) as info:
            rule.run_code(copy.deepcopy(inputs), owned=True)
        assert str(info.value) == str(e)
        return
    got = rule.run_code(copy.deepcopy(inputs), owned=True)
    assert got.text == text
    given = copy.deepcopy(inputs)
    assert rule.run_code(given).text == text and given == inputs  # copied, left as they were
    assert (got.answer, got.loop_iterations, got.steps) == (expected.answer, expected.loop_iterations,
                                                            expected.steps)


@pytest.mark.parametrize("name", ["add_digits", "process_list", "move_zeroes"])
def test_examples_take_the_generated_path(name):
    rule = compile_file(EXAMPLES / f"{name}.py")
    assert generated(rule.program) is not None
    rng = random.Random(name)
    for _ in range(30):
        if name == "add_digits":
            inputs = {"num": rng.randint(0, 10**6)}
        elif name == "move_zeroes":
            inputs = {"nums": [rng.choice([0, 0, 1, 5, 9]) for _ in range(rng.randint(0, 9))]}
        else:
            inputs = {"ywhm": [rng.randint(0, 99) for _ in range(rng.randint(0, 9))],
                      "erep": [rng.randint(0, 99) for _ in range(rng.randint(0, 9))]}
        assert_same(rule, inputs)


def test_every_task_agrees():
    from rulec.tasks import all_tasks

    for task in all_tasks():
        rule = compile_rule(task.rule, task.function)
        for length in (1, 4, 11, 25):
            assert_same(rule, task.generate(length, random.Random(length)))


def test_programs_it_declines_run_on_the_interpreter():
    helper = "def h(x):\n    return x + 1\n\ndef f(x):\n    y = h(x)\n    return y\n"
    with_try = "def f(x):\n    try:\n        y = 1 // x\n    except ZeroDivisionError:\n        y = 0\n    return y\n"
    defaults = "def f(x, k=2):\n    return x * k\n"
    for src in (helper, with_try, defaults):
        rule = compile_rule(src)
        assert generated(rule.program) is None
        assert rule.run({"x": 3}).code().endswith("So the answer is 4" if "h(" in src else "")


def test_errors_name_the_rule_line():
    rule = compile_rule("def f(xs):\n    total = 0\n    for x in xs:\n        total += 10 // x\n    return total\n")
    assert generated(rule.program) is not None
    with pytest.raises(RuleError) as info:
        rule.run({"xs": [1, 0]})
    assert info.value.line == 4 and "ZeroDivisionError" in str(info.value)


def test_budgets_hold_on_the_generated_path():
    rule = compile_rule("def f(n):\n    while True:\n        n += 1\n    return n\n")
    assert generated(rule.program) is not None
    with pytest.raises(RuleError, match="did not stop"):
        rule.run({"n": 0})


@settings(PROPERTY_SETTINGS, max_examples=min(PROPERTY_SETTINGS.max_examples, 200))
@given(programs(), st.lists(rule_inputs, min_size=1, max_size=3))
def test_random_programs_agree(src, inputs_list):
    rule = compile_rule(src)
    for inputs in inputs_list:
        assert_same(rule, inputs)


ALIASING = '''def f(xs, k):
    ys = xs
    ys.append(k)
    zs = xs
    xs.append(k + 1)
    while ys and len(zs) < 6:
        ys.append(len(xs))
        if zs[-1] % 2 == 0:
            xs.append(0)
    for x in zs[:2]:
        ys.append(x)
    return zs
'''


def test_texts_shown_after_a_step_are_reused_only_while_no_code_ran():
    """A value shown after one unit is shown before the next without a second repr, but
    any rule code in between (here: writes through another name for the same list) makes
    the generated function repr it again, as the interpreter does."""
    rule = compile_rule(ALIASING)
    gen = generated(rule.program)
    assert gen is not None and "__s_zs if __s_zs is not None" in gen.source
    for xs in ([], [1], [2, 3], [5, 4, 3, 2]):
        for k in (0, 1):
            assert_same(rule, {"xs": list(xs), "k": k})
    trace = rule.run({"xs": [1], "k": 2}).code()
    native: list = [1]
    ys = zs = native
    ys.append(2)
    native.append(3)
    assert f"zs = {zs!r}" in trace  # [1, 2, 3], not the [1, 2] it was when first shown


TEXT_CASES = [
    ('''def f(xs):
    total = 0
    for i, x in enumerate(xs):
        if x < 0:
            continue
        if x > 50:
            break
        total += x * i
    return total
''', [{"xs": []}, {"xs": [3, -1, 4]}, {"xs": [1, 2, 99, 5]}]),
    ('''def g(n):
    if n > 10:
        while n > 10:
            n -= 3
    elif n < 0:
        for k in range(3):
            n = n + k
    else:
        n = n * 2
    return n
''', [{"n": 25}, {"n": -4}, {"n": 5}]),
    ('''def h(a):
    b = a + 1
    del a
    if b > 3:
        a = b * 2
    c = b * 2
    return c
''', [{"a": 1}, {"a": 7}]),
    ('''def r(xs):
    i = 0
    while i < len(xs):
        if xs[i] == 0:
            return i
        elif xs[i] < 0:
            break
        i += 1
    return -1
''', [{"xs": [4, 0, 2]}, {"xs": [1, -2, 0]}, {"xs": []}, {"xs": [5, 6]}]),
    ('''def s(word):
    seen = ""
    for ch in word:
        if ch in seen:
            return ch
        seen += ch
    return None
''', [{"word": "abca"}, {"word": "xyz"}, {"word": ""}]),
]


@pytest.mark.parametrize("src, inputs_list", TEXT_CASES)
def test_the_code_trace_written_as_it_runs_equals_the_rendered_one(src, inputs_list):
    """Loops of both kinds, structural branches, jumps out of if arms, deleted names and
    returns from loops: ``run_code`` (the generated function that writes the trace's lines)
    agrees with rendering the events, line for line."""
    from rulec.compiler.codegen import generated_text

    rule = compile_rule(src)
    assert generated_text(rule.program) is not None
    for inputs in inputs_list:
        assert_same_text(rule, inputs)
    broken = compile_rule(src.replace("return", "return 1 // 0 +", 1))
    for inputs in inputs_list:  # the same error either way
        assert_same_text(broken, inputs)
