"""The numbered natural-language rule and the NL trace (the paper's appendix D.3).

Both come from the same step tree as the code trace: every step of the tree gets
exactly one NL step with the same number (loops add their check, iteration and
"return to the start" steps), and the NL trace is rendered from the same run
events, so the code trace and the NL trace agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from rulec.compiler.events import BRANCH, CALL, CHECK, EXCEPT, ITER, LOOP, RET, RETURNED, TRY, UNIT
from rulec.compiler.ir import (
    AUG,
    BIN,
    CMP,
    TEST,
    VAL,
    Branch,
    Loop,
    Program,
    Return,
    Step,
    Try,
    Unit,
)
from rulec.compiler.nl_values import repr_words as W
from rulec.compiler.render import ANSWER_PREFIX, format_answer, interleave, step_label
from rulec.compiler.verbal_signs import char_names, nonneg_nodes
from rulec.compiler.verbalise import Verbaliser, capitalise, infer_types

_CMP_WORDS = {
    "==": "is equal to",
    "!=": "is not equal to",
    "<": "is less than",
    "<=": "is at most",
    ">": "is greater than",
    ">=": "is at least",
    "in": "is in",
    "not in": "is not in",
    "is": "is",
    "is not": "is not",
}


@dataclass
class NLStep:
    number: str
    text: str
    depth: int
    step: Step | None = None  # the code step it renders (None for loop checks etc.)


@dataclass
class NLRule:
    """The numbered NL rule; ``steps`` in order, ``of`` maps a code step to its NL step."""

    steps: list[NLStep]
    verbaliser: Verbaliser
    checks: dict[int, NLStep] = field(default_factory=dict)  # id(loop) -> its check step
    of: dict[int, NLStep] = field(default_factory=dict)  # id(step) -> NL step
    next_of: dict[int, str | None] = field(default_factory=dict)  # id(loop) -> step after it
    phrases: dict[tuple[int, str], str | None] = field(default_factory=dict)  # (probe, role) -> words, cached
    lines: dict[int, str] = field(default_factory=dict)  # id(step) -> recited line, cached
    constants: list[str] = field(default_factory=list)  # module constants, stated before step 1

    @property
    def text(self) -> str:
        steps = "\n".join("    " * s.depth + f"{step_label(s.number)} {s.text}" for s in self.steps)
        return "\n".join(self.constants + [steps]) if self.constants else steps

    def numbers(self) -> set[str]:
        return {s.number for s in self.steps}


_ARITH = {"+": "{} + {}", "-": "{} - {}", "*": "{} × {}", "/": "{} / {}",
          "//": "{} / {} rounded down", "%": "{} mod {}", "**": "{} to the power {}",
          "<<": "{} shifted left by {} bits", ">>": "{} shifted right by {} bits",
          "&": "the bitwise and of {} and {}", "|": "the bitwise or of {} and {}",
          "^": "the bitwise exclusive or of {} and {}", "@": "the matrix product of {} and {}"}


def _arith(op: str, a: str, b: str) -> str:
    """A working line's operation on two value texts, without Python operators."""
    return _ARITH.get(op.rstrip("=") if op not in ("==", "!=") else op, "{} " + op + " {}").format(
        W(a), W(b))


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = capitalise(text)
    return text if text[-1] in ".!?:" else text + "."


