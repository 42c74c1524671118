"""Sandbox and budgets: untrusted rules are refused before running, or stopped with a
clear ``RuleError`` / ``BudgetError`` naming the line, never with a hang, a crash or a
leak of interpreter internals."""

from __future__ import annotations

import signal
import time

import pytest

from rulec.compiler import BudgetError, Budgets, RuleError, compile_rule

# -- refused statically: compile_rule raises, nothing runs --------------------------------

# (id, source, fragment of the message, line)
STATIC = [
    ("import", "def f(x):\n    import os\n    return x\n", "`import`", 2),
    ("from-import", "def f(x):\n    from os import path\n    return x\n", "`import`", 2),
    ("top-level import", "import os\n\ndef f(x):\n    return x\n", "`import`", 1),
    ("open", "def f(x):\n    h = open('/etc/passwd')\n    return x\n", "`open`", 2),
    ("open-read", "def f(x):\n    return open('/etc/passwd').read()\n", "", 2),
    ("eval", "def f(x):\n    return eval('1 + 1')\n", "`eval`", 2),
    ("exec", "def f(x):\n    exec('y = 1')\n    return x\n", "`exec`", 2),
    ("__import__", "def f(x):\n    return __import__('os')\n", "__import__", 2),
    ("globals", "def f(x):\n    return globals()\n", "`globals`", 2),
    ("locals", "def f(x):\n    return locals()\n", "`locals`", 2),
    ("vars", "def f(x):\n    return vars()\n", "`vars`", 2),
    ("getattr", "def f(x):\n    return getattr(x, 'append')\n", "`getattr`", 2),
    ("setattr", "def f(x):\n    setattr(x, 'a', 1)\n    return x\n", "`setattr`", 2),
    ("type", "def f(x):\n    return type(x)\n", "`type`", 2),
    ("type as value", "def f(x):\n    t = type\n    return x\n", "`type`", 2),
    ("compile", "def f(x):\n    return compile('1', 'f', 'eval')\n", "`compile`", 2),
    ("print", "def f(x):\n    print(x)\n    return x\n", "`print`", 2),
    ("input", "def f(x):\n    return input()\n", "`input`", 2),
    ("breakpoint", "def f(x):\n    breakpoint()\n    return x\n", "`breakpoint`", 2),
    ("dunder attribute", "def f(x):\n    return x.__class__\n", "__class__", 2),
    ("dunder attribute chain", "def f(x):\n    y = 1\n    return ().__class__.__base__.__subclasses__()\n",
     "__", 3),
    ("__builtins__", "def f(x):\n    return __builtins__\n", "__builtins__", 2),
    ("dunder name", "def f(x):\n    __rc_val__ = 1\n    return x\n", "dunder", 2),
    ("private attribute", "def f(x):\n    return x._private\n", "_private", 2),
    ("class", "class A:\n    pass\n\ndef f(x):\n    return x\n", "class", 1),
    ("nested class", "def f(x):\n    class A:\n        pass\n    return x\n", "class", 2),
    ("global", "def f(x):\n    global y\n    return x\n", "`global`", 2),
    ("nonlocal", "def f(x):\n    nonlocal y\n    return x\n", "`nonlocal`", 2),
    ("yield", "def f(x):\n    yield x\n", "`yield`", 2),
    ("yield from", "def f(x):\n    yield from x\n", "`yield`", 2),
    ("with", "def f(x):\n    with x:\n        pass\n    return x\n", "`with`", 2),
    ("async def", "async def f(x):\n    return x\n", "`async`", 1),
    ("await", "def f(x):\n    await x\n    return x\n", "`await`", 2),
    ("async for", "def f(x):\n    async for y in x:\n        pass\n    return x\n", "async", 2),
    ("decorator", "@staticmethod\ndef f(x):\n    return x\n", "decorators", 1),
    ("lambda default dunder", "def f(x):\n    g = lambda a=().__class__: a\n    return g()\n", "__class__", 2),
    ("lambda default open", "def f(x):\n    g = lambda a=open: a\n    return x\n", "`open`", 2),
    ("lambda default eval", "def f(x):\n    g = lambda e=eval: e('1')\n    return g()\n", "`eval`", 2),
    ("generator frame", "def f(x):\n    return (y for y in []).gi_frame\n", "gi_frame", 2),
    ("generator code", "def f(x):\n    return (y for y in []).gi_code\n", "gi_code", 2),
    ("str.mro", "def f(x):\n    return str.mro()\n", "mro", 2),
    ("mro as key", "def f(x):\n    return sorted(x, key=str.mro)\n", "mro", 2),
    ("function globals", "def g(x):\n    return x\n\ndef f(x):\n    return g.__globals__\n", "__globals__", 5),
    ("lambda globals", "def f(x):\n    g = lambda: 0\n    return g.__globals__\n", "__globals__", 3),
    ("format kept as a value", "def f(x):\n    g = '{0.__class__}'.format\n    return g(x)\n", "format", 2),
    ("format passed to map", "def f(x):\n    return list(map('{0.__class__}'.format, [x]))\n", "format", 2),
    ("format_map as a value", "def f(x):\n    g = '{a}'.format_map\n    return g({'a': x})\n", "format_map", 2),
    ("huge f-string width", "def f(x):\n    return f'{x!r:>99999999999}'\n", "too large", 2),
    ("huge f-string precision", "def f(x):\n    return f'{x:.1000000}'\n", "too large", 2),
    ("f-string width glued to a field", "def f(x):\n    w = 9\n    return f'{x:9{w}}'\n", "digits next to", 3),
    ("raise", "def f(x):\n    raise ValueError('no')\n", "`raise`", 2),
    ("match", "def f(x):\n    match x:\n        case 1:\n            return 1\n    return x\n", "`match`", 2),
    ("walrus", "def f(x):\n    if (y := x):\n        return y\n    return x\n", "walrus", 2),
    ("nested def two levels", "def f(x):\n    def g():\n        def h():\n            return 1\n        return h()\n    return g()\n",
     "directly in the body", 3),
    ("star args", "def f(*x):\n    return x\n", "*args", 1),
    ("bytes literal", "def f(x):\n    return b'abc'\n", "bytes", 2),
    ("int.to_bytes", "def f(x):\n    return (5).to_bytes(2, 'big')\n", "to_bytes", 2),
    ("unknown builtin", "def f(x):\n    return memoryview(x)\n", "memoryview", 2),
    ("unknown name", "def f(x):\n    return y\n", "`y` is not defined", 2),
    ("except non-builtin", "def f(x):\n    try:\n        y = 1\n    except os.error:\n        y = 2\n    return y\n",
     "except", 4),
    ("self attribute", "def f(self, x):\n    return self.__dict__\n", "__dict__", 2),
    ("syntax error", "def f(x):\n    return (x\n", "syntax error", None),
]


