"""Render a run's events as the RFFT code trace, the scratchpad and the answer.

Canonical phrases (parsed by the evaluator and by outside checks), each alone on
its line: ``enter the loop`` / ``do not enter`` (loop checks), ``enter if`` /
``enter elif`` / ``enter else`` / ``do not enter if`` (branches), ``now,`` (before
the values a step changed), ``break`` / ``continue`` / ``return`` (a jump in the arm an
``if`` took fired, after the arm's results), and the last line ``So the answer is <answer>``.
"""

from __future__ import annotations

import re

import libcst as cst

from rulec.compiler.events import (
    BRANCH,
    BRANCH_RAISED,
    BRANCH_SPLICES,
    BRANCH_TAKEN,
    BRANCH_TESTS,
    CALL,
    CALL_PARAMS,
    CALL_TOP,
    CHECK,
    CHECK_BEFORE,
    CHECK_ENTERED,
    CHECK_REC,
    CHECK_SPLICES,
    CHECK_TARGETS,
    EXCEPT,
    EXCEPT_HANDLER,
    EXCEPT_MESSAGE,
    EXCEPT_TYPE,
    ITER,
    ITER_END,
    ITER_END_STATE,
    KIND,
    LOOP,
    RET,
    RET_BEFORE,
    RET_REC,
    RET_SPLICES,
    RETURNED,
    RETURNED_SHOWN,
    RETURNED_TOP,
    RETURNED_VALUE,
    STEP,
    TRY,
    UNIT,
    UNIT_AFTER,
    UNIT_BEFORE,
    UNIT_REC,
    UNIT_SPLICES,
)
from rulec.compiler.ir import AUG, BIN, CMP, TEST, VAL, Probe

ENTER_LOOP = "enter the loop"
SKIP_LOOP = "do not enter"
ENTER_IF = "enter if"
ENTER_ELIF = "enter elif"
ENTER_ELSE = "enter else"
SKIP_IF = "do not enter if"
NOW = "now,"
# a break / continue / return that fires inside an `if` of a unit (the recited code shows it)
JUMP_LINES = {"break": "break", "continue": "continue", "return": "return"}
ANSWER_PREFIX = "So the answer is "


def step_label(number: str) -> str:
    """"2." for a top-level step, "2.1" for a nested one (the paper's style)."""
    return number if "." in number else number + "."


# a string answer holding one of these is shown by its repr: a line break would let a
# returned string forge the answer line (`return "1\nSo the answer is 42"`), and a lone
# surrogate cannot be written out as UTF-8
_UNSAFE_IN_ANSWER = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff]")


def format_answer(value) -> str:
    """``str(v)`` for a string (its ``repr`` if it holds a line break), ``repr(v)`` otherwise."""
    if type(value) is str:
        return repr(value) if _UNSAFE_IN_ANSWER.search(value) else value
    return repr(value)


def working_lines(rec, probes: list[Probe], out: list[str]) -> None:
    """The intermediate results a step computed, in evaluation order."""
    for r in rec:
        p = probes[r[0]]
        kind = p.kind
        if kind == BIN:
            if not p.in_after:
                out.append(f"{p.src} = {r[1]} {p.op} {r[2]} = {r[3]}")
        elif kind == CMP:
            out.append(f"{r[1]} {p.op if r[3] else p.negated} {r[2]}")
        elif kind == VAL:
            out.append(f"{p.src} = {r[1]}")
        elif kind == TEST:
            if r[2]:
                out.append(ENTER_IF if r[1] == 0 else ENTER_ELIF)
            elif r[1] == p.arms - 1:
                out.append(ENTER_ELSE if p.has_else else SKIP_IF)
        elif kind == AUG:
            if not p.in_after:
                out.append(f"{p.target} = {r[1]} {p.op} {r[2]} = {r[3]}")


_JUMP_KINDS = {cst.Break: "break", cst.Continue: "continue", cst.Return: "return"}


