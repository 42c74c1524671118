"""vLLM offline generation (GPU): ``LLM.generate`` with greedy ``SamplingParams`` whose
``max_tokens`` is always the sample's budget (vLLM's own default is 16 tokens), LoRA adapters
through ``LoRARequest``, and a tensor-parallel option. Imported only when chosen.

vLLM stops at EOS; the text after the answer line (if any) is cut off afterwards.
"""

from __future__ import annotations

from typing import Any

from rulec.eval.backends import Backend, BackendConfig, Request, cut_after_answer


class VLLMBackend(Backend):
    name = "vllm"
    requires = ("vllm",)

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        from vllm import LLM

        from rulec.train.loading import adapter_base, is_adapter, load_tokenizer, resolve_model

        path = resolve_model(config.model)
        self.adapter = config.adapter
        if self.adapter is None and is_adapter(path):
            self.adapter, path = path, resolve_model(adapter_base(path))
        self.path = path
        kwargs: dict[str, Any] = {"model": path, "tensor_parallel_size": config.tensor_parallel,
                                  "seed": 0}
        if config.dtype:
            kwargs["dtype"] = config.dtype
        if self.adapter:
            kwargs.update(enable_lora=True, max_lora_rank=int(config.extra.get("max_lora_rank", 64)))
        kwargs.update(config.extra.get("llm_kwargs", {}))
        self.llm = LLM(**kwargs)
        self.tokenizer = load_tokenizer(path)
        self.chunk_size = 4096

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def generate(self, requests: list[Request]) -> list[str]:
        from vllm import SamplingParams

        from rulec.train.chat import render_prompt

        lora = None
        if self.adapter:
            from vllm.lora.request import LoRARequest

            lora = LoRARequest("adapter", 1, self.adapter)
        prompts = [render_prompt(self.tokenizer, r.messages) for r in requests]
        params = [SamplingParams(temperature=0.0, max_tokens=r.max_new_tokens) for r in requests]
        outputs = self.llm.generate(prompts, params, lora_request=lora, use_tqdm=False)
        texts = []
        for req, out in zip(requests, outputs):
            completion = out.outputs[0]
            text = cut_after_answer(completion.text)
            req.hit_budget = completion.finish_reason == "length" and len(text) == len(completion.text)
            texts.append(text)
        return texts