@pytest.mark.parametrize("src,fragment,line", [c[1:] for c in STATIC], ids=[c[0] for c in STATIC])
def test_refused_before_running(src, fragment, line):
    with pytest.raises(RuleError) as info:
        compile_rule(src)
    err = info.value
    assert not isinstance(err, BudgetError)
    assert fragment in str(err)
    if line is not None:
        assert err.line == line, str(err)
        assert f":{line}:" in str(err) or f"line {line}" in str(err)


def test_refusal_names_the_file():
    with pytest.raises(RuleError) as info:
        compile_rule("def f(x):\n    import os\n    return x\n", filename="evil.py")
    assert str(info.value).startswith("evil.py:2: ")


# -- refused or stopped at run time --------------------------------------------------------

FAST = Budgets(max_seconds=2.0)

# (id, source, inputs, fragment of the message, line or None, must be a BudgetError)
RUNTIME = [
    ("format attribute", "def f(x):\n    return '{0.__class__}'.format(x)\n", {"x": 1}, "attribute or index", 2, False),
    ("format index", "def f(x):\n    return '{0[0]}'.format(x)\n", {"x": [1]}, "attribute or index", 2, False),
    ("format string in a variable", "def f(x):\n    s = '{0.__class__}'\n    t = s.format(x)\n    return t\n",
     {"x": 1}, "attribute or index", 3, False),
    ("format_map attribute", "def f(x):\n    return '{a.__class__}'.format_map({'a': x})\n", {"x": 1},
     "attribute or index", 2, False),
    ("format nested spec", "def f(x):\n    return '{0:{1.__class__}}'.format(x, x)\n", {"x": 1},
     "attribute or index", 2, False),
    ("str.format on a non-string", "def f(x):\n    return str.format(x, 1)\n", {"x": 1}, "only allowed on strings", 2,
     False),
    ("format width", "def f(x):\n    return '{:>99999999999}'.format(x)\n", {"x": 1}, "format width", 2, True),
    ("f-string width from a variable", "def f(x):\n    w = 10 ** 9\n    s = f'{x:>{w}}'\n    return s\n", {"x": 1},
     "format width", 3, True),
    ("printf width", "def f(x):\n    return '%99999999999d' % x\n", {"x": 1}, "format width", 2, True),
    ("printf star width", "def f(x):\n    return '%*d' % (10 ** 9, x)\n", {"x": 1}, "format width", 2, True),
    ("list repeat", "def f(x):\n    return [0] * 10**12\n", {"x": 1}, "repeated sequence", 2, True),
    ("string repeat", "def f(x):\n    s = 'ab'\n    n = 10 ** 9\n    return s * n\n", {"x": 1}, "repeated sequence", 4,
     True),
    ("augmented repeat", "def f(x):\n    s = [1]\n    s *= 10 ** 9\n    return s\n", {"x": 1}, "repeated sequence", 3,
     True),
    ("power tower", "def f(x):\n    return 10 ** 10 ** 10\n", {"x": 1}, "integer", 2, True),
    ("pow builtin", "def f(x):\n    return pow(10, 10 ** 9)\n", {"x": 1}, "integer", 2, True),
    ("shift", "def f(x):\n    return 1 << 10**9\n", {"x": 1}, "integer", 2, True),
    ("ljust", "def f(x):\n    return 'a'.ljust(10**12)\n", {"x": 1}, "ljust", 2, True),
    ("zfill", "def f(x):\n    return '1'.zfill(10**12)\n", {"x": 1}, "zfill", 2, True),
    ("center", "def f(x):\n    return 'a'.center(10**9)\n", {"x": 1}, "center", 2, True),
    ("expandtabs", "def f(x):\n    return ('\\t' * 1000).expandtabs(10**6)\n", {"x": 1}, "expanded", 2, True),
    ("replace bomb", "def f(x):\n    s = 'a' * 50000\n    return s.replace('a', s)\n", {"x": 1}, "replaced", 3, True),
    ("join bomb", "def f(x):\n    s = 'a' * 50000\n    return s.join(['b'] * 50000)\n", {"x": 1}, "joined", 3, True),
    ("nested repeat bomb", "def f(x):\n    return sum([[0] * 100000] * 100000, [])\n", {"x": 1}, "value budget", 2, True),
    ("sum of lists", "def f(x):\n    t = 0\n    return sum([x[0], x[1], x[0]], [])\n", {"x": [[0] * 40000] * 2}, "sum", 3, True),
    ("shared references", "def f(x):\n    y = [0] * 1000\n    z = [y] * 1000\n    return z\n", {"x": 1},
     "repeated", 3, True),
    ("shared references by append",
     "def f(x):\n    y = [0] * 1000\n    z = []\n    for i in range(1000):\n        z.append(y)\n    return 0\n",
     {"x": 1}, "exceeds", None, True),
    ("range", "def f(x):\n    return list(range(10**12))\n", {"x": 1}, "range", 2, True),
    ("range in sorted", "def f(x):\n    return sorted(range(10**9))\n", {"x": 1}, "range", 2, True),
    ("dict.fromkeys", "def f(x):\n    return dict.fromkeys(range(10**12))\n", {"x": 1}, "range", 2, True),
    ("nested comprehension bomb", "def f(x):\n    return [1 for a in range(10**5) for b in range(10**5)]\n",
     {"x": 1}, "comprehensions", 2, True),
    ("generator bomb", "def f(x):\n    return sum(1 for a in range(10**5) for b in range(10**5))\n",
     {"x": 1}, "comprehensions", 2, True),
    ("comprehension of big lists", "def f(x):\n    return len([[0] * 100000 for a in range(100000)])\n",
     {"x": 1}, "comprehensions", 2, True),
    ("lambda bomb", "def f(x):\n    g = lambda a: sum(map(lambda b: 1, range(10**5)))\n"
     "    return sum(map(g, range(10**5)))\n", {"x": 1}, "lambdas", None, True),
    ("doubling list", "def f(x):\n    s = [1]\n    while True:\n        s.extend(s)\n    return s\n", {"x": 1},
     "value budget", None, True),
    ("doubling string", "def f(x):\n    s = 'a'\n    for i in range(100):\n        s = s + s\n    return len(s)\n",
     {"x": 1}, "value budget", None, True),
    ("while True", "def f(x):\n    while True:\n        x += 1\n    return x\n", {"x": 1}, "steps", None, True),
    ("while True pass", "def f(x):\n    while True:\n        pass\n    return x\n", {"x": 1}, "steps", None, True),
    ("recursion through helpers", "def g(n):\n    return h(n + 1)\n\ndef h(n):\n    return g(n)\n\n"
     "def f(x):\n    return g(x)\n", {"x": 1}, "nested deeper", None, True),
    ("self recursion", "def f(x):\n    return f(x + 1)\n", {"x": 1}, "nested deeper", None, True),
    ("IndexError", "def f(x):\n    t = 0\n    y = x[5]\n    return y\n", {"x": [1]}, "IndexError", 3, False),
    ("ZeroDivisionError", "def f(x):\n    y = 1\n    y = y // x\n    return y\n", {"x": 0}, "ZeroDivisionError", 3,
     False),
    ("KeyError", "def f(x):\n    d = {}\n    return d[x]\n", {"x": 1}, "KeyError", 3, False),
    ("error in a helper", "def g(n):\n    return 10 % n\n\ndef f(x):\n    return g(x)\n", {"x": 0},
     "ZeroDivisionError", 2, False),
    ("error in a loop test", "def f(x):\n    while x[3]:\n        x.pop()\n    return x\n", {"x": [1]},
     "IndexError", 2, False),
    ("error in a for iterable", "def f(x):\n    for v in x[9]:\n        x.pop()\n    return x\n", {"x": [1]},
     "IndexError", 2, False),
    ("error in an if test", "def f(x):\n    if x[3]:\n        for v in x:\n            x.pop()\n    return x\n",
     {"x": [1]}, "IndexError", 2, False),
    ("dict changed during iteration", "def f(x):\n    d = {1: 2}\n    for k in d:\n        d[k + 1] = 0\n    return d\n",
     {"x": 1}, "RuntimeError", None, False),
    ("int from a huge string", "def f(x):\n    return int('9' * 5000)\n", {"x": 1}, "ValueError", 2, False),
    ("float overflow", "def f(x):\n    return 10.0 ** 400\n", {"x": 1}, "OverflowError", 2, False),
]


