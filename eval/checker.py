"""The step checker: where a model's output first departs from the compiled trace, and why.

The gold trace of a row comes from the compiler (the row's ``response``, annotated with the
run's events through ``rulec.eval.events``); the rule is never re-parsed here. Output and gold
are compared line by line (trailing spaces and leading blank lines ignored); the first line
that differs is the divergence, classified by the role of the expected line and of the line
the model wrote:

``loop``        a loop decision differs (entered or left a loop at the wrong time, so the
                number of iterations is wrong)
``branch``      an if/elif/else decision differs
``format``      the output ends early (truncated), or is missing the answer line, or
                answers before the trace is done
``recitation``  a recited rule line or step number differs
``value``       anything else: a wrong value, arithmetic result or state after ``now,``

Text after a complete, matching trace (after the answer line) is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from rulec.eval import events as E

TRACE_FORMATS = ("rfft", "rfft_nl")
_ANSWER_RE = re.compile(r"^\s*" + re.escape(E.ANSWER_PREFIX) + r"(.*?)\s*$", re.MULTILINE)
_ANSWER_ANYWHERE = re.compile(re.escape(E.ANSWER_PREFIX.strip()) + r"\s+(.*?)\s*$", re.MULTILINE)


@dataclass
class Divergence:
    step: str | None
    line: int  # 1-based line of the output (one past its end when the output stopped early)
    kind: str  # loop | branch | value | recitation | format
    expected: str | None
    got: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    predicted: str | None
    correct: bool
    loop_iterations: int | None
    predicted_loop_iterations: int | None
    first_divergence: Divergence | None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["first_divergence"] = self.first_divergence.to_dict() if self.first_divergence else None
        return d


@dataclass
class GoldLine:
    text: str
    step: str | None
    role: str


# ------------------------------------------------------------------ answers and loop counts


def extract_answer(output: str) -> str | None:
    """The answer of the first line that starts with ``So the answer is``; failing that, the
    last ``So the answer is`` anywhere in a line; None when there is none."""
    m = _ANSWER_RE.search(output)
    if m:
        return m.group(1)
    found = _ANSWER_ANYWHERE.findall(output)
    return found[-1] if found else None


def count_loop_iterations(output: str, fmt: str) -> int | None:
    """Iterations the output claims, from the canonical phrases (``enter the loop`` lines in
    code traces, their sentence in NL traces, state lines in a scratchpad); None for direct."""
    lines = _lines(output)
    if fmt in TRACE_FORMATS:
        nl = fmt == "rfft_nl"
        n = 0
        for line in lines:
            if line.startswith(E.ANSWER_PREFIX):
                break
            n += E.is_loop_enter(line, nl)
        return n
    if fmt == "scratchpad":
        n = 0
        for line in lines:
            if line.startswith(E.ANSWER_PREFIX):
                break
            n += bool(line.strip())
        return n
    return None


# ------------------------------------------------------------------ gold annotation


def annotate(gold: str, nl: bool, events=None) -> list[GoldLine]:
    """Each gold line with its step number and role. Code traces take step numbers from the
    run's events (the recitations in order); NL traces from the numbers their lines start with."""
    lines = _lines(gold)
    out: list[GoldLine] = []
    step: str | None = E.INIT_STEP
    anchors = E.anchors(events) if (events is not None and not nl) else []
    p = 0
    j = 0
    while j < len(lines):
        line = lines[j]
        if anchors:
            hit = _match_anchor(lines, j, anchors, p)
            if hit is not None:
                p, anchor = hit
                step = anchor.step
                for k in range(len(anchor.lines)):
                    out.append(GoldLine(lines[j + k], step, E.RECITE))
                j += len(anchor.lines)
                continue
        role = E.line_role(line, nl)
        if nl and role == E.RECITE:
            number = E.step_number(line)
            if number is not None:
                step = number
            elif line == "Begin the process.":
                step = E.INIT_STEP
        out.append(GoldLine(line, step, role))
        j += 1
    return out


def _match_anchor(lines, j, anchors, p, lookahead: int = 3):
    line = lines[j]
    for q in range(p, min(p + lookahead, len(anchors))):
        a = anchors[q]
        if a.lines[0] == line and (len(a.lines) == 1 or tuple(lines[j:j + len(a.lines)]) == a.lines):
            return q + 1, a
    return None


# ------------------------------------------------------------------ divergence


