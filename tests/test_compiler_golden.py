"""Golden code traces, plus independent checks of the paper's appendix D.1 / D.2.

The golden files under ``tests/golden/`` are the compiler's code traces. They catch
any drift of the format. Regenerate them after an *intended* format change with

    pytest tests/test_compiler_golden.py --regen-golden      (or RULEC_REGEN_GOLDEN=1 pytest ...)

and review the diff. Independently of the golden files, each example's sequence of
decisions and its key states are asserted as derived by hand from the paper (D.1:
``add_digits`` on 15; D.2: ``process_list`` on ``ywhm=[3], erep=[50, 31]``) or from the
rule itself, so a regenerated golden file cannot silently bless a wrong trace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import assert_golden

from rulec.compiler import compile_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

DECISIONS = ("enter the loop", "do not enter", "enter if", "enter elif", "enter else", "do not enter if")

# name -> (example file, inputs, declared units (line ranges), golden file)
CASES = {
    "add_digits": ("add_digits.py", {"num": 15}, (), "add_digits_15.txt"),
    # the paper's D.1 recites `sum += num % 10` / `num //= 10` as one unit
    "add_digits_units": ("add_digits.py", {"num": 15}, ((5, 6),), "add_digits_15_units.txt"),
    # D.2: snippet 9 (`val = ...` / `ywhm.append(val)`) is one unit, lines 14-15 of the example
    "process_list": ("process_list.py", {"ywhm": [3], "erep": [50, 31]}, ((14, 15),), "process_list_d2.txt"),
    "digit_histogram": ("digit_histogram.py", {"numbers": [15, 7]}, (), "digit_histogram_15_7.txt"),
    "move_zeroes": ("move_zeroes.py", {"nums": [0, 1, 0, 3, 12]}, (), "move_zeroes_01_0_3_12.txt"),
}


def trace_of(name: str):
    file, inputs, units, _ = CASES[name]
    rule = compile_file(EXAMPLES / file, units=units)
    return rule.run(inputs)


def decisions(text: str) -> list[str]:
    return [line for line in text.splitlines() if line in DECISIONS]


def assert_in_order(lines: list[str], expected: list[str]) -> None:
    """``expected`` occurs in ``lines`` as a subsequence (same order, gaps allowed)."""
    pos = 0
    for want in expected:
        try:
            pos = lines.index(want, pos) + 1
        except ValueError:
            raise AssertionError(f"{want!r} missing (in order) from the trace:\n" + "\n".join(lines)) from None


# -- golden files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_trace(name):
    assert_golden(CASES[name][3], trace_of(name).code() + "\n")


# -- D.1: add_digits on 15, hand-derived from the paper -----------------------------------


@pytest.mark.parametrize("name", ["add_digits", "add_digits_units"])
def test_d1_add_digits_decisions_and_states(name):
    trace = trace_of(name)
    text = trace.code()
    lines = text.splitlines()
    # outer loop entered once; inner loop entered for 15 and 1, not for 0; outer loop left at 6
    assert decisions(text) == ["enter the loop", "enter the loop", "enter the loop", "do not enter", "do not enter"]
    assert trace.loop_iterations == 3
    assert_in_order(lines, [
        "num = 15",
        "while num > 9:",
        "enter the loop",
        "sum = 0",
        "while num:",
        "enter the loop",
        "sum += num % 10",
        "now,",
        "sum = 0 + 5 = 5",
        "num = 15 // 10 = 1",
        "enter the loop",
        "sum = 5 + 1 = 6",
        "num = 1 // 10 = 0",
        "num = 0",
        "do not enter",
        "num = sum",
        "sum = 6",
        "now,",
        "num = 6",
        "do not enter",
        "return num",
        "num = 6",
        "So the answer is 6",
    ])
    assert lines[0] == "Initialize"
    assert lines[-1] == "So the answer is 6"
    assert trace.answer == "6"


def test_d1_declared_unit_recites_both_statements_once():
    lines = trace_of("add_digits_units").code().splitlines()
    # one recitation of the two-line unit per inner iteration, each followed by one `now,` block
    starts = [i for i, line in enumerate(lines) if line == "sum += num % 10"]
    assert len(starts) == 2
    for i in starts:
        assert lines[i + 1] == "num //= 10"
        block = lines[i + 2: lines.index("now,", i) + 3]
        assert block[-2].startswith("sum = ") and block[-1].startswith("num = ")


# -- D.2: process_list on ywhm = [3], erep = [50, 31], hand-derived from the paper --------


def test_d2_process_list_decisions_and_states():
    trace = trace_of("process_list")
    text = trace.code()
    lines = text.splitlines()
    assert decisions(text) == [
        "enter the loop",  # while ywhm and erep
        "enter if",  # if ywhm: ywhm.pop()
        "do not enter if",  # if erep and erep[0] % 2 == 0  (31 is odd)
        "enter if",  # if erep and erep[0] % 2 == 1
        "do not enter if",  # if erep: erep.pop(0)
        "do not enter if",  # if ywhm: ywhm.pop()
        "do not enter if",  # if erep: var = erep.pop(0) ...
        "do not enter",  # while ywhm and erep  (erep is empty)
    ]
    assert trace.loop_iterations == 1
    assert_in_order(lines, [
        "ywhm = [3]",
        "erep = [50, 31]",
        "while ywhm and erep:",
        "enter the loop",
        "if ywhm:",
        "enter if",
        "now,",
        "ywhm = []",
        "erep = erep[1:] if erep else erep",
        "now,",
        "erep = [31]",
        "if erep and erep[0] % 2 == 0:",
        "do not enter if",
        "if erep and erep[0] % 2 == 1:",
        "enter if",
        "now,",
        "erep = []",
        "val = erep[-1] if erep else 53",
        "ywhm.append(val)",
        "now,",
        "val = 53",
        "ywhm = [53]",
        "while ywhm and erep:",
        "ywhm = [53]",
        "erep = []",
        "do not enter",
        "return ywhm",
        "So the answer is [53]",
    ])
    # the parity tests show their working: 31 % 2
    assert any("31 % 2" in line for line in lines)
    assert lines[-1] == "So the answer is [53]"


# -- a helper function called from a for loop ----------------------------------------------


def test_helper_and_for_loop_decisions_and_order():
    trace = trace_of("digit_histogram")
    text = trace.code()
    lines = text.splitlines()
    assert decisions(text) == [
        "enter the loop",  # x = 15
        "enter the loop", "enter the loop", "do not enter",  # digit_sum(15): 15, 1, 0
        "enter the loop",  # x = 7
        "enter the loop", "do not enter",  # digit_sum(7): 7, 0
        "do not enter",  # for x in numbers: exhausted
    ]
    assert trace.loop_iterations == 5
    assert trace.answer == "{6: 1, 7: 1}"
    # the helper's trace comes between the statement calling it and the value it gives
    assert_in_order(lines, [
        "key = digit_sum(x)",
        "x = 15",
        "call digit_sum",
        "n = 15",
        "digit_sum returns 6",
        "now,",
        "key = 6",
        "counts[key] = counts.get(key, 0) + 1",
        "counts = {6: 1}",
        "key = digit_sum(x)",
        "digit_sum returns 7",
        "key = 7",
        "So the answer is {6: 1, 7: 1}",
    ])
    first_call = lines.index("call digit_sum")
    assert "key = 6" not in lines[:first_call], "the helper's result is shown before its trace"


def test_move_zeroes_decisions():
    trace = trace_of("move_zeroes")
    text = trace.code()
    assert decisions(text) == [
        "enter the loop", "enter else",  # 0
        "enter the loop", "enter if",  # 1
        "enter the loop", "enter else",  # 0
        "enter the loop", "enter if",  # 3
        "enter the loop", "enter if",  # 12
        "do not enter",
        "enter the loop", "enter the loop", "do not enter",  # two zeros appended
    ]
    assert trace.answer == "[1, 3, 12, 0, 0]"
    assert text.splitlines()[-1] == "So the answer is [1, 3, 12, 0, 0]"
