"""Execute a step tree on concrete inputs and emit events.

Each unit runs as one pre-compiled, instrumented code object in the frame's
namespace (a plain dict whose ``__builtins__`` is the whitelist), so a run costs a
few dict lookups and one ``exec`` per step plus the ``repr`` calls the trace needs.
Events are small lists; the renderers turn them into the code trace, the NL trace
and the scratchpad.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.ir import AUG, BIN, CMP, TEST, Branch, Function, Loop, Program, Return, Try, Unit
from rulec.compiler.build import FILENAME, plan_unit
from rulec.compiler import sandbox
from rulec.compiler.sandbox import Budgets, check_size

# event kinds
CALL, RETURNED, UNIT, LOOP, CHECK, ITER, ITER_END, BRANCH, RET, TRY, EXCEPT = range(11)
BREAK, CONTINUE, RETURN = 1, 2, 3
_MISSING = object()
_PLAIN = frozenset({int, float, bool, str, list, tuple, dict, set, frozenset, type(None)})


def _opaque(v) -> bool:
    """Iterators (zip, enumerate, map, ...) and functions: their repr holds a memory address."""
    return hasattr(type(v), "__next__") or callable(v)


def show(v) -> str:
    """The trace's text for a value: its repr, or a stable placeholder for iterators and functions."""
    if type(v) in _PLAIN or not _opaque(v):
        return repr(v)
    return "<function>" if callable(v) and not hasattr(type(v), "__next__") else "<iterator>"


class RuleRaised(Exception):
    """An exception raised by the rule's own code (catchable by the rule's try/except)."""

    def __init__(self, exc: BaseException, line: int | None):
        super().__init__(str(exc))
        self.exc = exc
        self.line = line


