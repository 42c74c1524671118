"""The step checker against corruptions made from the compiled trace's events.

Gold traces come from the compiler (never hard-coded text); each corruption edits the run's
events (or the rendered lines at a position found from the events) and re-renders with the
compiler's own renderers, so the tests follow any change in trace wording.
"""

from __future__ import annotations

import random

import pytest

from rulec.compiler.nl import nl_trace
from rulec.compiler.render import code_trace
from rulec.eval import events as E
from rulec.eval.checker import Checker, check, count_loop_iterations, extract_answer
from rulec.tasks.base import SOURCES
from rulec.tasks.formats import build_row, compiled
from rulec.tasks.registry import all_tasks

FORMS = ("rfft", "rfft_nl")


class Instance:
    def __init__(self, task, length: int, seed: int):
        self.task = task
        self.rule = compiled(task)
        self.inputs = task.generate(length, random.Random(seed))
        self.rows = {f: build_row(task, self.rule, self.inputs, f, length=length, index=seed)
                     for f in FORMS}
        self.events = list(self.rule.run(self.inputs).events)
        self.probes = self.rule.program.probes

    def render(self, events, fmt: str) -> str:
        if fmt == "rfft":
            return code_trace(events, self.probes)
        nl_rule = self.rule.nl_rule(self.task.glossary, self.inputs)
        return nl_trace(nl_rule, events, self.probes)

    def start_line(self, i: int, fmt: str) -> int:
        """0-based line where event ``i`` starts rendering."""
        text = self.render(self.events[:i], fmt)
        return len(text.split("\n")) if text else 0


def _plain(events) -> bool:
    """No helper calls (so events can be inserted without moving splice indices)."""
    return not any(ev[0] == E.CALL and not ev[3] for ev in events)


def _instances(source: str, want):
    for task in all_tasks():
        if task.source != source:
            continue
        for seed in range(3):
            inst = Instance(task, 3, seed)
            if _plain(inst.events) and want(inst):
                return inst
    return None


def _first_diff(a: str, b: str) -> int:
    la, lb = a.split("\n"), b.split("\n")
    for j, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return j + 1
    return min(len(la), len(lb)) + 1


# ---------------------------------------------------------------- corruptions (events -> events)


def extra_iteration(inst):
    segs = [s for s in E.loop_segments(inst.events) if not inst.events[s[1]][4]]
    if not segs:
        return None
    c, nxt, _ = segs[-1]
    ev = inst.events
    new = ev[:nxt] + [E.with_check_decision(ev[nxt], True, ev[c][5])] + ev[c + 1:nxt] + ev[nxt:]
    return new, f"{ev[c][1].number}.1", "loop"


def missing_iteration(inst):
    segs = [s for s in E.loop_segments(inst.events) if not inst.events[s[1]][4]]
    if not segs:
        return None
    c, nxt, _ = segs[-1]
    ev = inst.events
    new = ev[:c] + [E.with_check_decision(ev[c], False)] + ev[nxt + 1:]
    return new, f"{ev[c][1].number}.1", "loop"


def _bump(r: str) -> str | None:
    if r in ("True", "False"):
        return "False" if r == "True" else "True"
    if len(r) >= 2 and r[0] == r[-1] and r[0] in "'\"":
        return r[:-1] + "z" + r[-1]
    try:
        return repr(int(r) + 1)
    except (TypeError, ValueError):
        return None


def wrong_value(inst):
    for i, ev in enumerate(inst.events):
        if ev[0] != E.UNIT or not ev[4]:
            continue
        for n, (name, r, k) in enumerate(ev[4]):
            if k is None:
                bumped = _bump(r)
                if bumped is None:
                    continue
                after = list(ev[4])
                after[n] = (name, bumped, None)
                new_ev = (ev[0], ev[1], ev[2], ev[3], after, ev[5])
            else:
                rec = list(ev[3])
                pos = max(p for p, x in enumerate(rec) if x[0] == k)
                if type(rec[pos][3]) is not int:
                    continue
                rec[pos] = (*rec[pos][:3], rec[pos][3] + 1)
                new_ev = (ev[0], ev[1], ev[2], rec, ev[4], ev[5])
            return inst.events[:i] + [new_ev] + inst.events[i + 1:], ev[1].number, "value"
    return None


def wrong_branch(inst):
    for i, ev in enumerate(inst.events):
        if ev[0] == E.BRANCH and ev[3] != -2:
            br, tests, taken = ev[1], list(ev[2]), ev[3]
            if 0 <= taken < len(tests):
                before, rec, _ = tests[taken]
                tests[taken] = (before, rec, False)
                taken = len(br.tests) if br.has_else and taken == len(br.tests) - 1 else -1
                if taken == -1 and len(tests) < len(br.tests):
                    continue
            else:
                before, rec, _ = tests[-1]
                tests[-1] = (before, rec, True)
                taken = len(tests) - 1
            new_ev = [ev[0], br, tests, taken, *ev[4:]]
            return inst.events[:i] + [new_ev] + inst.events[i + 1:], br.number, "branch"
        if ev[0] == E.UNIT and ev[3]:
            rec = list(ev[3])
            for p, x in enumerate(rec):
                probe = inst.probes[x[0]]
                if probe.kind == 3 and x[2]:  # TEST taken: take the last arm's "not taken" instead
                    rec[p] = (x[0], probe.arms - 1, False)
                    new_ev = (ev[0], ev[1], ev[2], rec, ev[4], ev[5])
                    return inst.events[:i] + [new_ev] + inst.events[i + 1:], ev[1].number, "branch"
    return None


