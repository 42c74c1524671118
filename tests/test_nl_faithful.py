"""Issue 9: NL rules and traces a person can follow exactly.

* an executable faithfulness table: for each idiom the verbaliser uses, the English meaning
  (written here as a small Python function, independently of the verbaliser) is compared
  with Python on edge inputs (negatives, zero, empty, ties, mixed case, unicode); where
  the idiom does not hold on every input, the rule must use the literal wording;
* one test per defect found, on the rule that showed it;
* nlcheck finds no Python syntax or value notation in the NL rules and traces of the tasks
  (a sample, to keep CI fast; ``benchmarks/nl_length.py --check 1,10,30`` runs them all) and
  of synthetic rows.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import pytest

from rulec.compiler import compile_file, compile_rule
from rulec.compiler.nl_values import repr_words, value_words
from rulec.compiler.nlcheck import python_syntax_in, without_answer
from rulec.tasks import all_tasks, get_task
from rulec.tasks.formats import compiled, nl_rule_text, render

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def rule_nl(source: str, samples: dict, glossary: dict | None = None) -> str:
    return compile_rule(source).nl_rule(glossary or {}, samples).text


# ---------------------------------------------------------------- faithfulness table


def english_last_digit(n: int) -> int:
    """"The last digit of n": the last character of n written in decimal."""
    return int(str(n)[-1])


def english_round_half_even(x: float) -> int:
    """"Rounded to the nearest whole number, a value exactly halfway goes to the even one"."""
    low = int(x // 1)
    if x - low == 0.5:
        return low if low % 2 == 0 else low + 1
    return low if x - low < 0.5 else low + 1


def english_title(s: str) -> str:
    """"Every letter that comes first or right after a character without case in upper case
    and every other letter in lower case"."""
    out, prev_cased = [], False
    for ch in s:
        out.append(ch.lower() if prev_cased else ch.upper())
        prev_cased = ch.isupper() or ch.islower() or ch.istitle()
    return "".join(out)


def english_capitalize(s: str) -> str:
    """"Its first character in upper case and every other character in lower case"."""
    return s[:1].upper() + s[1:].lower()


def english_only_digits(s: str) -> bool:
    """"Has only digits, at least one"."""
    return len(s) > 0 and all(c.isdigit() for c in s)


def english_isupper(s: str) -> bool:
    """"Has at least one upper-case letter and no lower-case letter"."""
    return any(c.isupper() for c in s) and not any(c.islower() for c in s)


def english_even(n: int) -> bool:
    """"n is even": n is a whole number divisible by 2."""
    return n / 2 == n // 2


def english_count_no_overlap(s: str, t: str = "aa") -> int:
    """"The number of times t occurs in s, counted from the left without overlaps"."""
    count = i = 0
    while i + len(t) <= len(s):
        if s[i:i + len(t)] == t:
            count, i = count + 1, i + len(t)
        else:
            i += 1
    return count


