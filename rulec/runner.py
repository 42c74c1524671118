"""`rulec compile`: a user's rule compiled and run on many inputs behind the process wall.

The parent reads the rule file and the inputs (bounded reads) and writes the output;
parsing, code generation and every run happen in one warm worker process
(:func:`rulec.parallel.ordered_map`) that compiles the rule once in its setup. An
input whose run crashes or exceeds a budget of the process wall becomes a
:class:`rulec.parallel.Failure`, reported like any other error of that input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rulec.compiler.errors import RuleError

try:
    from _json import encode_basestring as _encode_text
    from _json import encode_basestring_ascii as _encode_ascii
except ImportError:  # pragma: no cover - CPython has the C encoders
    from json.encoder import py_encode_basestring as _encode_text
    from json.encoder import py_encode_basestring_ascii as _encode_ascii


@dataclass(frozen=True)
class CompileJob:
    """Everything a worker needs to compile the rule and render one input."""

    source: str
    filename: str
    function: str | None = None
    max_steps: int = 100_000
    nl: bool = False
    glossary: dict[str, str] = field(default_factory=dict)
    question: str | None = None
    as_json: bool = False
    polish: bool = False  # the parent polishes: return the raw NL rule text with the record
    rows: str | None = None  # the data format of full rows: rfft, rfft_nl, scratchpad, direct
    fields: tuple[str, ...] | None = None  # the columns rows keep (None: all)


def json_string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``: ASCII text (known in O(1)) takes the
    faster ASCII encoder, which writes the same characters for it."""
    return _encode_ascii(text) if text.isascii() else _encode_text(text)


class InputError(ValueError):
    """An input that is not an object of plain values (the caller names where it came from)."""


MAX_INPUT_DEPTH = 200
_FLAT = frozenset({int, float, bool, type(None)})


def parse_inputs(text: str) -> dict[str, Any]:
    """One input: a JSON object or a Python literal dict, never evaluated as code."""
    import ast

    text = text.strip()
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as e:
            if "digits" in str(e):
                raise InputError("an integer has more than 4300 digits") from None
            raise InputError(f"not a JSON object or Python literal dict: {text[:60]!r}") from None
    if not isinstance(value, dict):
        raise InputError(f"expected an object keyed by parameter name, got {type(value).__name__}")
    check_inputs(value)
    return value


def check_inputs(value: Any) -> None:
    """Inputs nest at most 200 deep and hold only valid Unicode text (no lone surrogates)."""
    stack = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_INPUT_DEPTH:
            raise InputError(f"the value nests deeper than {MAX_INPUT_DEPTH} levels")
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError("a string holds a lone surrogate (not valid Unicode text)") from None
        elif isinstance(v, dict):
            stack.extend((x, depth + 1) for pair in v.items() for x in pair)
        elif isinstance(v, (list, tuple, set, frozenset)):
            if _FLAT.issuperset(map(type, v)):  # numbers: nothing below to check
                continue
            stack.extend((x, depth + 1) for x in v)


def default_question(name: str, inputs: dict) -> str:
    given = ", ".join(f"{k} = {v!r}" for k, v in inputs.items())
    return f"Given {given}, what does {name} return?" if given else f"What does {name} return?"


def nl_prompt(rule_nl: str, question: str) -> str:
    from rulec.rows import rule_prompt

    return rule_prompt(rule_nl, question)


class Compiled:
    """A worker's state: the job and its compiled rule."""

    def __init__(self, job: CompileJob):
        from dataclasses import replace

        from rulec.compiler import compile_rule
        from rulec.compiler.sandbox import DEFAULT_BUDGETS

        self.job = job
        self.rule = compile_rule(job.source, job.function, filename=job.filename,
                                 budgets=replace(DEFAULT_BUDGETS, max_steps=job.max_steps))

        self._json_parts = self._record_json_parts()

    def _record_json_parts(self) -> tuple[str, Callable[[str], str]] | None:
        """The JSON text every ``--json`` record of this rule starts with (the rule, and the
        prompt up to its question), encoded once. JSON escapes character by character, so
        ``dumps(a + b) == dumps(a)[:-1] + dumps(b)[1:]``; None when the prompt does not end
        with its question (then each record is encoded whole)."""
        head = self.rule.prompt("")
        if self.rule.prompt("\x00") != head + "\x00":
            return None
        dumps = json_string
        return '{"rule": ' + dumps(self.rule.text) + ', "prompt": ' + dumps(head)[:-1], dumps

    def record_json(self, inputs: dict[str, Any], owned: bool = False) -> str:
        """``json.dumps(self.record(inputs), ensure_ascii=False)``, without encoding the
        rule text twice for every input (the hot path of ``rulec compile --json``). With
        ``owned`` (inputs parsed for this record alone) the rule runs on them uncopied."""
        parts = self._json_parts
        if parts is None or self.job.nl:
            return json.dumps(self.record(inputs), ensure_ascii=False)
        head, dumps = parts
        job, rule = self.job, self.rule
        # the question shows the inputs as given: made before the run, which may change them
        q = fill_question(job.question, inputs) if job.question else default_question(rule.name, inputs)
        trace = rule.run_code(inputs, owned=owned)
        return (f'{head}{dumps(q)[1:]}, "trace": {dumps(trace.text)}, "answer": {dumps(trace.answer)}, '
                f'"loop_iterations": {trace.loop_iterations!r}, "steps": {trace.steps!r}}}')

    def rule_text(self, samples: dict | None = None) -> str:
        if self.job.nl:
            return self.rule.nl_rule(self.job.glossary, samples).text
        return self.rule.text

    def record(self, inputs: dict[str, Any]) -> dict[str, Any]:
        job, rule = self.job, self.rule
        trace = rule.run(inputs)
        q = fill_question(job.question, inputs) if job.question else default_question(rule.name, inputs)
        record = {
            "rule": rule.text,
            "prompt": rule.prompt(q),
            "trace": trace.code(),
            "answer": trace.answer,
            "loop_iterations": trace.loop_iterations,
            "steps": trace.steps,
        }
        if job.nl:
            rule_nl = self.rule_text(inputs)
            record["rule_nl"] = rule_nl
            record["prompt_nl"] = nl_prompt(rule_nl, q)
            record["trace_nl"] = trace.nl(job.glossary)
        return record

    def row(self, inputs: dict[str, Any], line: int) -> str:
        """One row in the row schema (``rulec.rows``), as a JSON line."""
        from rulec.compiler import ANSWER_PREFIX
        from rulec.io import dumps
        from rulec.rows import make_row

        job, rule, fmt = self.job, self.rule, self.job.rows
        trace = rule.run_code(inputs) if fmt == "rfft" else rule.run(inputs, scratch=fmt == "scratchpad")
        q = fill_question(job.question, inputs) if job.question else default_question(rule.name, inputs)
        text = rule.text
        if fmt == "direct":
            prompt, response = q, ANSWER_PREFIX + trace.answer
        elif fmt == "scratchpad":
            prompt, response = q, trace.scratchpad()
        elif fmt == "rfft_nl":
            text = rule.nl_rule(job.glossary, inputs).text
            prompt, response = nl_prompt(text, q), trace.nl(job.glossary)
        else:
            prompt, response = rule.prompt(q), trace.text
        name = job.filename.rsplit(".", 1)[0]
        row = make_row(
            id=f"{name}-{rule.name}-{line}", task=rule.name, source="user", split="custom",
            length=trace.loop_iterations, format=fmt, shots=0, prompt=prompt, response=response,
            answer=trace.answer, inputs=inputs, rule=text, loop_iterations=trace.loop_iterations,
            input_line=line,
        )
        return dumps(row, job.fields)