@pytest.mark.parametrize(
    "src,inputs,fragment,line,budget", [c[1:] for c in RUNTIME], ids=[c[0] for c in RUNTIME]
)
def test_stopped_at_run_time(src, inputs, fragment, line, budget):
    rule = compile_rule(src)
    t0 = time.perf_counter()
    with pytest.raises(RuleError) as info:
        rule.run(inputs, budgets=FAST)
    elapsed = time.perf_counter() - t0
    err = info.value
    assert fragment in str(err)
    assert isinstance(err, BudgetError) == budget, f"{type(err).__name__}: {err}"
    if line is not None:
        assert err.line == line, str(err)
    assert elapsed < 3.0, f"took {elapsed:.2f}s to stop"


def test_while_true_stops_within_a_second_with_default_budgets():
    rule = compile_rule("def f(x):\n    while True:\n        x += 1\n    return x\n")
    wall, cpu = time.perf_counter(), time.process_time()
    with pytest.raises(BudgetError, match="loop forever"):
        rule.run({"x": 1})
    # CPU time: the bound holds on a quiet machine; wall time only guards against a hang
    assert time.process_time() - cpu < 1.0
    assert time.perf_counter() - wall < 5.0


def test_wall_clock_budget_stops_a_slow_expression():
    """What no step or item budget catches, the SIGALRM wall-clock budget does."""
    rule = compile_rule("def f(x):\n    return sum(1 for a in range(10**5) for b in range(10**5))\n")
    loose = Budgets(max_seconds=0.3, max_inner_items=10**12)
    t0 = time.perf_counter()
    with pytest.raises(BudgetError, match="longer than"):
        rule.run({"x": 1}, budgets=loose)
    assert time.perf_counter() - t0 < 1.0