FAITHFUL = [
    # (source, samples, phrase, English meaning, Python meaning, edge inputs, idiom holds?)
    ("def f(n):\n    return n % 10\n", {"n": 5}, "the last digit of n",
     english_last_digit, lambda n: n % 10, [-13, -1, 0, 7, 10, 1234], False),
    ("def f(x):\n    n = abs(x)\n    return n % 10\n", {"x": 5}, "the last digit of n",
     lambda x: english_last_digit(abs(x)), lambda x: abs(x) % 10, [-13, -1, 0, 7, 10], True),
    ("def f(n):\n    while n > 9:\n        n = n % 10 + n // 10\n    return n\n", {"n": 5},
     "the last digit of n", english_last_digit, lambda n: n % 10, [10, 19, 99, 1234], True),
    ("def f(x):\n    return round(x)\n", {"x": 2.5}, "exactly halfway goes to the even one",
     english_round_half_even, round, [0.5, 1.5, 2.5, -0.5, -2.5, 2.4, 2.6, -3.7], True),
    ("def f(s):\n    return s.title()\n", {"s": "ab"}, "right after a character without case",
     english_title, str.title, ["hello wORLD 3rd", "they're", "", "éCOLE élève", "中a", "a1b"],
     True),
    ("def f(s):\n    return s.capitalize()\n", {"s": "ab"}, "first character in upper case",
     english_capitalize, str.capitalize, ["hello World", "1ABC", "", "éCOLE", " x"], True),
    ("def f(s):\n    return s.isdigit()\n", {"s": "1"}, "has only digits, at least one",
     english_only_digits, str.isdigit, ["", "12", "1a", " 1", "٣"], True),
    ("def f(s):\n    return s.isupper()\n", {"s": "A"},
     "has at least one upper-case letter and no lower-case letter",
     english_isupper, str.isupper, ["", "ABC", "AbC", "A1", "123", "中", "É"], True),
    ("def f(s):\n    n = len(s)\n    return n % 2 == 0\n", {"s": "ab"}, "n is even",
     english_even, lambda n: n % 2 == 0, [0, 1, 2, 7], True),
    ("def f(n):\n    return n % 2 == 0\n", {"n": 4}, "n is even",
     english_even, lambda n: n % 2 == 0, [-3, -2, 0, 1, 2], True),
    ("def f(s):\n    return s.count('aa')\n", {"s": "aaa"}, "counted from the left without overlaps",
     english_count_no_overlap, lambda s: s.count("aa"), ["", "a", "aaa", "aaaa", "baab"], True),
    ("def f(n):\n    return n.bit_length()\n", {"n": 5},
     "the number of binary digits of the absolute value of the number n (0 for 0)",
     lambda n: len(format(abs(n), "b")) if n else 0, int.bit_length, [-5, -1, 0, 1, 8], True),
    ("def f(n):\n    return n // 10\n", {"n": 5}, "n divided by 10, rounded down",
     lambda n: math.floor(n / 10), lambda n: n // 10, [-13, -10, -1, 0, 9, 10], True),
    ("def f(s):\n    return s.zfill(4)\n", {"s": "5"}, "on the left (after any sign)",
     lambda s: (s[0] + s[1:].rjust(3, "0")) if s[:1] in "+-" and s else s.rjust(4, "0"),
     lambda s: s.zfill(4), ["5", "-5", "+12", "", "12345"], True),
]



@pytest.mark.parametrize("case", FAITHFUL, ids=[f"{c[2][:30]}/{i}" for i, c in enumerate(FAITHFUL)])
def test_idiom_is_used_only_where_it_holds(case):
    source, samples, phrase, english, python, edges, holds = case
    text = rule_nl(source, samples)
    agrees = all(english(x) == python(x) for x in edges)
    assert agrees == holds, "the table itself: the English meaning vs Python on the edges"
    if holds:
        assert phrase in text, text
    else:
        assert phrase not in text, text  # the literal wording instead
        assert "remainder" in text


def test_float_or_unknown_types_get_the_literal_wording():
    text = rule_nl("def f(x):\n    return x[0] % 2 == 0\n", {})  # x[0] could be 2.5
    assert "even" not in text and "divided by 2" in text


# ---------------------------------------------------------------- value notation


@pytest.mark.parametrize(("shown", "words"), [
    ("range(0, 3)", "the numbers 0 to 2"),
    ("range(0, 0)", "no numbers"),
    ("range(5, 6)", "the number 5"),
    ("range(0, 10, 2)", "the numbers 0, 2, 4, 6 and 8"),
    ("dict_items([('a', 1)])", '[("a", 1)]'),
    ("dict_keys(['h'])", '["h"]'),
    ("dict_values([1, 2])", "[1, 2]"),
    ("True", "true"),
    ("None", "no value"),
    ("[True, None, 'x']", '[true, no value, "x"]'),
    ("{'a': [1, 2]}", '{"a": [1, 2]}'),
    ("'a\\nb'", '"a" followed by a line break followed by "b"'),
    ("'\\t'", "a tab"),
    ("''", "the empty string"),
    ("'say \"hi\"'", '"say " followed by a double quote followed by "hi" followed by a double quote'),
    ("-3", "-3"),
    ("inf", "infinity"),
    ("set()", "an empty set"),
    ("<iterator>", "an iterator"),
])
def test_value_notation(shown, words):
    assert repr_words(shown) == words
    assert python_syntax_in(f"x = {words}.") == []


def test_value_words_matches_repr_words():
    for v in [[1, "a", None], {"k": (1, True)}, "", "a\nb", -2.5, {1, 2}]:
        assert value_words(v, top=False) == repr_words(repr(v), top=False) or isinstance(v, set)


def test_true_false_none_never_in_a_trace():
    rule = compile_file(EXAMPLES / "add_digits.py")
    src = "def f(xs):\n    seen = None\n    ok = True\n    for x in xs:\n        ok = ok and x > 0\n    return ok\n"
    for text in (compile_rule(src).run({"xs": [1, -1]}).nl(), rule.run({"num": 7}).nl()):
        assert not re.search(r"\b(True|False|None)\b", without_answer(text)), text


# ---------------------------------------------------------------- one test per defect


def task_rule(name: str) -> str:
    task = get_task(name)
    return nl_rule_text(task, compiled(task))


def task_trace(name: str, length: int = 4, seed: int = 0) -> str:
    task = get_task(name)
    inputs = task.generate(length, random.Random(seed))
    return render(task, compiled(task), inputs, "rfft_nl", 0)[1]


def test_lc_705_shared_bucket_is_stated_in_rule_and_trace():
    text = task_rule("lc_705_design_hashset")
    assert "not a copy, so a change to bucket is also a change to the hash buckets" in text
    task = get_task("lc_705_design_hashset")
    trace = compile_rule(task.rule).run({"operations": [["add", 2], ["contains", 2]]}).nl(
        task.glossary)
    assert "The hash buckets change with it: bucket is part of the hash buckets, not a copy." in trace


@pytest.mark.parametrize("name", ["coin_flip", "bbh_boolean_expressions", "lc_896_monotonic_array"])
def test_no_doubled_whether(name):
    assert "whether whether" not in task_rule(name)
    assert "whether whether" not in task_trace(name)


def test_lc_2404_no_its_count():
    text = task_rule("lc_2404_most_frequent_even_element")
    assert "its count" not in text and "greater than the best count" in text


def test_lc_2562_no_name_that_reads_as_a_description():
    assert "call it the first element" not in task_rule("lc_2562_find_the_array_concatenation_value")


def test_lc_890_letters_are_named():
    text = task_rule("lc_890_find_and_replace_pattern")
    assert not re.search(r"\b[ab] is\b", text) and "the word letter" in text


def test_number_agreement():
    assert "the remaining words are not empty" in task_rule("bbh_word_sorting")
    assert "the remaining people are not empty" in task_rule("coin_flip")


def test_names_without_glossary_are_introduced_with_a_noun():
    text = rule_nl("def f(nums):\n    i = 0\n    for ch in 'ab':\n        i += 1\n    return nums[i]\n",
                   {"nums": [1, 2, 3]})
    assert "Set the number i to 0." in text and "character ch" in text
    assert "the list nums" in text


def test_trace_lines_are_in_sentence_case():
    trace = task_trace("lc_1704_determine_if_string_halves_are_alike")
    assert not [line for line in trace.splitlines() if line.startswith(("the ", "a ", "an "))]


def test_preamble_positions_and_text_order():
    assert task_rule("lc_2678_number_of_senior_citizens").startswith("Positions count from 0")
    sort = task_rule("lc_2785_sort_vowels_in_a_string")
    assert "by character code" in sort.splitlines()[0]
    # and the note is true: Python sorts 'lEetcOde''s vowels by character code
    assert sorted("EeOe") == ["E", "O", "e", "e"]


def test_wording_does_not_depend_on_whether_inputs_were_given():
    rule = compile_file(EXAMPLES / "move_zeroes.py")
    without = rule.nl_rule({}, None).text
    with_inputs = compile_file(EXAMPLES / "move_zeroes.py").nl_rule({}, {"nums": [0, 1]}).text
    assert without == with_inputs
    assert "neither empty nor zero" not in without and "the list nums is not empty" in without


def test_break_continue_return_are_stated_in_both_traces():
    src = ("def f(xs):\n    best = -1\n    for x in xs:\n        if x < 0:\n            continue\n"
           "        if x > 50:\n            break\n        best = max(best, x)\n"
           "    for y in xs:\n        if y == 7:\n            return y\n    return best\n")
    trace = compile_rule(src).run({"xs": [3, -1, 60, 7]})
    code, nl = trace.code().splitlines(), trace.nl()
    assert code.count("continue") == 1 and code.count("break") == 1 and code.count("return") == 1
    assert "Skip the rest of this iteration." in nl
    assert "Stop the loop. Go to step (3)." in nl
    assert "Return 7.\nSo the answer is 7" in nl


def test_checks_say_why_and_loops_are_outer_and_inner():
    trace = compile_file(EXAMPLES / "add_digits.py").run({"num": 32}).nl({"num": "the number"})
    assert "The number is 32, which is not 0. Enter the inner loop." in trace  # D.3's wording
    assert "The number is 5, which is at most 9. The outer loop is over. Go to step (2)." in trace


def test_synthetic_names_are_never_english_words():
    from rulec.snippets.synth import SynthConfig, random_name

    rng, cfg = random.Random(0), SynthConfig()
    names = {random_name(rng, cfg) for _ in range(3000)}
    assert not [n for n in names if re.search(r"[aeiouy]", n)]
    assert not names & {"odd", "even", "list", "sum", "max", "nth", "hmm", "psst"}


def test_synth_nl_pairs_with_code(tmp_path):
    from rulec.snippets.synth import SynthConfig, synthesise

    ids = []
    for nl in (False, True):
        out = tmp_path / f"{nl}.jsonl"
        synthesise(40, out, SynthConfig(seed=5, nl=nl, max_chars=2500), progress=False)
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        ids.append([r["id"] for r in rows])
        if nl:
            for r in rows:
                assert python_syntax_in(r["rule"]) == []
                assert python_syntax_in(without_answer(r["response"])) == []
    assert ids[0] == ids[1]


# ---------------------------------------------------------------- nlcheck over the tasks


TASKS = [t.name for t in all_tasks()]


@pytest.mark.parametrize("name", TASKS)
def test_task_nl_has_no_python(name):
    """Every task's NL rule and its traces at lengths 1 and 10 (and 30 for every 8th task)."""
    task = get_task(name)
    rule = compiled(task)
    assert python_syntax_in(nl_rule_text(task, rule)) == []
    lengths = (1, 10, 30) if TASKS.index(name) % 8 == 0 else (1, 10)
    for length in lengths:
        inputs = task.generate(length, random.Random(f"nlcheck/{name}/{length}"))
        response = render(task, rule, inputs, "rfft_nl", 0)[1]
        assert python_syntax_in(without_answer(response)) == [], (length, response[:2000])