def first_divergence(gold: list[GoldLine] | Callable[[], list[GoldLine]], output: str, nl: bool,
                     gold_text: list[str] | None = None) -> Divergence | None:
    """The first output line that differs from the gold trace. ``gold`` may be a callable
    that annotates on demand (an output that follows the trace never needs it), in which
    case ``gold_text`` holds the plain gold lines."""
    raw = output.split("\n")
    offset = 0
    while offset < len(raw) and not raw[offset].strip():
        offset += 1
    got_lines = [x.rstrip() for x in raw[offset:]]
    while got_lines and not got_lines[-1]:
        got_lines.pop()
    texts = gold_text if gold_text is not None else [g.text for g in gold]
    for j, text in enumerate(texts):
        got = got_lines[j] if j < len(got_lines) else None
        if got == text:
            continue
        lines = gold() if callable(gold) else gold
        g = lines[j]
        kind = classify(g, got, nl)
        if got is not None and j == len(got_lines) - 1 and got and text.startswith(got):
            kind = "format"  # the output stops inside this line: truncated
        return Divergence(g.step, offset + j + 1, kind, g.text, got)
    return None


def classify(expected: GoldLine, got: str | None, nl: bool) -> str:
    if got is None:
        return "format"
    got_role = E.line_role(got, nl)
    if E.LOOP_DECISION in (expected.role, got_role):
        return "loop"
    if E.BRANCH_DECISION in (expected.role, got_role):
        return "branch"
    if expected.role == E.ANSWER and got_role == E.ANSWER:
        return "value"
    if E.ANSWER in (expected.role, got_role):
        return "format"
    if expected.role == E.RECITE:
        return "recitation"
    return "value"


# ------------------------------------------------------------------ rows


def gold_response(row: dict[str, Any]) -> str:
    if row.get("response") is not None:
        return row["response"]
    messages = row.get("messages") or []
    if messages and messages[-1]["role"] == "assistant":
        return messages[-1]["content"]
    raise ValueError(f"row {row.get('id')} has no gold response")


def row_events(row: dict[str, Any]):
    """The run events of a row's instance: the task's compiled rule (or the row's code rule)
    run on its inputs; None when neither is available."""
    from rulec.compiler import compile_rule
    from rulec.tasks.formats import compiled
    from rulec.tasks.registry import UnknownTaskError, get_task

    inputs = row.get("inputs")
    if not isinstance(inputs, dict):
        return None
    try:
        rule = compiled(get_task(row["task"]))
    except (UnknownTaskError, KeyError):
        if row.get("format") != "rfft" or not row.get("rule"):
            return None
        rule = _compiled_text(row["rule"], compile_rule)
    return rule.run(inputs).events


_TEXT_RULES: dict[str, Any] = {}


def _compiled_text(text: str, compile_rule):
    if text not in _TEXT_RULES:
        _TEXT_RULES[text] = compile_rule(text)
    return _TEXT_RULES[text]


class Checker:
    """Checks outputs against rows; caches each row's gold annotation by row id."""

    def __init__(self) -> None:
        self._gold: dict[str, list[GoldLine]] = {}

    def gold(self, row: dict[str, Any]) -> list[GoldLine]:
        key = row.get("id") or id(row)
        if key not in self._gold:
            fmt = row.get("format", "rfft")
            nl = fmt == "rfft_nl"
            events = row_events(row) if fmt == "rfft" else None
            self._gold[key] = annotate(gold_response(row), nl, events)
        return self._gold[key]

    def check(self, row: dict[str, Any], output: str) -> CheckResult:
        fmt = row.get("format", "rfft")
        predicted = extract_answer(output)
        answer = row.get("answer")
        correct = predicted is not None and answer is not None and predicted == str(answer)
        divergence = first_divergence(lambda: self.gold(row), output, fmt == "rfft_nl",
                                      gold_text=_lines(gold_response(row)))
        return CheckResult(
            predicted=predicted,
            correct=correct,
            loop_iterations=row.get("loop_iterations"),
            predicted_loop_iterations=count_loop_iterations(output, fmt),
            first_divergence=divergence,
        )


def check(row: dict[str, Any], output: str) -> CheckResult:
    """Check one model output against its row (the library call behind ``rulec check``)."""
    return Checker().check(row, output)


def _lines(text: str) -> list[str]:
    lines = [x.rstrip() for x in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines
