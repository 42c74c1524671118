"""Shared by the CLI tests: what a user mistake must look like."""

from __future__ import annotations


def one_error_line(result, *needles: str) -> str:
    """A click ``Result`` that exited 2 with one ``error: …`` line on stderr, holding each
    of ``needles``; returns that line."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]
