"""The language-level wall (issue 13): every case of the sandbox audit, each its own test.

A rule is untrusted code. Each case here either is refused before anything runs (a
``RuleError`` from ``compile_rule``) or stops at run time with one ``RuleError`` /
``BudgetError`` line, quickly, in-process. The process-level wall (worker processes with
OS limits) is tested elsewhere; nothing here relies on it.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rulec.compiler import ANSWER_PREFIX, BudgetError, Budgets, RuleError, compile_rule
from rulec.compiler.codegen import generated
from rulec.compiler.run import ITER_END, execute
from rulec.compiler.subset import FORBIDDEN_CALLS

FAST = Budgets(max_seconds=2.0)


def refused(src: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        compile_rule(src)
    err = info.value
    assert "\n" not in str(err)
    return err


def stopped(src: str, inputs: dict | None = None, budgets: Budgets = FAST, seconds: float = 4.0) -> RuleError:
    rule = compile_rule(src)
    t0 = time.perf_counter()
    with pytest.raises(RuleError) as info:
        rule.run(inputs if inputs is not None else {"x": 1}, budgets=budgets)
    assert time.perf_counter() - t0 < seconds, f"took too long to stop: {info.value}"
    assert "\n" not in str(info.value)
    return info.value


# -- 1. identifiers: NFKC confusables, dunders anywhere, annotations ------------------------

ESCAPE = (  # the audit's escape: a confusable `__builtins__` bound by a comprehension, then deleted
    "def f(x):\n"
    "    y = [0 for _\uff3fbuiltins\uff3f_ in [1]]\n"
    "    try:\n"
    "        del _\uff3fbuiltins\uff3f_\n"
    "    except NameError:\n"
    "        pass\n"
    "    return \uff45\uff58\uff45\uff43('1')\n"
)

STATIC = [
    ("confusable __builtins__ escape", ESCAPE, "ASCII"),
    ("fullwidth exec", "def f(x):\n    return \uff45\uff58\uff45\uff43('1')\n", "ASCII"),
    ("fullwidth type", "def f(x):\n    return \uff54\uff59\uff50\uff45(x)\n", "ASCII"),
    ("ligature in a name", "def f(x):\n    \ufb01 = 1\n    return x\n", "ASCII"),
    ("math bold attribute", "def f(x):\n    return x.\U0001d41c\U0001d425\U0001d41a\U0001d42c\U0001d42c\n", "ASCII"),
    ("confusable keyword argument", "def f(x):\n    return sorted(x, \uff4b\uff45\uff59=len)\n", "ASCII"),
    ("dunder parameter with a builtins dict", "def f(x, __builtins__={'a': 1}):\n    return x\n", "dunder"),
    ("dunder parameter", "def f(__x):\n    return __x\n", "dunder"),
    ("dunder function name", "def __f__(x):\n    return x\n", "dunder"),
    ("dunder helper name", "def __h(x):\n    return x\n\ndef f(x):\n    return x\n", "dunder"),
    ("dunder lambda parameter", "def f(x):\n    g = lambda __b: 1\n    return g(x)\n", "dunder"),
    ("dunder comprehension variable", "def f(x):\n    return [1 for __builtins__ in [1]]\n", "dunder"),
    ("del __builtins__", "def f(x):\n    del __builtins__\n    return x\n", "dunder"),
    ("except as dunder", "def f(x):\n    try:\n        y = 1\n    except ValueError as __e:\n        y = 2\n    return y\n",
     "dunder"),
    ("dunder keyword argument", "def f(x):\n    return sorted(x, __key=1)\n", "dunder"),
    ("dunder target", "def f(x):\n    __rc_val__ = 1\n    return x\n", "dunder"),
    ("annotation calls __import__", "def f(x: __import__('os').system('id')):\n    return x\n", "dunder"),
    ("annotation calls open", "def f(x: open('/etc/passwd')):\n    return x\n", "annotations"),
    ("return annotation calls print", "def f(x) -> print(1):\n    return x\n", "annotations"),
    ("annotation lambda", "def f(x: lambda: 0):\n    return x\n", "annotations"),
    ("annotation string with code", "def f(x: 'open(1)'):\n    return x\n", "annotations"),
    ("annotation string deeply nested", "def f(x: '" + "(" * 3000 + "'):\n    return x\n", "annotations"),
    ("local annotation calls", "def f(x):\n    y: sorted(x) = 1\n    return y\n", "annotations"),
    # -- producers only called directly, no bytes
    ("bound ljust as a value", "def f(x):\n    g = 'a'.ljust\n    return g(x)\n", "called directly"),
    ("zfill passed to map", "def f(x):\n    return list(map('1'.zfill, [x]))\n", "called directly"),
    ("unbound join passed to map", "def f(x):\n    return list(map(str.join, [','], [x]))\n", "called directly"),
    ("bound join as a value", "def f(x):\n    g = ','.join\n    return g(x)\n", "called directly"),
    ("extend as a value", "def f(x):\n    g = x.extend\n    return g(x)\n", "called directly"),
    ("deque.extendleft as a value",
     "import collections\n\ndef f(x):\n    d = collections.deque([1])\n    g = d.extendleft\n    g(iter(d))\n    return 0\n",
     "called directly"),
    ("translate as a key", "def f(x):\n    return sorted(x, key=str.translate)\n", "called directly"),
    ("f-string = with a computed spec", "def f(x):\n    w = 10 ** 9\n    return f'{x=:>{w}}'\n", "computed format spec"),
    ("encode", "def f(x):\n    return 'a'.encode()\n", "encode"),
    ("encode then %", "def f(x):\n    return 'a%s'.encode() % x\n", "encode"),
]


@pytest.mark.parametrize("src,fragment", [c[1:] for c in STATIC], ids=[c[0] for c in STATIC])
def test_refused_statically(src, fragment):
    err = refused(src)
    assert fragment in str(err), str(err)
    assert not isinstance(err, BudgetError)


def test_plain_annotations_still_work():
    src = "def f(xs: list[int], k: 'int' = 2) -> int | None:\n    t: int = 0\n    for v in xs:\n        t += v * k\n    return t\n"
    assert compile_rule(src).run({"xs": [1, 2]}).answer == "6"


# -- 2. source size and nesting, checked before libcst parses ------------------------------

def _elif(arms: int) -> str:
    body = "".join(f"    elif x == {i}:\n        y = {i}\n" for i in range(1, arms))
    return "def f(x):\n    y = 0\n    if x == 0:\n        y = 0\n" + body + "    return y\n"


NESTING = [
    ("3000 nested parentheses", "def f(x):\n    return " + "(" * 3000 + "x" + ")" * 3000 + "\n", "nested"),
    ("5000 open brackets", "def f(x):\n    return " + "[" * 5000 + "\n", "nested"),
    ("300 nested brackets", "def f(x):\n    return " + "[" * 300 + "x" + "]" * 300 + "\n", "nested"),
    ("300-term sum", "def f(x):\n    return " + " + ".join(["x"] * 300) + "\n", "nested"),
    ("1000 unary minus", "def f(x):\n    return " + "-" * 1000 + "x\n", "nested"),
    ("1000 nots", "def f(x):\n    return " + "not " * 1000 + "x\n", "nested"),
    ("300 nested lambdas", "def f(x):\n    g = " + "lambda: " * 300 + "x\n    return x\n", "nested"),
    ("300 nested ternaries", "def f(x):\n    return " + " if x else ".join(["x"] * 300) + "\n", "nested"),
    ("300-link method chain", "def f(x):\n    return x" + ".upper()" * 300 + "\n", "nested"),
    ("deep nesting inside an f-string", "def f(x):\n    return f'{" + "(" * 3000 + "x" + ")" * 3000 + "}'\n", "nested"),
    ("deep nesting in a nested f-string",
     "def f(x):\n    return f\"{f'{" + "(" * 500 + "x" + ")" * 500 + "}'}\"\n", "nested"),
    ("blocks 30 deep", "def f(x):\n" + "".join("    " * (i + 1) + "if x:\n" for i in range(30))
     + "    " * 31 + "x = 1\n    return x\n", "nested"),
    ("10000-line rule", "def f(x):\n" + "    x = x + 1\n" * 10_000 + "    return x\n", "too"),
    ("300-arm elif", _elif(300), "too"),
    ("1500-arm elif", _elif(1500), "too"),
    ("NUL byte", "def f(x):\n    return x\x00\n", "NUL"),
]


@pytest.mark.parametrize("src,fragment", [c[1:] for c in NESTING], ids=[c[0] for c in NESTING])
def test_size_and_nesting_refused_before_parsing(src, fragment):
    t0 = time.perf_counter()
    err = refused(src)
    assert fragment in str(err), str(err)
    assert time.perf_counter() - t0 < 2.0


def test_nesting_limit_leaves_real_rules_alone():
    src = "def f(x):\n    return [(x + 1) * 2 - (x // 3) for x in range(3) if x % 2 == 0 and not x > 5]\n"
    assert compile_rule(src).run({"x": 1}).answer == "[2, 6]"
    # a long flat list is not deep
    flat = "def f(x):\n    t = [" + ", ".join(str(i) for i in range(300)) + "]\n    return len(t)\n"
    assert compile_rule(flat).run({"x": 1}).answer == "300"


def test_parser_crashers_are_one_line_in_a_fresh_process(tmp_path):
    """The inputs that segfaulted libcst's native parser: one `error:` line, exit 2."""
    for i, src in enumerate(["def f(x):\n    return " + "(" * 3000 + "x" + ")" * 3000 + "\n",
                             "def f(x):\n    return " + "[" * 5000 + "\n"]):
        path = tmp_path / f"r{i}.py"
        path.write_text(src)
        proc = subprocess.run([sys.executable, "-m", "rulec", "compile", str(path)], capture_output=True,
                              text=True, cwd=tmp_path, timeout=60)
        assert proc.returncode == 2, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr


