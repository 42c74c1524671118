"""The messages sent to the LLM: rule-set design, the rule-following response, the judge."""

from __future__ import annotations

import json
from typing import Any

from rulec.rnr.rules import RuleType

RULESET_SYSTEM = (
    "You write system prompts that developers give to AI assistants. "
    "Reply with one JSON object and nothing else."
)
RESPONSE_SYSTEM = (
    "You write the replies of an AI assistant that strictly follows its system prompt. "
    "Reply with one JSON object and nothing else."
)
JUDGE_SYSTEM = (
    "You are a strict and fair judge of whether an assistant's reply follows the rules of its "
    "system prompt. Reply with one JSON object and nothing else."
)


def _quote(text: str) -> str:
    return f"<<<\n{text}\n>>>"


def _catalogue(types: list[RuleType]) -> str:
    lines = []
    for t in types:
        params = ", ".join(f'"{k}": {v.rstrip("?")}{" (optional)" if v.endswith("?") else ""}'
                           for k, v in t.params.items())
        lines.append(f"- {t.name} [{t.category}] params {{{params}}}: {t.doc}")
    return "\n".join(lines)


def ruleset_messages(instruction: str, n_rules: int, types: list[RuleType],
                     categories: list[str]) -> list[dict[str, str]]:
    user = "\n".join([
        "A developer deploys an assistant that will receive the user message below. Write the "
        "system prompt the developer gave it: a role (who the assistant is, for whom, in what "
        'setting; one to three sentences starting "You are") and exactly '
        f"{n_rules} rules that suit this kind of request.",
        "",
        "User message:",
        _quote(instruction),
        "",
        "Rule types (use each type at most once; give params exactly as listed):",
        _catalogue(types),
        "",
        f"Include at least one rule of each of these categories: {', '.join(categories)}. "
        "Choose the other rules freely among the types above. Rules must not contradict each "
        "other or make the request impossible to answer. Write each rule as the developer would, "
        'stating its exact values (e.g. "Answer in at most 120 words.").',
        "",
        "Reply with JSON:",
        '{"role": "You are ...", "rules": [{"type": "<type>", "text": "<the rule>", "params": {...}}]}',
    ])
    return [{"role": "system", "content": RULESET_SYSTEM}, {"role": "user", "content": user}]


def response_messages(system: str, instruction: str, reference: str) -> list[dict[str, str]]:
    user = "\n".join([
        "The assistant's system prompt:",
        _quote(system),
        "",
        "The user's message:",
        _quote(instruction),
        "",
        "A reference reply written without this system prompt (use its content where the rules allow):",
        _quote(reference),
        "",
        "Write the assistant's reply to the user's message. It must obey every rule of the "
        "system prompt, stay in the role, and be helpful.",
        'Reply with JSON: {"response": "<the reply>"}',
    ])
    return [{"role": "system", "content": RESPONSE_SYSTEM}, {"role": "user", "content": user}]


def retry_messages(messages: list[dict[str, str]], reply: str, problem: str, shape: str) -> list[dict[str, str]]:
    """The conversation so far plus the rejected reply and what was wrong with it."""
    return messages + [
        {"role": "assistant", "content": reply},
        {"role": "user", "content": f"That reply was rejected: {problem}. Try again. Reply with JSON: {shape}"},
    ]


def judge_messages(system: str, instruction: str, reply: str,
                   rules: list[dict[str, Any]]) -> list[dict[str, str]]:
    listed = "\n".join(f"{r['id']}. {r['text']}" for r in rules)
    user = "\n".join([
        "The assistant's system prompt:",
        _quote(system),
        "",
        "The user's message:",
        _quote(instruction),
        "",
        "The assistant's reply:",
        _quote(reply),
        "",
        "Judge only these rules of the system prompt:",
        listed,
        "",
        "A rule passes only if the reply clearly follows it. Reply with JSON: "
        + json.dumps({"verdicts": [{"rule": rules[0]["id"], "pass": True, "reason": "<one sentence>"}]}),
    ])
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": user}]


RULESET_SHAPE = '{"role": "...", "rules": [{"type": "...", "text": "...", "params": {...}}]}'
RESPONSE_SHAPE = '{"response": "<the reply>"}'
