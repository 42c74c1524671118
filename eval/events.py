"""The one place that knows the compiler's event tuples and canonical trace phrases.

The step checker reads runs through this module only, so a change in the compiler's event
format (``rulec.compiler.run``) or in the NL trace wording (``rulec.compiler.nl``) is an edit
here. Event layouts (see ``rulec.compiler.run``):

    UNIT   (UNIT, unit, before, rec, after, splices | None)
    CHECK  [CHECK, loop, before, rec, entered, targets, splices]
    BRANCH [BRANCH, branch, [(before, rec, truth) per test], taken, [splices per test]]
    RET    [RET, step, before, rec, splices | None]
    LOOP (LOOP, loop) · ITER (ITER, loop) · ITER_END (ITER_END, loop, values)
    CALL (CALL, function, values, top) · RETURNED (RETURNED, function, repr, top, value)
    TRY (TRY, step) · EXCEPT (EXCEPT, step, handler, type name, message)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rulec.compiler import render as R
from rulec.compiler.events import (  # the one definition of the event format
    BRANCH,
    CALL,
    CHECK,
    EXCEPT,
    ITER,
    ITER_END,
    LOOP,
    RET,
    RETURNED,
    TRY,
    UNIT,
)

__all__ = [
    "ANSWER_PREFIX", "Anchor", "BRANCH", "CALL", "CHECK", "EXCEPT", "ITER", "ITER_END", "LOOP",
    "RET", "RETURNED", "TRY", "UNIT", "anchors", "line_role", "is_loop_enter", "step_number",
]

ANSWER_PREFIX = R.ANSWER_PREFIX
INIT_STEP = "0"  # the inputs and anything before step 1

# Line roles
RECITE, LOOP_DECISION, BRANCH_DECISION, NOW, ANSWER, VALUE = (
    "recitation", "loop", "branch", "now", "answer", "value"
)

# Code trace phrases (each alone on its line).
_CODE_LOOP = {R.ENTER_LOOP, R.SKIP_LOOP}
_CODE_BRANCH = {R.ENTER_IF, R.ENTER_ELIF, R.ENTER_ELSE, R.SKIP_IF, "enter except",
                *getattr(R, "JUMP_LINES", {}).values()}  # break / continue / return

# NL trace phrases (rulec.compiler.nl): decisions are whole sentences.
_NL_LOOP_ENTER = re.compile(r"(?:^|[.,] )Enter the (?:\w+ )?loop\.$")  # "outer loop", "inner loop"
_NL_LOOP_LEAVE = re.compile(r"\b[Ll]oop is over\.")
_NL_BRANCH = re.compile(
    r"^(?:The condition holds\.|The condition does not hold\b.*|Condition \d+ holds\.|"
    r"It holds\.|It does not hold\.|Stop the (?:\w+ )?loop\..*|Skip the rest of this iteration\.|"
    r"No condition holds\b.*|No case holds\b.*|\d+(?:\.\d+)* Otherwise:|An error happened:.*)$"
)
_NL_RECITE = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s|Begin the process\.$|Back to the start of the loop\.$"
                        r"|Carry out the procedure )")
_NL_STEP = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
_CODE_LABEL = re.compile(r"^(\d+(?:\.\d+)*)\.? (?:Loop|One iteration|Return|Try)\b")


def is_loop_enter(line: str, nl: bool) -> bool:
    return bool(_NL_LOOP_ENTER.search(line)) if nl else line == R.ENTER_LOOP


def is_loop_leave(line: str, nl: bool) -> bool:
    return bool(_NL_LOOP_LEAVE.search(line)) if nl else line == R.SKIP_LOOP


def line_role(line: str, nl: bool) -> str:
    """The role a line plays judged from its text alone (recitation needs the gold anchors
    in code traces; here only step labels count as recitation)."""
    if line.startswith(ANSWER_PREFIX):
        return ANSWER
    if nl:
        if is_loop_enter(line, True) or is_loop_leave(line, True):
            return LOOP_DECISION
        if _NL_BRANCH.match(line):
            return BRANCH_DECISION
        if _NL_RECITE.match(line):
            return RECITE
        if line.startswith("Now "):
            return NOW
        return VALUE
    if line in _CODE_LOOP:
        return LOOP_DECISION
    if line in _CODE_BRANCH:
        return BRANCH_DECISION
    if line == R.NOW:
        return NOW
    if _CODE_LABEL.match(line):
        return RECITE
    return VALUE


def step_number(line: str) -> str | None:
    """The step number an NL line (or a code step label) starts with, if any."""
    m = _NL_STEP.match(line)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Anchor:
    """A code-trace step opening: the recited lines that open it, and its number."""

    lines: tuple[str, ...]
    step: str


def anchors(events) -> list[Anchor]:
    """The recitations of a code trace, in the order the trace shows them (events are in
    rendering order: spliced calls follow the step that made them)."""
    out: list[Anchor] = []
    for ev in events:
        kind = ev[0]
        if kind == UNIT:
            out.append(Anchor(tuple(ev[1].text.splitlines()), ev[1].number))
        elif kind == CHECK:
            out.append(Anchor((ev[1].header,), f"{ev[1].number}.1"))
        elif kind == LOOP:
            out.append(Anchor((f"{R.step_label(ev[1].number)} {ev[1].label}",), ev[1].number))
        elif kind == ITER:
            out.append(Anchor((f"{ev[1].number}.2 One iteration",), f"{ev[1].number}.2"))
        elif kind == RET:
            text = (f"{R.step_label(ev[1].number)} Return", *ev[1].text.splitlines())
            out.append(Anchor(text, ev[1].number))
        elif kind == BRANCH:
            out.append(Anchor((ev[1].headers[0],), ev[1].number))
        elif kind == CALL:
            out.append(Anchor(("Initialize" if ev[3] else f"call {ev[1].name}",),
                              INIT_STEP if ev[3] else (ev[1].number or ev[1].name)))
        elif kind == TRY:
            out.append(Anchor((f"{R.step_label(ev[1].number)} Try",), ev[1].number))
    return out


# ------------------------------------------------------------------ for corruption tests


def loop_segments(events) -> list[tuple[int, int, int]]:
    """``(check, next_check, loop_id)`` for every entering check: the events of one
    iteration are ``events[check:next_check]``."""
    out = []
    last: dict[int, int] = {}
    for i, ev in enumerate(events):
        if ev[0] == CHECK:
            key = id(ev[1])
            if key in last:
                out.append((last.pop(key), i, key))
            if ev[4]:
                last[key] = i
    return out


def with_check_decision(ev, entered: bool, targets=None):
    """A copy of a CHECK event with another decision."""
    ev = list(ev)
    ev[4] = entered
    ev[5] = targets if entered else None
    return ev