# -- 3. hangs the alarm cannot stop, and budget errors the rule cannot catch ----------------

HANGS = [
    ("any(iter(int, 1))", "def f(x):\n    return any(iter(int, 1))\n", "iter"),
    ("iter taken as a value", "def f(x):\n    g = iter\n    return any(g(int, 1))\n", "iter"),
    ("iter through map", "def f(x):\n    return any(map(iter, [int], [1]))\n", "iter"),
    ("map over a list it grows", "def f(x):\n    xs = [1]\n    return len(list(map(xs.append, xs)))\n", "items"),
    ("filter over a list it grows", "def f(x):\n    xs = [1]\n    return any(filter(xs.append, xs))\n", "items"),
    ("b in a list() of big lists",
     "def f(x):\n    a = list(range(90000))\n    b = [1]\n    return b in list(a for _ in range(100000))\n",
     "value budget"),
    ("sorted generator of big lists",
     "def f(x):\n    a = list(range(90000))\n    return len(sorted(a for _ in range(100000)))\n", "value budget"),
    ("max of a generator of big lists",
     "def f(x):\n    a = list(range(90000))\n    return len(max(a for _ in range(100000)))\n", "value budget"),
    ("b in a comprehension of big lists",
     "def f(x):\n    a = list(range(90000))\n    b = [1]\n    return b in [a for _ in range(100000)]\n", "value budget"),
]