def test_alarm_handler_is_restored():
    before = signal.getsignal(signal.SIGALRM)
    compile_rule("def f(x):\n    return x + 1\n").run({"x": 1})
    with pytest.raises(RuleError):
        compile_rule("def f(x):\n    return x[3]\n").run({"x": []})
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_step_budget_is_configurable():
    rule = compile_rule("def f(n):\n    while n > 0:\n        n -= 1\n    return n\n")
    assert rule.run({"n": 50}).answer == "0"
    with pytest.raises(BudgetError, match="10 steps"):
        rule.run({"n": 50}, budgets=Budgets(max_steps=10))


def test_trace_size_budget():
    rule = compile_rule("def f(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n")
    with pytest.raises(BudgetError, match="characters"):
        rule.run({"xs": list(range(5000))}, budgets=Budgets(max_trace_chars=10_000))


def test_budget_errors_are_rule_errors():
    """Callers catch one type: a budget error is a RuleError."""
    assert issubclass(BudgetError, RuleError)


def test_rule_cannot_reach_the_runtime_through_values():
    """Whitelisted methods hand out only plain values; nothing reachable has a dunder path."""
    src = (
        "def f(x):\n"
        "    a = str.join\n"
        "    b = list.copy\n"
        "    return [repr(a), repr(b), str.maketrans('a', 'b')]\n"
    )
    with pytest.raises(RuleError):  # `repr` is not a whitelisted builtin
        compile_rule(src)
    ok = compile_rule("def f(x):\n    return str.maketrans('a', 'b')\n").run({"x": 1})
    assert ok.answer == "{97: 98}"


def test_exception_inside_try_is_caught_like_python():
    src = (
        "def f(xs):\n"
        "    t = 0\n"
        "    for x in xs:\n"
        "        try:\n"
        "            t += 10 // x\n"
        "        except ZeroDivisionError:\n"
        "            t -= 1\n"
        "        except IndexError:\n"
        "            t = -100\n"
        "    return t\n"
    )
    trace = compile_rule(src).run({"xs": [1, 0, 2]})
    assert trace.answer == "14"
    lines = trace.code().splitlines()
    assert lines.count("enter except") == 1
    assert "except ZeroDivisionError:" in lines


def test_uncaught_exception_type_propagates_past_handlers():
    src = (
        "def f(xs):\n"
        "    try:\n"
        "        y = xs[4]\n"
        "    except ZeroDivisionError:\n"
        "        y = 0\n"
        "    return y\n"
    )
    with pytest.raises(RuleError, match="IndexError") as info:
        compile_rule(src).run({"xs": []})
    assert info.value.line == 3
