"""Render one task instance in a training format, and build its row.

Formats (docs/formats.md):

``direct``      prompt = the question; response = ``So the answer is <answer>``.
                The one-line answer sentence (rather than the bare answer) keeps a
                single answer extractor valid for every format; the bare answer is
                in the row's ``answer`` field.
``scratchpad``  prompt = the question; response = the state after every loop
                iteration, then ``So the answer is <answer>`` (no rule).
``rfft``        prompt = "Follow the given rule to solve the question.\\nrule:\\n<code
                rule>\\nQ: <question>"; response = the compiled code trace.
``rfft_nl``     the same with the numbered natural-language rule and the NL trace.

``shots=1`` puts a 1-shot exemplar in front of the prompt in the paper's wording
(``Here is 1 example:`` … ``Follow the above examples to answer the following
question:``): another instance of the same task at a short length (1…5 by
default), rendered in the same format.
"""

from __future__ import annotations

import json
import random
from typing import Any

from rulec.compiler import CodeRun, CompiledRule, Trace, compile_rule
from rulec.errors import ConfigError
from rulec.rows import ANSWER_PREFIX, make_row, rule_prompt, with_shot
from rulec.tasks.base import Task

FORMATS = ("direct", "scratchpad", "rfft", "rfft_nl")
SHOT_MAX_LENGTH = 5


class FormatError(ConfigError):
    """An unknown format or shot count (a user error)."""


def check_format(fmt: str, shots: int = 0) -> None:
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if shots not in (0, 1):
        raise FormatError(f"shots must be 0 or 1, not {shots}")


_COMPILED: dict[str, CompiledRule] = {}
_NL_SAMPLES: dict[str, dict[str, Any]] = {}


def compiled(task: Task) -> CompiledRule:
    """The task's rule, compiled once per process."""
    rule = _COMPILED.get(task.name)
    if rule is None:
        rule = _COMPILED[task.name] = compile_rule(task.rule, task.function, filename=task.name)
    return rule


def nl_samples(task: Task) -> dict[str, Any]:
    """Fixed sample inputs for the NL rule's type inference.

    The compiler caches the NL rule per glossary, so the samples of the first call
    would win; passing the same samples every time keeps the NL rule text
    identical in every process whatever instance it happens to render first.
    """
    if task.name not in _NL_SAMPLES:
        _NL_SAMPLES[task.name] = task.generate(3, random.Random(f"nl-samples/{task.name}"))
    return _NL_SAMPLES[task.name]


def nl_rule_text(task: Task, rule: CompiledRule) -> str:
    return rule.nl_rule(task.glossary, samples=nl_samples(task)).text


def rule_text(task: Task, rule: CompiledRule, fmt: str) -> str:
    """The rule a row records: the numbered NL rule for ``rfft_nl``, else the code."""
    return nl_rule_text(task, rule) if fmt == "rfft_nl" else rule.text


def _render_one(task: Task, rule: CompiledRule, inputs: dict[str, Any], fmt: str) -> tuple[str, str, Trace | CodeRun]:
    question = task.question(inputs)
    if fmt == "rfft":  # the code trace alone: written as the rule runs
        run = rule.run_code(inputs)
        return rule.prompt(question), run.text, run
    trace = rule.run(inputs, scratch=fmt == "scratchpad")
    if fmt == "direct":
        return question, ANSWER_PREFIX + trace.answer, trace
    if fmt == "scratchpad":
        return question, trace.scratchpad(), trace
    if fmt == "rfft_nl":
        text = nl_rule_text(task, rule)  # before trace.nl: fixes the cached NL rule
        return rule_prompt(text, question), trace.nl(task.glossary), trace
    raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def exemplar_for(
    task: Task, inputs: dict[str, Any], rng: random.Random, max_length: int = SHOT_MAX_LENGTH
) -> dict[str, Any]:
    """Another instance of ``task`` at a length in 1..max_length, different from ``inputs``."""
    example = inputs
    for _ in range(8):
        example = task.generate(rng.randint(1, max_length), rng)
        if example != inputs:
            break
    return example


def render(
    task: Task,
    rule: CompiledRule,
    inputs: dict[str, Any],
    fmt: str,
    shots: int = 0,
    exemplar_inputs: dict[str, Any] | None = None,
) -> tuple[str, str, Trace | CodeRun]:
    """``(prompt, response, trace)`` of one instance; ``trace`` is the instance's run.

    With ``shots=1`` and no ``exemplar_inputs``, the exemplar is drawn from a
    generator seeded by the task and the instance, so the result is deterministic.
    """
    check_format(fmt, shots)
    prompt, response, trace = _render_one(task, rule, inputs, fmt)
    if shots:
        if exemplar_inputs is None:
            key = json.dumps(inputs, sort_keys=True, default=repr)
            exemplar_inputs = exemplar_for(task, inputs, random.Random(f"shot/{task.name}/{key}"))
        ex_prompt, ex_response, _ = _render_one(task, rule, exemplar_inputs, fmt)
        prompt = with_shot(ex_prompt, ex_response, prompt)
    return prompt, response, trace


def row_id(task: Task, length: int, index: int) -> str:
    return f"{task.name}-{task.split}-L{length}-{index}"


def build_row(
    task: Task,
    rule: CompiledRule,
    inputs: dict[str, Any],
    fmt: str,
    *,
    length: int,
    index: int,
    shots: int = 0,
    exemplar_inputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One row in the row schema (docs/rows.md)."""
    prompt, response, trace = render(task, rule, inputs, fmt, shots, exemplar_inputs)
    return make_row(
        id=row_id(task, length, index),
        task=task.name,
        source=task.source,
        split=task.split,
        length=length,
        format=fmt,
        shots=shots,
        prompt=prompt,
        response=response,
        answer=trace.answer,
        inputs=inputs,
        rule=rule_text(task, rule, fmt),
        loop_iterations=trace.loop_iterations,
    )
