"""Transformers generation: batched, length-sorted, left-padded, KV cache, greedy; each
sequence stops at EOS or after its answer line (``So the answer is …\\n``)."""

from __future__ import annotations

from typing import Any

from rulec.eval.backends import Backend, BackendConfig, Request, cut_after_answer
from rulec.eval.events import ANSWER_PREFIX


class AnswerLineStop:
    """A ``StoppingCriteria``: a row is done once its new text holds a complete answer line.
    New tokens are decoded one step at a time, so the check costs O(1) per step and row."""

    def __init__(self, tokenizer, prompt_len: int, batch: int) -> None:
        self.tokenizer = tokenizer
        self.prompt_len = prompt_len
        self.tail = [""] * batch
        self.armed = [False] * batch
        self.done = [False] * batch
        self.seen = prompt_len

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        new = input_ids[:, self.seen:].tolist()
        self.seen = input_ids.shape[1]
        for i, ids in enumerate(new):
            if self.done[i]:
                continue
            text = self.tail[i] + self.tokenizer.decode(ids, skip_special_tokens=True)
            if not self.armed[i]:
                at = text.find(ANSWER_PREFIX)
                if at < 0:
                    self.tail[i] = text[-len(ANSWER_PREFIX):]
                    continue
                self.armed[i] = True
                text = text[at + len(ANSWER_PREFIX):]
            if "\n" in text:
                self.done[i] = True
            self.tail[i] = "" if self.done[i] else text[-1:]
        return torch.tensor(self.done, dtype=torch.bool, device=input_ids.device)


class HFBackend(Backend):
    name = "hf"
    requires = ("torch", "transformers")

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        from rulec.train.loading import load_for_inference

        dtype = None
        if config.dtype:
            import torch

            dtype = getattr(torch, config.dtype)
        self.model, self.tokenizer = load_for_inference(
            config.model, config.adapter, dtype=dtype, device=config.device
        )
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        gen = self.model.generation_config
        eos = gen.eos_token_id if gen.eos_token_id is not None else self.tokenizer.eos_token_id
        self.eos_ids = set(eos if isinstance(eos, list) else [eos]) - {None}
        self.eos_ids.add(self.tokenizer.pad_token_id)
        self.chunk_size = max(1, config.batch_size) * 4

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def prompt(self, request: Request) -> str:
        from rulec.train.chat import render_prompt

        return render_prompt(self.tokenizer, request.messages)

    def generate(self, requests: list[Request]) -> list[str]:
        prompts = [self.prompt(r) for r in requests]
        ids = [self.tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
        order = sorted(range(len(requests)), key=lambda i: -len(ids[i]))
        out: list[str] = [""] * len(requests)
        size = max(1, self.config.batch_size)
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            texts = self._generate_batch([ids[i] for i in batch], [requests[i] for i in batch])
            for i, text in zip(batch, texts):
                out[i] = text
        return out

    def _generate_batch(self, ids: list[list[int]], requests: list[Request]) -> list[str]:
        import torch
        from transformers import StoppingCriteriaList

        width = max(len(x) for x in ids)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(x)) + x for x in ids])
        attention = torch.tensor([[0] * (width - len(x)) + [1] * len(x) for x in ids])
        device = self.model.device
        budget = max(r.max_new_tokens for r in requests)
        stop = AnswerLineStop(self.tokenizer, width, len(ids))
        with torch.inference_mode():
            generated = self.model.generate(
                input_ids=input_ids.to(device),
                attention_mask=attention.to(device),
                max_new_tokens=budget,
                do_sample=False,
                use_cache=True,
                pad_token_id=pad,
                stopping_criteria=StoppingCriteriaList([stop]),
            )
        texts = []
        for row, req in zip(generated[:, width:].tolist(), requests):
            row = row[: req.max_new_tokens]  # each sample's own budget, as if run alone
            end = next((k for k, t in enumerate(row) if t in self.eos_ids), None)
            kept = row if end is None else row[:end]
            full = self.tokenizer.decode(kept, skip_special_tokens=True)
            text = cut_after_answer(full)
            complete = len(text) < len(full)  # the answer line ended with a newline
            req.hit_budget = end is None and len(kept) >= req.max_new_tokens and not complete
            texts.append(text)
        return texts

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "device": str(self.model.device),
                "dtype": str(self.model.dtype).replace("torch.", "")}

