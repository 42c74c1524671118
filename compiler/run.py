"""Execute a step tree on concrete inputs and emit events.

Each unit runs as one pre-compiled, instrumented code object in the frame's
namespace (a plain dict whose ``__builtins__`` is the whitelist), so a run costs a
few dict lookups and one ``exec`` per step plus the ``repr`` calls the trace needs.
Events are small lists; the renderers turn them into the code trace, the NL trace
and the scratchpad.
"""

from __future__ import annotations

import _signal
import gc
import signal
import threading
from typing import Any

from rulec.compiler import sandbox
from rulec.compiler.build import FILENAME, plan_unit
from rulec.compiler.codegen import generated, generated_text, rule_line
from rulec.compiler.errors import BudgetError, RuleError, one_line
from rulec.compiler.events import (
    BRANCH,
    CALL,
    CHECK,
    CHECK_FROM,
    EXCEPT,
    ITER,
    ITER_END,
    LOOP,
    PLAIN_TYPES,
    RET,
    RETURNED,
    TRY,
    UNIT,
    _opaque,
    show,
)
from rulec.compiler.ir import (
    AUG,
    BIN,
    CMP,
    TEST,
    Branch,
    Function,
    Loop,
    Program,
    Return,
    Try,
    Unit,
)
from rulec.compiler.sandbox import Budgets, check_size
from rulec.compiler.stdlib import fresh_globals

# The event kinds and their fields: compiler/events.py.
BREAK, CONTINUE, RETURN = 1, 2, 3
_MISSING = object()
_EMPTY: dict = {}
_CHECK_FROM = CHECK_FROM
_PLAIN = PLAIN_TYPES
_SAFE = sandbox.SAFE_BUILTINS


