"""Shared pieces of the command line: one-line user errors (exit code 2), option parsing."""

from __future__ import annotations

from typing import NoReturn

import click


class UserError(click.ClickException):
    """A mistake the user can fix: one line on stderr, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def fail(message: str) -> NoReturn:
    raise UserError(message)


def parse_range(text: str, option: str, low: int = 0) -> tuple[int, int]:
    """"3-8" or "5" -> (3, 8) / (5, 5); a one-line error otherwise."""
    try:
        if "-" in text.strip("-"):
            a, b = text.split("-", 1)
            lo, hi = int(a), int(b)
        else:
            lo = hi = int(text)
    except ValueError:
        fail(f"{option}: expected N or A-B, got {text!r}")
    if lo < low or hi < lo:
        fail(f"{option}: bad range {text!r} (need {low} <= A <= B)")
    return lo, hi
