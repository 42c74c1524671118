"""The one base of every error a user can cause.

The command line turns any :class:`RulecError` (and the compiler's ``RuleError``) into
one ``error: …`` line on stderr with exit code 2, in one place (``rulec.cli.Group``).
"""

from __future__ import annotations


class RulecError(Exception):
    """A mistake the user can fix: bad options, a bad file, a rule that ran past a budget."""