@pytest.mark.parametrize("src,fragment", [c[1:] for c in HANGS], ids=[c[0] for c in HANGS])
def test_c_level_hangs_stopped(src, fragment):
    err = stopped(src)
    if fragment:
        assert fragment in str(err), str(err)


def test_extend_with_an_iterator_over_itself_finishes():
    """`xs.extend(iter(xs))` and `xs += iter(xs)` grow forever inside C in plain Python 3.11
    (the iterator sees every appended item); in a rule they take a snapshot first."""
    assert compile_rule("def f(x):\n    xs = [1]\n    list.extend(xs, enumerate(xs))\n    return xs\n").run(
        {"x": 1}).answer == "[1, (0, 1)]"
    assert compile_rule("def f(x):\n    xs = [1, 2]\n    xs.extend(iter(xs))\n    return xs\n").run(
        {"x": 1}).answer == "[1, 2, 1, 2]"
    assert compile_rule("def f(x):\n    xs = [1]\n    xs += iter(xs)\n    return xs\n").run({"x": 1}).answer == "[1, 1]"


@pytest.mark.parametrize("handler", ["except Exception:", "except:", "except (ValueError, Exception):"])
def test_rule_cannot_catch_a_budget_error(handler):
    src = f"def f(x):\n    try:\n        while True:\n            x += 1\n    {handler}\n        x = -1\n    return x\n"
    err = stopped(src, budgets=Budgets(max_steps=2000, max_seconds=5.0), seconds=6.0)
    assert isinstance(err, BudgetError) and "steps" in str(err)


