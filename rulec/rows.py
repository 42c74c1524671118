"""The row schema every dataset rulec writes, and prompt wording shared by tasks and synth."""

from __future__ import annotations

from typing import Any

from rulec.compiler.render import ANSWER_PREFIX  # noqa: F401  (the answer line's one home)

ROW_FIELDS = (
    "id", "task", "source", "split", "length", "format", "shots", "prompt", "response",
    "answer", "inputs", "rule", "loop_iterations", "messages",
)

# The prompt wording of every rule-following format (rfft, rfft_nl; tasks, synth, compile).
PROMPT_HEAD = "Follow the given rule to solve the question.\nrule:\n"
RULE_PROMPT = PROMPT_HEAD + "{rule}\nQ: {question}"
SHOT_HEAD = "Here is 1 example:\n"
SHOT_TAIL = "Follow the above examples to answer the following question:\n"


def rule_prompt(rule: str, question: str) -> str:
    return RULE_PROMPT.format(rule=rule, question=question)


def with_shot(example_prompt: str, example_response: str, prompt: str) -> str:
    """The paper's 1-shot wording: the exemplar, then the question."""
    return f"{SHOT_HEAD}{example_prompt}\n{example_response}\n{SHOT_TAIL}{prompt}"


def make_row(
    *,
    id: str,
    task: str,
    source: str,
    split: str,
    length: int,
    format: str,
    shots: int,
    prompt: str,
    response: str,
    answer: str,
    inputs: dict[str, Any],
    rule: str,
    loop_iterations: int,
    **extra: Any,
) -> dict[str, Any]:
    row = {
        "id": id,
        "task": task,
        "source": source,
        "split": split,
        "length": length,
        "format": format,
        "shots": shots,
        "prompt": prompt,
        "response": response,
        "answer": answer,
        "inputs": inputs,
        "rule": rule,
        "loop_iterations": loop_iterations,
        "messages": [
            {"role": "user", "content": prompt},
            {"role": "assistant", "content": response},
        ],
    }
    row.update(extra)
    return row
