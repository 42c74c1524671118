"""The Task record: a rule, an input generator by length, a question and a reference."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SOURCES = ("leetcode", "nupa", "bbh", "symbolic")
SPLITS = ("pretrain", "adapt")


@dataclass(frozen=True)
class Task:
    """One rule-following task.

    ``rule`` is Python source in rulec's supported subset; its rule function is
    ``function`` (default: the first top-level function not called by another).
    ``generate(length, rng)`` returns the rule's inputs as a dict keyed by
    parameter name (JSON values only: int, str, bool, None, lists, dicts with str
    keys). ``question(inputs)`` is the question text. ``reference(**inputs)`` is
    an independent solution (different algorithm, builtins allowed) that must
    agree with the rule on every generated input.
    """

    name: str
    source: str
    split: str
    description: str
    length: str
    rule: str
    generate: Callable[[int, random.Random], dict[str, Any]]
    question: Callable[[dict[str, Any]], str]
    reference: Callable[..., Any]
    glossary: dict[str, str] = field(default_factory=dict)
    function: str | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"task {self.name}: source must be one of {SOURCES}")
        if self.split not in SPLITS:
            raise ValueError(f"task {self.name}: split must be one of {SPLITS}")