CORRUPTIONS = {
    "extra_iteration": extra_iteration,
    "missing_iteration": missing_iteration,
    "wrong_value": wrong_value,
    "wrong_branch": wrong_branch,
}


@pytest.mark.parametrize("fmt", FORMS)
@pytest.mark.parametrize("source", SOURCES)
def test_gold_scores_correct(source, fmt):
    inst = _instances(source, lambda i: True)
    row = inst.rows[fmt]
    assert inst.render(inst.events, fmt) == row["response"]
    result = check(row, row["response"])
    assert result.correct and result.first_divergence is None
    assert result.predicted == row["answer"]
    assert result.predicted_loop_iterations == row["loop_iterations"]
    # extra text after the answer line does not matter
    tail = check(row, row["response"] + "\nThanks!\n<|im_end|>")
    assert tail.correct and tail.first_divergence is None


@pytest.mark.parametrize("fmt", FORMS)
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_event_corruptions(name, source, fmt):
    corrupt = CORRUPTIONS[name]
    inst = _instances(source, lambda i: corrupt(i) is not None)
    if inst is None:
        pytest.skip(f"no {source} task with a {name} site at length 3")
    new_events, step, kind = corrupt(inst)
    row = inst.rows[fmt]
    output = inst.render(new_events, fmt)
    assert output != row["response"]
    d = check(row, output).first_divergence
    assert d is not None
    assert d.kind == kind, (d, name)
    assert d.line == _first_diff(row["response"], output)
    assert d.step == step or d.step.startswith(step + "."), (d.step, step)
    assert d.expected == row["response"].split("\n")[d.line - 1]
    if name.endswith("iteration"):
        got = count_loop_iterations(output, fmt)
        assert got == row["loop_iterations"] + (1 if name == "extra_iteration" else -1)


@pytest.mark.parametrize("fmt", FORMS)
@pytest.mark.parametrize("source", SOURCES)
def test_wrong_recitation(source, fmt):
    inst = _instances(source, lambda i: sum(ev[0] == E.UNIT for ev in i.events) >= 2)
    units = [i for i, ev in enumerate(inst.events) if ev[0] == E.UNIT]
    row = inst.rows[fmt]
    lines = row["response"].split("\n")
    a, b = units[-1], units[0]
    la, lb = inst.start_line(a, fmt), inst.start_line(b, fmt)
    if lines[la] == lines[lb]:
        b = next(u for u in units if lines[inst.start_line(u, fmt)] != lines[la])
        lb = inst.start_line(b, fmt)
    bad = lines[:la] + [lines[lb]] + lines[la + 1:]
    d = check(row, "\n".join(bad)).first_divergence
    assert d.kind == "recitation"
    assert (d.line, d.step) == (la + 1, inst.events[a][1].number)
    # a wrong step number is a recitation error too
    if fmt == "rfft_nl":
        number = inst.events[a][1].number
        renumbered = lines[la].replace(number, number + "9", 1)
        d = check(row, "\n".join(lines[:la] + [renumbered] + lines[la + 1:])).first_divergence
        assert (d.kind, d.line) == ("recitation", la + 1)


@pytest.mark.parametrize("fmt", FORMS)
@pytest.mark.parametrize("source", SOURCES)
def test_truncated(source, fmt):
    inst = _instances(source, lambda i: sum(ev[0] == E.UNIT for ev in i.events) >= 2)
    units = [i for i, ev in enumerate(inst.events) if ev[0] == E.UNIT]
    u = units[len(units) // 2]
    row = inst.rows[fmt]
    cut = inst.start_line(u, fmt) + 1  # one line into the unit
    output = "\n".join(row["response"].split("\n")[:cut])
    result = check(row, output)
    d = result.first_divergence
    assert (d.kind, d.line, d.got, d.step) == ("format", cut + 1, None, inst.events[u][1].number)
    assert result.predicted is None and not result.correct
    # cut inside a line (a token budget ran out there): still a truncation
    lines = row["response"].split("\n")
    partial = "\n".join(lines[:cut] + [lines[cut][: max(1, len(lines[cut]) // 2)]])
    d = check(row, partial).first_divergence
    assert (d.kind, d.line) == ("format", cut + 1)


def test_answer_extraction():
    assert extract_answer("a\nSo the answer is 42\nmore text") == "42"
    assert extract_answer("So the answer is [1, 2]  \n") == "[1, 2]"
    assert extract_answer("no answer here") is None
    assert extract_answer("blah. So the answer is yes") == "yes"
    assert extract_answer("") is None


def test_missing_answer_line_is_format():
    inst = _instances("nupa", lambda i: True)
    row = inst.rows["rfft"]
    lines = row["response"].split("\n")
    d = check(row, "\n".join(lines[:-1])).first_divergence
    assert (d.kind, d.line, d.got) == ("format", len(lines), None)
    early = "\n".join(lines[:3] + [lines[-1]])
    d = check(row, early).first_divergence
    assert (d.kind, d.line) == ("format", 4)
    wrong = "\n".join(lines[:-1] + [lines[-1] + "0"])
    r = check(row, wrong)
    assert r.first_divergence.kind == "value" and not r.correct


def test_direct_and_scratchpad_rows():
    task = next(t for t in all_tasks() if t.name == "lc_2544_alternating_digit_sum")
    rule = compiled(task)
    inputs = task.generate(4, random.Random(0))
    for fmt in ("direct", "scratchpad"):
        row = build_row(task, rule, inputs, fmt, length=4, index=0)
        r = Checker().check(row, row["response"])
        assert r.correct and r.first_divergence is None
        if fmt == "scratchpad":
            assert r.predicted_loop_iterations == row["loop_iterations"]
