"""One parametrised suite over every registered task (issue 5), plus the formats."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from functools import cache
from typing import Any

import pytest
from golden import assert_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulec.compiler import format_answer
from rulec.rows import ANSWER_PREFIX, PROMPT_HEAD, ROW_FIELDS, SHOT_HEAD, SHOT_TAIL
from rulec.tasks import all_tasks, get_task, task_names
from rulec.tasks.formats import (
    FORMATS,
    FormatError,
    build_row,
    compiled,
    nl_rule_text,
    render,
    row_id,
)
from rulec.tasks.registry import UnknownTaskError

NAMES = task_names()
LENGTHS = range(1, 32)
PER_LENGTH = 7  # 7 x 31 = 217 instances per task
CODE_TRACES_PER_LENGTH = 2
FIXED_FORMATS = ("direct", "scratchpad", "rfft")


def native(task) -> Any:
    """The rule as plain Python (our own, trusted source), no compiler involved."""
    env: dict[str, Any] = {}
    exec(compile(task.rule, f"<{task.name}>", "exec"), env)  # noqa: S102
    if task.function:
        return env[task.function]
    funcs = [v for k, v in env.items() if callable(v) and not k.startswith("__")]
    return funcs[0]


@cache
def instances(name: str) -> list[tuple[int, dict[str, Any]]]:
    task = get_task(name)
    return [
        (length, task.generate(length, random.Random(f"test/{name}/{length}/{i}")))
        for length in LENGTHS
        for i in range(PER_LENGTH)
    ]


@cache
def runs(name: str) -> list[tuple[int, dict[str, Any], Any, Any]]:
    """(length, inputs, native result, compiled trace) for every instance."""
    task = get_task(name)
    fn = native(task)
    rule = compiled(task)
    out = []
    for length, inputs in instances(name):
        out.append((length, inputs, fn(**copy.deepcopy(inputs)), rule.run(inputs)))
    return out


# ---------------------------------------------------------------- the registry


def test_registry_counts():
    tasks = all_tasks()
    assert len(tasks) == 88
    assert Counter(t.source for t in tasks) == {"leetcode": 74, "nupa": 4, "bbh": 8, "symbolic": 2}
    assert Counter(t.split for t in tasks) == {"pretrain": 76, "adapt": 12}
    assert len(set(NAMES)) == 88


def test_adaptation_tasks():
    adapt = {t.name for t in all_tasks() if t.split == "adapt"}
    numbers = {"258", "283", "461", "1598", "2544", "2677", "3324", "125"}
    assert {n.split("_")[1] for n in adapt if n.startswith("lc_")} == numbers
    assert {n for n in adapt if n.startswith("nupa_")} == {
        "nupa_add_integer", "nupa_digit_max_integer", "nupa_get_digit_integer", "nupa_length_integer",
    }


def test_unknown_task_suggests():
    with pytest.raises(UnknownTaskError, match="did you mean 'lc_258_add_digits'"):
        get_task("lc_258_add_digit")


# ---------------------------------------------------------------- every task


@pytest.mark.parametrize("name", NAMES)
def test_task_record(name):
    task = get_task(name)
    assert task.description and "\n" not in task.description
    assert task.length
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in task.glossary.items())


@pytest.mark.parametrize("name", NAMES)
def test_rule_compiles(name):
    task = get_task(name)
    rule = compiled(task)
    assert rule.text.strip()
    assert set(rule.params) == set(task.generate(1, random.Random(0)))


@pytest.mark.parametrize("name", NAMES)
def test_generate_deterministic_every_length(name):
    task = get_task(name)
    for length in LENGTHS:
        a = task.generate(length, random.Random(f"det/{length}"))
        b = task.generate(length, random.Random(f"det/{length}"))
        assert a == b, f"length {length}"
        assert json.loads(json.dumps(a)) == a, "inputs must be JSON values"
        assert isinstance(task.question(copy.deepcopy(a)), str)
        assert a != task.generate(length, random.Random(f"det/{length}/other")) or length == 1 or True


@pytest.mark.parametrize("name", NAMES)
def test_rule_equals_reference(name):
    task = get_task(name)
    checked = 0
    for length, inputs, result, _ in runs(name):
        want = task.reference(**copy.deepcopy(inputs))
        assert result == want and type(result) is type(want), f"length {length}: {inputs}"
        checked += 1
    assert checked >= 200


@pytest.mark.parametrize("name", NAMES)
def test_compiled_answer_equals_native(name):
    for length, inputs, result, trace in runs(name):
        assert trace.answer == format_answer(result), f"length {length}: {inputs}"
        assert trace.value == result


@pytest.mark.parametrize("name", NAMES)
def test_code_trace_loop_count(name):
    seen: Counter = Counter()
    for length, _, _, trace in runs(name):
        if seen[length] >= CODE_TRACES_PER_LENGTH:
            continue
        seen[length] += 1
        lines = trace.code().split("\n")
        assert lines.count("enter the loop") == trace.loop_iterations
        assert lines[-1] == ANSWER_PREFIX + trace.answer


@pytest.mark.parametrize("name", NAMES)
def test_loop_iterations_grow_with_length(name):
    by_length: dict[int, list[int]] = {}
    for length, _, _, trace in runs(name):
        by_length.setdefault(length, []).append(trace.loop_iterations)

    def mean(lengths: range) -> float:
        values = [v for n in lengths for v in by_length[n]]
        return sum(values) / len(values)

    short, long = mean(range(1, 6)), mean(range(25, 32))
    assert long > short, f"mean loop iterations {short:.1f} at lengths 1-5, {long:.1f} at 25-31"


@pytest.mark.parametrize("shots", [0, 1])
@pytest.mark.parametrize("fmt", FIXED_FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_format_renders(name, fmt, shots):
    task = get_task(name)
    rule = compiled(task)
    inputs = task.generate(6, random.Random(f"fmt/{name}"))
    prompt, response, trace = render(task, rule, inputs, fmt, shots)
    question = task.question(inputs)
    assert prompt.endswith(question)
    assert response.split("\n")[-1] == ANSWER_PREFIX + trace.answer
    if fmt == "direct":
        assert response == ANSWER_PREFIX + trace.answer
    if fmt == "rfft":
        # written as the rule ran: the same text the run's events render to
        assert (rule.prompt(question) in prompt) and response == rule.run(inputs).code()
    else:
        assert rule.text not in prompt
    if shots:
        assert prompt.startswith(SHOT_HEAD) and SHOT_TAIL in prompt
        head, tail = prompt.split(SHOT_TAIL)
        assert tail == (rule.prompt(question) if fmt == "rfft" else question)
        assert ANSWER_PREFIX in head
    else:
        assert SHOT_HEAD not in prompt
    assert render(task, rule, inputs, fmt, shots)[:2] == (prompt, response), "deterministic"


@pytest.mark.parametrize("shots", [0, 1])
@pytest.mark.parametrize("name", NAMES)
def test_rfft_nl_renders(name, shots):
    task = get_task(name)
    rule = compiled(task)
    inputs = task.generate(6, random.Random(f"fmt/{name}"))
    prompt, response, trace = render(task, rule, inputs, "rfft_nl", shots)
    text = nl_rule_text(task, rule)
    assert prompt.endswith(f"{PROMPT_HEAD}{text}\nQ: {task.question(inputs)}")
    assert response.split("\n")[-1] == ANSWER_PREFIX + trace.answer
    assert rule.text not in prompt
    if shots:
        assert prompt.startswith(SHOT_HEAD) and SHOT_TAIL in prompt


@pytest.mark.parametrize("name", NAMES)
def test_nl_rule_has_no_python_syntax(name):
    from rulec.compiler.nlcheck import python_syntax_in

    task = get_task(name)
    text = nl_rule_text(task, compiled(task))
    assert python_syntax_in(text) == []


# ---------------------------------------------------------------- rows and formats


def test_row_schema():
    task = get_task("lc_258_add_digits")
    inputs = {"num": 38}
    row = build_row(task, compiled(task), inputs, "rfft", length=2, index=7)
    assert tuple(row) == ROW_FIELDS
    assert row["id"] == row_id(task, 2, 7) == "lc_258_add_digits-adapt-L2-7"
    assert (row["task"], row["source"], row["split"], row["length"]) == ("lc_258_add_digits", "leetcode", "adapt", 2)
    assert row["answer"] == "2" and row["inputs"] == {"num": 38}
    assert row["rule"] == compiled(task).text
    assert row["loop_iterations"] == row["response"].split("\n").count("enter the loop")
    assert row["messages"] == [
        {"role": "user", "content": row["prompt"]},
        {"role": "assistant", "content": row["response"]},
    ]
    json.dumps(row)


def test_row_inputs_are_not_mutated():
    task = get_task("lc_283_move_zeroes")
    inputs = task.generate(8, random.Random(1))
    before = copy.deepcopy(inputs)
    row = build_row(task, compiled(task), inputs, "scratchpad", length=8, index=0)
    assert inputs == before and row["inputs"] == before


def test_answer_is_str_or_repr():
    task = get_task("lc_125_valid_palindrome")
    _, response, trace = render(task, compiled(task), task.generate(3, random.Random(2)), "direct")
    assert response in ("So the answer is True", "So the answer is False")


def test_explicit_exemplar():
    task = get_task("lc_258_add_digits")
    rule = compiled(task)
    prompt, _, _ = render(task, rule, {"num": 12345}, "scratchpad", 1, exemplar_inputs={"num": 77})
    assert prompt.startswith(SHOT_HEAD + task.question({"num": 77}) + "\n")


def test_unknown_format():
    task = get_task("lc_258_add_digits")
    with pytest.raises(FormatError, match="unknown format"):
        render(task, compiled(task), {"num": 1}, "code")
    with pytest.raises(FormatError, match="shots"):
        render(task, compiled(task), {"num": 1}, "rfft", shots=2)
    assert set(FORMATS) == {"direct", "scratchpad", "rfft", "rfft_nl"}


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.integers(1, 31), st.integers(0, 2**32))
def test_property_compiled_equals_native_and_reference(name, length, seed):
    task = get_task(name)
    inputs = task.generate(length, random.Random(seed))
    result = native(task)(**copy.deepcopy(inputs))
    assert result == task.reference(**copy.deepcopy(inputs))
    trace = compiled(task).run(inputs)
    assert trace.answer == format_answer(result)


# ---------------------------------------------------------------- golden rows




@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_task_rows(fmt):
    """`rulec tasks show nupa_add_integer --length 2 --seed 0 --shots 1 --format F`, pinned.

    Regenerate with ``pytest tests/test_tasks.py --regen-golden`` and review the diff.
    """
    from rulec.tasks.formats import exemplar_for
    from rulec.tasks.generate import sample_rng

    task = get_task("nupa_add_integer")
    rng = sample_rng(0, task.name, 2, 0)
    inputs = task.generate(2, rng)
    row = build_row(task, compiled(task), inputs, fmt, length=2, index=0, shots=1,
                    exemplar_inputs=exemplar_for(task, inputs, rng))
    text = f"{row['prompt']}\n\n=== response ===\n{row['response']}\n"
    assert_golden(f"task_nupa_add_integer_{fmt}_1shot.txt", text)
