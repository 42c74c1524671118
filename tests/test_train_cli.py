"""`rulec train ...` end to end on the tiny model (CPU, tens of steps), and its one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("peft")

from train_helpers import tiny_path  # noqa: E402

from rulec.cli import main  # noqa: E402

# Few tasks, one length, 2 steps: each command runs in seconds.
SMALL = ["--lengths", "1", "--per-length", "2", "--steps", "2", "--batch-size", "2",
         "--micro-batch-size", "2", "--max-length", "1024", "--save-steps", "2",
         "--eval-steps", "2", "--logging-steps", "1"]
STAGE1 = ["--s1", "tasks=lc_2129_capitalize_the_title,lc_2582_pass_the_pillow", "--s1", "lengths=1",
          "--s1", "per_length=2", "--s1", "steps=2", "--s1", "batch_size=2", "--s1", "micro_batch_size=2",
          "--s1", "max_length=1024", "--s1", "val_lengths=2", "--s1", "val_per_length=1",
          "--s1", "eval_steps=1", "--s1", "save_steps=1", "--s1", "method=pissa",
          "--s1", "lora_rank=4", "--s1", "pissa_init=pissa_niter_2"]


@pytest.fixture(scope="session")
def tiny() -> Path:
    return tiny_path()


def run(*args: str):
    return CliRunner().invoke(main, ["train", *args], catch_exceptions=False)


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return Path(result.stdout.strip().splitlines()[-1])


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    # progress notes may come first ("generating ..."); the error is one line, the last
    assert lines[-1].startswith("error: ") and "Traceback" not in result.stderr, result.stderr
    assert sum(line.startswith("error") for line in lines) == 1
    return lines[-1]


def loads_as_model(final: Path, tiny: Path) -> None:
    """The run's final/ loads with plain transformers (+ peft for an adapter) and runs."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    config = final / "adapter_config.json"
    if config.exists():
        from peft import PeftModel

        base_path = json.loads(config.read_text())["base_model_name_or_path"]
        model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_path), str(final))
    else:
        model = AutoModelForCausalLM.from_pretrained(str(final))
    tok = AutoTokenizer.from_pretrained(str(final))
    ids = tok("Q: 12", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        assert model(input_ids=ids).logits.shape[-1] == len(tok)


def check_run(run_dir: Path, tiny: Path, stage: str) -> dict:
    record = json.loads((run_dir / "train_config.json").read_text())
    assert record["complete"] and record["stage"] == stage
    assert record["versions"]["rulec"]
    assert record["data"]["train"]["rows"] > 0
    assert (run_dir / "loss.png").stat().st_size > 0
    loads_as_model(run_dir / "final", tiny)
    return record


@pytest.fixture(scope="session")
def stage1(tiny, tmp_path_factory) -> Path:
    """One PiSSA stage 1 shared by the tests that need an RF-pretrained run (via meta)."""
    out = tmp_path_factory.mktemp("meta") / "run"
    ok("meta", "--model", "tiny", "--task", "nupa_length_integer", "-o", str(out), *SMALL, *STAGE1)
    return out


def test_meta_trains_stage1_then_stage2_on_the_merged_stage1(stage1, tiny):
    record = check_run(stage1, tiny, "meta")
    s1 = check_run(stage1 / "stage1", tiny, "pretrain")
    assert "nupa_length_integer" not in s1["data"]["tasks"]
    assert s1["config"]["method"] == "pissa" and s1["data"]["validation"]["rows"] > 0
    assert any("eval_loss" in h for h in json.loads((stage1 / "stage1" / "log_history.json")
                                                      .read_text())["log_history"])
    # stage 1 was an adapter: it was merged into RUN/base, which stage 2's adapter names
    adapter = json.loads((stage1 / "final" / "adapter_config.json").read_text())
    assert Path(adapter["base_model_name_or_path"]) == (stage1 / "base").resolve()
    assert record["data"]["tasks"] == ["nupa_length_integer"]


def test_adapt_and_meta_reuse_a_stage1_run(stage1, tiny, tmp_path):
    out = ok("adapt", "--model", str(stage1 / "stage1"), "--task", "lc_2544_alternating_digit_sum",
             "--format", "rfft_nl", "-o", str(tmp_path / "adapt"), *SMALL)
    record = check_run(out, tiny, "adapt")
    assert record["config"]["format"] == "rfft_nl"
    out = ok("meta", "--model", "tiny", "--stage1", str(stage1 / "stage1"), "--task",
             "nupa_length_integer", "-o", str(tmp_path / "meta2"), *SMALL, "--method", "lora")
    assert not (out / "stage1").exists()
    assert check_run(out, tiny, "meta")["stage1"] == str((stage1 / "stage1").resolve())


def test_meta_icl_is_stage1_with_exemplars_and_synthetic_rows(tiny, tmp_path):
    out = ok("meta", "--icl", "--model", "tiny", "-o", str(tmp_path / "icl"), "--tasks",
             "nupa_length_integer", "--synth", "3", "--val-lengths", "", "--method", "full",
             *SMALL)
    record = check_run(out, tiny, "pretrain")
    assert record["config"]["shots"] == 1 and record["data"]["synthetic"] == 3
    train = record["data"]["train"]
    # synthetic 1-shot rows are long (thousands of tokens): kept or dropped, all are counted
    assert sum(v for part in ("counts", "dropped") for k, v in train[part].items()
               if k.startswith("synthetic/")) == 3
    assert sum(v for k, v in train["counts"].items() if k.startswith("nupa_length_integer/")) == 2


@pytest.mark.parametrize("fmt", ["direct", "scratchpad", "rfft"])
def test_baselines(tiny, tmp_path, fmt):
    out = ok("baseline", "--format", fmt, "--task", "nupa_length_integer", "--model", "tiny",
             "-o", str(tmp_path / fmt), *SMALL, "--method", "lora")
    record = check_run(out, tiny, f"baseline-{fmt}")
    assert record["config"]["format"] == fmt


def test_sft_on_rows_from_a_file_quietly(tiny, tmp_path, monkeypatch):
    from rulec.train.data import generate_rows

    for name in ("RULEC_QUIET", "TQDM_DISABLE"):  # --quiet sets them; put them back after
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "rows.jsonl"
    rows = generate_rows(["nupa_length_integer"], (1, 2), 2, "direct")
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = run("sft", "--data", str(data), "--model", "tiny", "-o", str(tmp_path / "sft"),
                 *SMALL, "--method", "full", "--logging-steps", "1", "--quiet")
    assert result.exit_code == 0, result.output + (result.stderr or "")
    # --quiet: the run directory and nothing else (no notes, bars or per-step log lines)
    assert result.stdout.splitlines() == [str(tmp_path / "sft")], result.stdout
    assert result.stderr == "", result.stderr
    record = check_run(tmp_path / "sft", tiny, "sft")
    assert record["data"]["train"]["rows"] == len(rows)


def test_presets_and_stats(tiny):
    text = run("presets").stdout
    assert "qwen2.5-7b/pretrain" in text and "qwen2.5-32b/adapt" in text
    from rulec.train.data import count_tokens, generate_rows, to_records
    from rulec.train.loading import load_tokenizer

    result = run("stats", "--model", "tiny", "--task", "nupa_length_integer", "--lengths", "1-2",
                 "--per-length", "3", "--max-length", "300")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["task", "length", "samples", "min", "median", "max", "over_300"]
    rows = generate_rows(["nupa_length_integer"], (1, 2), 3)
    counts = count_tokens(load_tokenizer(str(tiny)), list(to_records(rows)))
    for line, chunk in zip(lines[1:3], (counts[:3], counts[3:])):
        assert line.split()[2:] == [str(x) for x in (3, min(chunk), sorted(chunk)[1], max(chunk),
                                                     sum(c > 300 for c in chunk))]
    assert lines[-1] == f"--max-length 300 would drop {sum(c > 300 for c in counts)} of 6 samples"


# ---------------------------------------------------------------- one-line errors


def test_errors_are_one_line(tiny, tmp_path, monkeypatch):
    out = str(tmp_path / "run")
    assert "unknown task 'nupa_lenght'" in error_line(
        run("adapt", "--model", "tiny", "--task", "nupa_lenght", "-o", out))
    assert "unknown preset" in error_line(
        run("adapt", "--model", "tiny", "--preset", "qwen-7b", "--task", "nupa_length_integer", "-o", out))
    assert "no such data" in error_line(run("sft", "--model", "tiny", "--data", str(tmp_path / "nope.jsonl"), "-o", out))
    assert "does not exist" in error_line(
        run("adapt", "--model", str(tmp_path / "missing-model"), "--task", "nupa_length_integer", "-o", out))
    assert "drops every training sample" in error_line(
        run("adapt", "--model", "tiny", "--task", "nupa_length_integer", "-o", out, *SMALL,
            "--max-length", "5"))
    monkeypatch.setenv("ACCELERATE_USE_DEEPSPEED", "true")
    monkeypatch.setenv("ACCELERATE_DEEPSPEED_ZERO_STAGE", "3")
    line = error_line(run("adapt", "--model", "tiny", "--task", "nupa_length_integer", "-o", out,
                          "--method", "pissa"))
    assert "PiSSA" in line and "ZeRO-3" in line
    assert not Path(out).exists()  # nothing written


def test_tiny_model_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "x").write_text("keep me")
    assert "not an empty directory" in error_line(run("tiny-model", "-o", str(tmp_path)))
    assert (tmp_path / "x").read_text() == "keep me"


def test_python_m_rulec_train_runs_the_same_cli():
    proc = subprocess.run([sys.executable, "-m", "rulec.train", "presets"], capture_output=True,
                          text=True, check=True)
    assert proc.stdout == run("presets").stdout


def test_rulec_help_does_not_import_torch():
    code = ("import sys; from rulec.cli import main\n"
            "try: main(['train', '--help'])\nexcept SystemExit: pass\n"
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_train_without_the_training_extra_is_one_line_before_any_work(monkeypatch, tmp_path):
    import importlib.util

    from click.testing import CliRunner

    from rulec.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "peft" else real(name, *a))
    out = tmp_path / "run"
    r = CliRunner().invoke(main, ["train", "adapt", "--model", "tiny", "--task", "lc_258_add_digits",
                                  "-o", str(out)])
    assert r.exit_code == 2
    assert len(r.stderr.splitlines()) == 1 and r.stderr.startswith("error: ") and "needs peft" in r.stderr
    assert not out.exists()