ROW_FORMATS = ("rfft", "rfft_nl", "scratchpad", "direct")






def fill_question(template: str, inputs: dict[str, Any]) -> str:
    """``{name}`` -> the input's value; nothing else of ``str.format`` (no attributes)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(inputs[m.group(1)]) if m.group(1) in inputs else m.group(0),
                  template)


def preload(job: CompileJob) -> None:
    """Import here what the workers will run, before they fork from this process, when
    Python may cache bytecode: a worker cannot write it (no file may grow behind the
    process wall), so every run compiled the compiler's modules from source again (0.1 s
    of start-up). With the bytecode cached, importing here or in the workers takes the
    same time; without caching (``PYTHONDONTWRITEBYTECODE``) the workers import it, side
    by side. No rule code is read here."""
    import sys

    if sys.dont_write_bytecode:
        return
    import rulec.compiler.api
    import rulec.compiler.codegen  # noqa: F401
    import rulec.rows  # noqa: F401

    if job.nl or job.rows == "rfft_nl":
        import rulec.compiler.nl  # noqa: F401


def setup(job: CompileJob) -> Compiled:
    try:
        return Compiled(job)
    except (RuleError, MemoryError):
        raise
    except RecursionError:
        raise RuleError("the rule nests too deeply to compile (RecursionError)", filename=job.filename) from None
    except Exception as e:  # a bug of rulec's: still one line
        message = " ".join(str(e).split())[:200]
        raise RuleError(f"internal error while compiling ({type(e).__name__}: {message})",
                        filename=job.filename) from None


def render(state: Compiled, item: tuple[str, Any]) -> Any:
    """One item: ``("rule", None)`` -> the rule text; ``("run", inputs)`` -> the output
    text of that input (with ``polish``: its record, for the parent to finish);
    ``("line", text)`` -> the same for an input still to be parsed (a line of
    ``--args-file``, parsed here so that the parent only reads and writes). A rule or
    input error comes back as ``("error", message)``."""
    kind, inputs = item[0], item[1]
    try:
        if kind == "line":
            inputs = parse_inputs(inputs)
        if kind == "rule":
            text = state.rule_text()
            if state.job.polish:
                return {"rule_nl": text}
            if state.job.as_json:  # --json is always JSON
                key = "rule_nl" if state.job.nl else "rule"
                return json.dumps({"function": state.rule.name, key: text}, ensure_ascii=False)
            return text
        if not isinstance(inputs, dict):
            raise RuleError("inputs must be a mapping from parameter name to value")
        if state.job.rows is not None:
            return state.row(inputs, item[2])
        if state.job.as_json and not state.job.polish:
            return state.record_json(inputs, owned=kind == "line")
        record = state.record(inputs)
        if state.job.polish:
            return record
        return format_record(record, state.job)
    except (RuleError, InputError) as e:
        return ("error", str(e))
    except RecursionError:
        return ("error", "the rule or its input nests too deeply (RecursionError)")
    except MemoryError:
        raise
    except Exception as e:  # a bug of rulec's: still one line, the input named by the caller
        return ("error", f"internal error ({type(e).__name__}: {' '.join(str(e).split())[:200]})")


def format_record(record: dict[str, Any], job: CompileJob) -> str:
    if job.as_json:
        return json.dumps(record, ensure_ascii=False)
    if job.nl:
        return f"{record['prompt_nl']}\n\n{record['trace_nl']}"
    return f"{record['prompt']}\n\n{record['trace']}"
