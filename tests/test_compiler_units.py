"""Explicit unit boundaries: ``compile_rule(src, units=[(a, b)])`` groups the statements on
lines a..b into one unit: one recitation, one set of values before, one ``now,`` block."""

from __future__ import annotations

import pytest

from rulec.compiler import RuleError, compile_rule

# -- explicit unit boundaries ---------------------------------------------------------------


UNIT_SRC = """\
def f(a, b):
    x = a + 1
    y = b * 2
    z = x + y
    return z
"""


def test_explicit_units_group_statements_into_one_recitation():
    plain = compile_rule(UNIT_SRC).run({"a": 1, "b": 3}).code().splitlines()
    grouped = compile_rule(UNIT_SRC, units=[(2, 3)]).run({"a": 1, "b": 3}).code().splitlines()
    assert plain.count("now,") == 3
    assert grouped.count("now,") == 2
    i = grouped.index("x = a + 1")
    assert grouped[i + 1] == "y = b * 2"  # recited together
    block = grouped[i: grouped.index("now,", i) + 3]
    assert block == ["x = a + 1", "y = b * 2", "a = 1", "b = 3", "now,", "x = 1 + 1 = 2", "y = 3 * 2 = 6"]
    assert grouped[-1] == plain[-1] == "So the answer is 8"
    # the statements are numbered as one step: `return` is step 3 instead of 4
    assert "3. Return" in grouped and "4. Return" in plain


def test_explicit_unit_reads_only_values_from_before_the_unit():
    """A name written inside the unit and read later in it is not shown as a 'before' value."""
    src = "def f(a):\n    x = a + 1\n    y = x * 2\n    return y\n"
    lines = compile_rule(src, units=[(2, 3)]).run({"a": 4}).code().splitlines()
    i = lines.index("x = a + 1")
    assert lines[i: i + 6] == ["x = a + 1", "y = x * 2", "a = 4", "now,", "x = 4 + 1 = 5", "y = 5 * 2 = 10"]


def test_explicit_unit_with_a_flat_if_is_one_recitation():
    src = (
        "def f(xs):\n"
        "    v = xs[-1] if xs else 7\n"
        "    if v > 3:\n"
        "        xs.append(v)\n"
        "    return xs\n"
    )
    lines = compile_rule(src, units=[(2, 4)]).run({"xs": [5]}).code().splitlines()
    assert lines.count("now,") == 1
    assert lines.count("v = xs[-1] if xs else 7") == 1
    assert "enter if" in lines
    assert lines[-1] == "So the answer is [5, 5]"


def test_explicit_unit_may_not_swallow_a_loop():
    src = "def f(n):\n    t = 0\n    while n > 0:\n        n -= 1\n    return t\n"
    with pytest.raises(RuleError, match="declared unit") as info:
        compile_rule(src, units=[(2, 4)])
    assert info.value.line == 3


def test_units_in_a_loop_body_and_a_helper():
    src = (
        "def h(p):\n"            # 1
        "    a = p + 1\n"        # 2
        "    b = a * 2\n"        # 3
        "    return b\n"         # 4
        "\n"
        "def f(xs):\n"           # 6
        "    out = []\n"         # 7
        "    for x in xs:\n"     # 8
        "        v = h(x)\n"     # 9
        "        out.append(v)\n"  # 10
        "    return out\n"       # 11
    )
    rule = compile_rule(src, "f", units=[(2, 3), (9, 10)])
    trace = rule.run({"xs": [1, 2]})
    lines = trace.code().splitlines()
    assert trace.answer == "[4, 6]"
    # the loop body is one unit: recited once per iteration, one `now,` block with both writes
    assert lines.count("v = h(x)") == 2
    i = lines.index("v = h(x)")
    assert lines[i + 1] == "out.append(v)"
    j = lines.index("now,", lines.index("h returns 4"))
    assert lines[j + 1: j + 3] == ["v = 4", "out = [4]"]
    # the helper's two statements are one unit too
    assert lines.count("a = p + 1") == 2
    assert lines[lines.index("a = p + 1") + 1] == "b = a * 2"


def test_unit_ranges_do_not_merge_across_blocks():
    """A range covering the end of a loop body and the statement after the loop does not
    glue them together: units never cross a block boundary."""
    src = "def f(n):\n    while n > 0:\n        n -= 1\n    t = n\n    return t\n"
    lines = compile_rule(src, units=[(3, 4)]).run({"n": 1}).code().splitlines()
    assert lines.count("n -= 1") == 1 and lines.count("t = n") == 1
    assert lines[-1] == "So the answer is 0"
