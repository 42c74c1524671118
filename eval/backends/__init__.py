"""Generation backends, by name: a registry of lazy ``"module:Class"`` strings (imported only
when chosen, so ``vllm`` and ``openai`` stay optional). Every backend has one method,
``generate(requests) -> list[str]``: the raw continuation of each request, in order.

``--backend`` also accepts a ``module:Class`` path of your own.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from rulec.cliutil import UserError

BACKENDS: dict[str, str] = {
    "hf": "rulec.eval.backends.hf:HFBackend",
    "vllm": "rulec.eval.backends.vllm:VLLMBackend",
    "openai": "rulec.eval.backends.openai:OpenAIBackend",
    "oracle": "rulec.eval.backends.oracle:OracleBackend",
}


@dataclass
class Request:
    """One sample to generate: its row, the chat messages (the row without the assistant
    turn) and its token budget. A backend may set ``hit_budget`` when it knows it stopped
    at the budget."""

    id: str
    row: dict[str, Any]
    messages: list[dict[str, str]]
    max_new_tokens: int
    hit_budget: bool | None = None


@dataclass
class BackendConfig:
    model: str | None = None
    adapter: str | None = None
    base_url: str | None = None
    batch_size: int = 16
    device: str | None = None
    dtype: str | None = None
    tensor_parallel: int = 1
    concurrency: int = 8
    timeout: float = 120.0
    max_retries: int = 5
    extra: dict[str, Any] = field(default_factory=dict)


class Backend:
    """Base class: ``generate`` is the one method; ``count_tokens`` sizes budgets."""

    name = "backend"
    requires: tuple[str, ...] = ()  # modules the backend imports when built

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    def generate(self, requests: list[Request]) -> list[str]:
        raise NotImplementedError

    def count_tokens(self, text: str) -> int:
        """Token count used for budgets; without a tokenizer, a generous estimate."""
        return len(text) // 2 + 1

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "model": self.config.model, "adapter": self.config.adapter}


def backend_class(name: str) -> type[Backend]:
    """The backend class for a registry name or a ``module:Class`` path."""
    spec = BACKENDS.get(name)
    if spec is None:
        if ":" not in name:
            close = difflib.get_close_matches(name, list(BACKENDS), n=1, cutoff=0.4)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UserError(f"unknown backend {name!r}{hint} (choose one of {', '.join(BACKENDS)})")
        spec = name
    module_name, _, cls_name = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        if name in BACKENDS:
            extra = "vllm" if name == "vllm" else "eval"
            raise UserError(f"backend {name!r} needs {e.name}: pip install 'rulec[{extra}]'") from None
        raise UserError(f"cannot import backend module {module_name!r}: {e}") from None
    try:
        cls = getattr(module, cls_name)
    except AttributeError:
        raise UserError(f"module {module_name!r} has no backend class {cls_name!r}") from None
    missing = [m for m in getattr(cls, "requires", ()) if importlib.util.find_spec(m) is None]
    if missing:
        extra = "vllm" if "vllm" in missing else "eval"
        raise UserError(f"backend {name!r} needs {', '.join(missing)}: pip install 'rulec[{extra}]'")
    return cls


def make_backend(name: str, config: BackendConfig) -> Backend:
    return backend_class(name)(config)


def cut_after_answer(text: str) -> str:
    """The text up to and including the answer line (the whole text if it has none)."""
    from rulec.eval.events import ANSWER_PREFIX

    start = text.find(ANSWER_PREFIX)
    if start < 0:
        return text
    end = text.find("\n", start)
    return text if end < 0 else text[:end]


__all__ = ["BACKENDS", "Backend", "BackendConfig", "Request", "backend_class", "cut_after_answer",
           "make_backend"]
