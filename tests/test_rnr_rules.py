"""RNR building blocks: code verifiers per rule type (hand-written passing and failing
replies), the schema of LLM answers, near-duplicate detection, instruction sources."""

from __future__ import annotations

import json
import sys

import pytest

pytest.importorskip("lm_eval")
pytest.importorskip("langdetect")

from rulec.rnr import ifeval  # noqa: E402
from rulec.rnr.dedup import NearDuplicates, jaccard, shingles  # noqa: E402
from rulec.rnr.rules import CATEGORIES, RULE_TYPES, verify  # noqa: E402
from rulec.rnr.schema import (  # noqa: E402
    SchemaError,
    system_prompt,
    validate_response,
    validate_ruleset,
    validate_verdicts,
)
from rulec.rnr.sources import FieldMap, load_pairs  # noqa: E402

FRENCH = ("Bonjour, je vous remercie pour votre question. La ville de Paris est la capitale de la "
          "France et elle se trouve au bord de la Seine.")
ENGLISH = ("Thank you for your question. Paris is the capital of France and it lies on the banks "
           "of the river Seine.")

# (type, params, passing reply, failing reply) — at least one case per code-checkable type
CASES = [
    ("format_json", {}, '{"city": "Paris", "population": 2100000}', 'Here it is: {"city": "Paris"}'),
    ("format_json", {}, '```json\n{"items": [1, 2]}\n```', "city: Paris"),
    ("format_bullets", {"count": 3}, "* apples\n* pears\n* plums", "* apples\n* pears"),
    ("format_bullets", {"min_items": 2}, "Fruit:\n- apples\n- pears", "Apples and pears."),
    ("format_numbered", {"min_steps": 3}, "1. Boil water.\n2. Add tea.\n3. Wait.",
     "1. Boil water.\n3. Add tea.\n4. Wait."),
    ("format_numbered", {"min_steps": 3}, "Steps:\n1) Boil water.\n2) Add tea.\n3) Wait.",
     "1. Boil water.\n2. Add tea."),
    ("no_commas", {}, "No commas appear here.", "Apples, pears and plums."),
    ("postscript", {"marker": "P.S."}, "See you soon.\n\nP.S. Bring a coat.", "See you soon."),
    ("length_words", {"max": 5}, "one two three four five", "one two three four five six"),
    ("length_words", {"min": 3, "max": 4}, "one two three", "one two"),
    ("length_sentences", {"max": 2}, "It rains. Take a coat!", "It rains. Take a coat. Go now."),
    ("length_sentences", {"min": 2}, "It rains. Take a coat.", "It rains."),
    ("length_paragraphs", {"max": 2}, "First part.\n\nSecond part.", "One.\n\nTwo.\n\nThree."),
    ("length_paragraphs", {"min": 2}, "First part.\n\n\nSecond part.", "Only one paragraph.\nStill it."),
    ("required_words", {"words": ["banana", "C++"]}, "I write C++ and eat a Banana.", "I eat a banana."),
    ("forbidden_words", {"words": ["cheap", "deal"]}, "It is inexpensive and fair.", "A Cheap offer."),
    ("letter_case", {"case": "lower"}, "all of this is lower case.", "Not all lower case."),
    ("letter_case", {"case": "upper"}, "ALL OF THIS IS LOUD!", "ALL OF THIS Is LOUD!"),
    ("language", {"language": "fr"}, FRENCH, ENGLISH),
    ("language", {"language": "en"}, ENGLISH, FRENCH),
    ("ending_phrase", {"phrase": "Any other questions?"}, "Paris is in France. Any other questions?",
     "Any other questions? Paris is in France."),
    ("starting_phrase", {"phrase": "Dear customer"}, "Dear customer, your order shipped.",
     "Hello dear customer, your order shipped."),
]