def test_finally_does_not_outlive_the_alarm():
    slow = "sum(1 for a in range(10 ** 5) for b in range(10 ** 5))"
    src = f"def f(x):\n    try:\n        y = {slow}\n    finally:\n        y = {slow}\n    return y\n"
    loose = Budgets(max_seconds=0.3, max_inner_items=10**12)
    err = stopped(src, budgets=loose, seconds=2.0)
    assert "longer than" in str(err)


def test_finally_does_not_outlive_the_step_budget():
    src = "def f(x):\n    try:\n        while True:\n            x += 1\n    finally:\n        x = -1\n    return x\n"
    rule = compile_rule(src)
    with pytest.raises(BudgetError):
        rule.run({"x": 1}, budgets=Budgets(max_steps=50))


def test_finally_still_runs_on_rule_errors():
    src = ("def f(xs):\n    t = 0\n    try:\n        try:\n            t = xs[5]\n        finally:\n"
           "            t = 7\n    except IndexError:\n        t = t + 1\n    return t\n")
    assert compile_rule(src).run({"xs": []}).answer == "8"


# -- 4. every producer checked by the size of what it would build --------------------------

PRODUCERS = [
    ("unbound ljust", "def f(x):\n    return str.ljust('a', 10 ** 9)\n", "ljust"),
    ("unbound zfill", "def f(x):\n    return str.zfill('1', 10 ** 9)\n", "zfill"),
    ("unbound join", "def f(x):\n    s = 'a' * 50000\n    return str.join(s, ['b'] * 50000)\n", "joined"),
    ("nested format width", "def f(x):\n    return '{:{}}'.format('a', 10 ** 9)\n", "format width"),
    ("repeated format field", "def f(x):\n    s = 'a' * 90000\n    return ('{0}' * 1000).format(s)\n", None),
    ("format_map repeated field", "def f(x):\n    s = 'a' * 90000\n    return ('{a}' * 1000).format_map({'a': s})\n",
     None),
    ("f-string width from a variable", "def f(x):\n    w = 10 ** 9\n    return f'{x:>{w}}'\n", "format width"),
    ("f-string width glued from two fields", "def f(x):\n    w = 1\n    z = 10 ** 8\n    return f'{x:>{w}{z}}'\n",
     "format width"),
    ("f-string nested f-string width", "def f(x):\n    w = 10 ** 9\n    return f\"{x:>{f'{w}'}}\"\n", "format width"),
    ("f-string many wide fields", "def f(x):\n    return [f'{x:>99999}' for _ in range(1000)]\n", None),
    ("% with a mapping", "def f(x):\n    s = 'a' * 90000\n    return ('%(a)s' * 1000) % {'a': s}\n", "%-formatted"),
    ("% with a tuple", "def f(x):\n    s = 'a' * 90000\n    return [('%s' * 15) % tuple(s for _ in range(15)) for _ in [0]]\n", "%-formatted"),
    ("translate", "def f(x):\n    s = 'a' * 1000\n    return s.translate({97: 'b' * 99999})\n", "translated"),
    ("translate with a list table", "def f(x):\n    s = 'a' * 1000\n    t = [None] * 97 + ['b' * 99999]\n    return s.translate(t)\n",
     "translated"),
    ("expandtabs", "def f(x):\n    s = '\\t' * 50000\n    return s.expandtabs(1000)\n", "expanded"),
    ("replace with count keyword", "def f(x):\n    s = 'a' * 50000\n    return s.replace('a', s, count=50000)\n",
     "replaced"),
    ("padding in a comprehension", "def f(x):\n    return len([str(i).ljust(99999) for i in range(100000)])\n", None),
    ("extend doubling in a comprehension", "def f(x):\n    a = [1]\n    return len([a.extend(a) for _ in range(40)])\n",
     "extended"),
    ("s = s + s thirty times on one line",
     "def f(x):\n    s = 'ab'\n    " + "; ".join(["s = s + s"] * 30) + "\n    return len(s)\n", None),
    ("list += itself thirty times on one line",
     "def f(x):\n    s = [1]\n    " + "; ".join(["s += s"] * 30) + "\n    return len(s)\n", None),
    ("extend thirty times on one line",
     "def f(x):\n    s = [1]\n    " + "; ".join(["s.extend(s)"] * 30) + "\n    return len(s)\n", None),
    ("operator.add thirty times on one line",
     "import operator\n\ndef f(x):\n    s = 'ab'\n    " + "; ".join(["s = operator.add(s, s)"] * 30) + "\n    return len(s)\n",
     "concatenated"),
    ("operator.concat doubling in reduce",
     "import functools\nimport operator\n\ndef f(x):\n"
     "    return len(functools.reduce(lambda a, _: operator.concat(a, a), range(40), 'a'))\n", "concatenated"),
    ("doubling lambda", "def f(x):\n    g = lambda s, n: g(s + s, n - 1) if n else len(s)\n    return g('a', 40)\n", None),
    ("doubling in a comprehension",
     "def f(x):\n    a = ['ab']\n    return len([a.append(a[-1] + a[-1]) for _ in range(40)])\n", None),
]


