"""Optional LLM polish of an NL rule's wording, validated, with a template fallback.

The model (any OpenAI-compatible endpoint) rewrites the wording of each step. The
result is kept only if every step keeps its number, order and indentation and
every ``step (X)`` reference survives unchanged; otherwise the template text is
used and the caller is told why. Answers are cached on disk by request hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from rulec.compiler.nl import NLRule

_REF = re.compile(r"step \((\d+(?:\.\d+)*)\)")
_NUM = re.compile(r"^(\s*)(\d+(?:\.\d+)*\.?)\s")

INSTRUCTIONS = (
    "Rewrite the wording of each numbered step of this procedure so it reads naturally for a "
    "person who does not program. Keep exactly one line per step, keep every step number, "
    "its order and its indentation, keep every reference of the form 'step (X)' unchanged, "
    "keep all variable names and numbers, and do not add or remove steps. Reply with the "
    "rewritten procedure only.\n\n"
)


def cache_dir() -> Path:
    root = os.environ.get("RULEC_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "rulec")
    return Path(root) / "polish"


def validate(original: str, polished: str) -> str | None:
    """None if ``polished`` keeps the structure of ``original``; else the reason it does not."""
    # the numbered steps are checked; an unnumbered preamble line may be reworded freely
    a = [line for line in original.splitlines() if _NUM.match(line)]
    b = [line for line in polished.strip().splitlines() if _NUM.match(line)]
    if len(a) != len(b):
        return f"the step count changed ({len(a)} -> {len(b)})"
    for x, y in zip(a, b):
        mx, my = _NUM.match(x), _NUM.match(y)
        if not my or mx.group(2) != my.group(2):
            return f"step {mx.group(2)} lost its number"
        if sorted(_REF.findall(x)) != sorted(_REF.findall(y)):
            return f"step {mx.group(2)} changed its go-to references"
    return None


def polish_rule(rule: NLRule, *, base_url: str, model: str, api_key: str | None = None, timeout: float = 60.0) -> tuple[str, str | None]:
    """(text, note): the polished text, or the template text and why it was kept."""
    original = rule.text
    request = {"model": model, "messages": [{"role": "user", "content": INSTRUCTIONS + original}], "temperature": 0}
    key = hashlib.sha256(json.dumps([base_url, request], sort_keys=True).encode()).hexdigest()
    path = cache_dir() / f"{key}.json"
    if path.exists():
        answer = json.loads(path.read_text(encoding="utf-8"))["answer"]
    else:
        try:
            from openai import OpenAI
        except ImportError:
            return original, "the openai package is not installed (pip install 'rulec[llm]'); kept the template text"
        client = OpenAI(base_url=base_url, api_key=api_key or os.environ.get("OPENAI_API_KEY") or "none", timeout=timeout, max_retries=2)
        try:
            reply = client.chat.completions.create(**request)
            answer = reply.choices[0].message.content or ""
        except Exception as e:  # network errors, HTTP errors: keep the template
            return original, f"polish request failed ({type(e).__name__}); kept the template text"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"answer": answer}), encoding="utf-8")
        os.replace(tmp, path)
    problem = validate(original, answer)
    if problem:
        return original, f"polished text rejected: {problem}; kept the template text"
    return answer.strip(), None