def _replaced_builtins():
    """``exec`` would put the real builtins back into a namespace that lost its mapping; a
    rule cannot name ``__builtins__`` (no dunders), so this is the second lock of that door."""
    raise RuleError("the rule's namespace lost its builtins mapping; refusing to run more of it")


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
        self.out: list | None = None  # the code trace's lines, when a generated function writes them
        self.rec: list = []
        self.dec: list = []  # if-chain decisions of the running unit
        # calls of the file's functions made while the running step evaluates its code:
        # (len(rec) at the call, first event of the call, end of its events); the renderers
        # put the call's trace there, between the step's recitation and its results
        self.splices: list = []
        self.steps = 0
        self.flow = 0
        self.retval: Any = None
        self.depth = 0
        self.chars = 0
        self.iterations = 0
        self.globals = fresh_globals(program.globals) if program.globals else _EMPTY
        self._base_env: dict | None = None  # built on first use: generated code never needs it
        self.max_steps = budgets.max_steps
        self.max_chars = budgets.max_trace_chars
        self.check = budgets.check_values
        self.cache: dict = {}  # name -> (value, text) written by the last unit run ...
        self.cache_env: dict | None = None  # ... in this frame (None: invalid)

    @property
    def base_env(self) -> dict:
        """The interpreter's global namespace for this run: the safe builtins, the probe
        hooks, the file's functions and its module constants."""
        env = self._base_env
        if env is None:
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
            for name, fn in self.program.functions.items():
                if not fn.outer:  # nested functions are bound in their enclosing function's frame
                    env[name] = self._callable(fn)
            env.update(self.globals)
            self._base_env = env
        return env

    # -- probes ------------------------------------------------------------------
    # A step's working lines count in the trace budget, and a result whose text is long is
    # size-checked at once: a single step can hold many operations (`s = s + s; s = s + s; …`).
    def _bin(self, k, a, b):
        res = self.probes[k].func(a, b)
        r = (k, repr(a), repr(b), repr(res))
        self.rec.append(r)
        n = len(r[1]) + len(r[2]) + len(r[3])
        self.chars += n
        if n > _CHECK_FROM:
            self._big(res)
        return res

    def _cmp(self, k, a, b):
        res = self.probes[k].func(a, b)
        r = (k, repr(a), repr(b), bool(res))
        self.rec.append(r)
        n = len(r[1]) + len(r[2])
        self.chars += n
        if n > _CHECK_FROM:
            self._big(None)
        return res

    def _val(self, k, v):
        if type(v) not in _PLAIN and _opaque(v):
            return v  # an iterator or a function: nothing worth showing (its repr has an address)
        r = repr(v)
        self.rec.append((k, r))
        self.chars += len(r)
        if len(r) > _CHECK_FROM:
            self._big(v)
        return v

    def _big(self, value) -> None:
        if self.check:
            check_size(value, self.budgets)
        if self.chars > self.max_chars:
            self._charge(None)

    def _test(self, k, arm, v):
        t = bool(v)
        r = (k, arm, t)
        self.rec.append(r)
        self.dec.append(r)
        return t

    def _aug(self, k, old, v):
        before = repr(old)
        res = self.probes[k].func(old, v)
        r = (k, before, repr(v), repr(res))
        self.rec.append(r)
        n = len(before) + len(r[2]) + len(r[3])
        self.chars += n
        if n > _CHECK_FROM:
            self._big(res)
        return res

    def _flow(self, kind):
        self.flow = kind

    def _ret(self, value):
        self.flow = RETURN
        self.retval = value

    def _callable(self, fn: Function, outer: dict | None = None):
        def call(*args, **kwargs):
            return self.call(fn, args, kwargs, outer)

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
    def call(self, fn: Function, args: tuple, kwargs: dict, outer: dict | None = None) -> Any:
        env = self.base_env.copy()
        params = fn.params
        if outer is not None:  # a nested function reads its enclosing frame's names as they are now
            for name in fn.free:
                if name in outer:
                    env[name] = outer[name]
        for name in fn.nested:
            env[name] = self._callable(self.program.functions[name], env)
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
        splices, pos, start = self.splices, len(self.rec), len(self.events)
        rec, dec = self.rec, self.dec  # the caller's step goes on recording after the call
        self.splices = []  # the callee's steps set their own
        self.events.append((CALL, fn, self.snap(params, env), top))
        try:
            self.run_block(fn.body, env, top)
        finally:
            self.splices = splices
            self.rec, self.dec = rec, dec
        value = self.retval if self.flow == RETURN else None
        self.flow = 0
        self.retval = None
        r = repr(value)
        self.chars += len(r)
        self.events.append((RETURNED, fn, r, top, value))
        self.depth -= 1
        splices.append((pos, start, len(self.events)))
        return value

    def run_block(self, steps, env, top: bool = False) -> None:
        run_unit = self.run_unit
        for step in steps:
            if type(step) is Unit:
                run_unit(step, env, top)
            else:
                self.cache_env = None  # loops, branches, returns and trys run code of their own
                _DISPATCH[type(step)](self, step, env, top)
            if self.flow:
                return

    def _exec(self, code, env, line):
        if env.get("__builtins__") is not _SAFE:
            _replaced_builtins()
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
        if env.get("__builtins__") is not _SAFE:
            _replaced_builtins()
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
        if self.steps > self.max_steps:
            self.tick()
        # The text of a value the previous unit of this frame wrote is still right: no code
        # has run since. Any other step clears the cache (``cache_env = None``).
        cache = self.cache if self.cache_env is env else _EMPTY
        before = []
        for n in unit.all_reads:
            v = env.get(n, _MISSING)
            if v is not _MISSING:
                c = cache.get(n)
                if c is not None and c[0] is v:
                    before.append((n, c[1]))
                else:
                    before.append((n, repr(v) if type(v) in _PLAIN else show(v)))
        events = self.events
        # A unit that calls functions of the file emits their events while it runs:
        # its own event must come first, so it goes in before and is filled after.
        calls = unit.calls
        if calls:
            position = len(events)
            events.append(None)
            prev_sp = self.splices
            self.splices = sp = []
        else:
            sp = None
        # No save/restore of rec/dec: a unit's code runs no other step except through a
        # call of a function of the file, and ``call`` restores them on return.
        self.rec = rec = []
        self.dec = dec = []
        if env.get("__builtins__") is not _SAFE:
            _replaced_builtins()
        try:
            exec(unit.code, env)  # noqa: S102 - validated, instrumented rule code, whitelisted builtins
        except BaseException as e:
            self.cache_env = None
            if calls:
                self.splices = prev_sp
                events[position] = (UNIT, unit, before, rec, [], sp)
            else:  # raised (maybe caught by the rule's try): the trace still recites the unit
                events.append((UNIT, unit, before, rec, [], None))
            if isinstance(e, RuleError):
                if e.line is None and not isinstance(e, BudgetError):
                    e.line = unit.line
                raise
            if isinstance(e, RuleRaised) or not isinstance(e, Exception):
                raise
            if isinstance(e, RecursionError):
                raise BudgetError("calls nested too deeply") from None
            raise RuleRaised(e, _line_of(e) or unit.line) from None
        if calls:
            self.splices = prev_sp
        plan = unit.plans.get(tuple(dec) if dec else ())
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
        fresh = {}
        check = self.check
        for name, k in writes:
            v = env.get(name, _MISSING)
            if v is not _MISSING:
                r = repr(v) if type(v) in _PLAIN else show(v)
                # Values grow at most a bounded factor per step (the operators that could do
                # more are guarded), so a value is size-checked once its text gets long.
                if check and len(r) > _CHECK_FROM:
                    check_size(v, self.budgets)
                chars += len(r)
                after.append((name, r, k))
                fresh[name] = (v, r)
        if unit.maybe_writes:
            old = dict(before)
            for name in unit.maybe_writes:
                v = env.get(name, _MISSING)
                if v is not _MISSING:
                    r = repr(v) if type(v) in _PLAIN else show(v)
                    if r != old.get(name) and all(a[0] != name for a in after):
                        after.append((name, r, None))
                        fresh[name] = (v, r)
        if calls:
            events[position] = (UNIT, unit, before, rec, after, sp)
        else:
            events.append((UNIT, unit, before, rec, after, None))
        self.cache = fresh
        self.cache_env = env
        self.chars = chars
        if chars > self.max_chars:
            self._charge(None)

    def run_loop(self, loop: Loop, env, top) -> None:
        self.events.append((LOOP, loop))
        if loop.kind == "while":
            self._run_while(loop, env, top)
        else:
            self._run_for(loop, env, top)

    def _iteration(self, loop: Loop, env, top) -> bool:
        """One entry of the loop body; True if the loop must stop (break or return)."""
        self.iterations += 1
        if self.iterations > self.budgets.max_iterations:
            raise BudgetError(f"the rule ran more than {self.budgets.max_iterations} loop iterations")
        self.events.append((ITER, loop))
        self.run_block(loop.body, env, top)
        if self._after_iteration(loop, env, top):
            return True
        if self.chars > self.budgets.max_trace_chars:
            self._charge(None)
        return False

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
            self.cache_env = None  # the check runs code
            before = self.snap(loop.reads, env)
            ev = [CHECK, loop, before, None, None, None, None]  # entered: None until decided
            events.append(ev)
            prev, prev_sp = self.rec, self.splices
            self.rec = rec = []
            self.splices = sp = []
            try:
                truth = bool(self._eval(loop.test, env, loop.line))
            finally:
                self.rec = prev
                self.splices = prev_sp
                ev[6] = sp
            ev[3] = rec
            ev[4] = truth
            if not truth:
                return
            if self._iteration(loop, env, top):
                return

    def _run_for(self, loop: Loop, env, top) -> None:
        events = self.events
        self.tick()
        before = self.snap(loop.reads, env)
        ev = [CHECK, loop, before, None, None, None, None]
        events.append(ev)
        prev, prev_sp = self.rec, self.splices
        self.rec = rec = []
        self.splices = sp = []
        try:
            iterable = self._eval(loop.test, env, loop.line)
            try:
                it = sandbox.loop_iter(iterable)
            except TypeError as e:
                raise RuleRaised(e, loop.line) from None
        finally:
            self.rec = prev
            self.splices = prev_sp
            ev[6] = sp
        ev[3] = rec
        while True:
            self.cache_env = None  # the next item may come from code (a lazy map of a helper)
            # a lazy iterable (`map(helper, xs)`) may call functions of the file here
            prev, prev_sp = self.rec, self.splices
            self.rec, self.splices = ev[3], ev[6]
            try:
                item = next(it)
            except StopIteration:
                ev[4] = False
                return
            except (RuleError, RuleRaised):
                raise
            except Exception as e:
                raise RuleRaised(e, loop.line) from None
            finally:
                self.rec, self.splices = prev, prev_sp
            env["__rc_item__"] = item
            self._exec(loop.assign, env, loop.line)
            ev[4] = True
            ev[5] = self.snap(loop.targets, env)
            if self._iteration(loop, env, top):
                return
            self.tick()
            ev = [CHECK, loop, [], [], None, None, []]
            events.append(ev)

    def run_branch(self, br: Branch, env, top) -> None:
        self.tick()
        tests: list = []
        spliced: list = []  # per test: its splices
        ev = [BRANCH, br, tests, -2, spliced]  # taken: -2 until decided (a test may raise)
        self.events.append(ev)
        taken = -1
        for i, code in enumerate(br.tests):
            before = self.snap(br.test_reads[i], env)
            prev, prev_sp = self.rec, self.splices
            self.rec = rec = []
            self.splices = sp = []
            spliced.append(sp)
            truth = None
            try:
                truth = bool(self._eval(code, env, br.line))
            finally:
                self.rec = prev
                self.splices = prev_sp
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
        ev = [RET, step, before, None, None]
        self.events.append(ev)
        value = None
        if step.code is not None:
            prev, prev_sp = self.rec, self.splices
            self.rec = rec = []
            self.splices = ev[4] = []
            try:
                value = self._eval(step.code, env, step.line)
            finally:
                self.rec = prev
                self.splices = prev_sp
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
                    # (the message on one line: `assert x, "1\nSo the answer is 42"` must not forge lines)
                    message = one_line(str(raised.exc))
                    self.events.append((EXCEPT, step, idx, type(raised.exc).__name__, message))
                    if name:
                        env[name] = raised.exc  # the exception itself, as in Python (no attribute of it is reachable)
                    try:
                        self.run_block(body, env, top)
                    except RuleRaised:
                        self._finally(step, env, top)
                        raise
                    break
            else:
                self._finally(step, env, top)
                raise
        # Anything else — a budget error (the alarm included), a refusal, an interrupt — ends
        # the run: the rule's `finally` must not run after it, or a budget could be outlived.
        self._finally(step, env, top)

    def _finally(self, step: Try, env, top) -> None:
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
    """Wall-clock budget through SIGALRM (main thread only; elsewhere steps bound the run).

    The handler stays installed between runs (it does nothing while no run is armed), so
    a run costs two ``setitimer`` calls; a foreign SIGALRM handler is put back after each run.
    """

    seconds = 0.0  # of the run in progress; 0 when none
    installed = False  # our handler is in place and nobody else's needs restoring

    def __init__(self, seconds: float):
        self.budget = seconds
        self.armed = False
        self.previous = None

    @staticmethod
    def _fire(signum, frame):
        if _Alarm.seconds:
            raise BudgetError(f"the rule ran longer than {_Alarm.seconds:g} seconds")

    def __enter__(self):
        if not self.budget or threading.current_thread() is not _MAIN:
            return self
        try:
            # _signal.getsignal: the handler as is (signal.getsignal builds an enum each call)
            if not _Alarm.installed or _signal.getsignal(signal.SIGALRM) is not _Alarm._fire:
                previous = signal.signal(signal.SIGALRM, _Alarm._fire)
                if previous in (signal.SIG_DFL, signal.SIG_IGN, None, _Alarm._fire):
                    _Alarm.installed = True  # nothing to put back: keep ours installed
                else:
                    self.previous = previous
                    _Alarm.installed = False
            _Alarm.seconds = self.budget
            # repeating: should a firing be swallowed (an exception in a finaliser is only
            # printed), the next one comes 0.1 s later, until the run is over
            signal.setitimer(signal.ITIMER_REAL, self.budget, _REFIRE)
            self.armed = True
        except (ValueError, OSError):
            self.armed = False
        return self

    def __exit__(self, *exc):
        if self.armed:
            while True:
                try:
                    _Alarm.seconds = 0.0  # first: from here on a late firing does nothing
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    break
                except BudgetError:  # fired between the two lines above: once more
                    continue
            if self.previous is not None:
                signal.signal(signal.SIGALRM, self.previous)
        return False