@pytest.mark.parametrize("src,fragment", [c[1:] for c in PRODUCERS], ids=[c[0] for c in PRODUCERS])
def test_producers_checked_before_building(src, fragment):
    err = stopped(src)
    assert isinstance(err, BudgetError), f"{type(err).__name__}: {err}"
    if fragment:
        assert fragment in str(err), str(err)


def test_producers_still_produce():
    src = (
        "def f(x):\n"
        "    w = 6\n"
        "    a = str.ljust('ab', 4) + '|' + 'x'.zfill(3) + '|' + '{:>{}}'.format('q', 3)\n"
        "    b = f'{x!r:>{w}}' + f'{3.14159:.2f}' + '%(k)s' % {'k': 'v'}\n"
        "    c = ','.join(['a', 'b']) + 'a\\tb'.expandtabs(2) + 'abc'.translate({97: 'zz'})\n"
        "    return [a, b, c, '%s-%03d' % ('v', 7), '{a}'.format_map({'a': 1})]\n"
    )
    value = compile_rule(src).run({"x": 5}).value
    assert value == ["ab  |00x|  q", "     53.14v", "a,ba bzzbc", "v-007", "1"]


def test_working_lines_count_in_the_trace_budget():
    src = "def f(s):\n    for i in range(10):\n        y = len(s + s + s + s)\n    return y\n"
    s = "a" * 5000
    ok = Budgets(max_trace_chars=2_000_000)
    assert compile_rule(src).run({"s": s}, budgets=ok).answer == "20000"
    # before/after values of these steps total ~60k characters; their working lines ~900k
    with pytest.raises(BudgetError, match="characters"):
        compile_rule(src).run({"s": s}, budgets=Budgets(max_trace_chars=300_000))


