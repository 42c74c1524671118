"""Native execution of generated rule programs (with loop counting) and the checks that a
compiled run agrees with it; shared by the property, code-generation and regression tests."""

from __future__ import annotations

import ast
import copy
import sys
from dataclasses import dataclass, field

import pytest
from hypothesis import assume, event, note
from hypothesis.control import currently_in_test_context
from strategies import NATIVE_FILE, NATIVE_LOOP_CAP

from rulec.compiler import RuleError, compile_rule, format_answer
from rulec.compiler.events import BRANCH, CALL, CHECK, EXCEPT, RET, RETURNED, TRY, UNIT

# ---------------------------------------------------------------------------------------
# native execution with loop counting
# ---------------------------------------------------------------------------------------


class TooLong(Exception):
    pass


DECISIONS = frozenset({
    "enter the loop", "do not enter", "enter if", "enter elif", "enter else", "do not enter if", "enter except",
})


def _call_stmt(func: str, *args: ast.expr) -> ast.Expr:
    return ast.Expr(ast.Call(ast.Name(func, ast.Load()), list(args), []))


class _Instrument(ast.NodeTransformer):
    """Native instrumentation: count loop-body entries and record every decision the
    code trace states (loop checks, if-chain outcomes, entered except handlers)."""

    def __init__(self, source: str):
        self.lines = source.splitlines()
        self.elifs: set[int] = set()  # id() of If nodes that are `elif` arms

    def _is_elif(self, node: ast.If) -> bool:
        return self.lines[node.lineno - 1][node.col_offset:].startswith("elif")

    def _prepend(self, body: list, stmt: ast.stmt) -> None:
        ast.copy_location(stmt, body[0])
        ast.fix_missing_locations(stmt)
        body.insert(0, stmt)

    def visit_While(self, node: ast.While):
        self.generic_visit(node)
        node.test = ast.Call(ast.Name("_check", ast.Load()), [node.test], [])
        self._prepend(node.body, _call_stmt("_tick"))
        return ast.fix_missing_locations(node)

    def visit_For(self, node: ast.For):
        self.generic_visit(node)
        self._prepend(node.body, _call_stmt("_rec", ast.Constant("enter the loop")))
        self._prepend(node.body, _call_stmt("_tick"))
        node.orelse = [_call_stmt("_rec", ast.Constant("do not enter"))]
        return ast.fix_missing_locations(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        self.generic_visit(node)
        self._prepend(node.body, _call_stmt("_rec", ast.Constant("enter except")))
        return node

    def visit_If(self, node: ast.If):
        if id(node) in self.elifs:
            return self.generic_visit(node)
        arm = node
        label = "enter if"
        while True:
            arm.test = ast.Call(ast.Name("_test", ast.Load()), [arm.test, ast.Constant(label)], [])
            label = "enter elif"
            orelse = arm.orelse
            if len(orelse) == 1 and isinstance(orelse[0], ast.If) and self._is_elif(orelse[0]):
                self.elifs.add(id(orelse[0]))
                arm = orelse[0]
                continue
            if orelse:
                self._prepend(orelse, _call_stmt("_rec", ast.Constant("enter else")))
            else:
                arm.orelse = [_call_stmt("_rec", ast.Constant("do not enter if"))]
            break
        self.generic_visit(node)
        return ast.fix_missing_locations(node)


@dataclass
class Native:
    value: object = None
    error: BaseException | None = None
    line: int | None = None
    loops: int = 0
    rule_loops: int = 0  # loop-body entries in the rule function itself (not its helpers)
    decisions: list[str] = field(default_factory=list)


def run_native(src: str, inputs: dict, function: str = "rule") -> Native:
    """Run ``src`` natively on a deep copy of ``inputs``, recording loops and decisions."""
    tree = _Instrument(src).visit(ast.parse(src))
    code = compile(ast.fix_missing_locations(tree), NATIVE_FILE, "exec")
    out = Native()
    rec = out.decisions.append

    def _tick():
        out.loops += 1
        if sys._getframe(1).f_code.co_name == function:
            out.rule_loops += 1
        if out.loops > NATIVE_LOOP_CAP:
            raise TooLong

    def _check(value):
        rec("enter the loop" if value else "do not enter")
        return value

    def _test(value, label):
        if value:
            rec(label)
        return value

    ns: dict = {"_tick": _tick, "_rec": rec, "_check": _check, "_test": _test}
    exec(code, ns)  # noqa: S102 - the generated test program, run natively on purpose
    args = copy.deepcopy(inputs)
    fn = ns[function]
    if fn.__code__.co_varnames[:1] == ("self",):  # methods: give them an object holding the helpers
        holder = type("Solution", (), {k: v for k, v in ns.items() if callable(v) and not k.startswith("_")})
        args = {"self": holder(), **args}
    try:
        out.value = fn(**args)
    except TooLong:
        raise
    except RecursionError:
        raise TooLong from None
    except Exception as e:
        out.error = e
        tb = e.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == NATIVE_FILE:
                out.line = tb.tb_lineno
            tb = tb.tb_next
    return out


# ---------------------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------------------


def check_program(src: str, inputs: dict, function: str | None = None) -> None:
    """All the properties for one program and one input; raises AssertionError on divergence."""
    in_hypothesis = currently_in_test_context()
    say = note if in_hypothesis else (lambda text: None)
    say(src)
    say(repr(inputs))
    try:
        native = run_native(src, inputs, function or "rule")
    except TooLong:
        if not in_hypothesis:
            raise
        event("discarded: runs too long natively")
        assume(False)
        return
    if in_hypothesis:
        event("native raised" if native.error is not None else "native returned")
        event("loop entries: " + ("0" if not native.loops else "1-4" if native.loops < 5 else "5-19" if native.loops < 20 else "20+"))
    rule = compile_rule(src, function or "rule")
    snapshot = copy.deepcopy(inputs)
    if native.error is not None:
        with pytest.raises(RuleError) as info:
            rule.run(inputs)
        assert inputs == snapshot, "run() mutated its inputs"
        err = info.value
        say(f"native: {type(native.error).__name__}: {native.error} (line {native.line})")
        say(f"compiler: {err}")
        # Python names the line of the failing sub-expression; inside a statement split over
        # several lines the compiler may name an earlier line of the same statement
        first = statement_start(src, native.line)
        assert err.line is not None and first <= err.line <= native.line, (
            f"error line {err.line} != native line {native.line}: {err}"
        )
        assert type(native.error).__name__ in str(err), str(err)
        return
    trace = rule.run(inputs)
    assert inputs == snapshot, "run() mutated its inputs"
    code = trace.code()
    lines = code.split("\n")
    answer = format_answer(native.value)
    assert trace.answer == answer
    assert lines[-1] == "So the answer is " + answer
    entered = sum(1 for line in lines if line == "enter the loop")
    assert entered == native.loops, f"{entered} `enter the loop` lines, {native.loops} native loop entries"
    assert trace.loop_iterations == native.loops
    decisions = [line for line in lines if line in DECISIONS]
    assert decisions == native.decisions, "the trace's decisions differ from native execution"
    check_states(trace.events)
    again = rule.run(inputs, scratch=True)
    assert again.code() == code, "same inputs gave a different trace"
    pad = again.scratchpad().split("\n")
    assert pad[-1] == "So the answer is " + answer
    # one line per iteration of the rule's loops (an iteration cut short by a caught
    # exception has no state "after" it)
    if "enter except" in decisions:
        assert len(pad) - 1 <= native.rule_loops
    else:
        assert len(pad) - 1 == native.rule_loops, "the scratchpad has one line per iteration of the rule's loops"
    assert " at 0x" not in code, "the trace shows a memory address"


def statement_start(src: str, line: int) -> int:
    """First line of the innermost simple statement (or compound-statement header) that
    spans ``line``."""
    best = None
    for node in ast.walk(ast.parse(src)):
        if not isinstance(node, ast.stmt) or isinstance(node, (ast.FunctionDef, ast.Try)):
            continue
        if isinstance(node, (ast.If, ast.While)):
            end = node.test.end_lineno
        elif isinstance(node, ast.For):
            end = node.iter.end_lineno
        else:
            end = node.end_lineno
        if node.lineno <= line <= end and (best is None or node.lineno > best):
            best = node.lineno
    return line if best is None else best


def check_states(events) -> None:
    """Every value a step shows *before* equals the value the trace last showed for that
    name in the same call (so no change of state goes unshown)."""
    frames: list[dict[str, str]] = []
    tries: list[tuple[object, int]] = []  # (try step, depth of its frame)

    def seen(before, where):
        frame = frames[-1]
        for name, r in before:
            if name in frame:
                assert frame[name] == r, f"{where}: `{name}` shown as {r}, but the trace last showed {frame[name]}"
            frame[name] = r

    for ev in events:
        kind = ev[0]
        if kind == CALL:
            frames.append(dict(ev[2]))
        elif kind == RETURNED:
            frames.pop()
        elif kind == UNIT:
            seen(ev[2], ev[1].text.splitlines()[0])
            for name, r, _k in ev[4] or ():
                frames[-1][name] = r
        elif kind == CHECK:
            seen(ev[2], ev[1].header)
            for name, r in ev[5] or ():
                frames[-1][name] = r
        elif kind == BRANCH:
            for before, _rec, _truth in ev[2]:
                seen(before, ev[1].headers[0])
        elif kind == RET:
            seen(ev[2], ev[1].text)
        elif kind == TRY:
            tries.append((ev[1], len(frames)))
        elif kind == EXCEPT:  # an exception may have unwound calls that raised
            depth = next(d for step, d in reversed(tries) if step is ev[1])
            del frames[depth:]
            name = ev[1].handlers[ev[2]][1]
            if name:  # `except E as err`: err is the exception; its text is not in the trace yet
                frames[-1].pop(name, None)


