"""The trainer's library: masking, packing, PiSSA conversion, resume, over-fitting (CPU, the
tiny model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("peft")

from train_helpers import tiny_path  # noqa: E402

from rulec.train import data as D  # noqa: E402
from rulec.train.chat import prompt_messages, render_prompt  # noqa: E402
from rulec.train.config import resolve  # noqa: E402
from rulec.train.stages import build_trainer, run_stage  # noqa: E402

TASKS = ["nupa_length_integer", "lc_2544_alternating_digit_sum"]


@pytest.fixture(scope="session")
def tiny() -> str:
    return str(tiny_path())


@pytest.fixture(scope="session")
def tokenizer(tiny):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny)


def small_cfg(**over):
    base = dict(steps=4, per_length=2, lengths="1", batch_size=2, micro_batch_size=2,
                max_length=512, logging_steps=1, save_steps=2, eval_steps=2, patience=0,
                val_lengths="", pissa_init="pissa_niter_4")
    return resolve("tiny", "adapt", **{**base, **over})


def rows(fmt="rfft", shots=0, lengths=(1, 2), per_length=1):
    return D.generate_rows(TASKS, tuple(lengths), per_length, fmt, shots, 0)


def first_batch(trainer):
    return next(iter(trainer.get_train_dataloader()))


# ---------------------------------------------------------------- masking


def test_prompt_and_exemplar_tokens_carry_no_loss(tiny, tokenizer, tmp_path):
    samples = rows(shots=1)
    assert all(r["prompt"].startswith("Here is 1 example:") for r in samples)
    dataset, _ = D.build_dataset(samples, tokenizer, 4096)
    cfg = small_cfg(method="full", micro_batch_size=len(samples), batch_size=len(samples),
                    packing="off", group_by_length=False)
    trainer, _, _ = build_trainer(cfg, tiny, dataset, tmp_path / "run")
    batch = first_batch(trainer)
    assert batch["labels"].shape[0] == len(samples)
    seen = set()
    for ids, labels, mask in zip(batch["input_ids"], batch["labels"], batch["attention_mask"]):
        n = int(mask.sum())
        text = tokenizer.decode(ids[:n])
        row = next(r for r in samples if r["response"] in text and r["prompt"] in text)
        seen.add(row["id"])
        prompt_len = len(tokenizer(render_prompt(tokenizer, prompt_messages(row)),
                                   add_special_tokens=False)["input_ids"])
        # everything up to and including "<|im_start|>assistant\n" is masked: the exemplar too
        assert (labels[:prompt_len] == -100).all()
        # every response token is a label, and the labels decode to the response + end of turn
        assert (labels[prompt_len:n] == ids[prompt_len:n]).all()
        assert (labels[n:] == -100).all()
        assert tokenizer.decode(labels[prompt_len:n]) == row["response"] + "<|im_end|>\n"
    assert len(seen) == len(samples)


# ---------------------------------------------------------------- packing / padding


def _logits_alone(model, ids):
    with torch.no_grad():
        return model(input_ids=ids[None], use_cache=False).logits[0]


@pytest.mark.parametrize("packing", ["on", "off"])
def test_no_attention_across_samples(tiny, tokenizer, tmp_path, packing):
    samples = rows(lengths=(1, 2, 3))
    dataset, _ = D.build_dataset(samples, tokenizer, 4096)
    cfg = small_cfg(method="full", micro_batch_size=len(samples), batch_size=len(samples),
                    packing=packing, max_length=4096)
    trainer, _, _ = build_trainer(cfg, tiny, dataset, tmp_path / "run")
    model = trainer.model.eval()
    batch = first_batch(trainer)
    inputs = {k: v for k, v in batch.items() if k != "labels"}
    with torch.no_grad():
        packed = model(**inputs, use_cache=False).logits
    segments = []
    if packing == "on":
        assert "attention_mask" not in batch and batch["input_ids"].shape[0] == 1
        pos = batch["position_ids"][0]
        starts = (pos == 0).nonzero().flatten().tolist() + [len(pos)]
        for a, b in zip(starts, starts[1:]):
            segments.append((batch["input_ids"][0, a:b], packed[0, a:b]))
    else:
        assert batch["attention_mask"].min() == 0  # rows of different lengths: padded
        for i, mask in enumerate(batch["attention_mask"]):
            n = int(mask.sum())
            segments.append((batch["input_ids"][i, :n], packed[i, :n]))
    assert len(segments) == len(samples)
    for ids, logits in segments:
        alone = _logits_alone(model, ids)
        torch.testing.assert_close(logits, alone, atol=2e-4, rtol=1e-4)


def test_packed_rows_are_nearly_all_real_tokens(tiny, tokenizer, tmp_path):
    samples = rows(lengths=(1, 2, 3), per_length=2)
    dataset, report = D.build_dataset(samples, tokenizer, 4096)
    cfg = small_cfg(method="full", micro_batch_size=4, batch_size=4, packing="on", max_length=1024)
    trainer, _, _ = build_trainer(cfg, tiny, dataset, tmp_path / "run")
    total = 0
    for batch in trainer.get_train_dataloader():
        assert "attention_mask" not in batch and batch["input_ids"].shape[0] == 1
        total += batch["input_ids"].numel()
    assert total == report["tokens"]  # padding-free: every position is a real token


# ---------------------------------------------------------------- over-long samples


def test_over_long_samples_are_dropped_and_counted(tokenizer):
    samples = rows(lengths=(1, 6))
    lengths = D.count_tokens(tokenizer, list(D.to_records(samples)))
    limit = sorted(lengths)[len(lengths) // 2]
    dataset, report = D.build_dataset(samples, tokenizer, limit)
    assert len(dataset) == sum(n <= limit for n in lengths) == report["rows"]
    assert report["dropped_too_long"] == sum(n > limit for n in lengths) > 0
    assert max(dataset["n_tokens"]) <= limit


# ---------------------------------------------------------------- PiSSA


class Capture:
    """A callback keeping the trained model's logits on a fixed input."""

    def __init__(self, ids):
        from transformers import TrainerCallback

        outer = self

        class CB(TrainerCallback):
            def on_train_end(self, args, state, control, model=None, **kw):
                model.eval()
                with torch.no_grad():
                    outer.logits = model(input_ids=ids, use_cache=False).logits.clone()

        self.callback = CB()
        self.logits = None