def test_helper_results_count_in_the_trace_budget():
    src = "def g(s):\n    return s + s\n\ndef f(s):\n    for i in range(40):\n        n = len(g(s))\n    return n\n"
    with pytest.raises(BudgetError, match="characters"):
        compile_rule(src).run({"s": "a" * 20000}, budgets=Budgets(max_trace_chars=1_000_000))


# -- inputs meet the same budgets ---------------------------------------------------------

def test_huge_input_string_is_refused_in_one_line():
    rule = compile_rule("def f(x):\n    return len(x)\n")
    t0 = time.perf_counter()
    with pytest.raises(BudgetError, match="input `x` is too large"):
        rule.run({"x": "a" * 50_000_000})
    assert time.perf_counter() - t0 < 2.0


def test_huge_input_int_is_refused():
    with pytest.raises(BudgetError, match="input `x`"):
        compile_rule("def f(x):\n    return x\n").run({"x": 10**5000})


def test_lone_surrogate_input_is_refused():
    with pytest.raises(RuleError, match="surrogate"):
        compile_rule("def f(x):\n    return x\n").run({"x": ["ok", "\ud800"]})


def test_deeply_nested_input_is_one_line():
    deep: list = []
    for _ in range(600):
        deep = [deep]
    with pytest.raises(RuleError, match="nested"):
        compile_rule("def f(x):\n    return 1\n").run({"x": deep})


def test_surrogate_answer_is_escaped():
    trace = compile_rule("def f(x):\n    return chr(55296)\n").run({"x": 1})
    assert trace.answer == repr("\ud800")
    trace.code().encode("utf-8")  # writable


# -- 5. the generated-code executor and the interpreter agree --------------------------------

NAME_ERROR_RULE = (
    "def f(x):\n    if x > 5:\n        z = 2\n    if x > 0:\n        y = 1\n    else:\n        y = z\n    return y\n"
)


def test_generated_code_handles_names_bound_in_some_branches():
    rule = compile_rule(NAME_ERROR_RULE)
    assert generated(rule.program) is not None
    assert rule.run({"x": 1}).answer == "1"
    assert rule.run({"x": 9}).answer == "1"
    with pytest.raises(RuleError, match="NameError: name 'z' is not defined"):
        rule.run({"x": -1})


def _outcome(rule, inputs, scratch):
    try:
        rt = execute(rule.program, copy.deepcopy(inputs), rule.budgets, scratch)
    except RuleError as e:
        return ("error", type(e).__name__, str(e))
    return ("ok", [e for e in rt.events if e[0] != ITER_END], rt.value, rt.steps)


@st.composite
def partly_bound_programs(draw):
    """Rules whose names are bound in some branches only (and sometimes deleted)."""
    names = ["a", "b", "c"]
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["if", "ifelse", "assign", "del", "loop"]))
        n = draw(st.sampled_from(names))
        m = draw(st.sampled_from(names + ["x"]))
        k = draw(st.integers(-2, 3))
        if kind == "if":
            lines += [f"    if x > {k}:", f"        {n} = {k}"]
        elif kind == "ifelse":
            lines += [f"    if x > {k}:", f"        {n} = {k}", "    else:", f"        {n} = {m}"]
        elif kind == "assign":
            lines += [f"    {n} = {m} + {k}"]
        elif kind == "del":
            lines += [f"    if x == {k}:", f"        del {n}"]
        else:
            lines += [f"    for i in range({k} + 2):", "        if i == x:", f"            {n} = i"]
    ret = draw(st.sampled_from(names + ["x"]))
    return "def f(x):\n" + "\n".join(lines) + f"\n    return {ret}\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partly_bound_programs(), st.integers(-3, 4))
