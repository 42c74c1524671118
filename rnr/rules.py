"""Rule types: what a generated rule may say, its parameters, and how it is checked.

Every rule in a system prompt carries a ``type`` from :data:`RULE_TYPES`. Types that code can
check have a verifier (IFEval's checkers from lm-eval where one fits, a few lines of code
where none does); the rest (tone, persona, forbidden topics, custom) go to the LLM judge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rulec.rnr import ifeval

Verifier = Callable[[str, dict[str, Any]], bool]


@dataclass(frozen=True)
class RuleType:
    name: str
    category: str
    doc: str  # one line for the generator's catalogue
    params: dict[str, str] = field(default_factory=dict)  # name -> kind; "?" suffix = optional
    verifier: Verifier | None = None
    backend: str = "llm"  # "ifeval:<instruction id>", "code" or "llm"

    @property
    def checkable(self) -> bool:
        return self.verifier is not None


# ------------------------------------------------------------------ verifiers


def _bounds(count: int, p: dict[str, Any]) -> bool:
    return p.get("min", 0) <= count <= p.get("max", count)


def _ifeval_bounds(instruction_id: str, key: str) -> Verifier:
    """IFEval's "less than N" / "at least N" checkers for an inclusive min/max range."""

    def verify(text: str, p: dict[str, Any]) -> bool:
        ok = True
        if "min" in p:
            ok &= ifeval.check(instruction_id, text, **{key: p["min"], "relation": "at least"})
        if "max" in p:
            ok &= ifeval.check(instruction_id, text, **{key: p["max"] + 1, "relation": "less than"})
        return ok

    return verify


def _bullets(text: str, p: dict[str, Any]) -> bool:
    if "count" in p:
        return ifeval.check("detectable_format:number_bullet_lists", text, num_bullets=p["count"])
    # IFEval's bullet markers: "* item" or "- item" at the start of a line
    items = re.findall(r"^\s*(?:\*[^*]|-).*$", text, flags=re.MULTILINE)
    return len(items) >= p.get("min_items", 2)


_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+\S", flags=re.MULTILINE)


def _numbered(text: str, p: dict[str, Any]) -> bool:
    """Numbered steps: lines "1. …", "2. …" (or "1) …") counting up from 1."""
    numbers = [int(n) for n in _NUMBERED.findall(text)]
    return numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= p.get("min_steps", 2)


