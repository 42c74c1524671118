"""The errors a user can cause. Each prints as one clear line."""

from __future__ import annotations

from rulec.errors import RulecError


class RuleError(RulecError):
    """A problem with a rule or its inputs: refused construct, bad argument, runtime error."""

    def __init__(self, message: str, line: int | None = None, filename: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.filename = filename

    def __str__(self) -> str:
        where = ""
        if self.filename and self.line:
            where = f"{self.filename}:{self.line}: "
        elif self.line:
            where = f"line {self.line}: "
        elif self.filename:
            where = f"{self.filename}: "
        return where + self.message


class BudgetError(RuleError):
    """The rule ran past one of its budgets (steps, time, trace size, value size)."""