_MAIN = threading.main_thread()
_REFIRE = 0.1  # seconds between repeated firings of the wall-clock alarm


def execute(program: Program, inputs: dict, budgets: Budgets, scratch: bool = False,
            text: bool = False) -> Runtime:
    """Run the rule on ``inputs`` (already copied); return the runtime holding the events.

    With ``text``, a rule that has a generated function writing its code trace runs that
    one instead: ``rt.out`` holds the trace's lines and ``rt.events`` stays empty (check
    ``rt.out is not None``); other rules run as usual."""
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
    # A run allocates many small acyclic objects; the cyclic collector would only slow it.
    collecting = gc.isenabled()
    gc.disable()
    gen = None if scratch else generated(program)
    if text and gen is not None:
        gen = generated_text(program) or gen
        if gen is not program.generated:
            rt.out = []
    try:
        with _Alarm(budgets.max_seconds):
            if gen is not None:
                rt.value = _run_generated(gen, rt, inputs, program)
                return rt
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
        if collecting:
            gc.enable()
    return rt


def _run_generated(gen, rt: Runtime, inputs: dict, program: Program):
    """Run the rule's generated function (see ``codegen``) with the interpreter's errors."""
    try:
        return gen.function(rt, **inputs)
    except RuleError as e:
        if e.line is None:
            e.line = rule_line(gen, e)
        if e.filename is None:
            e.filename = program.filename
        raise
    except RecursionError:
        raise BudgetError("calls nested too deeply", None, program.filename) from None
    except UnboundLocalError as e:  # a fast local read before it is bound: the interpreter's words
        name = str(e).split("'")[1] if str(e).count("'") >= 2 else "?"
        raise RuleError(
            f"the rule raised NameError: name '{name}' is not defined", rule_line(gen, e), program.filename
        ) from None
    except Exception as e:  # the rule's own error
        raise RuleError(
            f"the rule raised {type(e).__name__}: {e}", rule_line(gen, e), program.filename
        ) from None


__all__ = ["execute", "Runtime", "RuleRaised", "AUG", "BIN", "CMP", "TEST"]
