"""The step tree: every executable piece of a rule is a numbered step.

Numbers are hierarchical strings ("1", "1.2", "1.2.3") and are the single source of
truth for the code trace and the natural-language rule and trace. A loop numbered
``n`` has its check at ``n.1``, its iteration at ``n.2`` (body steps ``n.2.k``)
and "return to the start" at ``n.3``. A structural branch ``n`` has one block per
arm, ``n.1``, ``n.2``, … (steps ``n.i.k``); a try ``n`` has its body at ``n.1`` and
its handlers at ``n.2``, ….
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import CodeType
from typing import Any

import libcst as cst

# Probe kinds: one per instrumented sub-expression of a step.
BIN = 0  # binary operation: (k, left, right, result)
CMP = 1  # single comparison: (k, left, right, truth)
VAL = 2  # call or chained comparison: (k, value)
TEST = 3  # if/elif test of a flat if-chain: (k, arm, truth)
AUG = 4  # augmented assignment: (k, old, operand, new)


@dataclass(eq=False)
class Probe:
    kind: int
    src: str  # source text of the node
    op: str = ""  # operator text for BIN/CMP/AUG
    negated: str = ""  # CMP: the operator shown when the comparison is false
    func: Any = None  # BIN/CMP/AUG: the operator function
    in_after: bool = False  # BIN/AUG whose value is shown in the "now," line of its target
    target: str = ""  # AUG/BIN in_after: the target's source text
    arms: int = 0  # TEST: number of tests in the chain
    has_else: bool = False  # TEST
    node: Any = None  # the libcst node, for the NL renderer


@dataclass(eq=False)
class Part:
    """One statement of a unit: a simple statement or a flat if-chain."""

    node: cst.CSTNode
    reads: tuple[str, ...] = ()
    writes: tuple[tuple[str, int | None], ...] = ()  # (name, probe shown in its after line)
    maybe_writes: tuple[str, ...] = ()  # names passed to functions of the file
    chain: int | None = None  # TEST probe of a flat if-chain
    arms: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, int | None], ...]], ...] = ()
    # arms: (test reads, body reads, body writes) per test; the else arm is last if present


@dataclass(eq=False)
class Step:
    number: str
    line: int


@dataclass(eq=False)
class Unit(Step):
    text: str  # recited code
    parts: list[Part]
    code: CodeType | None = None
    first_line: int = 0
    all_reads: tuple[str, ...] = ()  # names whose values may be shown before
    plans: dict = field(default_factory=dict)  # decisions -> (shown reads, writes)
    flow: bool = False  # contains break/continue/return
    maybe_writes: tuple[str, ...] = ()  # names passed to functions of the file (shown if changed)
    calls: bool = True  # may call functions of the file (whose steps are traced inside this one)
    nodes: list[cst.CSTNode] = field(default_factory=list)


@dataclass(eq=False)
class Loop(Step):
    kind: str  # "while" | "for"
    header: str  # recited header, e.g. "while num > 9:"
    test: CodeType | None = None  # while: instrumented test; for: the iterable
    assign: CodeType | None = None  # for: "<target> = __rc_item__"
    reads: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    body: list[Step] = field(default_factory=list)
    node: Any = None
    label: str = "Loop"


@dataclass(eq=False)
class Branch(Step):
    headers: list[str]  # "if a:", "elif b:", ...
    tests: list[CodeType]
    test_reads: list[tuple[str, ...]]
    arms: list[list[Step]]  # one per test, plus the else arm if present
    has_else: bool = False
    node: Any = None


@dataclass(eq=False)
class Try(Step):
    body: list[Step]
    handlers: list[tuple[tuple[type, ...] | None, str | None, list[Step], str]]  # types, name, body, header
    final: list[Step] | None = None
    node: Any = None


@dataclass(eq=False)
class Return(Step):
    text: str
    code: CodeType | None = None  # evaluates the returned value (None for a bare return)
    reads: tuple[str, ...] = ()
    node: Any = None


@dataclass(eq=False)
class Function:
    name: str
    params: list[str]
    defaults: dict[str, Any]
    body: list[Step]
    number: str  # "" for the rule; helpers get the numbers after the rule's steps
    locals: tuple[str, ...] = ()
    has_self: bool = False
    node: Any = None
    outer: str = ""  # a nested function: the function it is defined in
    free: tuple[str, ...] = ()  # a nested function: the names of ``outer`` it reads (at call time)
    nested: tuple[str, ...] = ()  # the functions defined directly in this one


@dataclass(eq=False)
class Program:
    rule: Function
    functions: dict[str, Function]
    probes: list[Probe]
    text: str  # the rule as it appears in prompts
    filename: str = "<rule>"
    sources: dict = field(default_factory=dict)  # id(code object) -> (instrumented text, line, code)
    generated: Any = None  # codegen.Generated: the rule compiled to one Python function, or False
    generated_text: Any = None  # the same, writing the code trace's lines instead of events
    # module-level names (compiler/stdlib.py): imports and constants, read by every function
    globals: dict = field(default_factory=dict)
    # local name -> module (``import m``) or (module, name) (``from m import n``): for the NL
    imported: dict = field(default_factory=dict)