def test_pissa_adapter_converted_to_lora_loads_on_the_original_base(tiny, tokenizer, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    samples = rows()
    dataset, _ = D.build_dataset(samples, tokenizer, 4096)
    ids = torch.tensor([tokenizer(samples[0]["prompt"])["input_ids"][:40]])
    cap = Capture(ids)
    cfg = small_cfg(method="pissa", lora_rank=4, lr=5e-3, steps=3)
    run = run_stage(cfg, tiny, dataset, tmp_path / "run", callbacks=[cap.callback])
    adapter_cfg = json.loads((run / "final" / "adapter_config.json").read_text())
    assert Path(adapter_cfg["base_model_name_or_path"]) == Path(tiny)
    assert adapter_cfg["r"] == 8  # PiSSA rank 4 -> a plain LoRA of rank 2r
    base = AutoModelForCausalLM.from_pretrained(tiny)
    with torch.no_grad():
        before = base(input_ids=ids, use_cache=False).logits
        model = PeftModel.from_pretrained(base, str(run / "final")).eval()
        after = model(input_ids=ids, use_cache=False).logits
    assert not torch.allclose(before, cap.logits, atol=1e-3)  # training changed the model
    torch.testing.assert_close(after, cap.logits, atol=1e-3, rtol=1e-3)


# ---------------------------------------------------------------- resume


class Kill(Exception):
    pass


def test_resume_after_a_kill_reaches_the_same_loss(tiny, tokenizer, tmp_path):
    from transformers import TrainerCallback

    class KillAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            if state.global_step == 3:
                raise Kill()

    samples = rows(lengths=(1, 2), per_length=2)
    dataset, _ = D.build_dataset(samples, tokenizer, 4096)
    cfg = small_cfg(method="pissa", lora_rank=4, lr=5e-3, steps=6, save_steps=2)
    full = run_stage(cfg, tiny, dataset, tmp_path / "full")
    with pytest.raises(Kill):
        run_stage(cfg, tiny, dataset, tmp_path / "killed", callbacks=[KillAt()])
    assert not (tmp_path / "killed" / "final").exists()
    assert (tmp_path / "killed" / "checkpoint-2").is_dir()
    resumed = run_stage(cfg, tiny, dataset, tmp_path / "killed", resume=True)
    a = json.loads((full / "train_config.json").read_text())
    b = json.loads((resumed / "train_config.json").read_text())
    assert a["steps"] == b["steps"] == 6
    assert b["final_loss"] == pytest.approx(a["final_loss"], rel=1e-4)
    from safetensors.torch import load_file

    wa = load_file(str(full / "final" / "adapter_model.safetensors"))
    wb = load_file(str(resumed / "final" / "adapter_model.safetensors"))
    assert wa.keys() == wb.keys()
    for k in wa:
        torch.testing.assert_close(wa[k], wb[k], atol=1e-5, rtol=1e-4)


# ---------------------------------------------------------------- over-fitting


def test_overfitted_tiny_model_reproduces_its_samples(tiny):
    from rulec.train.loading import load_for_inference
    from rulec.train.testing import greedy, overfit_rows, overfit_tiny_cached

    run = overfit_tiny_cached()
    record = json.loads((run / "train_config.json").read_text())
    assert record["complete"] and record["config"]["method"] == "full"
    model, tok = load_for_inference(str(run))
    samples = overfit_rows()
    assert len(samples) == 4
    assert greedy(model, tok, samples) == [r["response"] for r in samples]