def _line_of(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


class Runtime:
    """One run of a program. Not thread-safe; make one per run."""

    def __init__(self, program: Program, budgets: Budgets, scratch: bool = False):
        self.program = program
        self.probes = program.probes
        self.budgets = budgets
        self.scratch = scratch
        self.events: list = []
        self.rec: list = []
        self.dec: list = []  # if-chain decisions of the running unit
        self.steps = 0
        self.flow = 0
        self.retval: Any = None
        self.depth = 0
        self.chars = 0
        self.iterations = 0
        env = {
            "__builtins__": sandbox.SAFE_BUILTINS,
            "__rc_bin__": self._bin,
            "__rc_cmp__": self._cmp,
            "__rc_val__": self._val,
            "__rc_test__": self._test,
            "__rc_aug__": self._aug,
            "__rc_guard__": sandbox.guard,
            "__rc_fmt__": sandbox.safe_format,
            "__rc_fmtmap__": sandbox.safe_format_map,
            "__rc_pad__": sandbox.safe_pad,
            "__rc_flow__": self._flow,
            "__rc_ret__": self._ret,
        }
        for name, fn in program.functions.items():
            env[name] = self._callable(fn)
        self.base_env = env

    # -- probes ------------------------------------------------------------------
    def _bin(self, k, a, b):
        res = self.probes[k].func(a, b)
        self.rec.append((k, repr(a), repr(b), repr(res)))
        return res

    def _cmp(self, k, a, b):
        res = self.probes[k].func(a, b)
        self.rec.append((k, repr(a), repr(b), bool(res)))
        return res

    def _val(self, k, v):
        if type(v) not in _PLAIN and _opaque(v):
            return v  # an iterator or a function: nothing worth showing (its repr has an address)
        self.rec.append((k, repr(v)))
        return v

    def _test(self, k, arm, v):
        t = bool(v)
        r = (k, arm, t)
        self.rec.append(r)
        self.dec.append(r)
        return t

    def _aug(self, k, old, v):
        before = repr(old)
        res = self.probes[k].func(old, v)
        self.rec.append((k, before, repr(v), repr(res)))
        return res

    def _flow(self, kind):
        self.flow = kind

    def _ret(self, value):
        self.flow = RETURN
        self.retval = value

    def _callable(self, fn: Function):
        def call(*args, **kwargs):
            return self.call(fn, args, kwargs)

        return call

    # -- budgets -------------------------------------------------------------------
    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.budgets.max_steps:
            raise BudgetError(
                f"the rule did not stop within {self.budgets.max_steps} steps (does it loop forever?)"
            )

    def snap(self, names, env) -> list:
        out = []
        for n in names:
            v = env.get(n, _MISSING)
            if v is not _MISSING:
                r = repr(v) if type(v) in _PLAIN else show(v)
                self.chars += len(r)
                out.append((n, r))
        return out

    def _charge(self, items) -> None:
        if self.chars > self.budgets.max_trace_chars:
            raise BudgetError(f"the trace exceeds {self.budgets.max_trace_chars} characters")

    # -- running ----------------------------------------------------------------
    def call(self, fn: Function, args: tuple, kwargs: dict) -> Any:
        env = self.base_env.copy()
        params = fn.params
        if len(args) > len(params):
            raise RuleError(f"`{fn.name}` takes {len(params)} arguments but {len(args)} were given")
        for p, a in zip(params, args):
            env[p] = a
        for key, a in kwargs.items():
            if key not in params:
                raise RuleError(f"`{fn.name}` got an unknown argument `{key}`")
            if key in env and params.index(key) < len(args):
                raise RuleError(f"`{fn.name}` got argument `{key}` twice")
            env[key] = a
        for p in params:
            if p not in env:
                if p in fn.defaults:
                    env[p] = fn.defaults[p]
                else:
                    raise RuleError(f"`{fn.name}` is missing argument `{p}`")
        self.depth += 1
        if self.depth > self.budgets.max_depth:
            raise BudgetError(f"calls nested deeper than {self.budgets.max_depth} levels")
        top = self.depth == 1
        self.events.append((CALL, fn, self.snap(params, env), top))
        self.run_block(fn.body, env, top)
        value = self.retval if self.flow == RETURN else None
        self.flow = 0
        self.retval = None
        r = repr(value)
        self.events.append((RETURNED, fn, r, top, value))
        self.depth -= 1
        return value

    def run_block(self, steps, env, top: bool = False) -> None:
        dispatch = _DISPATCH
        for step in steps:
            dispatch[type(step)](self, step, env, top)
            if self.flow:
                return

    def _exec(self, code, env, line):
        try:
            exec(code, env)  # noqa: S102 - validated, instrumented rule code with whitelisted builtins
        except RuleError as e:
            if e.line is None and not isinstance(e, BudgetError):
                e.line = line
            raise
        except RuleRaised:
            raise
        except RecursionError:
            raise BudgetError("calls nested too deeply") from None
        except Exception as e:  # the rule's own error
            raise RuleRaised(e, _line_of(e) or line) from None

    def _eval(self, code, env, line):
        try:
            return eval(code, env)  # noqa: S307 - validated, instrumented rule code
        except RuleError as e:
            if e.line is None and not isinstance(e, BudgetError):
                e.line = line
            raise
        except RuleRaised:
            raise
        except RecursionError:
            raise BudgetError("calls nested too deeply") from None
        except Exception as e:
            raise RuleRaised(e, _line_of(e) or line) from None

    def run_unit(self, unit: Unit, env, top) -> None:
        self.steps += 1
        if self.steps > self.budgets.max_steps:
            self.tick()
        before = []
        for n in unit.all_reads:
            v = env.get(n, _MISSING)
            if v is not _MISSING:
                before.append((n, repr(v) if type(v) in _PLAIN else show(v)))
        events = self.events
        # A unit that calls functions of the file emits their events while it runs:
        # its own event must come first, so it goes in before and is filled after.
        position = len(events)
        if unit.calls:
            events.append(None)
        prev, prev_dec = self.rec, self.dec
        self.rec = rec = []
        self.dec = dec = []
        try:
            exec(unit.code, env)  # noqa: S102 - validated, instrumented rule code, whitelisted builtins
        except RuleError as e:
            if e.line is None and not isinstance(e, BudgetError):
                e.line = unit.line
            raise
        except RuleRaised:
            raise
        except RecursionError:
            raise BudgetError("calls nested too deeply") from None
        except Exception as e:  # the rule's own error
            raise RuleRaised(e, _line_of(e) or unit.line) from None
        finally:
            self.rec = prev
            self.dec = prev_dec
        plan = unit.plans.get(tuple(dec)) if dec else unit.plans.get(())
        if plan is None:
            key = tuple(dec)
            plan = unit.plans[key] = plan_unit(unit, _taken(dec, self.probes))
        shown, writes = plan
        chars = self.chars
        for b in before:
            chars += len(b[1])
        if len(shown) != len(before):
            before = [b for b in before if b[0] in shown]
        after = []
        budgets = self.budgets
        check = budgets.check_values
        for name, k in writes:
            v = env.get(name, _MISSING)
            if v is not _MISSING:
                if check:
                    check_size(v, budgets)
                r = repr(v) if type(v) in _PLAIN else show(v)
                chars += len(r)
                after.append((name, r, k))
        if unit.maybe_writes:
            old = dict(before)
            for name in unit.maybe_writes:
                v = env.get(name, _MISSING)
                if v is not _MISSING:
                    r = repr(v) if type(v) in _PLAIN else show(v)
                    if r != old.get(name) and all(a[0] != name for a in after):
                        after.append((name, r, None))
        if unit.calls:
            events[position] = (UNIT, unit, before, rec, after)
        else:
            events.append((UNIT, unit, before, rec, after))
        self.chars = chars
        if chars > budgets.max_trace_chars:
            self._charge(None)

    def run_loop(self, loop: Loop, env, top) -> None:
        self.events.append((LOOP, loop))
        if loop.kind == "while":
            self._run_while(loop, env, top)
        else:
            self._run_for(loop, env, top)

    def _after_iteration(self, loop: Loop, env, top) -> bool:
        """Handle flow after one iteration; True if the loop must stop."""
        if self.scratch and top:
            self.events.append((ITER_END, loop, self.snap(_frame_names(env), env)))
        flow = self.flow
        if flow:
            if flow == RETURN:
                return True
            self.flow = 0
            return flow == BREAK
        return False

    def _run_while(self, loop: Loop, env, top) -> None:
        events = self.events
        while True:
            self.tick()
            before = self.snap(loop.reads, env)
            ev = [CHECK, loop, before, None, False, None]
            events.append(ev)
            prev = self.rec
            self.rec = rec = []
            try:
                truth = bool(self._eval(loop.test, env, loop.line))
            finally:
                self.rec = prev
            ev[3] = rec
            ev[4] = truth
            if not truth:
                return
            self.iterations += 1
            if self.iterations > self.budgets.max_iterations:
                raise BudgetError(f"the rule ran more than {self.budgets.max_iterations} loop iterations")
            events.append((ITER, loop))
            self.run_block(loop.body, env, top)
            if self._after_iteration(loop, env, top):
                return
            if self.chars > self.budgets.max_trace_chars:
                self._charge(None)

    def _run_for(self, loop: Loop, env, top) -> None:
        events = self.events
        self.tick()
        before = self.snap(loop.reads, env)
        ev = [CHECK, loop, before, None, False, None]
        events.append(ev)
        prev = self.rec
        self.rec = rec = []
        try:
            iterable = self._eval(loop.test, env, loop.line)
            try:
                it = iter(iterable)
            except TypeError as e:
                raise RuleRaised(e, loop.line) from None
        finally:
            self.rec = prev
        ev[3] = rec
        while True:
            try:
                item = next(it)
            except StopIteration:
                return
            except (RuleError, RuleRaised):
                raise
            except Exception as e:
                raise RuleRaised(e, loop.line) from None
            env["__rc_item__"] = item
            self._exec(loop.assign, env, loop.line)
            ev[4] = True
            ev[5] = self.snap(loop.targets, env)
            self.iterations += 1
            if self.iterations > self.budgets.max_iterations:
                raise BudgetError(f"the rule ran more than {self.budgets.max_iterations} loop iterations")
            events.append((ITER, loop))
            self.run_block(loop.body, env, top)
            if self._after_iteration(loop, env, top):
                return
            if self.chars > self.budgets.max_trace_chars:
                self._charge(None)
            self.tick()
            ev = [CHECK, loop, [], [], False, None]
            events.append(ev)

    def run_branch(self, br: Branch, env, top) -> None:
        self.tick()
        tests: list = []
        ev = [BRANCH, br, tests, -1]
        self.events.append(ev)
        taken = -1
        for i, code in enumerate(br.tests):
            before = self.snap(br.test_reads[i], env)
            prev = self.rec
            self.rec = rec = []
            try:
                truth = bool(self._eval(code, env, br.line))
            finally:
                self.rec = prev
            tests.append((before, rec, truth))
            if truth:
                taken = i
                break
        if taken < 0 and br.has_else:
            taken = len(br.tests)
        ev[3] = taken
        if taken >= 0:
            self.run_block(br.arms[taken], env, top)

    def run_return(self, step: Return, env, top) -> None:
        self.tick()
        before = self.snap(step.reads, env)
        ev = [RET, step, before, None]
        self.events.append(ev)
        value = None
        if step.code is not None:
            prev = self.rec
            self.rec = rec = []
            try:
                value = self._eval(step.code, env, step.line)
            finally:
                self.rec = prev
            ev[3] = rec
        else:
            ev[3] = []
        self.flow = RETURN
        self.retval = value

    def run_try(self, step: Try, env, top) -> None:
        self.tick()
        self.events.append((TRY, step))
        try:
            self.run_block(step.body, env, top)
        except RuleRaised as raised:
            for idx, (types, name, body, _header) in enumerate(step.handlers):
                if types is None or isinstance(raised.exc, types):
                    self.events.append((EXCEPT, step, idx, type(raised.exc).__name__, str(raised.exc)))
                    if name:
                        env[name] = str(raised.exc)
                    self.run_block(body, env, top)
                    break
            else:
                raise
        finally:
            if step.final is not None:
                flow, retval = self.flow, self.retval
                self.flow = 0
                self.run_block(step.final, env, top)
                if not self.flow:
                    self.flow, self.retval = flow, retval


_DISPATCH = {
    Unit: Runtime.run_unit,
    Loop: Runtime.run_loop,
    Branch: Runtime.run_branch,
    Return: Runtime.run_return,
    Try: Runtime.run_try,
}


def _taken(decisions, probes) -> dict[int, tuple[int, int]]:
    """Per if-chain probe: (last test evaluated, arm entered or -1)."""
    taken: dict[int, tuple[int, int]] = {}
    for k, arm, truth in decisions:
        if truth:
            taken[k] = (arm, arm)
        elif arm == probes[k].arms - 1:
            taken[k] = (arm, arm + 1 if probes[k].has_else else -1)
    return taken


def _frame_names(env: dict) -> list[str]:
    return [k for k, v in env.items() if not k.startswith("__") and not callable(v)]


class _Alarm:
    """Wall-clock budget through SIGALRM (main thread only; elsewhere steps bound the run)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        if self.seconds and threading.current_thread() is threading.main_thread():
            try:
                self.previous = signal.signal(signal.SIGALRM, self._fire)
                signal.setitimer(signal.ITIMER_REAL, self.seconds)
                self.armed = True
            except (ValueError, OSError):
                self.armed = False
        return self

    def _fire(self, signum, frame):
        raise BudgetError(f"the rule ran longer than {self.seconds:g} seconds")

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def execute(program: Program, inputs: dict, budgets: Budgets, scratch: bool = False) -> Runtime:
    """Run the rule on ``inputs`` (already copied); return the runtime holding the events."""
    rt = Runtime(program, budgets, scratch)
    rule = program.rule
    unknown = [k for k in inputs if k not in rule.params]
    if unknown:
        raise RuleError(
            f"unknown argument `{unknown[0]}` (the rule `{rule.name}` takes: {', '.join(rule.params) or 'nothing'})"
        )
    missing = [p for p in rule.params if p not in inputs and p not in rule.defaults]
    if missing:
        raise RuleError(f"missing argument `{missing[0]}` for the rule `{rule.name}`")
    previous = sandbox.active()
    sandbox.set_active(budgets)
    try:
        with _Alarm(budgets.max_seconds):
            try:
                rt.value = rt.call(rule, (), inputs)
            except RuleRaised as e:
                exc = e.exc
                raise RuleError(f"the rule raised {type(exc).__name__}: {exc}", e.line, program.filename) from None
            except BudgetError as e:
                if e.filename is None:
                    e.filename = program.filename
                raise
            except RuleError as e:
                if e.filename is None:
                    e.filename = program.filename
                raise
    finally:
        sandbox.set_active(previous)
    return rt


__all__ = ["execute", "Runtime", "RuleRaised", "AUG", "BIN", "CMP", "TEST"]
