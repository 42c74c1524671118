"""Property tests: random rule programs, compiled and run, agree with native Python.

The generator below writes rule programs in the supported subset (loops that always
terminate, flat and structural if-chains, break/continue, early returns, augmented
assignments, unpacking, list/str/dict methods, slicing, comprehensions, conditional
expressions, chained comparisons, helper functions, try/except) plus random inputs.
For each program and input:

(a) ``trace.answer == format_answer(native_result)``
(b) the trace's last line is ``So the answer is <answer>``
(c) the lines equal to ``enter the loop`` == loop-body entries natively == ``trace.loop_iterations``
(d) when native Python raises, the compiler raises ``RuleError`` naming the same line
    (the same statement, for a statement split over lines) and the exception type

and beyond the brief: the trace's decision lines (``enter the loop`` / ``do not enter`` /
``enter if`` / ``enter elif`` / ``enter else`` / ``do not enter if`` / ``enter except``) equal,
in order, the decisions native execution takes (helpers included); every value a step shows
*before* equals the value the trace last showed for that name (no change goes unshown); the
scratchpad has one line per iteration of the rule's loops; determinism (same inputs,
identical trace, no memory addresses) and no mutation of the inputs.

Knobs: RULEC_PROPERTY_EXAMPLES (default 300, about a minute), RULEC_SHRINK=1 to shrink a
failure. Minimal cases of every divergence found live in test_compiler_regressions.py.
"""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from native import check_program
from strategies import PROPERTY_SETTINGS, programs, rule_inputs

from rulec.compiler import compile_rule


@PROPERTY_SETTINGS
@given(programs(), st.lists(rule_inputs, min_size=2, max_size=4))
def test_random_programs_agree_with_python(src, inputs_list):
    for inputs in inputs_list:
        check_program(src, inputs)


def test_generator_produces_valid_python():
    """Every generated program at least parses as Python and compiles with rulec."""

    @settings(max_examples=60, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(programs())
    def inner(src):
        ast.parse(src)
        compile_rule(src, "rule")

    inner()

