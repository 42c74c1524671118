"""Compile a rule's step tree into one Python function that emits the same events.

The interpreter (``run.Runtime``) executes one instrumented code object per step in a
dict namespace; most of a trace's cost is that per-step bookkeeping. For a rule that
is a single function without ``try`` (most rules), this module generates one Python
function instead: the rule's variables become fast locals, each step's instrumented
code is inlined, and the values shown before and after a step, the if-chain outcome
and the events are computed by straight-line code chosen at generation time. The
events are exactly the interpreter's (``tests/test_codegen.py`` compares them), so the
renderers do not know which ran.

Everything else — helper functions, ``try``, declared units holding several ``if``
chains, scratchpad runs — stays with the interpreter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from rulec.compiler import sandbox
from rulec.compiler.build import plan_unit
from rulec.compiler.errors import BudgetError
from rulec.compiler.events import (
    BRANCH,
    CALL,
    CHECK,
    CHECK_FROM,
    ITER,
    LOOP,
    PLAIN_TYPES,
    RET,
    RETURNED,
    UNIT,
    show,
)
from rulec.compiler.ir import Branch, Loop, Program, Return, Try, Unit
from rulec.compiler.parse import walk
from rulec.compiler.render import (
    ANSWER_PREFIX,
    JUMP_LINES,
    after_line,
    format_answer,
    jump_of,
    may_jump,
    step_label,
    working_lines,
)
from rulec.compiler.sandbox import check_size

GEN_FILENAME = "<rulec-gen>"


# placeholders in generated lines (rule names cannot start with "__")
_FORGET = "__rc_forget__"  # the statement that drops the known texts
_SEEN = "__rc_seen__"  # __rc_seen__(name): the text of the name's value
_SEEN_RE = re.compile(r"__rc_seen__\((\w+)\)")


class Unsupported(Exception):
    """The program needs the interpreter."""


@dataclass
class Generated:
    function: object  # def __rc_rule__(__rt, <params>) -> value
    lines: list[int]  # generated line number - 1 -> rule line
    source: str


def _smalls(node) -> list:
    """The small statements of a unit part (a simple statement line or a flat if chain)."""
    return [n for n in walk(node) if isinstance(n, cst.BaseSmallStatement)]


def _budget(kind: str, limit) -> None:
    if kind == "steps":
        raise BudgetError(f"the rule did not stop within {limit} steps (does it loop forever?)")
    if kind == "iterations":
        raise BudgetError(f"the rule ran more than {limit} loop iterations")
    raise BudgetError(f"the trace exceeds {limit} characters")


class _Writer:
    def __init__(self, program: Program, text: bool = False):
        self.program = program
        # text: write the code trace's lines (what ``render.code_trace`` makes of the events)
        # instead of the events
        self.text = text
        self.jumps = text and may_jump(program.probes)
        self.out: list[str] = []
        self.lines: list[int] = []
        self.consts: list[object] = []
        self.const_ids: dict[int, str] = {}
        self.tmp = 0
        self.loops: list[str] = []  # labels of the enclosing generated loops
        self.bound: set[str] = set()  # names bound for the whole run (undeleted parameters)
        # Texts of values shown after a unit, reused by the next step's "before" when no
        # rule code ran in between (``__s_<name>``; None: not known). Reprs of the values
        # a rule can hold have no side effects, so the text is what repr would give again.
        self.cached: set[str] = set()
        self.marked: list[int] = []  # lines holding placeholders

    def const(self, obj) -> str:
        name = self.const_ids.get(id(obj))
        if name is None:
            name = f"__k{len(self.consts)}"
            self.consts.append(obj)
            self.const_ids[id(obj)] = name
        return name

    def emit(self, depth: int, text: str, line: int) -> None:
        """Generated text (never rule code: its placeholders are filled in by ``fill``)."""
        for piece in text.split("\n"):
            if "__rc_" in piece and (_FORGET in piece or _SEEN in piece):
                self.marked.append(len(self.out))
            self.out.append("    " * depth + piece)
            self.lines.append(line)

    def fill(self) -> str:
        """Put in the placeholders: which texts a step may reuse, which are forgotten when
        rule code runs (known once every unit has been written). Returns the statement
        that forgets them ("pass" when there are none)."""
        forget = " = ".join([*(f"__s_{n}" for n in sorted(self.cached)), "None"]) if self.cached else "pass"

        def seen(m: re.Match) -> str:
            name = m.group(1)
            plain = self.show(name)
            return f"(__s_{name} if __s_{name} is not None else {plain})" if name in self.cached else plain

        for i in self.marked:
            self.out[i] = _SEEN_RE.sub(seen, self.out[i].replace(_FORGET, forget))
        return forget

    def emit_code(self, depth: int, text: str, line: int) -> None:
        """Instrumented rule code whose first line is rule line ``line`` (its lines follow)."""
        for offset, piece in enumerate(text.split("\n")):
            self.out.append("    " * depth + piece)
            self.lines.append(line + offset)

    def fresh(self, stem: str) -> str:
        self.tmp += 1
        return f"__{stem}{self.tmp}"

    def source_of(self, code) -> tuple[str, int]:
        entry = self.program.sources.get(id(code))
        if entry is None or entry[2] is not code:
            raise Unsupported("no source for a code object")
        return entry[0], entry[1]

    # -- values ----------------------------------------------------------------
    @staticmethod
    def show(name: str) -> str:
        return f"(__repr({name}) if __type({name}) in __PLAIN else __show({name}))"

    @staticmethod
    def seen(name: str) -> str:
        """The text of ``name``'s value: the one shown after the last unit if no rule code
        ran since, else its repr (a placeholder until ``fill``)."""
        return f"{_SEEN}({name})"

    def runs_code(self, depth: int, line: int) -> None:
        """Rule code runs next: the texts shown before it may no longer hold (the names to
        forget are known only at the end, see ``generate``)."""
        self.emit(depth, _FORGET, line)

    def snap(self, depth: int, var: str, names, line: int) -> None:
        """``var = [(name, text), ...]`` for the bound names, counting their characters.

        Parameters that are never deleted are always bound; other names may not be yet.
        """
        sure = [n for n in names if n in self.bound]
        if len(sure) == len(names):
            for i, n in enumerate(names):
                self.emit(depth, f"__t{i} = {self.seen(n)}", line)
            if names:
                self.emit(depth, "__chars += " + " + ".join(f"__len(__t{i})" for i in range(len(names))), line)
            items = ", ".join(f"({n!r}, __t{i})" for i, n in enumerate(names))
            self.emit(depth, f"{var} = [{items}]", line)
            return
        self.emit(depth, f"{var} = []", line)
        for n in names:
            if n in self.bound:
                self.emit(depth, f"__t = {self.seen(n)}", line)
                self.emit(depth, "__chars += __len(__t)", line)
                self.emit(depth, f"{var}.append(({n!r}, __t))", line)
                continue
            self.emit(depth, "try:", line)
            self.emit(depth + 1, f"__t = {self.seen(n)}", line)
            self.emit(depth, "except __NameError:", line)
            self.emit(depth + 1, "pass", line)
            self.emit(depth, "else:", line)
            self.emit(depth + 1, "__chars += __len(__t)", line)
            self.emit(depth + 1, f"{var}.append(({n!r}, __t))", line)

    def snap_text(self, depth: int, names, line: int) -> list[tuple[str, str, bool]]:
        """Text mode's ``snap``: each name's text in a local ``__t<i>`` (None when unbound),
        counted alike; returns (name, local, always bound) for ``show_lines``."""
        out = []
        for i, n in enumerate(names):
            var = f"__t{i}"
            if n in self.bound:
                self.emit(depth, f"{var} = {self.seen(n)}", line)
                self.emit(depth, f"__chars += __len({var})", line)
                out.append((n, var, True))
                continue
            self.emit(depth, "try:", line)
            self.emit(depth + 1, f"{var} = {self.seen(n)}", line)
            self.emit(depth, "except __NameError:", line)
            self.emit(depth + 1, f"{var} = None", line)
            self.emit(depth, "else:", line)
            self.emit(depth + 1, f"__chars += __len({var})", line)
            out.append((n, var, False))
        return out

    def show_lines(self, depth: int, snapped, line: int, keep=None) -> None:
        """Text mode: the lines ``name = text`` of the snapped names (those in ``keep``)."""
        for n, var, sure in snapped:
            if keep is not None and n not in keep:
                continue
            if sure:
                self.emit(depth, f"__add({n + ' = '!r} + {var})", line)
            else:
                self.emit(depth, f"if {var} is not None:", line)
                self.emit(depth + 1, f"__add({n + ' = '!r} + {var})", line)

    def add(self, depth: int, text: str, line: int) -> None:
        """Text mode: a constant line of the trace (held as a constant: it may quote the rule)."""
        self.emit(depth, f"__add({self.const(text)})", line)

    def evaluate_text(self, depth: int, header: str, reads, code: str, code_line: int, line: int) -> None:
        """Text mode: a check or test recited (``header``), the values it reads, its code
        run (rule line ``code_line``), and its working lines."""
        self.add(depth, header, line)
        self.show_lines(depth, self.snap_text(depth, reads, line), line)
        self.emit(depth, "__rt.rec = __r = []", line)
        self.runs_code(depth, line)
        self.emit_code(depth, code, code_line)
        self.working(depth, line)

    def working(self, depth: int, line: int) -> None:
        """Text mode: the working lines of the records the step's probes made."""
        self.emit(depth, "if __r:", line)
        self.emit(depth + 1, "__WL(__r, __P, __O)", line)

    def next_item(self, depth: int, it: str, first: str, line: int, check: list[str], stop: list[str]) -> int:
        """The ``while`` a ``for`` loop becomes: from its second turn the budgets and the
        ``check`` lines, then the next item, or at the end the ``stop`` lines and ``break``.
        Returns the depth of its body."""
        self.emit(depth, f"{first} = True", line)
        self.emit(depth, "while True:", line)
        d = depth + 1
        self.emit(d, f"if not {first}:", line)
        self.charge(d + 1, line)
        self.tick(d + 1, line)
        for text in check:
            self.emit(d + 1, text, line)
        self.emit(d, f"{first} = False", line)
        self.runs_code(d, line)  # the next item may come from rule code (a generator, a map)
        self.emit(d, "try:", line)
        self.emit(d + 1, f"__rc_item__ = __next({it})", line)
        self.emit(d, "except __StopIteration:", line)
        for text in stop:
            self.emit(d + 1, text, line)
        self.emit(d + 1, "break", line)
        return d

    def charge(self, depth: int, line: int) -> None:
        """The trace-size budget, checked once per loop iteration."""
        self.emit(depth, "if __chars + __rt.chars > __max_chars:", line)
        self.emit(depth + 1, "__budget('chars', __max_chars)", line)

    def tick(self, depth: int, line: int) -> None:
        self.emit(depth, "__steps += 1", line)
        self.emit(depth, "if __steps > __max_steps:", line)
        self.emit(depth + 1, "__budget('steps', __max_steps)", line)

    # -- steps -----------------------------------------------------------------
    def block(self, steps, depth: int) -> None:
        for step in steps:
            if isinstance(step, Unit):
                self.unit(step, depth)
            elif isinstance(step, Loop):
                self.loop(step, depth)
            elif isinstance(step, Branch):
                self.branch(step, depth)
            elif isinstance(step, Return):
                self.ret(step, depth)
            elif isinstance(step, Try):
                raise Unsupported("try")
            else:  # pragma: no cover - every step kind is handled above
                raise Unsupported(type(step).__name__)

    def unit(self, unit: Unit, depth: int) -> None:
        chains = [p for p in unit.parts if p.chain is not None]
        if len(chains) > 1 or unit.maybe_writes:
            raise Unsupported("unit with several if chains")
        line = unit.line
        self.tick(depth, line)
        snapped = None
        if self.text:  # its lines are written after it ran: what shows depends on the outcome
            snapped = self.snap_text(depth, unit.all_reads, line)
        else:
            self.snap(depth, "__b", unit.all_reads, line)
        self.emit(depth, "__rt.rec = __r = []", line)
        self.emit(depth, "__rt.dec = __d = []", line)
        src, first = self.source_of(unit.code)
        self.runs_code(depth, line)
        self.emit_code(depth, src.rstrip("\n"), first)
        # what a unit writes is bound after it ran, unless it also deletes names
        guarded = any(isinstance(s, cst.Del) for part in unit.parts for s in _smalls(part.node))
        # the outcome of the if chain decides what the trace shows before and after
        if chains:
            k = chains[0].chain
            probe = self.program.probes[k]
            arms = probe.arms
            outcomes = []
            for arm in range(arms):
                outcomes.append(((arm, arm), f"__d and __d[-1][2] and __d[-1][1] == {arm}"))
            last = (arms - 1, arms if probe.has_else else -1)
            outcomes.append((last, "__d"))
            first = True
            for (lo, arm), cond in outcomes:
                self.emit(depth, f"{'if' if first else 'elif'} {cond}:", line)
                self.after(unit, {k: (lo, arm)}, depth + 1, line, guarded, snapped)
                first = False
            self.emit(depth, "else:", line)  # the chain did not run (a flow statement came first)
            self.after(unit, {}, depth + 1, line, guarded, snapped)
        else:
            self.after(unit, {}, depth, line, guarded, snapped)
        if not self.text:
            sp = "[]" if unit.calls else "None"
            self.emit(depth, f"__E((__UNIT, {self.const(unit)}, __b, __r, __a, {sp}))", line)
        if unit.flow:
            self.flow(depth, line)

    def after(self, unit: Unit, taken: dict, depth: int, line: int, guarded: bool, snapped=None) -> None:
        shown, writes = plan_unit(unit, taken)
        if self.text:  # the unit, its values before, its working; "now," and its values after
            self.add(depth, unit.text, line)
            self.show_lines(depth, snapped, line, set(shown))
            self.working(depth, line)
            if guarded and writes:  # some may be unbound: "now," only if one is shown
                self.emit(depth, "__a = []", line)
            elif writes:
                self.emit(depth, "__add('now,')", line)
        else:
            if tuple(shown) != tuple(unit.all_reads):
                keep = self.const(frozenset(shown))
                self.emit(depth, f"__b = [__x for __x in __b if __x[0] in {keep}]", line)
            self.emit(depth, "__a = []", line)
        for name, k in writes:
            d = depth
            if guarded:
                self.emit(depth, "try:", line)
                self.emit(depth + 1, f"__v = {name}", line)
                self.emit(depth, "except __NameError:", line)
                self.emit(depth + 1, "pass", line)
                self.emit(depth, "else:", line)
                d = depth + 1
            else:
                self.emit(depth, f"__v = {name}", line)
            self.emit(d, f"__t = {self.show('__v')}", line)
            self.emit(d, "if __check and __len(__t) > __CHECK_FROM:", line)
            self.emit(d + 1, "__check_size(__v, __budgets)", line)
            self.emit(d, "__chars += __len(__t)", line)
            if self.text:
                shown_text = f"{name + ' = '!r} + __t" if k is None else f"__AL({name!r}, __t, {k!r}, __r, __P)"
                self.emit(d, f"__a.append({shown_text})" if guarded else f"__add({shown_text})", line)
            else:
                self.emit(d, f"__a.append(({name!r}, __t, {k!r}))", line)
            self.emit(d, f"__s_{name} = __t", line)
            self.cached.add(name)
        if self.text:
            if guarded and writes:
                self.emit(depth, "if __a:", line)
                self.emit(depth + 1, "__add('now,')", line)
                self.emit(depth + 1, "__O.extend(__a)", line)
            if self.jumps:  # an arm that ends with break/continue/return says so
                self.emit(depth, "__j = __JO(__r, __P)", line)
                self.emit(depth, "if __j:", line)
                self.emit(depth + 1, "__add(__JL[__j])", line)

    def flow(self, depth: int, line: int) -> None:
        self.emit(depth, "if __rt.flow:", line)
        self.emit(depth + 1, "__f = __rt.flow", line)
        self.emit(depth + 1, "__rt.flow = 0", line)
        self.emit(depth + 1, "if __f == 3:", line)
        self.emit(depth + 2, "__value = __rt.retval", line)
        self.emit(depth + 2, "__rt.retval = None", line)
        self.emit(depth + 2, "raise __Return", line)
        if self.loops:
            self.emit(depth + 1, "if __f == 1:", line)
            self.emit(depth + 2, "break", line)
            self.emit(depth + 1, "continue", line)

    def iteration(self, loop: Loop, depth: int, line: int) -> None:
        self.emit(depth, "__iters += 1", line)
        self.emit(depth, "if __iters > __max_iterations:", line)
        self.emit(depth + 1, "__budget('iterations', __max_iterations)", line)
        if self.text:
            self.add(depth, f"{loop.number}.2 One iteration", line)
        else:
            self.emit(depth, f"__E((__ITER, {self.const(loop)}))", line)
        self.loops.append(loop.number)
        if loop.body:
            self.block(loop.body, depth)
        self.loops.pop()

    def loop(self, loop: Loop, depth: int) -> None:
        if self.text:
            self.loop_text(loop, depth)
            return
        line = loop.line
        lp = self.const(loop)
        self.emit(depth, f"__E((__LOOP, {lp}))", line)
        if loop.kind == "while":
            test, tline = self.source_of(loop.test)
            self.emit(depth, "while True:", line)
            self.tick(depth + 1, line)
            self.snap(depth + 1, "__b", loop.reads, line)
            self.emit(depth + 1, "__rt.rec = __r = []", line)
            self.emit(depth + 1, f"__ev = [__CHECK, {lp}, __b, None, None, None, None]", line)
            self.emit(depth + 1, "__E(__ev)", line)
            self.emit(depth + 1, "__ev[6] = []", line)
            self.runs_code(depth + 1, line)
            self.emit_code(depth + 1, f"__ok = __bool({test})", tline)
            self.emit(depth + 1, "__ev[3] = __r", line)
            self.emit(depth + 1, "__ev[4] = __ok", line)
            self.emit(depth + 1, "if not __ok:", line)
            self.emit(depth + 2, "break", line)
            self.iteration(loop, depth + 1, line)
            self.charge(depth + 1, line)
            return
        iterable, iline = self.source_of(loop.test)
        assign, _ = self.source_of(loop.assign)
        it = self.fresh("it")
        first = self.fresh("first")
        self.tick(depth, line)
        self.snap(depth, "__b", loop.reads, line)
        self.emit(depth, "__rt.rec = __r = []", line)
        self.emit(depth, f"__ev = [__CHECK, {lp}, __b, None, None, None, None]", line)
        self.emit(depth, "__E(__ev)", line)
        self.emit(depth, "__ev[6] = []", line)
        self.runs_code(depth, line)
        self.emit_code(depth, f"{it} = __iter({iterable})", iline)
        self.emit(depth, "__ev[3] = __r", line)
        d = self.next_item(depth, it, first, line, [f"__ev = [__CHECK, {lp}, [], [], None, None, []]", "__E(__ev)"],
                           ["__ev[4] = False"])
        self.emit_code(d, assign.rstrip("\n"), line)
        self.emit(d, "__ev[4] = True", line)
        self.snap(d, "__tg", loop.targets, line)
        self.emit(d, "__ev[5] = __tg", line)
        self.iteration(loop, d, line)

    def loop_text(self, loop: Loop, depth: int) -> None:
        """Text mode's ``loop``: each check's header, values and working, then whether the
        loop is entered (with the values a ``for`` loop bound)."""
        line = loop.line
        self.add(depth, f"{step_label(loop.number)} {loop.label}", line)
        test, tline = self.source_of(loop.test)
        if loop.kind == "while":
            self.emit(depth, "while True:", line)
            d = depth + 1
            self.tick(d, line)
            self.evaluate_text(d, loop.header, loop.reads, f"__ok = __bool({test})", tline, line)
            self.emit(d, "if not __ok:", line)
            self.emit(d + 1, "__add('do not enter')", line)
            self.emit(d + 1, "break", line)
            self.emit(d, "__add('enter the loop')", line)
            self.iteration(loop, d, line)
            self.charge(d, line)
            return
        assign, _ = self.source_of(loop.assign)
        it = self.fresh("it")
        first = self.fresh("first")
        self.tick(depth, line)
        self.evaluate_text(depth, loop.header, loop.reads, f"{it} = __iter({test})", tline, line)
        d = self.next_item(depth, it, first, line, [f"__add({self.const(loop.header)})"], ["__add('do not enter')"])
        self.emit_code(d, assign.rstrip("\n"), line)
        self.show_lines(d, self.snap_text(d, loop.targets, line), line)
        self.emit(d, "__add('enter the loop')", line)
        self.iteration(loop, d, line)

    def branch(self, br: Branch, depth: int) -> None:
        if self.text:
            self.tick(depth, br.line)
            self._branch_test_text(br, 0, depth, br.line)
            return
        line = br.line
        bp = self.const(br)
        self.tick(depth, line)
        self.emit(depth, "__tests = []", line)
        self.emit(depth, "__sps = []", line)
        self.emit(depth, f"__bev = [__BRANCH, {bp}, __tests, -2, __sps]", line)
        self.emit(depth, "__E(__bev)", line)
        self._branch_test(br, 0, depth, line)

    def _branch_test(self, br: Branch, i: int, depth: int, line: int) -> None:
        if i == len(br.tests):
            taken = len(br.tests) if br.has_else else -1
            self.emit(depth, f"__bev[3] = {taken}", line)
            if br.has_else and br.arms[taken]:
                self.block(br.arms[taken], depth)
            return
        test, tline = self.source_of(br.tests[i])
        self.snap(depth, "__b", br.test_reads[i], line)
        self.emit(depth, "__rt.rec = __r = []", line)
        self.emit(depth, "__sps.append([])", line)
        self.emit(depth, "__ok = None", line)
        self.runs_code(depth, line)
        self.emit(depth, "try:", line)
        self.emit_code(depth + 1, f"__ok = __bool({test})", tline)
        self.emit(depth, "finally:", line)
        self.emit(depth + 1, "__tests.append((__b, __r, __ok))", line)
        self.emit(depth, "if __ok:", line)
        self.emit(depth + 1, f"__bev[3] = {i}", line)
        if br.arms[i]:
            self.block(br.arms[i], depth + 1)
        self.emit(depth, "else:", line)
        self._branch_test(br, i + 1, depth + 1, line)

    def _branch_test_text(self, br: Branch, i: int, depth: int, line: int) -> None:
        if i == len(br.tests):
            if br.has_else:
                self.emit(depth, "__add('enter else')", line)
                if br.arms[i]:
                    self.block(br.arms[i], depth)
            else:
                self.emit(depth, "__add('do not enter if')", line)
            return
        test, tline = self.source_of(br.tests[i])
        self.evaluate_text(depth, br.headers[i], br.test_reads[i], f"__ok = __bool({test})", tline, line)
        self.emit(depth, "if __ok:", line)
        self.emit(depth + 1, f"__add({'enter if' if i == 0 else 'enter elif'!r})", line)
        if br.arms[i]:
            self.block(br.arms[i], depth + 1)
        self.emit(depth, "else:", line)
        self._branch_test_text(br, i + 1, depth + 1, line)

    def ret(self, step: Return, depth: int) -> None:
        line = step.line
        if self.text:
            self.tick(depth, line)
            self.add(depth, f"{step_label(step.number)} Return", line)
            self.add(depth, step.text, line)
            self.show_lines(depth, self.snap_text(depth, step.reads, line), line)
            if step.code is None:
                self.emit(depth, "__value = None", line)
            else:
                value, vline = self.source_of(step.code)
                self.emit(depth, "__rt.rec = __r = []", line)
                self.runs_code(depth, line)
                self.emit_code(depth, f"__value = {value}", vline)
                self.working(depth, line)
            self.emit(depth, "raise __Return", line)
            return
        self.tick(depth, line)
        self.snap(depth, "__b", step.reads, line)
        self.emit(depth, f"__ev = [__RET, {self.const(step)}, __b, None, None]", line)
        self.emit(depth, "__E(__ev)", line)
        if step.code is None:
            self.emit(depth, "__ev[3] = []", line)
            self.emit(depth, "__value = None", line)
        else:
            value, vline = self.source_of(step.code)
            self.emit(depth, "__rt.rec = __r = []", line)
            self.emit(depth, "__ev[4] = []", line)
            self.runs_code(depth, line)
            self.emit_code(depth, f"__value = {value}", vline)
            self.emit(depth, "__ev[3] = __r", line)
        self.emit(depth, "raise __Return", line)


