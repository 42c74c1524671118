"""One way to turn a row into chat messages and a prompt string, shared by the trainer and
every evaluation backend, so the chat template is applied identically in both."""

from __future__ import annotations

from typing import Any


def prompt_messages(row: dict[str, Any]) -> list[dict[str, str]]:
    """The conversation up to (not including) the assistant's answer: the row's ``messages``
    without a trailing assistant turn (a system turn is kept), or its ``prompt`` as the one
    user turn."""
    messages = row.get("messages")
    if messages:
        messages = [{"role": m["role"], "content": m["content"]} for m in messages]
        if messages[-1]["role"] == "assistant":
            messages = messages[:-1]
        return messages
    return [{"role": "user", "content": row["prompt"]}]


def completion_messages(row: dict[str, Any]) -> list[dict[str, str]]:
    """The assistant's answer as a one-turn conversation (TRL's ``completion`` field)."""
    messages = row.get("messages")
    if messages and messages[-1]["role"] == "assistant":
        return [{"role": "assistant", "content": messages[-1]["content"]}]
    return [{"role": "assistant", "content": row["response"]}]


def render_prompt(tokenizer, messages: list[dict[str, str]]) -> str:
    """The prompt text a model is asked to continue: the chat template with the generation
    prompt (``<|im_start|>assistant\\n`` for ChatML)."""
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
