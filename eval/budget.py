"""Generation budgets from the compiled trace: the gold response's length is known, so a
sample may generate about 1.5x its gold tokens plus a margin. A model that never leaves a
loop (the paper's main failure) then stops early instead of running to the context limit,
and the run reports how many outputs hit the budget."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    factor: float = 1.5
    margin: int = 32
    fixed: int | None = None  # --max-new-tokens: the same budget for every sample

    def tokens(self, gold_tokens: int) -> int:
        if self.fixed:
            return self.fixed
        return math.ceil(self.factor * gold_tokens) + self.margin


def hit_budget(reported: bool | None, predicted: str | None, output_tokens: int, budget: int) -> bool:
    """What the backend reported, else: no answer and (about) the whole budget used (the
    decoded text may re-tokenise one token shorter)."""
    if reported is not None:
        return bool(reported)
    return predicted is None and output_tokens >= budget - 1
