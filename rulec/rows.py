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


# ---------------------------------------------------------------- features (the dataset card)

# Column types as `datasets` names them; ``inputs`` is stored as a JSON string everywhere
# (its keys differ between rules), decoded by ``rulec.io.decode_inputs``.
FEATURES: dict[str, str] = {
    "id": "string", "task": "string", "source": "string", "split": "string", "length": "int64",
    "format": "string", "shots": "int64", "prompt": "string", "response": "string",
    "answer": "string", "inputs": "string", "rule": "string", "loop_iterations": "int64",
    "messages": "messages", "snippets": "list<int64>", "steps": "int64", "input_line": "int64",
}


def features_yaml(fields: list[str], indent: str = "  ") -> str:
    """The ``features:`` block of a dataset card for these columns."""
    out = [f"{indent}features:"]
    for name in fields:
        kind = FEATURES.get(name, "string")
        out.append(f"{indent}- name: {name}")
        if kind == "messages":
            out += [f"{indent}  list:", f"{indent}  - name: role", f"{indent}    dtype: string",
                    f"{indent}  - name: content", f"{indent}    dtype: string"]
        elif kind.startswith("list<"):
            out += [f"{indent}  list: {kind[5:-1]}"]
        else:
            out.append(f"{indent}  dtype: {kind}")
    return "\n".join(out)
