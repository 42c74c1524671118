"""An OpenAI-compatible chat client for data generation and judging.

- The API key comes from ``OPENAI_API_KEY`` only; it is handed to the ``openai`` client and
  never written to the cache, the outputs or an error message.
- Every completed request is cached on disk by a hash of (model, messages, parameters,
  attempt number) — not of the base URL, so the same model behind another endpoint reuses
  the cache. A rerun replays the cache and makes no requests.
- Transport failures (429, 5xx, timeouts, dropped connections) are retried with exponential
  backoff (``Retry-After`` honoured); other 4xx answers fail the one request; an endpoint
  that refuses the key or does not know the model stops the run with one line.
- ``map`` runs a function over items with bounded concurrency and a progress bar that shows
  the cost counters (requests sent, cache hits, tokens).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from rulec.errors import RulecError

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class ClientConfig:
    base_url: str
    model: str
    cache_dir: Path
    concurrency: int = 8
    timeout: float = 120.0
    max_retries: int = 6  # transport retries per request
    backoff: float = 1.0  # first wait in seconds; doubles, capped at max_backoff
    max_backoff: float = 60.0
    temperature: float = 0.7
    max_tokens: int = 2048
    json_mode: bool = True  # response_format={"type": "json_object"}


@dataclass
class Stats:
    requests: int = 0  # sent and answered
    cached: int = 0  # answered from the cache
    retries: int = 0  # transport retries (429/5xx/timeouts)
    failed: int = 0  # requests given up on
    prompt_tokens: int = 0
    completion_tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in
                ("requests", "cached", "retries", "failed", "prompt_tokens", "completion_tokens")}

    def line(self) -> str:
        return (f"req={self.requests} cached={self.cached} retries={self.retries} "
                f"tok={self.prompt_tokens}+{self.completion_tokens}")


class RequestFailed(Exception):
    """One request could not be completed (recorded as that item's failure)."""


class FatalAPIError(RulecError):
    """The endpoint cannot serve this run at all (bad key, unknown model, unreachable)."""


def cache_root(out_dir: Path | None, explicit: str | None = None) -> Path:
    """``--cache``, else ``$RULEC_CACHE/rnr-requests``, else ``OUT/cache``, else (no output
    directory) the user cache ``~/.cache/rulec/rnr-requests``."""
    if explicit:
        return Path(explicit)
    if os.environ.get("RULEC_CACHE"):
        return Path(os.environ["RULEC_CACHE"]) / "rnr-requests"
    if out_dir is not None:
        return out_dir / "cache"
    from rulec.train.tiny import cache_dir

    return cache_dir() / "rnr-requests"


def request_key(model: str, messages: list[dict[str, str]], params: dict[str, Any]) -> str:
    blob = json.dumps({"model": model, "messages": messages, "params": params},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class LLMClient:
    def __init__(self, cfg: ClientConfig):
        self.cfg = cfg
        self.stats = Stats()
        self._client = None
        self._client_lock = threading.Lock()

    # -------------------------------------------------------------- one request

    def _openai(self):
        with self._client_lock:
            if self._client is None:
                import openai

                self._client = openai.OpenAI(
                    base_url=self.cfg.base_url,
                    api_key=os.environ.get("OPENAI_API_KEY") or "EMPTY",
                    timeout=self.cfg.timeout,
                    max_retries=0,
                )
            return self._client

    def params(self, attempt: int, **overrides: Any) -> dict[str, Any]:
        p = {"temperature": self.cfg.temperature, "max_tokens": self.cfg.max_tokens,
             "json_mode": self.cfg.json_mode}
        p.update(overrides)
        p["attempt"] = attempt  # a retry is a new request, replayed in order on a rerun
        return p

    def complete(self, messages: list[dict[str, str]], attempt: int = 0, **overrides: Any) -> str:
        """The reply text (cached); raises RequestFailed or FatalAPIError."""
        params = self.params(attempt, **overrides)
        key = request_key(self.cfg.model, messages, params)
        path = self.cfg.cache_dir / key[:2] / f"{key}.json"
        if path.exists():
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
                self.stats.add(cached=1)
                return entry["text"]
            except (json.JSONDecodeError, KeyError, UnicodeDecodeError):
                pass  # a damaged entry is asked again
        text, usage = self._send(messages, params)
        self.stats.add(requests=1, prompt_tokens=usage[0], completion_tokens=usage[1])
        _atomic_write(path, json.dumps(
            {"model": self.cfg.model, "params": params, "messages": messages, "text": text,
             "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1]}},
            ensure_ascii=False))
        return text

    def _send(self, messages: list[dict[str, str]], params: dict[str, Any]) -> tuple[str, tuple[int, int]]:
        import openai

        client = self._openai()
        kwargs: dict[str, Any] = {"model": self.cfg.model, "messages": messages,
                                  "temperature": params["temperature"],
                                  "max_tokens": params["max_tokens"]}
        if params["json_mode"]:
            kwargs["response_format"] = {"type": "json_object"}
        where = f"{self.cfg.base_url} (model {self.cfg.model})"
        for retry in range(self.cfg.max_retries + 1):
            wait = min(self.cfg.max_backoff, self.cfg.backoff * 2**retry)
            wait *= 0.5 + random.random() / 2
            try:
                resp = client.chat.completions.create(**kwargs)
            except openai.APIConnectionError as e:  # includes timeouts
                reason = "timed out" if isinstance(e, openai.APITimeoutError) else "connection failed"
                if retry == self.cfg.max_retries:
                    if isinstance(e, openai.APITimeoutError):
                        self.stats.add(failed=1)
                        raise RequestFailed(f"request {reason} {retry + 1} times") from None
                    raise FatalAPIError(f"cannot reach {where}: {reason}") from None
            except openai.APIStatusError as e:
                status = e.status_code
                if status in (401, 403):
                    raise FatalAPIError(
                        f"{where} refused the request (HTTP {status}); check OPENAI_API_KEY") from None
                if status == 404:
                    raise FatalAPIError(f"{where} answered HTTP 404: unknown model or wrong base URL") from None
                if status != 429 and status < 500 and status not in (408, 409):
                    self.stats.add(failed=1)
                    raise RequestFailed(f"HTTP {status}: {_short(e)}") from None
                if retry == self.cfg.max_retries:
                    self.stats.add(failed=1)
                    raise RequestFailed(f"HTTP {status} after {retry + 1} attempts") from None
                wait = max(wait, min(self.cfg.max_backoff, _retry_after(e)))
            else:
                choice = resp.choices[0] if resp.choices else None
                text = (choice.message.content if choice and choice.message else None) or ""
                usage = resp.usage
                tokens = (getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0)
                return text, tokens
            self.stats.add(retries=1)
            time.sleep(wait)
        raise AssertionError("unreachable")

    # -------------------------------------------------------------- many items

    def map(self, fn: Callable[[T], R], items: Iterable[T], progress=None) -> list[R]:
        """``[fn(item) …]`` in order, at most ``concurrency`` at a time; ``progress`` (a tqdm
        bar or None) advances by one per item and shows the cost counters."""
        items = list(items)
        if not items:
            return []

        def run(item: T) -> R:
            result = fn(item)
            if progress is not None:
                progress.set_postfix_str(self.stats.line(), refresh=False)
                progress.update(1)
            return result

        workers = max(1, min(self.cfg.concurrency, len(items)))
        if workers == 1:
            return [run(item) for item in items]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(run, items))


def _retry_after(e) -> float:
    try:
        return float(e.response.headers.get("retry-after", 0))
    except (AttributeError, TypeError, ValueError):
        return 0.0


def _short(e) -> str:
    """The endpoint's error message, first line, without anything that could echo a key."""
    message = str(getattr(e, "message", "") or e).splitlines()[0][:200]
    key = os.environ.get("OPENAI_API_KEY")
    return message.replace(key, "***") if key else message


def progress_bar(total: int, desc: str, enabled: bool = True):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, disable=not enabled, dynamic_ncols=True)
