"""The whole RNR loop on CPU: generate triplets from scripted replies, train the tiny model
with `rulec train sft`, evaluate base and fine-tuned with `rulec rnr eval --backend hf`,
judge with the code verifiers; the summary says what it measured."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytest.importorskip("lm_eval")
pytest.importorskip("openai")
pytest.importorskip("torch")
pytest.importorskip("transformers")

from rnr_fake import FakeLLM, quoted, step  # noqa: E402

from rulec.cli import main  # noqa: E402
from rulec.rnr.rules import verify_all  # noqa: E402

TOPICS = ["tea", "bread", "kites", "maps", "owls", "rain"]
ROLES = {
    "tea": "a tea sommelier guiding guests through green and black teas in a quiet shop",
    "bread": "a baker teaching sourdough basics to first-time home bakers on weekends",
    "kites": "a kite maker helping children build and fly paper kites at the beach",
    "maps": "a cartographer explaining how old sea charts were drawn to history students",
    "owls": "a park ranger answering visitors' questions about owls in the night forest",
    "rain": "a weather presenter explaining rain forecasts to farmers on local radio",
}


def ruleset(topic: str) -> str:
    return json.dumps({"role": f"You are {ROLES[topic]}.", "rules": [
        {"type": "letter_case", "text": "Write only in lowercase letters.", "params": {"case": "lower"}},
        {"type": "length_words", "text": "Use at most 30 words.", "params": {"max": 30}},
        {"type": "ending_phrase", "text": "Finish with the phrase: enjoy!", "params": {"phrase": "enjoy!"}},
        {"type": "tone", "text": "Sound warm.", "params": {}},
    ]})


def script(body, fake):
    if step(body) == "ruleset":
        return ruleset(quoted(body, "User message:").split()[-1])
    topic = quoted(body, "The user's message:").split()[-1]
    return json.dumps({"response": f"here is a short note about {topic}. enjoy!"})


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def triplets(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rnr_loop")
    inp = tmp / "ift.jsonl"
    inp.write_text("".join(json.dumps({"instruction": f"Tell me about {t}", "output": f"About {t}."}) + "\n"
                           for t in TOPICS))
    out = tmp / "data"
    with FakeLLM(script) as fake:
        result = run("rnr", "generate", "--input", inp, "-o", out, "--base-url", fake.url, "--model", "m",
                     "--rules-per-prompt", "4", "--categories", "case,length,ending,tone", "--cache", tmp / "cache", "--quiet", "--backoff", "0.01")
    assert result.exit_code == 0, result.stderr
    return tmp, out


def _check_eval_dir(folder, n_rows):
    outputs = [json.loads(x) for x in (folder / "outputs.jsonl").read_text().splitlines()]
    rows = {r["id"]: r for r in map(json.loads, (folder.parent.parent / "data" / "rows.jsonl").read_text().splitlines())}
    assert len(outputs) == n_rows
    s = json.loads((folder / "summary.json").read_text())
    # recount from the outputs with the verifiers: rows whose three code-checked rules hold
    passing = sum(all(verify_all(rows[o["id"]]["rules"], o["output"]).values()) for o in outputs)
    assert s["rows_passed"] == passing and s["rows_scored"] == n_rows
    assert s["rules"] == 4 * n_rows and s["rules_judged_by_code"] == 3 * n_rows
    assert s["rules_not_judged"] == n_rows and s["pass_rate_scope"] == "the code-checked rules only"
    return s


def test_eval_base_model_with_code_verifiers(triplets):
    tmp, data = triplets
    rows = [json.loads(x) for x in (data / "rows.jsonl").read_text().splitlines()]
    assert len(rows) == len(TOPICS)
    result = run("rnr", "eval", "--model", "tiny", "--data", data, "--backend", "hf",
                 "-o", tmp / "eval", "--max-new-tokens", "16", "--quiet")
    assert result.exit_code == 0, result.stderr
    _check_eval_dir(tmp / "eval" / "tiny", len(TOPICS))
    assert "checked by code" in result.output and "no judge model given" in result.output
    assert "pass rate:" in result.output and "letter_case" in result.output


def _sft_available() -> bool:
    import click

    train = main.get_command(click.Context(main), "train")
    return train is not None and "sft" in getattr(train, "commands", {})


def test_generate_train_eval_judge_loop(triplets):
    if not _sft_available():
        pytest.skip("`rulec train sft` is not on this branch yet (rulec.train.cli has no sft)")
    tmp, data = triplets
    run_dir = tmp / "sft-run"
    result = run("train", "sft", "--model", "tiny", "--data", data, "-o", run_dir, "--steps", "4",
                 "--batch-size", "2", "--micro-batch-size", "2", "--lr", "1e-3")
    assert result.exit_code == 0, result.output + result.stderr
    # the same output folder as the base-model test: its base outputs are reused, not regenerated
    result = run("rnr", "eval", "--model", "tiny", "--model", run_dir, "--data", data, "--backend", "hf",
                 "-o", tmp / "eval", "--max-new-tokens", "16", "--quiet")
    assert result.exit_code == 0, result.stderr
    base = _check_eval_dir(tmp / "eval" / "tiny", len(TOPICS))
    tuned = _check_eval_dir(tmp / "eval" / run_dir.name, len(TOPICS))
    comparison = json.loads((tmp / "eval" / "comparison.json").read_text())
    assert comparison["tiny"]["pass_rate"] == base["pass_rate"]
    assert comparison[run_dir.name]["pass_rate"] == tuned["pass_rate"]
    assert "change" in result.output and "measured:" in result.output