def _line(text: str) -> str:
    """A trace line: ends with a period, never re-capitalised (it may start with a variable name)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _is_literal(node) -> bool:
    from rulec.compiler.instrument import is_literal

    return is_literal(node)


def _nodes(unit: Unit) -> list[cst.CSTNode]:
    if unit.nodes:
        return unit.nodes
    return list(cst.parse_module(unit.text + "\n").body)


class _RuleBuilder:
    def __init__(self, program: Program, verbaliser: Verbaliser):
        self.program = program
        self.v = verbaliser
        self.rule = NLRule([], verbaliser)

    def build(self) -> NLRule:
        fn = self.program.rule
        self.block(fn.body, 0, None)
        for name, helper in self.program.functions.items():
            if helper is fn:
                continue
            params = ", ".join(self.v.name(p) for p in helper.params)
            self.add(helper.number, f"Procedure {name} (given {params}):" if params else f"Procedure {name}:", 0, None)
            self.block(helper.body, 1, None, in_helper=True)
        return self.rule

    def add(self, number: str, text: str, depth: int, step: Step | None) -> NLStep:
        s = NLStep(number, text, depth, step)
        self.rule.steps.append(s)
        if step is not None:
            self.rule.of[id(step)] = s
        return s

    def block(self, steps: list[Step], depth: int, after: str | None, in_helper: bool = False) -> None:
        for i, step in enumerate(steps):
            following = steps[i + 1].number if i + 1 < len(steps) else after
            self.step(step, depth, following)

    def step(self, step: Step, depth: int, following: str | None) -> None:
        if isinstance(step, Unit):
            self.add(step.number, self.unit_text(step), depth, step)
        elif isinstance(step, Loop):
            self.loop(step, depth, following)
        elif isinstance(step, Return):
            node = step.node
            if node is not None and node.value is not None:
                text = f"Return {self.v.expr(node.value)}."
            else:
                text = "Return nothing."
            self.add(step.number, text, depth, step)
        elif isinstance(step, Branch):
            self.branch(step, depth, following)
        elif isinstance(step, Try):
            self.try_(step, depth, following)

    def unit_text(self, unit: Unit) -> str:
        parts = []
        for node in _nodes(unit):
            if isinstance(node, cst.If):
                parts.append(self.flat_if(node))
            else:
                parts.append(" ".join(_sentence(self.v.stmt(s)) for s in node.body))
        return " ".join(parts)

    def arm_text(self, body: cst.BaseSuite) -> str:
        smalls = []
        if isinstance(body, cst.SimpleStatementSuite):
            smalls = list(body.body)
        else:
            for line in body.body:
                smalls.extend(line.body)
        texts = [_lower_first(self.v.stmt(s)).rstrip(".") for s in smalls]
        return ", then ".join(texts)

    def flat_if(self, node: cst.If) -> str:
        pieces = []
        cur: cst.CSTNode | None = node
        first = True
        while isinstance(cur, cst.If):
            cond = self.v.cond(cur.test)
            lead = "If" if first else "otherwise, if"
            pieces.append(f"{lead} {cond}, {self.arm_text(cur.body)}")
            first = False
            cur = cur.orelse
        if isinstance(cur, cst.Else):
            pieces.append(f"otherwise, {self.arm_text(cur.body)}")
        else:
            pieces.append("otherwise, do nothing")
        return _sentence("; ".join(pieces))

    def goto(self, number: str | None) -> str:
        return f"go to step ({number})" if number else "go to the end of the procedure"

    def loop(self, loop: Loop, depth: int, following: str | None) -> None:
        n = loop.number
        node = loop.node
        self.rule.next_of[id(loop)] = following
        if loop.kind == "while":
            self.add(n, "Begin loop:", depth, loop)
            cond = self.v.header(node)
            check = f"Check whether {cond}. If so, enter the loop; otherwise, the loop is over, {self.goto(following)}."
        else:
            self.add(n, f"Begin loop over {self.v.header(node)}:", depth, loop)
            targets = " and ".join(self.v.name(t) for t in loop.targets) or "the element"
            seq = self.v.expr(node.iter)
            check = (
                f"Check whether {seq} has a next element. If so, take it as {targets} and enter the loop; "
                f"otherwise, the loop is over, {self.goto(following)}."
            )
        self.rule.checks[id(loop)] = self.add(f"{n}.1", check, depth + 1, None)
        self.add(f"{n}.2", "One iteration:", depth + 1, None)
        self.block(loop.body, depth + 2, f"{n}.3")
        self.add(f"{n}.3", f"Return to the start of the loop (step {n}).", depth + 1, None)

    def branch(self, br: Branch, depth: int, following: str | None) -> None:
        n = br.number
        self.add(n, "Check the cases below in order and follow the first one that holds:", depth, br)
        cur: cst.CSTNode | None = br.node
        i = 0
        while cur is not None:
            i += 1
            if isinstance(cur, cst.If):
                lead = "If" if i == 1 else "Otherwise, if"
                self.add(f"{n}.{i}", f"{lead} {self.v.cond(cur.test)}:", depth + 1, None)
                self.block(br.arms[i - 1], depth + 2, following)
                cur = cur.orelse
            else:
                self.add(f"{n}.{i}", "Otherwise:", depth + 1, None)
                self.block(br.arms[i - 1], depth + 2, following)
                cur = None

    def try_(self, tr: Try, depth: int, following: str | None) -> None:
        n = tr.number
        first_handler = f"{n}.2" if tr.handlers else following
        self.add(n, f"Try the steps below; if an error happens, {self.goto(first_handler)}.", depth, tr)
        self.add(f"{n}.1", "Steps to try:", depth + 1, None)
        self.block(tr.body, depth + 2, following)
        for i, (_types, _name, body, _header) in enumerate(tr.handlers, 2):
            handler = tr.node.handlers[i - 2]
            self.add(f"{n}.{i}", f"If {self.v.header(handler)}:", depth + 1, None)
            self.block(body, depth + 2, following)
        if tr.final is not None:
            k = len(tr.handlers) + 2
            self.add(f"{n}.{k}", "In every case, finally:", depth + 1, None)
            self.block(tr.final, depth + 2, following)


def build_nl_rule(program: Program, glossary: dict[str, str], samples: dict | None = None) -> NLRule:
    types: dict[str, type] = {}
    for fn in program.functions.values():
        if fn.node is not None:
            inferred = infer_types(fn.node, samples if fn is program.rule else None)
            for k, t in inferred.items():
                types.setdefault(k, t)
    for k, value in (samples or {}).items():  # rules assembled without source (synthetic)
        types.setdefault(k, type(value))
    for k in ("var", "val", "list1[]", "list2[]"):  # synthetic rules: lists of integers
        if program.rule.node is None:
            types.setdefault(k, int)
    v = Verbaliser(glossary, types)
    for fn in program.functions.values():
        if fn.node is not None:
            v.nonneg |= nonneg_nodes(fn.node)
            v.chars |= char_names(fn.node, lambda it: v.type_of(it) is str)
    if program.imported:
        v.imported = program.imported  # module names (compiler/stdlib_nl.py)
    rule = _RuleBuilder(program, v).build()
    rule.constants = [f"Throughout, {name} stands for {value!r}." for name, value in program.globals.items()
                      if name not in program.imported]
    return rule


class _TraceRenderer:
    def __init__(self, rule: NLRule, probes):
        self.rule = rule
        self.v = rule.verbaliser
        self.probes = probes
        self.out: list[str] = []
        self.inside: set[int] = set()
        self.nouns: dict[str, str] = {}

    def noun(self, name: str) -> str:
        words = self.nouns.get(name)
        if words is None:
            words = self.nouns[name] = self.v.name(name)
        return words

    def values(self, pairs) -> None:
        if pairs:
            noun = self.noun
            self.out.append(", ".join([f"{noun(n)} = {W(r)}" for n, r in pairs]) + ".")

    def recite(self, step: Step) -> None:
        line = self.rule.lines.get(id(step))
        if line is None:
            s = self.rule.of[id(step)]
            line = self.rule.lines[id(step)] = f"{step_label(s.number)} {s.text}"
        self.out.append(line)

    def working(self, rec) -> None:
        out = self.out
        for r in rec:
            p = self.probes[r[0]]
            kind = p.kind
            if kind == BIN:
                if not p.in_after:
                    out.append(_line(f"{self.expr(p)} is {_arith(p.op, r[1], r[2])} = {W(r[3])}"))
            elif kind == CMP:
                op = _CMP_WORDS[p.op if r[3] else p.negated]
                left = self.left(p)
                if left is None:
                    out.append(_line(f"The value {W(r[1])} {op} {W(r[2])}"))
                elif isinstance(p.node.left, cst.BinaryOperation):  # its working line is just above
                    out.append(_line(f"That is {W(r[1])}, which {op} {W(r[2])}"))
                else:
                    out.append(_line(f"{left} is {W(r[1])}, which {op} {W(r[2])}"))
            elif kind == VAL:
                out.append(_line(f"{self.expr(p)} is {W(r[1])}"))
            elif kind == TEST:
                arm, truth = r[1], r[2]
                if truth:
                    out.append("The condition holds." if arm == 0 else f"Condition {arm + 1} holds.")
                elif arm == p.arms - 1:
                    out.append(
                        "No condition holds, so take the otherwise case."
                        if p.has_else
                        else "The condition does not hold, so do nothing."
                    )
            elif kind == AUG:
                if not p.in_after:
                    out.append(_line(f"{self.target(p)} = {_arith(p.op, r[1], r[2])} = {W(r[3])}"))

    def left(self, probe) -> str | None:
        """Words for a comparison's left operand (None for a literal: its value says it all)."""
        key = (id(probe), "left")
        if key not in self.rule.phrases:
            node = probe.node.left
            words = None
            if not _is_literal(node):
                try:
                    words = self.v.expr(node)
                except Exception:  # a node the verbaliser does not know
                    words = None
            self.rule.phrases[key] = words
        return self.rule.phrases[key]

    def target(self, probe) -> str:
        key = (id(probe), "target")
        words = self.rule.phrases.get(key)
        if words is None:
            try:
                words = self.v.expr(probe.node.target)
            except Exception:  # a node the verbaliser does not know: its value still reads clearly
                words = "the value"
            self.rule.phrases[key] = words
        return words

    def expr(self, probe) -> str:
        key = (id(probe), "expr")
        words = self.rule.phrases.get(key)
        if words is None:
            try:
                words = self.v.expr(probe.node)
            except Exception:  # a node the verbaliser does not know: its value still reads clearly
                words = "the value"
            self.rule.phrases[key] = words
        return words

    def spliced(self, rec, splices, events) -> int:
        """Working lines with the traces of the calls made in between (see ``run``'s splices)."""
        if not splices:  # the common case, without building the callback
            if rec:
                self.working(rec)
            return 0
        return interleave(rec, splices, self.working, lambda lo, hi: self.render_range(events, lo, hi))

    def render(self, events) -> str:
        self.render_range(events, 0, len(events))
        return "\n".join(self.out)

    def render_range(self, events, lo: int, hi: int) -> None:
        out = self.out
        i = lo
        while i < hi:
            ev = events[i]
            i += 1
            kind = ev[0]
            if kind == UNIT:
                self.recite(ev[1])
                self.values(ev[2])
                i = max(i, self.spliced(ev[3], ev[5] if len(ev) > 5 else None, events))
                if ev[4]:
                    changed = []
                    for name, r, k in ev[4]:
                        line = f"{self.noun(name)} = {W(r)}"
                        if k is not None:
                            for x in reversed(ev[3]):
                                if x[0] == k:
                                    line = f"{self.noun(name)} = {_arith(self.probes[k].op, x[1], x[2])} = {W(x[3])}"
                                    break
                        changed.append(line)
                    out.append(_line("Now " + ", ".join(changed)))
            elif kind == LOOP:
                self.inside.discard(id(ev[1]))
            elif kind == CHECK:
                loop = ev[1]
                n = loop.number
                if id(loop) in self.inside:
                    out.append(f"{n}.3 Return to the start of the loop (step {n}).")
                    out.append("Back to the start of the loop.")
                self.recite(loop)
                check = self.rule.checks[id(loop)]
                out.append(f"{check.number} {check.text}")
                self.values(ev[2])
                i = max(i, self.spliced(ev[3], ev[6] if len(ev) > 6 else None, events))
                if ev[4]:
                    if ev[5]:
                        self.values(ev[5])
                    out.append("The condition holds. Enter the loop.")
                    self.inside.add(id(loop))
                elif ev[4] is None:  # the check raised: no decision (the error follows)
                    self.inside.discard(id(loop))
                else:
                    following = self.rule.next_of.get(id(loop))
                    where = f" Go to step ({following})." if following else ""
                    out.append(f"The loop is over.{where}")
                    self.inside.discard(id(loop))
            elif kind == ITER:
                out.append(f"{ev[1].number}.2 One iteration:")
            elif kind == CALL:
                fn = ev[1]
                if ev[3]:
                    self.values(ev[2])
                    out.append("Begin the process.")
                else:
                    where = f" (step {fn.number})" if fn.number else ""
                    out.append(_sentence(f"Carry out the procedure {fn.name}{where}"))
                    self.values(ev[2])
            elif kind == RETURNED:
                if ev[3]:
                    out.append(ANSWER_PREFIX + format_answer(ev[4]))
                else:
                    out.append(f"The procedure {ev[1].name} gives {W(ev[2])}.")
            elif kind == RET:
                self.recite(ev[1])
                self.values(ev[2])
                i = max(i, self.spliced(ev[3], ev[4] if len(ev) > 4 else None, events))
            elif kind == BRANCH:
                br = ev[1]
                self.recite(br)
                spliced = ev[4] if len(ev) > 4 else []
                for t, (before, rec, truth) in enumerate(ev[2]):
                    arm = f"{br.number}.{t + 1}"
                    text = next(s.text for s in self.rule.steps if s.number == arm)
                    out.append(f"{arm} {text}")
                    self.values(before)
                    i = max(i, self.spliced(rec, spliced[t] if t < len(spliced) else None, events))
                    if truth is not None:  # None: the test raised (the error follows)
                        out.append("The condition holds." if truth else "The condition does not hold.")
                taken = ev[3]
                if taken == len(br.tests):
                    out.append(f"{br.number}.{taken + 1} Otherwise:")
                elif taken == -1:
                    out.append("No case holds, so do nothing.")
                # taken == -2: a test raised; no decision (the error follows)
            elif kind == TRY:
                self.recite(ev[1])
            elif kind == EXCEPT:
                step = ev[1]
                out.append(f"An error happened: {ev[3]}" + (f" ({ev[4]})." if ev[4] else "."))
                arm = f"{step.number}.{ev[2] + 2}"
                text = next(s.text for s in self.rule.steps if s.number == arm)
                out.append(f"{arm} {text}")


def nl_trace(rule: NLRule, events, probes) -> str:
    return _TraceRenderer(rule, probes).render(events)


__all__ = ["NLRule", "NLStep", "build_nl_rule", "nl_trace"]
