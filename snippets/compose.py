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

from dataclasses import dataclass
from types import CodeType

from rulec.compiler.api import CompiledRule
from rulec.compiler.build import build_function
from rulec.compiler.ir import Function, Loop, Probe, Program, Return, Unit
from rulec.compiler.parse import parse_source
from rulec.compiler.sandbox import SAFE_BUILTINS, Budgets
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


_HEAD = f"def {FUNCTION}(list1, list2):\n    while list1 and list2:\n"
_TAIL = "    return list1"
_indented: dict[Piece, str] = {}


def placeholder_text(pieces: list[Piece]) -> str:
    """``rule_source(pieces)[0]`` without its final newline, fast (per-snippet text cached)."""
    parts = [_HEAD]
    for piece in pieces:
        text = _indented.get(piece)
        if text is None:
            text = _indented[piece] = "".join(_INDENT + line + "\n" for line in piece.code.splitlines())
        parts.append(text)
    parts.append(_TAIL)
    return "".join(parts)


def rename(text: str, a: str, b: str) -> str:
    if a == "list1" and b == "list2":
        return text
    return text.replace("list1", a).replace("list2", b)


def _clone(obj):
    """A shallow copy of an IR dataclass (``copy.copy`` costs several times more)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


class TemplateLibrary:
    """Compiled unit templates keyed by (snippet, constant, swap); one shared probe table."""

    def __init__(self) -> None:
        self.probes: list[Probe] = []
        self.units: dict[Piece, Unit] = {}
        self.plain_codes: dict[Piece, CodeType] = {}
        self.loop, self.ret = self._frame()

    def _compile(self, pieces: list[Piece]) -> Function:
        src, units = rule_source(pieces)
        parsed = parse_source(src, "<synthetic>")
        return build_function(parsed, FUNCTION, self.probes, units)

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
        unit = _clone(template)
        code = template.code
        unit.code = code.replace(
            co_consts=tuple(constant if type(c) is int and c == SENTINEL else c for c in code.co_consts)
        )
        unit.text = template.text.replace(str(SENTINEL), str(constant))
        unit.nodes = []
        return unit

    def program(self, pieces: list[Piece], text: str | None = None) -> Program:
        body = []
        for j, piece in enumerate(pieces, 1):
            u = _clone(self.unit(piece))
            u.number = f"1.2.{j}"
            body.append(u)
        loop = _clone(self.loop)
        loop.body = body
        fn = Function(FUNCTION, list(PLACEHOLDERS), {}, [loop, self.ret], "", ("list1", "list2", "val", "var"))
        return Program(fn, {FUNCTION: fn}, self.probes, text or placeholder_text(pieces), "<synthetic>")

    def compiled(self, pieces: list[Piece], budgets: Budgets, text: str | None = None) -> CompiledRule:
        return CompiledRule(self.program(pieces, text), budgets)

    def plain(self, piece: Piece) -> CodeType:
        """The snippet as plain Python (no probes), for dry runs."""
        code = self.plain_codes.get(piece)
        if code is None:
            code = self.plain_codes[piece] = compile(piece.code, "<snippet>", "exec")
        return code

    def dry_run(self, pieces: list[Piece], a: list[int], b: list[int], max_iterations: int) -> int | None:
        """Loop iterations of the rule run untraced, or None if it runs past ``max_iterations``.

        Costs a fraction of a traced run, so non-terminating programs are dropped cheaply.
        """
        codes = [self.plain(p) for p in pieces]
        env = {"__builtins__": SAFE_BUILTINS, "list1": list(a), "list2": list(b)}
        n = 0
        while env["list1"] and env["list2"]:
            n += 1
            if n > max_iterations:
                return None
            for code in codes:
                exec(code, env)  # noqa: S102 - our own snippets
        return n