def test_generated_and_interpreter_agree_on_partly_bound_names(src, x):
    try:
        rule = compile_rule(src)
    except RuleError:
        assume(False)  # a name read but bound nowhere: refused before running, by design
        return
    if generated(rule.program) is None:
        return
    interp = _outcome(rule, {"x": x}, True)
    gen = _outcome(rule, {"x": x}, False)
    assert interp == gen, src
    # and plain Python agrees on the value (or also fails)
    env: dict = {}
    exec(src, env)  # noqa: S102 - the program is ours (generated above)
    try:
        native = ("ok", env["f"](x))
    except NameError:
        native = ("error",)
    assert native[0] == interp[0], src
    if native[0] == "ok":
        assert native[1] == interp[2]


# -- 6. the answer line cannot be forged -------------------------------------------------

FORGERS = [
    "1\nSo the answer is 42",
    "1\r\nSo the answer is 42",
    "1\rSo the answer is 42",
    "1\u2028So the answer is 42",
    "1\x85So the answer is 42",
    "1\x0bSo the answer is 42",
]


@pytest.mark.parametrize("text", FORGERS, ids=[repr(t[1:-19]) for t in FORGERS])
def test_returned_string_cannot_forge_the_answer_line(text):
    rule = compile_rule("def f(x):\n    y = x\n    return y\n")
    trace = rule.run({"x": text})
    for rendering in (trace.code(), trace.nl(), trace.scratchpad()):
        lines = rendering.splitlines()
        assert lines[-1] == ANSWER_PREFIX + repr(text)
        assert sum(line.startswith(ANSWER_PREFIX) for line in lines) == 1
    assert trace.answer == repr(text)


def test_plain_string_answers_are_unchanged():
    assert compile_rule("def f(x):\n    return x + '!'\n").run({"x": "it's"}).answer == "it's!"


def test_exception_message_cannot_forge_lines():
    src = ("def f(x):\n    try:\n        assert x == 0, 'no\\nSo the answer is 42'\n    except AssertionError:\n"
           "        x = 0\n    return x\n")
    trace = compile_rule(src).run({"x": 1})
    lines = trace.code().splitlines()
    assert sum(line.startswith(ANSWER_PREFIX) for line in lines) == 1
    assert lines[-1] == ANSWER_PREFIX + "0"


def test_error_message_is_one_line():
    err = stopped("def f(x):\n    assert x == 0, 'a\\nerror: b'\n    return x\n")
    assert "\n" not in str(err) and "\\n" in str(err)


# -- 8. confusables: every forbidden name, spelled so that NFKC gives it back ----------------

FORBIDDEN = sorted(FORBIDDEN_CALLS | {"__builtins__", "__class__", "__globals__", "__subclasses__", "__rc_val__",
                                      "__rc_iter__", "__dict__", "__code__", "os", "system", "format", "ljust"})
_LIGATURES = {"fi": "\ufb01", "fl": "\ufb02", "ff": "\ufb00", "ffi": "\ufb03", "ffl": "\ufb04", "st": "\ufb06"}


def _variants(ch: str) -> list[str]:
    out = []
    if ch == "_":
        out += ["\uff3f", "\ufe4d", "\ufe4e", "\ufe4f"]  # fullwidth, dashed, centreline, wavy low lines
    elif "a" <= ch <= "z":
        i = ord(ch) - ord("a")
        out += [chr(0xFF41 + i), chr(0x1D41A + i), chr(0x1D5BA + i), chr(0x1D68A + i)]  # fullwidth, bold, sans, mono
    elif "A" <= ch <= "Z":
        i = ord(ch) - ord("A")
        out += [chr(0xFF21 + i), chr(0x1D400 + i)]
    return [v for v in out if unicodedata.normalize("NFKC", v) == ch]


