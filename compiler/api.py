"""The compiler's public API: compile a rule once, run it on many inputs."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rulec.compiler.build import build_program
from rulec.compiler.copying import copy_set, copy_value
from rulec.compiler.errors import RuleError
from rulec.compiler.ir import Program
from rulec.compiler.parse import (
    MAX_SOURCE_CHARS,
    check_name_uses,
    forget_children,
    parse_source,
    pick_function,
)
from rulec.compiler.render import ANSWER_PREFIX, code_trace, format_answer, scratchpad
from rulec.compiler.run import execute
from rulec.compiler.sandbox import DEFAULT_BUDGETS, Budgets, check_input
from rulec.rows import PROMPT_HEAD, rule_prompt


def _restore(shared: list) -> None:
    """Put back the elements of input sets the rule ran on directly (what it added goes,
    what it removed comes back; a set the rule did not change is left exactly as it was)."""
    for s, elements in shared:
        if len(s) == len(elements) and all(x in s for x in elements):
            continue
        keep = set(elements)
        for x in [x for x in s if x not in keep]:
            s.discard(x)
        s.update(elements)


@dataclass
class Trace:
    """One run of a rule: its events and everything rendered from them."""

    rule: CompiledRule
    inputs: dict[str, Any]
    value: Any
    events: list
    loop_iterations: int
    steps: int

    @property
    def answer(self) -> str:
        return format_answer(self.value)

    def code(self) -> str:
        with _no_recursion_error():
            return code_trace(self.events, self.rule.program.probes)

    def scratchpad(self) -> str:
        return scratchpad(self.events)

    def nl(self, glossary: dict[str, str] | None = None) -> str:
        from rulec.compiler.nl import nl_trace

        rule = self.rule.nl_rule(glossary, self.inputs)
        with _no_recursion_error():
            return nl_trace(rule, self.events, self.rule.program.probes)


@dataclass
class CodeRun:
    """One run of a rule for its code trace alone (``CompiledRule.run_code``)."""

    text: str
    value: Any
    loop_iterations: int
    steps: int
    answer: str  # format_answer(value): the trace's last line, after ANSWER_PREFIX


@dataclass
class CompiledRule:
    program: Program
    budgets: Budgets = DEFAULT_BUDGETS
    _nl_cache: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.program.rule.name

    @property
    def params(self) -> list[str]:
        return list(self.program.rule.params)

    @property
    def text(self) -> str:
        """The rule as it appears in prompts."""
        return self.program.text

    def prompt(self, question: str) -> str:
        return rule_prompt(self.text, question)

    def run(self, inputs: dict[str, Any], *, scratch: bool = False, budgets: Budgets | None = None,
            owned: bool = False) -> Trace:
        """Run the rule on ``inputs``, which it leaves as they were; with ``owned`` (inputs
        made for this run alone, e.g. just parsed) the rule runs on them as they are and
        may change them (no copy)."""
        rt, value = self._execute(inputs, budgets or self.budgets, scratch=scratch, owned=owned)
        return Trace(self, inputs, value, rt.events, rt.iterations, rt.steps)

    def run_code(self, inputs: dict[str, Any], *, owned: bool = False) -> CodeRun:
        """``run(inputs)`` for its code trace alone: ``run_code(x).text == run(x).code()``.
        Most rules have a generated function that writes the trace's lines as it runs
        (no events to render afterwards); the others run and render as ``run`` does."""
        rt, value = self._execute(inputs, self.budgets, owned=owned, text=True)
        if rt.out is None:
            with _no_recursion_error():
                text = code_trace(rt.events, self.program.probes)
            answer = format_answer(value)
        else:
            text = "\n".join(rt.out)
            answer = rt.out[-1][len(ANSWER_PREFIX):]  # written last, by the generated function
        return CodeRun(text, value, rt.iterations, rt.steps, answer)

    def _execute(self, inputs: dict[str, Any], budgets: Budgets, *, scratch: bool = False, owned: bool = False,
                 text: bool = False):
        """Check the inputs, copy them (unless ``owned``) and run: (runtime, returned value)."""
        if not isinstance(inputs, dict):
            raise RuleError("inputs must be a mapping from parameter name to value")
        for k, v in inputs.items():  # inputs meet the budgets the rule's own values meet
            check_input(str(k), v, budgets)
        if owned:
            rt = execute(self.program, dict(inputs), budgets, scratch, text)
            return rt, rt.value
        shared: list = []
        copied = {k: copy_value(v, shared) for k, v in inputs.items()}
        if not shared:
            rt = execute(self.program, copied, budgets, scratch, text)
            return rt, rt.value
        # Some input set ran as itself (no copy iterates like it): undo what the rule did
        # to it; a result holding it keeps the state the rule left (copied before undoing).
        try:
            rt = execute(self.program, copied, budgets, scratch, text)
            value = rt.value
            if any(len(s) != len(e) or any(x not in s for x in e) for s, e in shared):
                value = copy_value(value)
        finally:
            _restore(shared)
        return rt, value

    def nl_rule(self, glossary: dict[str, str] | None = None, samples: dict | None = None):
        from rulec.compiler.nl import build_nl_rule

        # Types of the sample inputs (not their values) steer the wording, so one
        # rule renders the same for every input of the same shape.
        shape = tuple(sorted((k, type(v).__name__) for k, v in (samples or {}).items()))
        key = (tuple(sorted((glossary or {}).items())), shape)
        if key not in self._nl_cache:
            with _no_recursion_error():
                self._nl_cache[key] = build_nl_rule(self.program, glossary or {}, samples)
        return self._nl_cache[key]


def compile_rule(
    source: str,
    function: str | None = None,
    *,
    filename: str = "<rule>",
    units: Sequence[tuple[int, int]] = (),
    budgets: Budgets | None = None,
) -> CompiledRule:
    """Parse, validate and build ``source``; ``units`` declares multi-statement units by line range."""
    try:
        with _no_recursion_error(filename):
            parsed = parse_source(source, filename)
            check_name_uses(parsed)
            name = pick_function(parsed, function)
            program = build_program(parsed, name, units)
    finally:
        forget_children()
    return CompiledRule(program, budgets or DEFAULT_BUDGETS)


@contextmanager
def _no_recursion_error(filename: str | None = None):
    """The pre-parse scan bounds nesting; should a tree walk still recurse too deeply, the
    user sees one line, not a traceback."""
    try:
        yield
    except RecursionError:
        raise RuleError("the rule is nested too deeply to process", None, filename) from None
    except MemoryError:
        raise RuleError("out of memory while processing the rule", None, filename) from None


def compile_file(path: str | Path, function: str | None = None, **kw) -> CompiledRule:
    p = Path(path)
    try:
        if p.exists() and not p.is_dir() and not p.is_file():  # /dev/zero, a FIFO: never read
            raise RuleError(f"{p} is not a regular file")
        with open(p, "rb") as handle:  # at most one byte past the size limit: never a huge read
            data = handle.read(4 * MAX_SOURCE_CHARS + 1)
        if len(data) > 4 * MAX_SOURCE_CHARS:
            raise RuleError(f"{p} is too large for a rule file (at most {MAX_SOURCE_CHARS} characters)")
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise RuleError(f"no such file: {p}") from None
    except IsADirectoryError:
        raise RuleError(f"{p} is a directory, not a rule file") from None
    except UnicodeDecodeError:
        raise RuleError(f"{p} is not a UTF-8 text file") from None
    except OSError as e:
        raise RuleError(f"cannot read {p}: {e.strerror}") from None
    return compile_rule(text, function, filename=p.name, **kw)


__all__ = [
    "ANSWER_PREFIX", "CompiledRule", "Trace", "compile_file", "compile_rule", "copy_set", "copy_value", "PROMPT_HEAD",
]