@pytest.mark.parametrize("type_name,params,good,bad", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_code_verifier_passes_and_fails(type_name, params, good, bad):
    rule = {"id": 1, "type": type_name, "params": params}
    assert verify(rule, good) is True
    assert verify(rule, bad) is False


def test_every_code_checkable_type_has_a_case():
    checkable = {t.name for t in RULE_TYPES.values() if t.checkable}
    assert checkable == {c[0] for c in CASES}


@pytest.mark.parametrize("type_name", ["tone", "persona", "forbidden_topic", "custom"])
def test_llm_types_have_no_code_verdict(type_name):
    assert verify({"id": 1, "type": type_name, "params": {}}, "anything") is None


def test_ifeval_import_is_quiet_and_offline(monkeypatch):
    """Importing IFEval's checkers (in a fresh interpreter) prints nothing and never asks
    nltk to download."""
    import subprocess

    code = (
        "import socket\n"
        "def no(*a, **k): raise SystemExit('network used')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = no\n"
        "from rulec.rnr import ifeval\n"
        "assert len(ifeval.registry()) == 25\n"
        "assert ifeval.check('length_constraints:number_sentences', 'It rains. Take a coat. Go now.', num_sentences=3, relation='at least')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""


def test_sentence_counter_is_the_regex_splitter():
    assert ifeval.check("length_constraints:number_sentences", "Dr. Smith came. He left!",
                        num_sentences=3, relation="less than")


# ---------------------------------------------------------------- schema

ALL = list(RULE_TYPES)


def ruleset(**over):
    obj = {"role": "You are a travel agent for students.",
           "rules": [{"type": "length_words", "text": "At most 80 words.", "params": {"max": 80}},
                     {"type": "tone", "text": "Be upbeat.", "params": {}},
                     {"type": "language", "text": "Answer in French.", "params": {"language": "fr"}}]}
    obj.update(over)
    return json.dumps(obj)


def test_valid_ruleset_numbers_rules_and_builds_the_system_prompt():
    role, rules = validate_ruleset(ruleset(), ALL, (2, 5))
    assert [r["id"] for r in rules] == [1, 2, 3]
    assert rules[0] == {"id": 1, "type": "length_words", "category": "length",
                        "text": "At most 80 words.", "params": {"max": 80}}
    assert system_prompt(role, rules) == (
        "You are a travel agent for students.\n\nRules:\n1. At most 80 words.\n2. Be upbeat.\n"
        "3. Answer in French.")


def test_ruleset_in_a_markdown_fence_is_accepted():
    assert validate_ruleset("```json\n" + ruleset() + "\n```", ALL, (1, 5))[0].startswith("You are")


BAD_RULESETS = [
    ("not json {", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({"role": "You are x."}), "rules: missing"),
    (json.dumps({"rules": []}), "role"),
    (ruleset(rules=[{"type": "rhyme", "text": "Rhyme.", "params": {}}]), "not one of the allowed"),
    (ruleset(rules=[{"type": "language", "text": "French.", "params": {}}]), "missing param"),
    (ruleset(rules=[{"type": "language", "text": "Klingon.", "params": {"language": "tlh"}}]), "ISO 639-1"),
    (ruleset(rules=[{"type": "length_words", "text": "x", "params": {"min": 9, "max": 3}}]), "min is larger"),
    (ruleset(rules=[{"type": "length_words", "text": "x", "params": {}}]), "needs min or max"),
    (ruleset(rules=[{"type": "length_words", "text": "x", "params": {"max": "80"}}]), "positive integer"),
    (ruleset(rules=[{"type": "tone", "text": "x", "params": {"mood": "sad"}}]), "unknown params"),
    (ruleset(rules=[{"type": "tone", "text": "a"}, {"type": "tone", "text": "b"}]), "one rule per type"),
    (ruleset(rules=[{"type": "required_words", "text": "a", "params": {"words": ["Paris"]}},
                    {"type": "forbidden_words", "text": "b", "params": {"words": ["paris"]}}]),
     "both required and forbidden"),
    (ruleset(rules=[{"type": "format_json", "text": "JSON.", "params": {}},
                    {"type": "ending_phrase", "text": "End with Bye.", "params": {"phrase": "Bye."}}]),
     "format_json cannot hold with \\['ending_phrase'\\]"),
    (ruleset(rules=[{"type": "letter_case", "text": "lower.", "params": {"case": "lower"}},
                    {"type": "language", "text": "Japanese.", "params": {"language": "ja"}}]),
     "no letter case"),
    (ruleset(rules=[{"type": "letter_case", "text": "lower.", "params": {"case": "lower"}},
                    {"type": "required_words", "text": "Say Paris.", "params": {"words": ["Paris"]}}]),
     "contradicts \\['Paris'\\]"),
]


@pytest.mark.parametrize("reply,reason", BAD_RULESETS)
def test_bad_rulesets_are_rejected_with_a_reason(reply, reason):
    with pytest.raises(SchemaError, match=reason):
        validate_ruleset(reply, ALL, (1, 5))


def test_rule_count_and_allowed_types_are_enforced():
    with pytest.raises(SchemaError, match="3 given, expected 4 to 6"):
        validate_ruleset(ruleset(), ALL, (4, 6))
    with pytest.raises(SchemaError, match="not one of the allowed"):
        validate_ruleset(ruleset(), ["length_words", "tone"], (1, 5))


def test_response_and_verdict_schemas():
    assert validate_response('{"response": " Hi. "}') == "Hi."
    for bad in ('{"answer": "Hi"}', '{"response": ""}', "Hi"):
        with pytest.raises(SchemaError):
            validate_response(bad)
    ok = validate_verdicts('{"verdicts": [{"rule": 2, "pass": true, "reason": "ok"}, {"rule": 5, "pass": false}]}', [2, 5])
    assert ok == {2: {"pass": True, "reason": "ok"}, 5: {"pass": False, "reason": ""}}
    with pytest.raises(SchemaError, match="no verdict for rules \\[5\\]"):
        validate_verdicts('{"verdicts": [{"rule": 2, "pass": true}]}', [2, 5])
    with pytest.raises(SchemaError, match="boolean"):
        validate_verdicts('{"verdicts": [{"rule": 2, "pass": "yes"}]}', [2])


def test_categories_cover_the_issue_list():
    assert {"format", "length", "tone", "forbidden_content", "language", "persona"} <= set(CATEGORIES)


# ---------------------------------------------------------------- dedup


def test_near_duplicates_are_caught_and_different_prompts_kept():
    a = ("You are a patient maths tutor for children. Rules: 1. Answer in at most 80 words. "
         "2. Use a bullet list. 3. End with Any other questions?")
    b = a.replace("patient", "kind")  # one word changed
    c = ("You are a sommelier at a small restaurant in Lyon. Rules: 1. Answer in French. "
         "2. Never mention prices. 3. Be warm and precise.")
    d = NearDuplicates(threshold=0.7)
    assert jaccard(shingles(a), shingles(b)) >= 0.7
    assert d.add(a) is True
    assert d.add(b) is False
    assert d.add(c) is True
    assert d.find(c.upper()) == 1  # case-insensitive shingles


# ---------------------------------------------------------------- sources


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def test_alpaca_with_input_and_unusable_rows(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [
        {"instruction": "Translate.", "input": "Hello", "output": "Bonjour"},
        {"instruction": "Name a colour.", "input": "", "output": "Red"},
        {"instruction": "", "output": "x"},
        {"text": "no fields"},
    ])
    pairs, skipped = load_pairs(p, FieldMap())
    assert [(x.instruction, x.response) for x in pairs] == [("Translate.\n\nHello", "Bonjour"),
                                                            ("Name a colour.", "Red")]
    assert pairs[0].fields == {"instruction": "Translate.", "input": "Hello"}
    assert skipped == 2


def test_chat_styles_and_field_mapping(tmp_path):
    p = write_jsonl(tmp_path / "c.jsonl", [
        {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "Hi?"},
                      {"role": "assistant", "content": "Hello."}, {"role": "user", "content": "More"}]},
        {"conversations": [{"from": "human", "value": "Q?"}, {"from": "gpt", "value": "A."}]},
    ])
    pairs, _ = load_pairs(p, FieldMap())
    assert [(x.instruction, x.response) for x in pairs] == [("Hi?", "Hello."), ("Q?", "A.")]
    q = write_jsonl(tmp_path / "d.jsonl", [{"prompt": "P", "completion": "C"}])
    pairs, _ = load_pairs(q, FieldMap(style="alpaca", instruction="prompt", output="completion"))
    assert (pairs[0].instruction, pairs[0].response) == ("P", "C")


