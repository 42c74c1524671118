"""Any OpenAI-compatible chat endpoint (vLLM serve, SGLang, hosted APIs).

The request is the row's messages without the assistant turn, unchanged, at temperature 0,
with ``max_tokens`` set to the sample's budget. The key comes from ``OPENAI_API_KEY`` only
and is never written or logged. Requests run on a bounded thread pool; 429, 5xx, timeouts
and connection errors are retried with exponential backoff and jitter.
"""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rulec.cliutil import UserError
from rulec.eval.backends import Backend, BackendConfig, Request, cut_after_answer

RETRY_STATUS = {408, 409, 425, 429}


class OpenAIBackend(Backend):
    name = "openai"
    requires = ("openai",)

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        if not config.base_url:
            raise UserError("the openai backend needs --base-url (e.g. http://localhost:8000/v1)")
        if not config.model:
            raise UserError("the openai backend needs --model (the served model name)")
        import openai

        self._openai = openai
        self.client = openai.OpenAI(
            base_url=config.base_url,
            api_key=os.environ.get("OPENAI_API_KEY") or "EMPTY",
            max_retries=0,  # retried here, with our own backoff and error message
            timeout=config.timeout,
        )
        self.backoff = float(config.extra.get("retry_backoff", 1.0))
        self.chunk_size = max(1, config.concurrency) * 4

    def generate(self, requests: list[Request]) -> list[str]:
        workers = max(1, min(self.config.concurrency, len(requests)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self._one, requests))

    def _one(self, request: Request) -> str:
        response = self._with_retries(lambda: self.client.chat.completions.create(
            model=self.config.model,
            messages=request.messages,
            temperature=0,
            max_tokens=request.max_new_tokens,
        ))
        choice = response.choices[0]
        full = choice.message.content or ""
        text = cut_after_answer(full)
        request.hit_budget = choice.finish_reason == "length" and len(text) == len(full)
        return text

    def _with_retries(self, call):
        oa = self._openai
        attempts = max(0, self.config.max_retries) + 1
        for attempt in range(attempts):
            try:
                return call()
            except (oa.APITimeoutError, oa.APIConnectionError, oa.RateLimitError,
                    oa.InternalServerError) as e:
                error = e
            except oa.APIStatusError as e:
                if e.status_code not in RETRY_STATUS and e.status_code < 500:
                    raise UserError(f"endpoint {self.config.base_url} refused the request: "
                                    f"HTTP {e.status_code} {_first_line(e)}") from None
                error = e
            if attempt + 1 < attempts:
                time.sleep(min(30.0, self.backoff * 2**attempt) * (0.5 + random.random() / 2))
        raise UserError(f"cannot get a completion from {self.config.base_url} after {attempts} "
                        f"attempts: {type(error).__name__}: {_first_line(error)}")

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.config.base_url}


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else ""
