"""Render a run's events as the RFFT code trace, the scratchpad and the answer.

Canonical phrases (parsed by the evaluator and by outside checks), each alone on
its line: ``enter the loop`` / ``do not enter`` (loop checks), ``enter if`` /
``enter elif`` / ``enter else`` / ``do not enter if`` (branches), ``now,`` (before
the values a step changed), and the last line ``So the answer is <answer>``.
"""

from __future__ import annotations

from rulec.compiler.events import (
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
from rulec.compiler.ir import AUG, BIN, CMP, TEST, VAL, Probe

ENTER_LOOP = "enter the loop"
SKIP_LOOP = "do not enter"
ENTER_IF = "enter if"
ENTER_ELIF = "enter elif"
ENTER_ELSE = "enter else"
SKIP_IF = "do not enter if"
NOW = "now,"
ANSWER_PREFIX = "So the answer is "


def step_label(number: str) -> str:
    """"2." for a top-level step, "2.1" for a nested one (the paper's style)."""
    return number if "." in number else number + "."


def format_answer(value) -> str:
    """``str(v)`` for a string, ``repr(v)`` for everything else."""
    return value if type(value) is str else repr(value)


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


def after_line(name: str, r: str, k: int | None, rec, probes: list[Probe]) -> str:
    if k is not None:
        for x in reversed(rec):
            if x[0] == k:
                return f"{name} = {x[1]} {probes[k].op} {x[2]} = {x[3]}"
    return f"{name} = {r}"


def code_trace(events, probes: list[Probe]) -> str:
    out: list[str] = []
    _render(events, 0, len(events), probes, out)
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


def _working(rec, splices, events, probes: list[Probe], out: list[str]) -> int:
    """The step's working lines with the traces of the calls it made in between."""
    if not splices:  # the common case, without building the callbacks
        if rec:
            working_lines(rec, probes, out)
        return 0
    return interleave(
        rec,
        splices,
        lambda records: working_lines(records, probes, out),
        lambda lo, hi: _render(events, lo, hi, probes, out),
    )


def _render(events, lo: int, hi: int, probes: list[Probe], out: list[str]) -> None:
    add = out.append
    i = lo
    while i < hi:
        ev = events[i]
        i += 1
        kind = ev[0]
        if kind == UNIT:
            unit = ev[1]
            add(unit.text)
            for name, r in ev[2]:
                add(f"{name} = {r}")
            rec = ev[3]
            if ev[5]:
                i = max(i, _working(rec, ev[5], events, probes, out))
            elif rec:
                working_lines(rec, probes, out)
            after = ev[4]
            if after:
                add(NOW)
                for name, r, k in after:
                    add(after_line(name, r, k, rec, probes) if k is not None else f"{name} = {r}")
        elif kind == CHECK:
            loop = ev[1]
            add(loop.header)
            for name, r in ev[2]:
                add(f"{name} = {r}")
            i = max(i, _working(ev[3], ev[6], events, probes, out))
            if ev[4]:
                if ev[5]:
                    for name, r in ev[5]:
                        add(f"{name} = {r}")
                add(ENTER_LOOP)
            elif ev[4] is not None:  # None: the check raised, no decision
                add(SKIP_LOOP)
        elif kind == ITER:
            add(f"{ev[1].number}.2 One iteration")
        elif kind == LOOP:
            add(f"{step_label(ev[1].number)} {ev[1].label}")
        elif kind == CALL:
            fn = ev[1]
            add("Initialize" if ev[3] else f"call {fn.name}")
            for name, r in ev[2]:
                add(f"{name} = {r}")
        elif kind == RETURNED:
            if ev[3]:
                add(ANSWER_PREFIX + format_answer(ev[4]))
            else:
                add(f"{ev[1].name} returns {ev[2]}")
        elif kind == RET:
            step = ev[1]
            add(f"{step_label(step.number)} Return")
            add(step.text)
            for name, r in ev[2]:
                add(f"{name} = {r}")
            i = max(i, _working(ev[3], ev[4], events, probes, out))
        elif kind == BRANCH:
            br = ev[1]
            tests = ev[2]
            spliced = ev[4]
            for t, (before, rec, _truth) in enumerate(tests):
                add(br.headers[t])
                for name, r in before:
                    add(f"{name} = {r}")
                i = max(i, _working(rec, spliced[t] if t < len(spliced) else None, events, probes, out))
            taken = ev[3]
            if taken == -2:  # a test raised: no decision
                pass
            elif taken < 0:
                add(SKIP_IF)
            elif taken == len(br.tests):
                add(ENTER_ELSE)
            else:
                add(ENTER_IF if taken == 0 else ENTER_ELIF)
        elif kind == TRY:
            add(f"{step_label(ev[1].number)} Try")
        elif kind == EXCEPT:
            step = ev[1]
            add(f"{ev[3]}: {ev[4]}" if ev[4] else ev[3])
            add(step.handlers[ev[2]][3])
            add("enter except")


def scratchpad(events) -> str:
    """The state after every iteration of the rule's loops, then the answer; no rule recited."""
    out: list[str] = []
    for ev in events:
        if ev[0] == ITER_END:
            out.append(", ".join(f"{n} = {r}" for n, r in ev[2]))
        elif ev[0] == RETURNED and ev[3]:
            out.append(ANSWER_PREFIX + format_answer(ev[4]))
    return "\n".join(out)
