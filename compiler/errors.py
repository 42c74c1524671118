"""The errors a user can cause. Each prints as one clear line."""

from __future__ import annotations

from rulec.errors import RulecError

# every character ``str.splitlines`` breaks at: a message must stay on one line
_LINE_BREAKS = {c: repr(chr(c))[1:-1] for c in (10, 11, 12, 13, 28, 29, 30, 133, 0x2028, 0x2029)}



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
        return one_line(where + self.message)


def one_line(text: str) -> str:
    """``text`` with its line breaks escaped (a rule's `assert x, "a\\nb"` message, a value)."""
    return text.translate(_LINE_BREAKS)


class BudgetError(RuleError):
    """The rule ran past one of its budgets (steps, time, trace size, value size)."""