def paragraphs(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def _paragraphs(text: str, p: dict[str, Any]) -> bool:
    return _bounds(len(paragraphs(text)), p)


def _words_present(text: str, p: dict[str, Any]) -> bool:
    words = [re.escape(w) for w in p["words"]]
    return ifeval.check("keywords:existence", text, keywords=words)


def _words_absent(text: str, p: dict[str, Any]) -> bool:
    words = [re.escape(w) for w in p["words"]]
    return ifeval.check("keywords:forbidden_words", text, forbidden_words=words)


def _case(text: str, p: dict[str, Any]) -> bool:
    return text.islower() if p["case"] == "lower" else text.isupper()


def _language(text: str, p: dict[str, Any]) -> bool:
    return ifeval.check("language:response_language", text, language=p["language"])


def _ending(text: str, p: dict[str, Any]) -> bool:
    return ifeval.check("startend:end_checker", text, end_phrase=p["phrase"])


def _starting(text: str, p: dict[str, Any]) -> bool:
    return text.strip().strip('"').lower().startswith(p["phrase"].strip().lower())


def _no_commas(text: str, p: dict[str, Any]) -> bool:
    return ifeval.check("punctuation:no_comma", text)


def _json(text: str, p: dict[str, Any]) -> bool:
    return ifeval.check("detectable_format:json_format", text)


def _postscript(text: str, p: dict[str, Any]) -> bool:
    marker = p.get("marker", "P.S.")
    return ifeval.check("detectable_content:postscript", text, postscript_marker=marker)


# ------------------------------------------------------------------ the catalogue

_TYPES = [
    RuleType("format_json", "format", "the whole reply is one JSON value (markdown ``` fences allowed)",
             {}, _json, "ifeval:detectable_format:json_format"),
    RuleType("format_bullets", "format",
             "a markdown bullet list ('* ' or '- ' lines); exactly `count` bullets, or at least `min_items`",
             {"count": "int?", "min_items": "int?"}, _bullets,
             "ifeval:detectable_format:number_bullet_lists"),
    RuleType("format_numbered", "format",
             "numbered steps, lines '1. ', '2. ', … counting up from 1, at least `min_steps`",
             {"min_steps": "int?"}, _numbered, "code"),
    RuleType("no_commas", "format", "no commas anywhere in the reply", {}, _no_commas,
             "ifeval:punctuation:no_comma"),
    RuleType("postscript", "format", "ends with a postscript starting with `marker` (e.g. 'P.S.')",
             {"marker": "str?"}, _postscript, "ifeval:detectable_content:postscript"),
    RuleType("length_words", "length", "between `min` and `max` words (either may be omitted)",
             {"min": "int?", "max": "int?"}, _ifeval_bounds("length_constraints:number_words", "num_words"),
             "ifeval:length_constraints:number_words"),
    RuleType("length_sentences", "length", "between `min` and `max` sentences",
             {"min": "int?", "max": "int?"},
             _ifeval_bounds("length_constraints:number_sentences", "num_sentences"),
             "ifeval:length_constraints:number_sentences"),
    RuleType("length_paragraphs", "length", "between `min` and `max` paragraphs (blank-line separated)",
             {"min": "int?", "max": "int?"}, _paragraphs, "code"),
    RuleType("required_words", "keywords", "every word or phrase in `words` appears",
             {"words": "words"}, _words_present, "ifeval:keywords:existence"),
    RuleType("forbidden_words", "forbidden_content", "no word or phrase in `words` appears",
             {"words": "words"}, _words_absent, "ifeval:keywords:forbidden_words"),
    RuleType("letter_case", "case", "the whole reply in `case` letters ('lower' or 'upper')",
             {"case": "case"}, _case, "code"),
    RuleType("language", "language", "the whole reply in `language` (ISO 639-1 code, e.g. 'fr')",
             {"language": "language"}, _language, "ifeval:language:response_language"),
    RuleType("ending_phrase", "ending", "the reply ends with exactly `phrase`", {"phrase": "str"},
             _ending, "ifeval:startend:end_checker"),
    RuleType("starting_phrase", "ending", "the reply starts with exactly `phrase`", {"phrase": "str"},
             _starting, "code"),
    RuleType("tone", "tone", "a tone or register (formal, playful, empathetic, …); judged by an LLM",
             {"tone": "str?"}),
    RuleType("persona", "persona", "stay in the role's persona (name, voice, point of view); judged by an LLM",
             {}),
    RuleType("forbidden_topic", "forbidden_content",
             "a topic or kind of content the assistant must not discuss or reveal; judged by an LLM",
             {"topic": "str?"}),
    RuleType("custom", "custom", "any other behavioural rule; judged by an LLM", {}),
]

RULE_TYPES: dict[str, RuleType] = {t.name: t for t in _TYPES}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(t.category for t in _TYPES))


def types_in(categories: list[str] | tuple[str, ...]) -> list[RuleType]:
    return [t for t in _TYPES if t.category in categories]


def verify(rule: dict[str, Any], response: str) -> bool | None:
    """True/False from the rule type's code verifier; None when only an LLM can judge it."""
    kind = RULE_TYPES.get(rule["type"])
    if kind is None or kind.verifier is None:
        return None
    return kind.verifier(response, rule.get("params") or {})


def verify_all(rules: list[dict[str, Any]], response: str) -> dict[int, bool]:
    """Verdicts of every code-checkable rule, keyed by rule id."""
    out = {}
    for rule in rules:
        verdict = verify(rule, response)
        if verdict is not None:
            out[rule["id"]] = verdict
    return out