def _arm_jumps(p: Probe) -> tuple[str | None, ...]:
    """For an if-chain's TEST probe: the jump ("break", "continue", "return" or None) that
    ends each arm, the ``else`` last (None when there is no ``else``); computed once."""
    jumps = p.__dict__.get("_jumps")
    if jumps is None:
        out: list[str | None] = []
        node = p.node
        for _ in range(p.arms):
            out.append(_last_jump(node.body))
            node = node.orelse
        out.append(_last_jump(node.body) if p.has_else else None)
        jumps = p.__dict__["_jumps"] = tuple(out)
    return jumps


def _last_jump(block) -> str | None:
    lines = block.body
    last = lines[-1] if lines else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return _JUMP_KINDS.get(type(last))


def jump_of(rec, probes: list[Probe]) -> str | None:
    """"break", "continue" or "return" if the arm a unit's `if` took ends with that
    statement (so it fires after the arm's results), else None."""
    for r in reversed(rec or ()):
        p = probes[r[0]]
        if p.kind != TEST or not isinstance(p.node, cst.If):
            continue
        arm, truth = r[1], r[2]
        if truth:
            return _arm_jumps(p)[arm]
        if arm == p.arms - 1 and p.has_else:
            return _arm_jumps(p)[p.arms]
        return None
    return None


_MAY_JUMP: dict[int, tuple[list, bool]] = {}


def may_jump(probes: list[Probe]) -> bool:
    """Whether any `if` arm of the program ends with break/continue/return: if not,
    :func:`jump_of` is None for every step and need not be asked (cached per program)."""
    hit = _MAY_JUMP.get(id(probes))
    if hit is not None and hit[0] is probes:
        return hit[1]
    flag = any(p.kind == TEST and isinstance(p.node, cst.If) and any(_arm_jumps(p)) for p in probes)
    if len(_MAY_JUMP) >= 64:  # synth compiles rule after rule: keep only recent programs
        _MAY_JUMP.clear()
    _MAY_JUMP[id(probes)] = (probes, flag)
    return flag


def after_line(name: str, r: str, k: int | None, rec, probes: list[Probe]) -> str:
    if k is not None:
        for x in reversed(rec):
            if x[0] == k:
                return f"{name} = {x[1]} {probes[k].op} {x[2]} = {x[3]}"
    return f"{name} = {r}"


def code_trace(events, probes: list[Probe]) -> str:
    out: list[str] = []
    _render(events, 0, len(events), probes, out, may_jump(probes))
    return "\n".join(out)


def interleave(rec, splices, working, calls) -> int:
    """Walk a step's working records and the calls it made (``run``'s splices) in the order
    they happened: ``working(records)`` for a run of records, ``calls(lo, hi)`` for a call's
    events. Returns the index after the last spliced event (0 if none). Shared by the code
    and NL renderers."""
    if not splices:
        if rec:
            working(rec)
        return 0
    end = j = 0
    rec = rec or ()
    for pos, a, b in splices:
        if pos > j:
            working(rec[j:pos])
            j = pos
        calls(a, b)
        end = b
    if j < len(rec):
        working(rec[j:])
    return end


def _working(rec, splices, events, probes: list[Probe], out: list[str], jumps: bool) -> int:
    """The step's working lines with the traces of the calls it made in between."""
    if not splices:  # the common case, without building the callbacks
        if rec:
            working_lines(rec, probes, out)
        return 0
    return interleave(
        rec,
        splices,
        lambda records: working_lines(records, probes, out),
        lambda lo, hi: _render(events, lo, hi, probes, out, jumps),
    )