class _Return(Exception):
    """Unwinds the generated function's loops to its epilogue (a ``return`` inside the
    generated ``try`` would skip writing the counters back)."""


def generate(program: Program, text: bool = False) -> Generated:
    """Generate and compile the rule's function; ``Unsupported`` if it needs the interpreter.
    With ``text`` the function writes the code trace's lines to ``__rt.out`` instead of
    events to ``__rt.events`` (the same lines ``render.code_trace`` makes of them)."""
    if len(program.functions) != 1:
        raise Unsupported("helper functions")
    fn = program.rule
    if fn.defaults:
        raise Unsupported("parameter defaults")
    if fn.node is None:
        raise Unsupported("no source")
    if any(isinstance(node, cst.Name) and node.value == fn.name for node in walk(fn.node.body)):
        raise Unsupported("a recursive rule")
    w = _Writer(program, text)
    deleted = {
        t.value
        for node in walk(fn.node)
        if isinstance(node, cst.Del)
        for t in ([e.value for e in node.target.elements] if isinstance(node.target, cst.Tuple) else [node.target])
        if isinstance(t, cst.Name)
    }
    w.bound = set(fn.params) - deleted
    params = ", ".join(fn.params)
    line = fn.body[0].line if fn.body else 1
    head = [
        f"def __rc_rule__(__rt, {params}):" if params else "def __rc_rule__(__rt):",
        *(("    __O = __rt.out", "    __add = __O.append") if text else ("    __E = __rt.events.append",)),
        "    __rc_bin__ = __rt._bin",
        "    __rc_cmp__ = __rt._cmp",
        "    __rc_val__ = __rt._val",
        "    __rc_test__ = __rt._test",
        "    __rc_aug__ = __rt._aug",
        "    __rc_flow__ = __rt._flow",
        "    __rc_ret__ = __rt._ret",
        "    __budgets = __rt.budgets",
        "    __check = __budgets.check_values",
        "    __max_steps = __budgets.max_steps",
        "    __max_iterations = __budgets.max_iterations",
        "    __max_chars = __budgets.max_trace_chars",
        "    __steps = __iters = __chars = 0",
        "    __value = None",
        "    __b = []",
        *(f"    {name} = __rt.globals[{name!r}]" for name in program.globals),  # imports, constants
        *((
            "    __add('Initialize')",
            *(f"    __add({p + ' = '!r} + (__repr({p}) if __type({p}) in __PLAIN else __show({p})))"
              for p in fn.params),
        ) if text else (f"    __E((__CALL, __fn, {_params_snapshot(fn.params)}, True))",)),
        "    try:",
    ]
    for head_line in head:
        w.out.append(head_line)
        w.lines.append(line)
    w.block(fn.body, 2)
    w.emit(2, "pass", line)
    w.emit(1, "except __Return:", line)
    w.emit(2, "pass", line)
    w.emit(1, "finally:", line)
    w.emit(2, "__rt.steps += __steps", line)
    w.emit(2, "__rt.iterations += __iters", line)
    w.emit(2, "__rt.chars += __chars", line)
    if text:
        w.emit(1, "__add(__ANSWER + __answer(__value))", line)
    else:
        w.emit(1, "__E((__RETURNED, __fn, __repr(__value), True, __value))", line)
    w.emit(1, "return __value", line)
    forget = w.fill()
    if w.cached:  # nothing is known at the start
        w.out.insert(1, "    " + forget)
        w.lines.insert(1, line)
    body = "\n".join(w.out)
    names = [f"__k{i}" for i in range(len(w.consts))]
    factory = "def __rc_factory__(" + ", ".join(["__fn", *names]) + "):\n"
    factory += "\n".join("    " + piece for piece in body.split("\n")) + "\n    return __rc_rule__\n"

    namespace = {
        "__builtins__": sandbox.SAFE_BUILTINS,
        "__rc_guard__": sandbox.guard,
        "__rc_fmt__": sandbox.safe_format,
        "__rc_fmtmap__": sandbox.safe_format_map,
        "__rc_pad__": sandbox.safe_pad,
        "__repr": repr,
        "__type": type,
        "__iter": sandbox.loop_iter,
        "__next": next,
        "__bool": bool,
        "__len": len,
        "__show": show,
        "__PLAIN": PLAIN_TYPES,
        "__CHECK_FROM": CHECK_FROM,
        "__check_size": check_size,
        "__budget": _budget,
        "__Return": _Return,
        # the whitelisted builtins lack NameError, and a rule may rebind StopIteration
        "__NameError": NameError,
        "__StopIteration": StopIteration,
        "__UNIT": UNIT,
        "__CHECK": CHECK,
        "__ITER": ITER,
        "__LOOP": LOOP,
        "__BRANCH": BRANCH,
        "__RET": RET,
        "__CALL": CALL,
        "__RETURNED": RETURNED,
        # text mode
        "__WL": working_lines,
        "__AL": after_line,
        "__JO": jump_of,
        "__JL": JUMP_LINES,
        "__P": program.probes,
        "__ANSWER": ANSWER_PREFIX,
        "__answer": format_answer,
    }
    try:
        code = compile(factory, GEN_FILENAME, "exec", dont_inherit=True)
    except SyntaxError as e:  # pragma: no cover - a generator bug; the interpreter still works
        raise Unsupported(f"generated code does not compile: {e}") from None
    exec(code, namespace)  # noqa: S102 - our own generated code over validated rule code
    function = namespace["__rc_factory__"](fn, *w.consts)
    return Generated(function, [line, *w.lines], factory)


def _params_snapshot(params: list[str]) -> str:
    items = ", ".join(f"({p!r}, __repr({p}) if __type({p}) in __PLAIN else __show({p}))" for p in params)
    return f"[{items}]"


def generated(program: Program) -> Generated | None:
    """The program's generated function (made once), or None if it needs the interpreter."""
    if program.generated is None:
        try:
            program.generated = generate(program)
        except Unsupported:
            program.generated = False
    return program.generated or None


def generated_text(program: Program) -> Generated | None:
    """The program's generated function that writes its code trace (made once), or None."""
    if program.generated_text is None:
        try:
            program.generated_text = generate(program, text=True) if generated(program) else False
        except Unsupported:
            program.generated_text = False
    return program.generated_text or None


def rule_line(gen: Generated, exc: BaseException) -> int | None:
    """The rule line of the innermost generated frame in ``exc``'s traceback."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == GEN_FILENAME:
            index = tb.tb_lineno - 1
            if 0 <= index < len(gen.lines):
                line = gen.lines[index]
        tb = tb.tb_next
    return line


__all__ = ["Generated", "Unsupported", "generate", "generated", "generated_text", "rule_line"]
