"""Validation of everything an LLM returns: a role with numbered rules, a response, verdicts.

Each validator takes the raw reply text and returns clean Python values, or raises
:class:`SchemaError` with a short reason (recorded with the failure, shown to the model on
a retry). Nothing that fails here is ever kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rulec.rnr import ifeval
from rulec.rnr.rules import RULE_TYPES

MAX_ROLE_CHARS = 2000
MAX_TEXT_CHARS = 500
MAX_INT = 100_000


class SchemaError(ValueError):
    """An LLM reply that does not have the required shape."""


def parse_json(text: str) -> dict[str, Any]:
    """The JSON object in a reply: the whole text, or inside a ``` fence."""
    s = text.strip()
    fence = re.fullmatch(r"```(?:json|JSON)?\s*\n?(.*?)\n?```", s, flags=re.DOTALL)
    if fence:
        s = fence.group(1).strip()
    try:
        value = json.loads(s)
    except json.JSONDecodeError as e:
        raise SchemaError(f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    if not isinstance(value, dict):
        raise SchemaError(f"expected a JSON object, got {type(value).__name__}")
    return value


def _text(value: Any, where: str, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(f"{where}: expected a non-empty string")
    if len(value) > limit:
        raise SchemaError(f"{where}: longer than {limit} characters")
    return value.strip()


def _param(kind: str, value: Any, where: str) -> Any:
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT:
            raise SchemaError(f"{where}: expected a positive integer")
        return value
    if kind == "str":
        return _text(value, where, 200)
    if kind == "words":
        if not isinstance(value, list) or not 1 <= len(value) <= 10:
            raise SchemaError(f"{where}: expected a list of 1 to 10 words or phrases")
        return [_text(w, where, 60) for w in value]
    if kind == "case":
        if value not in ("lower", "upper"):
            raise SchemaError(f"{where}: expected 'lower' or 'upper'")
        return value
    if kind == "language":
        if value not in ifeval.languages():
            raise SchemaError(f"{where}: expected an ISO 639-1 code among {sorted(ifeval.languages())}")
        return value
    raise AssertionError(kind)


def _params(type_name: str, params: Any, where: str) -> dict[str, Any]:
    spec = RULE_TYPES[type_name].params
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise SchemaError(f"{where}: params must be an object")
    unknown = set(params) - set(spec)
    if unknown:
        raise SchemaError(f"{where}: unknown params {sorted(unknown)} for type {type_name}")
    out = {}
    for name, kind in spec.items():
        optional = kind.endswith("?")
        if name not in params or params[name] is None:
            if not optional:
                raise SchemaError(f"{where}: missing param {name!r} for type {type_name}")
            continue
        out[name] = _param(kind.rstrip("?"), params[name], f"{where}.{name}")
    if type_name.startswith("length_"):
        if not ("min" in out or "max" in out):
            raise SchemaError(f"{where}: {type_name} needs min or max")
        if out.get("min", 0) > out.get("max", MAX_INT):
            raise SchemaError(f"{where}: min is larger than max")
    if type_name == "format_bullets" and "count" in out and "min_items" in out:
        raise SchemaError(f"{where}: give count or min_items, not both")
    return out


def validate_ruleset(
    reply: str, allowed_types: list[str] | tuple[str, ...], n_rules: tuple[int, int]
) -> tuple[str, list[dict[str, Any]]]:
    """``(role, rules)`` from ``{"role": …, "rules": [{"type", "text", "params"}, …]}``;
    rules are numbered 1..n in the order given."""
    obj = parse_json(reply)
    role = _text(obj.get("role"), "role", MAX_ROLE_CHARS)
    rules = obj.get("rules")
    if not isinstance(rules, list) or not rules:
        raise SchemaError("rules: missing or empty")
    lo, hi = n_rules
    if not lo <= len(rules) <= hi:
        raise SchemaError(f"rules: {len(rules)} given, expected {lo} to {hi}")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, rule in enumerate(rules, 1):
        where = f"rules[{i}]"
        if not isinstance(rule, dict):
            raise SchemaError(f"{where}: expected an object")
        type_name = rule.get("type")
        if type_name not in allowed_types:
            raise SchemaError(f"{where}: type {type_name!r} is not one of the allowed types")
        if type_name in seen:
            raise SchemaError(f"{where}: a second {type_name} rule (one rule per type)")
        seen.add(type_name)
        out.append({
            "id": i,
            "type": type_name,
            "category": RULE_TYPES[type_name].category,
            "text": _text(rule.get("text"), f"{where}.text"),
            "params": _params(type_name, rule.get("params"), f"{where}.params"),
        })
    _check_conflicts(out)
    return role, out


# rule types that cannot hold together with a whole-reply JSON value
_NOT_WITH_JSON = {"format_bullets", "format_numbered", "ending_phrase", "starting_phrase",
                  "postscript", "length_paragraphs"}
# languages whose script has letter case (IFEval's language codes)
CASED_LANGUAGES = {"bg", "de", "en", "es", "fi", "fr", "it", "pl", "pt", "ru", "sw", "uk", "vi"}


def _check_conflicts(rules: list[dict[str, Any]]) -> None:
    """Rules no reply can satisfy together are rejected before a response is asked for."""
    by_type = {r["type"]: r["params"] for r in rules}
    required = {w.lower() for w in by_type.get("required_words", {}).get("words", [])}
    forbidden = {w.lower() for w in by_type.get("forbidden_words", {}).get("words", [])}
    if required & forbidden:
        raise SchemaError(f"rules: words both required and forbidden: {sorted(required & forbidden)}")
    if "format_json" in by_type and _NOT_WITH_JSON & set(by_type):
        raise SchemaError(f"rules: format_json cannot hold with {sorted(_NOT_WITH_JSON & set(by_type))}")
    case = by_type.get("letter_case", {}).get("case")
    if case:
        language = by_type.get("language", {}).get("language")
        if language and language not in CASED_LANGUAGES:
            raise SchemaError(f"rules: letter_case cannot hold for language {language!r} (no letter case)")
        texts = list(by_type.get("required_words", {}).get("words", []))
        texts += [by_type[t]["phrase"] for t in ("ending_phrase", "starting_phrase") if t in by_type]
        wrong = [t for t in texts if t != (t.lower() if case == "lower" else t.upper())]
        if wrong:
            raise SchemaError(f"rules: letter_case {case} contradicts {wrong}")


def validate_response(reply: str) -> str:
    """The text of ``{"response": "…"}``."""
    obj = parse_json(reply)
    value = obj.get("response")
    if not isinstance(value, str) or not value.strip():
        raise SchemaError("response: missing or empty")
    return value.strip()


def validate_verdicts(reply: str, rule_ids: list[int]) -> dict[int, dict[str, Any]]:
    """``{"verdicts": [{"rule": id, "pass": bool, "reason": str}]}`` covering exactly
    ``rule_ids``."""
    obj = parse_json(reply)
    items = obj.get("verdicts")
    if not isinstance(items, list):
        raise SchemaError("verdicts: missing")
    out: dict[int, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("pass"), bool):
            raise SchemaError("verdicts: each needs a rule number and a boolean pass")
        rid = item.get("rule")
        if isinstance(rid, bool) or not isinstance(rid, int) or rid not in rule_ids or rid in out:
            raise SchemaError(f"verdicts: unexpected or repeated rule {rid!r}")
        reason = item.get("reason")
        out[rid] = {"pass": item["pass"], "reason": reason if isinstance(reason, str) else ""}
    missing = sorted(set(rule_ids) - set(out))
    if missing:
        raise SchemaError(f"verdicts: no verdict for rules {missing}")
    return out


def system_prompt(role: str, rules: list[dict[str, Any]]) -> str:
    """The system turn: the role, then the numbered rules."""
    lines = [role.strip(), "", "Rules:"]
    lines += [f"{r['id']}. {r['text']}" for r in rules]
    return "\n".join(lines)