def _render(events, lo: int, hi: int, probes: list[Probe], out: list[str], jumps: bool) -> None:
    add = out.append
    i = lo
    while i < hi:
        ev = events[i]
        i += 1
        kind = ev[KIND]
        if kind == UNIT:
            add(ev[STEP].text)
            for name, r in ev[UNIT_BEFORE]:
                add(f"{name} = {r}")
            rec = ev[UNIT_REC]
            if ev[UNIT_SPLICES]:
                i = max(i, _working(rec, ev[UNIT_SPLICES], events, probes, out, jumps))
            elif rec:
                working_lines(rec, probes, out)
            after = ev[UNIT_AFTER]
            if after:
                add(NOW)
                for name, r, k in after:
                    add(after_line(name, r, k, rec, probes) if k is not None else f"{name} = {r}")
            if jumps:
                jump = jump_of(rec, probes)
                if jump:
                    add(JUMP_LINES[jump])
        elif kind == CHECK:
            add(ev[STEP].header)
            for name, r in ev[CHECK_BEFORE]:
                add(f"{name} = {r}")
            i = max(i, _working(ev[CHECK_REC], ev[CHECK_SPLICES], events, probes, out, jumps))
            entered = ev[CHECK_ENTERED]
            if entered:
                for name, r in ev[CHECK_TARGETS] or ():
                    add(f"{name} = {r}")
                add(ENTER_LOOP)
            elif entered is not None:  # None: the check raised, no decision
                add(SKIP_LOOP)
        elif kind == ITER:
            add(f"{ev[STEP].number}.2 One iteration")
        elif kind == LOOP:
            add(f"{step_label(ev[STEP].number)} {ev[STEP].label}")
        elif kind == CALL:
            add("Initialize" if ev[CALL_TOP] else f"call {ev[STEP].name}")
            for name, r in ev[CALL_PARAMS]:
                add(f"{name} = {r}")
        elif kind == RETURNED:
            if ev[RETURNED_TOP]:
                add(ANSWER_PREFIX + format_answer(ev[RETURNED_VALUE]))
            else:
                add(f"{ev[STEP].name} returns {ev[RETURNED_SHOWN]}")
        elif kind == RET:
            step = ev[STEP]
            add(f"{step_label(step.number)} Return")
            add(step.text)
            for name, r in ev[RET_BEFORE]:
                add(f"{name} = {r}")
            i = max(i, _working(ev[RET_REC], ev[RET_SPLICES], events, probes, out, jumps))
        elif kind == BRANCH:
            br = ev[STEP]
            spliced = ev[BRANCH_SPLICES]
            for t, (before, rec, _truth) in enumerate(ev[BRANCH_TESTS]):
                add(br.headers[t])
                for name, r in before:
                    add(f"{name} = {r}")
                i = max(i, _working(rec, spliced[t] if t < len(spliced) else None, events, probes, out, jumps))
            taken = ev[BRANCH_TAKEN]
            if taken == BRANCH_RAISED:  # a test raised: no decision
                pass
            elif taken < 0:
                add(SKIP_IF)
            elif taken == len(br.tests):
                add(ENTER_ELSE)
            else:
                add(ENTER_IF if taken == 0 else ENTER_ELIF)
        elif kind == TRY:
            add(f"{step_label(ev[STEP].number)} Try")
        elif kind == EXCEPT:
            message = ev[EXCEPT_MESSAGE]
            add(f"{ev[EXCEPT_TYPE]}: {message}" if message else ev[EXCEPT_TYPE])
            add(ev[STEP].handlers[ev[EXCEPT_HANDLER]][3])
            add("enter except")


def scratchpad(events) -> str:
    """The state after every iteration of the rule's loops, then the answer; no rule recited."""
    out: list[str] = []
    for ev in events:
        if ev[KIND] == ITER_END:
            out.append(", ".join(f"{n} = {r}" for n, r in ev[ITER_END_STATE]))
        elif ev[KIND] == RETURNED and ev[RETURNED_TOP]:
            out.append(ANSWER_PREFIX + format_answer(ev[RETURNED_VALUE]))
    return "\n".join(out)
