"""Compose synthetic rules from snippets, fast.

A synthetic rule is ``def process_list(A, B): while A and B: <k snippets>; return A``.
Parsing and instrumenting each new rule with libcst would dominate ``rulec synth``,
so every distinct (snippet, constant, orientation) is compiled *once*, by the
regular compiler, with the placeholder names ``list1``/``list2`` and a declared
unit boundary; a rule is then assembled from those unit templates and run under
the placeholder names. Renaming is a final text substitution on the rendered
rule, prompt and trace (the placeholders contain a digit, so no random name and
no other word of the trace can contain them). ``tests/test_snippets.py`` checks
that this equals compiling the renamed source with the generic compiler.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from rulec.compiler.api import CompiledRule
from rulec.compiler.build import _FunctionBuilder
from rulec.compiler.ir import Function, Loop, Probe, Program, Return, Unit
from rulec.compiler.parse import parse_source
from rulec.compiler.sandbox import Budgets
from rulec.snippets.library import instantiate

FUNCTION = "process_list"
PLACEHOLDERS = ("list1", "list2")
_INDENT = "        "
SENTINEL = 987654321  # the placeholder constant unit templates are compiled with


@dataclass(frozen=True)
class Piece:
    """One snippet occurrence in a rule."""

    index: int
    constant: int | None
    swap: bool

    @property
    def code(self) -> str:
        return instantiate(self.index, self.constant, self.swap)


def rule_source(pieces: list[Piece], a: str = "list1", b: str = "list2") -> tuple[str, list[tuple[int, int]]]:
    """The rule's source with names ``a``/``b`` and the line range of each snippet."""
    lines = [f"def {FUNCTION}({a}, {b}):", f"    while {a} and {b}:"]
    units = []
    for piece in pieces:
        code = rename(piece.code, a, b)
        start = len(lines) + 1
        lines.extend(_INDENT + line for line in code.splitlines())
        units.append((start, len(lines)))
    lines.append(f"    return {a}")
    return "\n".join(lines) + "\n", units


def rename(text: str, a: str, b: str) -> str:
    if a == "list1" and b == "list2":
        return text
    return text.replace("list1", a).replace("list2", b)


class TemplateLibrary:
    """Compiled unit templates keyed by (snippet, constant, swap); one shared probe table."""

    def __init__(self) -> None:
        self.probes: list[Probe] = []
        self.units: dict[Piece, Unit] = {}
        self.loop, self.ret = self._frame()

    def _compile(self, pieces: list[Piece]) -> Function:
        src, units = rule_source(pieces)
        parsed = parse_source(src, "<synthetic>")
        return _FunctionBuilder(parsed, FUNCTION, self.probes, units).build("")

    def _frame(self) -> tuple[Loop, Return]:
        fn = self._compile([Piece(5, None, False)])
        loop, ret = fn.body
        assert isinstance(loop, Loop) and isinstance(ret, Return)
        return loop, ret

    def unit(self, piece: Piece) -> Unit:
        unit = self.units.get(piece)
        if unit is None:
            if piece.constant is None or piece.constant == SENTINEL:
                unit = self._compile([piece]).body[0].body[0]
            else:
                unit = self._with_constant(self.unit(Piece(piece.index, SENTINEL, piece.swap)), piece.constant)
            self.units[piece] = unit
        return unit

    @staticmethod
    def _with_constant(template: Unit, constant: int) -> Unit:
        """The template compiled with ``SENTINEL`` for its constant, with the real one put in.

        Only the code object's constants and the recited text change; the NL renderer
        re-reads the statements from the text (``nodes`` is reset).
        """
        if constant == SENTINEL:
            return template
        unit = copy.copy(template)
        code = template.code
        unit.code = code.replace(
            co_consts=tuple(constant if type(c) is int and c == SENTINEL else c for c in code.co_consts)
        )
        unit.text = template.text.replace(str(SENTINEL), str(constant))
        unit.nodes = []
        return unit

    def program(self, pieces: list[Piece]) -> Program:
        body = []
        for j, piece in enumerate(pieces, 1):
            u = copy.copy(self.unit(piece))
            u.number = f"1.2.{j}"
            body.append(u)
        loop = replace(self.loop, body=body)
        fn = Function(FUNCTION, list(PLACEHOLDERS), {}, [loop, self.ret], "", ("list1", "list2", "val", "var"))
        text, _ = rule_source(pieces)
        return Program(fn, {FUNCTION: fn}, self.probes, text.rstrip("\n"), "<synthetic>")

    def compiled(self, pieces: list[Piece], budgets: Budgets) -> CompiledRule:
        return CompiledRule(self.program(pieces), budgets)