def test_seeded_sampling(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [{"instruction": f"q{i}", "output": f"a{i}"} for i in range(50)])
    first = [x.index for x in load_pairs(p, FieldMap(), n=10, seed=1)[0]]
    again = [x.index for x in load_pairs(p, FieldMap(), n=10, seed=1)[0]]
    other = [x.index for x in load_pairs(p, FieldMap(), n=10, seed=2)[0]]
    assert first == again and first != other
    assert len(set(first)) == 10 and first == sorted(first)


def test_parquet_and_datasets_directory(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{"instruction": "q1", "output": "a1"}, {"instruction": "q2", "output": "a2"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet")
    assert [x.response for x in load_pairs(str(tmp_path / "d.parquet"), FieldMap())[0]] == ["a1", "a2"]
    datasets = pytest.importorskip("datasets")
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows)}).save_to_disk(str(tmp_path / "ds"))
    assert [x.instruction for x in load_pairs(str(tmp_path / "ds"), FieldMap())[0]] == ["q1", "q2"]


def test_ifeval_languages_include_common_codes():
    assert {"en", "fr", "de", "es", "ja"} <= set(ifeval.languages())


def test_no_stdout_from_checks(capsys):
    verify({"id": 1, "type": "language", "params": {"language": "en"}}, "12345")  # undetectable
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
