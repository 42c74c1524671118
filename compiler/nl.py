"""The numbered natural-language rule and the NL trace (the paper's appendix D.3).

Both come from the same step tree as the code trace: every step of the tree gets
exactly one NL step with the same number (loops add their check, iteration and
"return to the start" steps), and the NL trace is rendered from the same run
events, so the code trace and the NL trace agree by construction.
"""

from __future__ import annotations

import re
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
from rulec.compiler.render import ANSWER_PREFIX, format_answer, interleave, jump_of, step_label
from rulec.compiler.verbal_phrases import agree
from rulec.compiler.verbal_signs import alias_of, char_names, mutated_names, nonneg_nodes
from rulec.compiler.verbalise import Verbaliser, and_list, capitalise, infer_types

_CMP_WORDS = {
    "==": "is",  # between two shown values: "which is "A"", "which is not 0"
    "!=": "is not",
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
    loop_names: dict[int, str] = field(default_factory=dict)  # id(loop) -> "loop", "inner loop"
    loop_of: dict[int, Loop] = field(default_factory=dict)  # id(step) -> the loop around it
    rebinds: dict[int, set[str]] = field(default_factory=dict)  # id(unit) -> names it assigns
    aliases: dict[int, dict[str, str]] = field(default_factory=dict)  # id(unit) -> name -> owner

    preamble: str = ""  # conventions the steps rely on ("Positions count from 0.")

    @property
    def text(self) -> str:
        steps = "\n".join("    " * s.depth + f"{step_label(s.number)} {s.text}" for s in self.steps)
        head = "\n".join(self.constants + ([self.preamble] if self.preamble else []))
        return f"{head}\n{steps}" if head else steps

    def numbers(self) -> set[str]:
        return {s.number for s in self.steps}


_LONG_PHRASE = 40  # a working line does not repeat a longer expression (it was just recited)
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


_ARTICLES = ("the ", "a ", "an ", "that ", "each ", "every ", "whether ", "(")


def _lead(text: str) -> str:
    """Sentence case for words that start a sentence, unless they are a variable's name
    (``num`` stays ``num``: a reader must recognise the name of the rule)."""
    return capitalise(text) if text.startswith(_ARTICLES) else text


def _line(text: str) -> str:
    """A trace line: ends with a period; sentence case unless it starts with a variable name."""
    text = _lead(text.strip())
    return text if not text or text[-1] in ".!?:" else text + "."


def _says_its_values(test: cst.BaseExpression) -> bool:
    """True if the why-line of this loop test states the only value it reads
    ("The number is 32, which is not 0."), so the values line would repeat it."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    if isinstance(test, cst.Name):
        return True
    return (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
            and isinstance(test.left, cst.Name) and _is_literal(test.comparisons[0].comparator))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _is_literal(node) -> bool:
    from rulec.compiler.cstutil import is_scalar_literal

    return is_scalar_literal(node)


POSITIONS_NOTE = "Positions count from 0: the first element is at position 0."
ORDER_NOTE = ("Texts are ordered character by character by character code, so digits come before "
              "upper-case letters and upper-case letters before lower-case ones.")


def preamble(steps_text: str, has_text: bool, text_order: bool = False) -> str:
    """The conventions a reader needs that the steps do not state: that positions count
    from 0 (when a step names a position), and the order of texts (when texts are compared
    by order, or sorted in a rule that holds texts)."""
    notes = []
    if re.search(r"\bpositions?\b", steps_text):
        notes.append(POSITIONS_NOTE)
    sorts = re.search(r"\b(?:[Ss]ort|sorted|increasing order|decreasing order)\b", steps_text)
    if text_order or (has_text and sorts):
        notes.append(ORDER_NOTE)
    return " ".join(notes)


def _descendants(steps: list[Step]):
    for s in steps:
        yield s
        if isinstance(s, Loop):
            yield from _descendants(s.body)
        elif isinstance(s, Branch):
            for arm in s.arms:
                yield from _descendants(arm)
        elif isinstance(s, Try):
            yield from _descendants(s.body)
            for h in s.handlers:
                yield from _descendants(h[2])
            if s.final:
                yield from _descendants(s.final)


def _nodes(unit: Unit) -> list[cst.CSTNode]:
    if unit.nodes:
        return unit.nodes
    return list(cst.parse_module(unit.text + "\n").body)


class _RuleBuilder:
    def __init__(self, program: Program, verbaliser: Verbaliser):
        self.program = program
        self.v = verbaliser
        self.rule = NLRule([], verbaliser)
        self.nested: set[int] = set()  # ids of loops inside another loop
        self.loops: list[Loop] = []  # the loops around the step being built

    def build(self) -> NLRule:
        fn = self.program.rule
        self.block(fn.body, 0, None)
        self.helpers()
        self.rule.preamble = preamble(" ".join(s.text for s in self.rule.steps),
                                      str in self.v.types.values(), self.v.text_order)
        return self.rule

    def helpers(self) -> None:
        fn = self.program.rule
        for name, helper in self.program.functions.items():
            if helper is fn:
                continue
            params = ", ".join(self.v.name(p) for p in helper.params)
            self.add(helper.number, f"Procedure {name} (given {params}):" if params else f"Procedure {name}:", 0, None)
            self.block(helper.body, 1, None, in_helper=True)

    def add(self, number: str, text: str, depth: int, step: Step | None) -> NLStep:
        s = NLStep(number, text, depth, step)
        self.rule.steps.append(s)
        if step is not None:
            self.rule.of[id(step)] = s
            if self.loops:
                self.rule.loop_of[id(step)] = self.loops[-1]
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

    def note_aliases(self, unit: Unit) -> None:
        """Which names the unit rebinds, and which it makes share a value with another."""
        rebinds, aliases = set(), {}
        for node in _nodes(unit):
            for small in node.body if isinstance(node, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        rebinds.add(target.value)
                        owner = alias_of(target, small.value, self.v.mutated)
                        if owner is not None:
                            aliases[target.value] = self.v.expr(owner)
        if rebinds:
            self.rule.rebinds[id(unit)] = rebinds
        if aliases:
            self.rule.aliases[id(unit)] = aliases

    def unit_text(self, unit: Unit) -> str:
        self.note_aliases(unit)
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
        return _sentence("; ".join(pieces))

    def goto(self, number: str | None) -> str:
        return f"go to step ({number})" if number else "go to the end of the procedure"

    def loop(self, loop: Loop, depth: int, following: str | None) -> None:
        n = loop.number
        node = loop.node
        self.rule.next_of[id(loop)] = following
        name = self.loop_name(loop)
        self.rule.loop_names[id(loop)] = name
        goto = self.goto(following)
        if loop.kind == "while":
            self.add(n, f"Begin {name}:", depth, loop)
            cond = self.v.header(node)
            check = f"Check whether {cond}. If so, enter the {name}; otherwise, {goto}."
        else:
            self.add(n, f"Begin {name} over {self.v.header(node)}:", depth, loop)
            targets = and_list([self.v.name(t) for t in loop.targets]) or "it"
            check = f"Take the next one as {targets}; if there is none, {goto}."
        self.rule.checks[id(loop)] = self.add(f"{n}.1", check, depth + 1, None)
        self.add(f"{n}.2", "One iteration:", depth + 1, None)
        self.loops.append(loop)
        self.block(loop.body, depth + 2, f"{n}.3")
        self.loops.pop()
        self.add(f"{n}.3", f"Go back to step ({n}).", depth + 1, None)

    def loop_name(self, loop: Loop) -> str:
        """D.3's "outer loop" / "inner loop" for nested loops, else "loop"."""
        inside = any(isinstance(s, Loop) for s in _descendants(loop.body))
        outside = id(loop) in self.nested
        for s in _descendants(loop.body):
            if isinstance(s, Loop):
                self.nested.add(id(s))
        if inside and outside:
            return "middle loop"
        return "outer loop" if inside else "inner loop" if outside else "loop"

    def branch(self, br: Branch, depth: int, following: str | None) -> None:
        n = br.number
        self.add(n, "Take the first case below that holds:", depth, br)
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
    for k, phrase in glossary.items():  # "whether the coin is heads up" is a truth value
        if phrase.startswith("whether ") and types.get(k) is None:
            types[k] = bool
    v = Verbaliser(glossary, types)
    for fn in program.functions.values():
        if fn.node is not None:
            v.nonneg |= nonneg_nodes(fn.node)
            v.chars |= char_names(fn.node, lambda it: v.type_of(it) is str)
            v.mutated |= mutated_names(fn.node)
    if program.imported:
        v.imported = program.imported  # module names (compiler/stdlib_nl.py)
    v.introducing = True
    try:
        rule = _RuleBuilder(program, v).build()
    finally:
        v.introducing = False
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
        self.pending_return = False
        self.shown: dict[str, str] = {}  # name -> value last stated in this iteration
        self.sharing: dict[str, str] = {}  # name -> the container whose value it shares

    def noun(self, name: str) -> str:
        """A variable's label in value lines ("number = 32", "count = 0")."""
        words = self.nouns.get(name)
        if words is None:
            words = self.nouns[name] = self.v.label(name)
        return words

    def values(self, pairs) -> None:
        """The values a step reads, except those already stated, unchanged, in this
        iteration (the code trace repeats them; a reader has them from just above)."""
        if pairs:
            noun, shown = self.noun, self.shown
            fresh = [(n, r) for n, r in pairs if shown.get(n) != r]
            for n, r in pairs:
                shown[n] = r
            if fresh:
                self.out.append(_line(", ".join([f"{noun(n)} = {W(r)}" for n, r in fresh])))

    def values_unless_said(self, pairs, work) -> int:
        """The values line, then ``work()`` (the working lines); the values line is dropped
        when the working lines already say every one of its values ("i is 0, which ..."),
        so no value is stated twice in a row."""
        if not pairs:
            return work()
        self.values(pairs)
        at = len(self.out) - 1
        result = work()
        said = "\n".join(self.out[at + 1:]).lower()
        if all(f"{self.subject(n)} is {W(r)}".lower() in said for n, r in pairs):
            del self.out[at]
        return result

    def subject(self, name: str) -> str:
        key = (id(name), "subject")  # names are interned strings: one key per name
        words = self.rule.phrases.get(key)
        if words is None:
            words = self.rule.phrases[key] = self.v.expr(cst.Name(name))
        return words

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
            if kind in (BIN, VAL) and r in self.worked:
                continue  # the same value computed again in this step: said once
            self.worked.add(r)
            if kind == BIN:
                if not p.in_after:
                    words = self.expr(p)
                    if len(words) > _LONG_PHRASE:  # the step above says what it is
                        out.append(f"Compute {_arith(p.op, r[1], r[2])} = {W(r[3])}.")
                    else:
                        out.append(_line(f"{words} is {_arith(p.op, r[1], r[2])} = {W(r[3])}"))
            elif kind == CMP:
                symbol = p.op if r[3] else p.negated
                op = _CMP_WORDS[symbol]
                comps = getattr(p.node, "comparisons", ())
                literal = len(comps) == 1 and _is_literal(comps[0].comparator)
                if symbol in ("==", "!=") and not literal:  # two values, neither written out
                    op = "equals" if symbol == "==" else "does not equal"
                left = self.left(p)
                if left is None:
                    out.append(_line(f"The value {W(r[1])} {op} {W(r[2])}"))
                elif isinstance(p.node.left, cst.BinaryOperation):  # its working line is just above
                    if symbol == "==" and literal:
                        out.append(f"That is {W(r[1])}.")
                    else:
                        out.append(_line(f"That is {W(r[1])}, which {op} {W(r[2])}"))
                elif symbol == "==" and literal:  # "The operation name is "add"."
                    out.append(_line(f"{left} {agree(left, 'is ').strip()} {W(r[1])}"))
                else:
                    out.append(_line(f"{left} {agree(left, 'is ').strip()} {W(r[1])}, which "
                                     f"{op} {W(r[2])}"))
            elif kind == VAL:
                words = self.expr(p)
                out.append(_line(f"{words} {agree(words, 'is ').strip()} {W(r[1])}"))
            elif kind == TEST:
                arm, truth = r[1], r[2]
                if truth:
                    out.append("It holds." if arm == 0 else f"Condition {arm + 1} holds.")
                elif arm == p.arms - 1:
                    out.append(
                        "No condition holds, so take the otherwise case."
                        if p.has_else
                        else "It does not hold."
                    )
            elif kind == AUG:
                if not p.in_after:
                    out.append(_line(f"{self.target(p)} = {_arith(p.op, r[1], r[2])} = {W(r[3])}"))

    def shared_change(self, unit: Step, after) -> None:
        """A change to a name that shares its value with a container shows in both: say so
        (lc_705: the bucket is one of the hash buckets, not a copy)."""
        rebinds = self.rule.rebinds.get(id(unit), ())
        for name in rebinds:
            self.sharing.pop(name, None)
        self.sharing.update(self.rule.aliases.get(id(unit), {}))
        for name, _r, _k in after:
            owner = self.sharing.get(name)
            if owner is not None and name not in rebinds:
                self.out.append(f"{_lead(owner)} {agree(owner, 'changes')} with it: "
                                f"{self.subject(name)} is part of {owner}, not a copy.")

    def jump(self, unit: Step, rec) -> None:
        """State a break / continue / return that fired at the end of the arm an `if` of
        the unit took (the code trace's ``break`` / ``continue`` / ``return`` lines)."""
        kind = jump_of(rec, self.probes)
        if kind is None:
            return
        if kind == "return":
            self.pending_return = True  # stated with its value when the call returns
            return
        loop = self.rule.loop_of.get(id(unit))
        name = self.rule.loop_names.get(id(loop), "loop") if loop is not None else "loop"
        if kind == "break":
            following = self.rule.next_of.get(id(loop)) if loop is not None else None
            where = f" Go to step ({following})." if following else ""
            self.out.append(f"Stop the {name}.{where}")
            if loop is not None:
                self.inside.discard(id(loop))
        else:
            self.out.append("Skip the rest of this iteration.")

    def why(self, test, ev, truth: bool, decision: str) -> None:
        """D.3's "The number is 32, which is not 0. Enter the loop.": the reason a check
        holds or fails, then the decision, on one line."""
        out = self.out
        single = isinstance(test, cst.Comparison) and len(test.comparisons) == 1
        if single and ev[3] and self.probes[ev[3][-1][0]].kind == CMP and out:
            out[-1] = f"{out[-1]} {decision}"  # its working line says why
            return
        name = test.expression if isinstance(test, cst.UnaryOperation) and isinstance(
            test.operator, cst.Not) else test
        if isinstance(name, cst.Name):
            shown = dict(ev[2]).get(name.value)
            if shown is not None:
                clause = self.v._clause(test, negate=not truth)
                subject = clause.subject or self.noun(name.value)
                value = W(shown)
                pred = clause.pred if clause.subject else None
                if pred and isinstance(test, cst.UnaryOperation):
                    pred = self.v._clause(name, negate=truth).pred
                be = agree(subject, "is ").strip()
                if pred and pred != f"{be} {value}":
                    out.append(f"{_lead(subject)} {be} {value}, which {pred}. {decision}")
                else:
                    out.append(f"{_lead(subject)} {be} {value}. {decision}")
                return
        out.append(f"The condition {'holds' if truth else 'does not hold'}. {decision}")

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
            self.worked: set = set()  # working records already said in this step
            if kind == UNIT:
                self.recite(ev[1])
                i = max(i, self.values_unless_said(
                    ev[2], lambda e=ev: self.spliced(e[3], e[5] if len(e) > 5 else None, events)))
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
                    for name, r, _k in ev[4]:
                        self.shown[name] = r
                    self.shared_change(ev[1], ev[4])
                self.jump(ev[1], ev[3])
            elif kind == LOOP:
                self.inside.discard(id(ev[1]))
            elif kind == CHECK:
                loop = ev[1]
                n = loop.number
                name = self.rule.loop_names.get(id(loop), "loop")
                if id(loop) in self.inside:
                    out.append(f"{n}.3 Go back to step ({n}).")
                else:  # the loop's header is recited once, when the loop is reached
                    self.recite(loop)
                check = self.rule.checks[id(loop)]
                out.append(f"{check.number} {check.text}")
                if loop.kind == "while" and not _says_its_values(loop.node.test):
                    self.values(ev[2])
                i = max(i, self.spliced(ev[3], ev[6] if len(ev) > 6 else None, events))
                if ev[4] is None:  # the check raised: no decision (the error follows)
                    self.inside.discard(id(loop))
                    continue
                following = self.rule.next_of.get(id(loop))
                where = f" Go to step ({following})." if following else ""
                if loop.kind == "for":
                    if ev[4]:
                        pairs = ev[5] or []
                        shown = ", ".join(f"{self.noun(k)} = {W(r)}" for k, r in pairs)
                        out.append(_line(shown) + f" Enter the {name}." if shown
                                   else f"Enter the {name}.")
                    else:
                        out.append(f"There is none left, so the {name} is over.{where}")
                elif ev[4]:
                    self.why(loop.node.test, ev, True, f"Enter the {name}.")
                else:
                    self.why(loop.node.test, ev, False, f"The {name} is over.{where}")
                if ev[4]:
                    self.inside.add(id(loop))
                else:
                    self.inside.discard(id(loop))
            elif kind == ITER:
                out.append(f"{ev[1].number}.2 One iteration:")
                self.shown.clear()
            elif kind == CALL:
                fn = ev[1]
                self.shown.clear()  # another procedure's names
                if ev[3]:
                    self.values(ev[2])
                    out.append("Begin the process.")
                else:
                    where = f" (step {fn.number})" if fn.number else ""
                    out.append(_sentence(f"Carry out the procedure {fn.name}{where}"))
                    self.values(ev[2])
            elif kind == RETURNED:
                self.shown.clear()
                if self.pending_return:
                    out.append(f"Return {W(ev[2])}.")
                    self.pending_return = False
                if ev[3]:
                    out.append(ANSWER_PREFIX + format_answer(ev[4]))
                else:
                    out.append(f"The procedure {ev[1].name} gives {W(ev[2])}.")
            elif kind == RET:
                self.recite(ev[1])
                i = max(i, self.values_unless_said(
                    ev[2], lambda e=ev: self.spliced(e[3], e[4] if len(e) > 4 else None, events)))
            elif kind == BRANCH:
                br = ev[1]
                self.recite(br)
                spliced = ev[4] if len(ev) > 4 else []
                for t, (before, rec, truth) in enumerate(ev[2]):
                    arm = f"{br.number}.{t + 1}"
                    text = next(s.text for s in self.rule.steps if s.number == arm)
                    out.append(f"{arm} {text}")
                    splices = spliced[t] if t < len(spliced) else None
                    i = max(i, self.values_unless_said(
                        before, lambda r=rec, sp=splices: self.spliced(r, sp, events)))
                    if truth is not None:  # None: the test raised (the error follows)
                        out.append("It holds." if truth else "It does not hold.")
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
