"""`rulec rnr generate` and `rulec rnr judge` against a local OpenAI-compatible server with
scripted replies: malformed JSON, a missing rule set, 429, 503, a timeout, rule-breaking
replies, near-duplicate system prompts — each handled, nothing malformed kept, a rerun free."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("lm_eval")
pytest.importorskip("openai")

from rnr_fake import FakeLLM, last_user, quoted, step  # noqa: E402

from rulec.cli import main  # noqa: E402
from rulec.rnr.rules import verify_all  # noqa: E402
from rulec.rows import ROW_FIELDS  # noqa: E402

ROLES = {
    "ok-1": "a travel planner for students who backpack through Europe on a tight budget",
    "ok-2": "a museum guide who explains Renaissance paintings to visiting school classes",
    "malformed": "a bicycle mechanic who helps commuters repair punctures at the roadside",
    "norules": "a gardening coach for people growing tomatoes on small city balconies",
    "rate": "a chess teacher preparing club players for their first rated tournament",
    "server": "a pharmacist answering questions about storing medicines safely at home",
    "slow": "a sailing instructor teaching knots and safety drills to beginners on a lake",
    "badresp": "a librarian recommending detective novels to readers in a small village",
    "badjson": "a barista who explains espresso extraction to new staff in a busy cafe",
    "always-bad": "a tax adviser for freelance musicians filing their first annual return",
    "neverok": "a climbing coach planning indoor bouldering sessions for teenagers",
    "dup-a": "a nutritionist planning weekly vegetarian menus for families with toddlers",
    "dup-b": "a nutritionist planning weekly vegetarian menus for families with toddlers",
}
RETRY_ROLE = "a marine biologist describing coral reef ecosystems to curious divers"
GOOD = "Pack light, book early and carry a paper map. Happy travels!"
BREAKS_ENDING = "Pack light, book early and carry a paper map."

# (step, call number) -> what goes wrong; anything else is answered correctly
FAULTS = {
    "malformed": {("ruleset", 0): "this is not json {"},
    "norules": {("ruleset", 0): json.dumps({"role": "You are a gardening coach."})},
    "rate": {("ruleset", 0): ("status", 429)},
    "server": {("response", 0): ("status", 503)},
    "slow": {("ruleset", 0): "SLOW"},
    "badresp": {("response", 0): json.dumps({"response": BREAKS_ENDING})},
    "badjson": {("response", 0): '{"response": "unterminated'},
    "always-bad": {("ruleset", k): "```json\n{broken" for k in range(10)},
    "neverok": {("response", k): json.dumps({"response": BREAKS_ENDING}) for k in range(10)},
}
# requests each instruction costs with --retries 2 (3 attempts per step)
EXPECTED_HITS = {"ok-1": 2, "ok-2": 2, "malformed": 3, "norules": 3, "rate": 3, "server": 3,
                 "slow": 3, "badresp": 3, "badjson": 3, "always-bad": 3, "neverok": 4,
                 "dup-a": 2, "dup-b": 3}


def ruleset_for(role: str) -> str:
    return json.dumps({"role": f"You are {role}.", "rules": [
        {"type": "length_words", "text": "Answer in at most 40 words.", "params": {"max": 40}},
        {"type": "tone", "text": "Keep a friendly tone.", "params": {}},
        {"type": "ending_phrase", "text": "End with: Happy travels!", "params": {"phrase": "Happy travels!"}},
    ]})


def script(body, fake):
    kind = step(body)
    if kind == "ruleset":
        name = quoted(body, "User message:")
    elif kind == "response":
        name = quoted(body, "The user's message:")
    else:
        raise AssertionError(kind)
    n = fake.calls[(name, kind)]
    fake.calls[(name, kind)] += 1
    fault = FAULTS.get(name, {}).get((kind, n))
    if fault == "SLOW":
        return ("sleep", 2.5, ruleset_for(ROLES[name]))
    if fault is not None:
        return fault
    if kind == "ruleset":
        role = RETRY_ROLE if "nearly identical" in last_user(body) else ROLES[name]
        return ruleset_for(role)
    return json.dumps({"response": GOOD})


def write_input(tmp_path: Path) -> str:
    p = tmp_path / "ift.jsonl"
    p.write_text("".join(json.dumps({"instruction": name, "output": f"reference answer for {name}"}) + "\n"
                         for name in ROLES))
    return str(p)


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def generate_args(fake, inp, out, cache, concurrency=4):
    return ["rnr", "generate", "--input", inp, "-o", out, "--base-url", fake.url, "--model", "m",
            "--rules-per-prompt", "2-4", "--categories", "length,tone,ending", "--retries", "2", "--max-retries", "3", "--backoff", "0.01",
            "--timeout", "1", "--concurrency", concurrency, "--cache", cache, "--quiet"]


def test_generate_handles_every_fault_and_keeps_only_valid_rows(tmp_path):
    inp, out, cache = write_input(tmp_path), tmp_path / "out", tmp_path / "cache"
    with FakeLLM(script) as fake:
        result = run(*generate_args(fake, inp, out, cache),
                     env={"OPENAI_API_KEY": "sk-test-secret-4242", "RULEC_CACHE": None})
        assert result.exit_code == 0, result.output + result.stderr
        assert fake.hits == sum(EXPECTED_HITS.values())
        assert set(fake.auth) == {"Bearer sk-test-secret-4242"}

        rows = [json.loads(line) for line in (out / "rows.jsonl").read_text().splitlines()]
        kept = {r["prompt"] for r in rows}
        assert kept == set(ROLES) - {"always-bad", "neverok"}
        for r in rows:
            assert set(ROW_FIELDS) <= set(r)
            assert [m["role"] for m in r["messages"]] == ["system", "user", "assistant"]
            assert r["messages"][0]["content"] == r["system"] == r["rule"]
            assert r["system"].startswith("You are ") and "\nRules:\n1. Answer in at most 40 words." in r["system"]
            assert r["messages"][2]["content"] == r["response"] == GOOD
            assert [x["id"] for x in r["rules"]] == [1, 2, 3]
            assert all(verify_all(r["rules"], r["response"]).values())
            assert r["checks"] == {"code": {"1": True, "3": True}, "llm": [2]}
        by_prompt = {r["prompt"]: r for r in rows}
        assert RETRY_ROLE in by_prompt["dup-b"]["system"]
        assert by_prompt["dup-a"]["system"] != by_prompt["dup-b"]["system"]

        failures = json.loads((out / "failures.json").read_text())
        assert {(f["instruction"], f["stage"]) for f in failures} == {("always-bad", "ruleset"),
                                                                      ("neverok", "verify")}
        assert "not valid JSON" in next(f["reason"] for f in failures if f["stage"] == "ruleset")
        assert "rule 3" in next(f["reason"] for f in failures if f["stage"] == "verify")

        summary = json.loads((out / "summary.json").read_text())
        assert summary["kept"] == 11 and summary["failed"] == 2
        assert summary["near_duplicates_rejected"] == 1
        assert summary["requests"]["retries"] == 3  # the 429, the 503 and the timeout
        assert summary["requests"]["requests"] == sum(EXPECTED_HITS.values()) - 3

        # nothing on disk holds the key
        for f in list(out.rglob("*")) + list(cache.rglob("*")):
            if f.is_file():
                assert "sk-test-secret-4242" not in f.read_text()

        # an identical rerun (here with other concurrency) sends nothing and writes the same rows
        before = (out / "rows.jsonl").read_bytes()
        hits = fake.hits
        result = run(*generate_args(fake, inp, out, cache, concurrency=1), env={"RULEC_CACHE": None})
        assert result.exit_code == 0, result.stderr
        assert fake.hits == hits
        assert (out / "rows.jsonl").read_bytes() == before
        again = json.loads((out / "summary.json").read_text())["requests"]
        assert again["requests"] == 0 and again["cached"] == summary["requests"]["requests"]


def test_judge_code_only_then_with_llm_judge(tmp_path):
    inp, out, cache = write_input(tmp_path), tmp_path / "out", tmp_path / "cache"
    with FakeLLM(script) as fake:
        assert run(*generate_args(fake, inp, out, cache)).exit_code == 0
    rows = [json.loads(line) for line in (out / "rows.jsonl").read_text().splitlines()]
    outputs = tmp_path / "outputs.jsonl"
    # half the outputs keep the ending rule, half break it
    outputs.write_text("".join(
        json.dumps({"id": r["id"], "output": GOOD if i % 2 == 0 else BREAKS_ENDING}) + "\n"
        for i, r in enumerate(rows)))
    n_good = (len(rows) + 1) // 2

    result = run("rnr", "judge", "--data", out, "--outputs", outputs, "-o", tmp_path / "j1", "--quiet")
    assert result.exit_code == 0, result.stderr
    s = json.loads((tmp_path / "j1" / "summary.json").read_text())
    assert s["rows_passed"] == n_good and s["rows_scored"] == len(rows)
    assert s["rules_judged_by_code"] == 2 * len(rows) and s["rules_not_judged"] == len(rows)
    assert s["by_type"]["ending_phrase"]["passed"] == n_good
    assert s["by_type"]["length_words"]["rate"] == 1.0
    assert "no judge model given" in result.output and "every code-checked rule holds" in result.output

    def judge_script(body, fake):
        assert step(body) == "judge"
        reply = quoted(body, "The assistant's reply:")
        fake.calls["judge"] += 1
        if fake.calls["judge"] == 1:
            return "no json here"  # the first judge answer is malformed: asked again
        return json.dumps({"verdicts": [{"rule": 2, "pass": reply == GOOD, "reason": "tone"}]})

    with FakeLLM(judge_script) as judge:
        result = run("rnr", "judge", "--data", out, "--outputs", outputs, "-o", tmp_path / "j2",
                     "--base-url", judge.url, "--model", "judge", "--cache", tmp_path / "jc", "--quiet",
                     "--concurrency", "1")
        assert result.exit_code == 0, result.stderr
        assert judge.hits == len(rows) + 1
    s = json.loads((tmp_path / "j2" / "summary.json").read_text())
    assert s["rules_not_judged"] == 0 and s["rules_judged_by_llm"] == len(rows)
    assert s["rows_passed"] == n_good and s["pass_rate_scope"] == "every rule"
    assert s["by_type"]["tone"] == {"judged": len(rows), "passed": n_good, "not_judged": 0,
                                    "by": "llm", "rate": n_good / len(rows)}
    verdicts = [json.loads(line) for line in (tmp_path / "j2" / "verdicts.jsonl").read_text().splitlines()]
    assert all(len(v["verdicts"]) == 3 for v in verdicts)


def test_user_errors_are_one_line(tmp_path):
    inp = write_input(tmp_path)
    with FakeLLM(lambda body, fake: ("status", 401)) as fake:
        result = run(*generate_args(fake, inp, tmp_path / "o", tmp_path / "c"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "HTTP 401" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "rows.jsonl").exists()
    for args in (["--input", tmp_path / "missing.jsonl"], ["--input", inp, "--categories", "format,rhymes"],
                 ["--input", inp, "--categories", "case", "--rules-per-prompt", "3"]):
        result = run("rnr", "generate", *args, "-o", tmp_path / "o", "--base-url", "http://127.0.0.1:9/v1",
                     "--model", "m", "--quiet")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    result = run("rnr", "judge", "--data", inp)  # instruction data, not RNR rows
    assert result.exit_code == 2 and "not an RNR row" in result.stderr


def test_plan_spreads_categories_evenly_and_offers_only_allowed_types():
    from collections import Counter

    from rulec.rnr.generate import GenerateConfig, Generator
    from rulec.rnr.rules import CATEGORIES, RULE_TYPES
    from rulec.rnr.sources import Pair

    def plans(seed, categories=CATEGORIES):
        gen = Generator(GenerateConfig(input="x", out=Path("."), seed=seed, categories=categories,
                                       rules_per_prompt=(3, 8)), client=None)
        return [gen.plan(Pair(i, f"question {i}", "answer", {})) for i in range(40)]

    items = plans(0)
    counts = Counter(c for it in items for c in it.must_cover)
    assert set(counts) == set(CATEGORIES)
    assert max(counts.values()) - min(counts.values()) <= 1
    for it in items:
        assert 3 <= it.n_rules <= 8 and len(it.must_cover) == min(len(CATEGORIES), (it.n_rules + 1) // 2)
        assert f"exactly {it.n_rules} rules" in it.conv[1]["content"]
    assert [(it.n_rules, it.must_cover) for it in plans(0)] == [(it.n_rules, it.must_cover) for it in items]
    assert [(it.n_rules, it.must_cover) for it in plans(1)] != [(it.n_rules, it.must_cover) for it in items]

    prompt = plans(0, ("format", "tone"))[0].conv[1]["content"]
    offered = {name for name in RULE_TYPES if f"- {name} [" in prompt}
    assert offered == {"format_json", "format_bullets", "format_numbered", "no_commas", "postscript", "tone"}


def test_eval_with_the_openai_backend_sends_the_system_turn(tmp_path):
    inp, out, cache = write_input(tmp_path), tmp_path / "out", tmp_path / "cache"
    with FakeLLM(script) as fake:
        assert run(*generate_args(fake, inp, out, cache)).exit_code == 0
    rows = {r["prompt"]: r for r in map(json.loads, (out / "rows.jsonl").read_text().splitlines())}
    seen = []

    def model_script(body, fake):
        seen.append(body["messages"])
        # a reply that keeps every code-checked rule for the "ok" rows only
        user = body["messages"][-1]["content"]
        return GOOD if user.startswith("ok-") else BREAKS_ENDING

    with FakeLLM(model_script) as model:
        result = run("rnr", "eval", "--model", "served-model", "--backend", "openai", "--base-url", model.url,
                     "--data", out, "-o", tmp_path / "ev", "--cache", tmp_path / "ec", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert len(seen) == len(rows)
    for messages in seen:
        assert [m["role"] for m in messages] == ["system", "user"]
        assert messages[0]["content"] == rows[messages[1]["content"]]["system"]
    s = json.loads((tmp_path / "ev" / "served-model" / "summary.json").read_text())
    assert s["rows_passed"] == 2 and s["rows_scored"] == len(rows)
    assert s["backend"] == "openai" and s["model"] == "served-model"


def test_compare_puts_runs_side_by_side():
    from rulec.rnr.evaluate import compare

    def summary(pass_rate, rule_rate, json_rate):
        return {"pass_rate": pass_rate, "rule_rate": rule_rate, "measured": "10 rows, 30 rules",
                "by_type": {"format_json": {"rate": json_rate}}}

    table = compare({"base": summary(0.4, 0.7, None), "tuned": summary(0.6, 0.8, 0.5)})
    lines = table.splitlines()
    assert lines[0].split() == ["base", "tuned", "change", "(last", "vs", "first)"]
    assert lines[1].split() == ["pass", "rate", "40.0%", "60.0%", "+20.0", "pt", "(+50%", "rel)"]
    assert lines[2].split()[-4:] == ["+10.0", "pt", "(+14%", "rel)"]
    assert lines[3].split() == ["format_json", "n/a", "50.0%", "n/a"]
    assert "measured: 10 rows, 30 rules" in table


def test_an_interrupted_run_resumes_from_the_cache(tmp_path):
    topics = ["ok-1", "ok-2", "malformed", "norules", "rate", "server", "slow", "badresp"]
    inp = tmp_path / "ift.jsonl"
    inp.write_text("".join(json.dumps({"instruction": t, "output": "ref"}) + "\n" for t in topics))

    def healthy(body, fake):
        if step(body) == "ruleset":
            return ruleset_for(ROLES[quoted(body, "User message:")])
        return json.dumps({"response": GOOD})

    def dies_after_five(body, fake):
        return healthy(body, fake) if fake.hits <= 5 else ("status", 401)

    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeLLM(dies_after_five) as first:
        result = run(*generate_args(first, str(inp), out, cache))
    assert result.exit_code == 2 and "HTTP 401" in result.stderr
    assert not (out / "rows.jsonl").exists()
    with FakeLLM(healthy) as second:
        assert run(*generate_args(second, str(inp), out, cache)).exit_code == 0
        assert second.hits == 2 * len(topics) - 5  # only what the first run did not get
    with FakeLLM(healthy) as fresh:
        assert run(*generate_args(fresh, str(inp), tmp_path / "fresh", tmp_path / "c2")).exit_code == 0
        assert fresh.hits == 2 * len(topics)
    assert (out / "rows.jsonl").read_bytes() == (tmp_path / "fresh" / "rows.jsonl").read_bytes()


def test_a_system_prompt_that_stays_a_near_duplicate_is_recorded_not_kept(tmp_path):
    inp = tmp_path / "ift.jsonl"
    inp.write_text("".join(json.dumps({"instruction": t, "output": "ref"}) + "\n" for t in ("dup-a", "dup-b")))

    def same_every_time(body, fake):
        if step(body) == "ruleset":
            return ruleset_for(ROLES["dup-a"])
        return json.dumps({"response": GOOD})

    out = tmp_path / "out"
    with FakeLLM(same_every_time) as fake:
        assert run(*generate_args(fake, str(inp), out, tmp_path / "c")).exit_code == 0
        assert fake.hits == 2 + 3  # dup-a: rule set + response; dup-b: rule set + 2 re-asks
    assert [json.loads(x)["prompt"] for x in (out / "rows.jsonl").read_text().splitlines()] == ["dup-a"]
    failures = json.loads((out / "failures.json").read_text())
    assert [(f["instruction"], f["stage"]) for f in failures] == [("dup-b", "duplicate")]
    assert json.loads((out / "summary.json").read_text())["near_duplicates_rejected"] == 3


def test_an_interrupted_eval_resumes_after_the_replies_it_has(tmp_path):
    inp, out = write_input(tmp_path), tmp_path / "out"
    with FakeLLM(script) as fake:
        assert run(*generate_args(fake, inp, out, tmp_path / "cache")).exit_code == 0
    n_rows = len((out / "rows.jsonl").read_text().splitlines())

    def healthy(body, fake):
        return GOOD

    def fails_after_six(body, fake):
        return GOOD if fake.hits <= 6 else ("status", 400)

    args = ["rnr", "eval", "--model", "m", "--backend", "openai", "--data", out, "-o", tmp_path / "ev",
            "--concurrency", "1", "--batch-size", "1", "--quiet"]  # replies are saved 4 at a time
    with FakeLLM(fails_after_six) as first:
        result = run(*args, "--base-url", first.url)
    assert result.exit_code == 2 and "HTTP 400" in result.stderr
    saved = (tmp_path / "ev" / "m" / "outputs.jsonl.partial").read_text().splitlines()
    assert len(saved) == 4
    with FakeLLM(healthy) as second:
        assert run(*args, "--base-url", second.url).exit_code == 0
        assert second.hits == n_rows - 4
    outputs = [json.loads(x) for x in (tmp_path / "ev" / "m" / "outputs.jsonl").read_text().splitlines()]
    rows = [json.loads(x) for x in (out / "rows.jsonl").read_text().splitlines()]
    assert [o["id"] for o in outputs] == [r["id"] for r in rows] and {o["output"] for o in outputs} == {GOOD}
    assert not (tmp_path / "ev" / "m" / "outputs.jsonl.partial").exists()
    with FakeLLM(healthy) as third:  # finished: reused, nothing asked
        assert run(*args, "--base-url", third.url).exit_code == 0
        assert third.hits == 0
