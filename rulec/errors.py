"""The one base of every error a user can cause.

The command line turns any :class:`RulecError` (and the compiler's ``RuleError``) into
one ``error: …`` line on stderr with exit code 2, in one place (``rulec.cli.Group``).
"""

from __future__ import annotations


class RulecError(Exception):
    """A mistake the user can fix (a bad rule, input, option, file or data set)."""


class ConfigError(RulecError, ValueError):
    """A bad option value or combination (unknown preset, format, range, …)."""


class DataError(RulecError, ValueError):
    """A data set that cannot be used (missing, empty, malformed)."""