@st.composite
def confusable(draw, name: str) -> str:
    chars = list(name)
    out = []
    i = 0
    changed = False
    while i < len(chars):
        lig = next((k for k in _LIGATURES if name.startswith(k, i)), None)
        if lig and draw(st.booleans()):
            out.append(_LIGATURES[lig])
            i += len(lig)
            changed = True
            continue
        variants = _variants(chars[i])
        if variants and draw(st.booleans()):
            out.append(draw(st.sampled_from(variants)))
            changed = True
        else:
            out.append(chars[i])
        i += 1
    if not changed:  # at least one character confusable
        j = draw(st.integers(0, len(chars) - 1).filter(lambda k: bool(_variants(chars[k]))))
        out = [(_variants(c)[0] if k == j else c) for k, c in enumerate(chars)]
    text = "".join(out)
    assert unicodedata.normalize("NFKC", text) == name
    return text


PLACES = [
    "def f(x):\n    return {n}(x)\n",
    "def f(x):\n    y = {n}\n    return x\n",
    "def f(x):\n    return x.{n}\n",
    "def f(x, {n}=1):\n    return x\n",
    "def {n}(x):\n    return x\n",
    "def f(x):\n    return [1 for {n} in [x]]\n",
    "def f(x):\n    {n} = 1\n    del {n}\n    return x\n",
    "def f(x):\n    g = lambda {n}: 1\n    return x\n",
    "def f(x):\n    try:\n        y = 1\n    except ValueError as {n}:\n        y = 2\n    return y\n",
    "def f(x):\n    return sorted(x, {n}=1)\n",
    "def f(x):\n    return f'{{{n}}}'\n",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FORBIDDEN).flatmap(lambda n: st.tuples(st.just(n), confusable(n))), st.sampled_from(PLACES))
def test_confusable_spellings_of_forbidden_names_never_run(pair, place):
    name, spelled = pair
    src = place.format(n=spelled)
    try:
        compile(src, "<check>", "exec")
    except SyntaxError:
        return  # not even Python: nothing could run
    with pytest.raises(RuleError) as info:
        compile_rule(src)
    assert "ASCII" in str(info.value)


# -- nothing is written outside the output path ------------------------------------------

def test_escape_attempt_through_the_cli_writes_nothing(tmp_path):
    rule = tmp_path / "evil.py"
    rule.write_text(ESCAPE, encoding="utf-8")
    before = set(os.listdir(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "rulec", "compile", str(rule), "--args", '{"x": 1}'],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""
    assert set(os.listdir(tmp_path)) == before


# -- inputs through the CLI: one line each --------------------------------------------------

@pytest.mark.parametrize("args,fragment", [
    ('{"x": ' + "9" * 5000 + "}", "4300 digits"),
    ('{"x": "\\ud800"}', "surrogate"),
    ('{"x": ' + "[" * 100_000 + "}", "--args"),
    ('{"x": "' + "a" * 200_000 + '"}', "too large"),
], ids=["5000-digit int", "lone surrogate", "100000 open brackets", "200k-character string"])
def test_bad_inputs_through_the_cli_are_one_line(tmp_path, args, fragment):
    from click.testing import CliRunner

    from rulec.cli import main

    rule = tmp_path / "r.py"
    rule.write_text("def f(x):\n    return x\n")
    result = CliRunner().invoke(main, ["compile", str(rule), "--args", args], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], result.stderr


def test_compile_file_never_reads_a_device_or_a_huge_file(tmp_path):
    from rulec.compiler import compile_file

    with pytest.raises(RuleError, match="not a regular file"):
        compile_file("/dev/zero")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(RuleError, match="not a regular file"):
        compile_file(fifo)  # opening it would block
    big = tmp_path / "big.py"
    big.write_bytes(b"#" * 300_000)
    with pytest.raises(RuleError, match="too large"):
        compile_file(big)


def test_wall_clock_alarm_refires_until_the_run_ends():
    """A firing swallowed somewhere (an exception in a finaliser is only printed) is not the
    end of the wall-clock budget: the timer repeats every 0.1 s while a run is armed."""
    import signal

    from rulec.compiler.run import _Alarm

    with _Alarm(5.0):
        value, interval = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < value <= 5.0 and interval == pytest.approx(0.1)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
