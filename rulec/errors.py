"""The one base of every error a user can cause. The CLI turns any ``RulecError`` into one
line ``error: <message>`` and exit code 2; anything else is a bug in rulec."""

from __future__ import annotations


class RulecError(Exception):
    """A mistake the user can fix (a bad rule, input, option, file or data set)."""


class ConfigError(RulecError, ValueError):
    """A bad option value or combination (unknown preset, format, range, …)."""


class DataError(RulecError, ValueError):
    """A data set that cannot be used (missing, empty, malformed)."""
