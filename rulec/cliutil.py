"""Shared pieces of the command line: the one place errors become one line, option parsing.

Every error a user can cause — a :class:`rulec.errors.RulecError` (``UserError`` and the
library's subclasses), the compiler's ``RuleError``, a Click usage mistake, an output
that cannot be written — ends as ONE line ``error: …`` on stderr with exit code 2, in
:meth:`Group.main`, and nowhere else.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import NoReturn

import click

from rulec.errors import RulecError


class UserError(RulecError):
    """A mistake the user can fix: one line on stderr, exit code 2."""


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM during a long job; ``message`` says what was kept."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that writers close and keep their partials."""


def _on_sigterm(signum, frame) -> NoReturn:
    raise Terminated()


@contextmanager
def keep_on_interrupt(count: Callable[[], int]):
    """Ctrl-C or SIGTERM inside: one line saying what was kept (exit 130 / 143)."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted: {plural(count(), 'row')} kept; rerun with --resume", 130) from None
    except Terminated:
        raise Interrupted(f"terminated: {plural(count(), 'row')} kept; rerun with --resume", 143) from None


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def fail(message: str) -> NoReturn:
    raise UserError(message)


def _one_line(text: str) -> str:
    return " ".join(str(text).split("\n")).strip()


def error_exit(message: str, code: int = 2) -> NoReturn:
    click.echo(f"error: {_one_line(message)}", err=True)
    sys.exit(code)


def _silence_stdout() -> None:
    """After a failed write to stdout, send whatever is buffered to /dev/null so the
    interpreter's exit does not print a second error."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, AttributeError):
        pass


class ChunkedStdout:
    """Text for stdout, handed to it in chunks of about 1 MiB (to a terminal, at once).

    ``sys.stdout.write`` of a record larger than its 8 KiB buffer is a ``write(2)`` per
    call; a batch of rows is one. Call :meth:`flush` in a ``finally``: what was handed
    over before an error or an interrupt is written before the message about it."""

    def __init__(self, limit: int = 1 << 20):
        self.stream = sys.stdout
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            tty = False
        self.limit = 0 if tty else limit
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= self.limit:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            text = "".join(self.parts)
            self.parts.clear()
            self.size = 0
            self.stream.write(text)
        self.stream.flush()


class Group(click.Group):
    """A click group whose every user error is one line and exit code 2.

    ``lazy_commands`` maps a command name to ``(module, attribute)``: the module is
    imported when that command runs or is listed, so one command never pays for the
    imports of the others.
    """

    lazy_commands: dict[str, tuple[str, str]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self.lazy_commands:
            import importlib

            module, attribute = self.lazy_commands[name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise click.UsageError(f"No such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from rulec.compiler.errors import RuleError

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)
        except click.exceptions.NoArgsIsHelpError as e:  # a bare group: its help, as usual
            click.echo(e.ctx.get_help(), err=True)
            sys.exit(2)
        except click.ClickException as e:  # usage mistakes: no Usage block, one line
            error_exit(e.format_message(), 2)
        except (RulecError, RuleError) as e:
            error_exit(str(e), 2)
        except Interrupted as e:
            click.echo(e.message, err=True)
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Terminated:
            click.echo("terminated", err=True)
            sys.exit(143)
        except OSError as e:
            if e.errno == errno.EPIPE:  # `rulec … | head`: not an error
                _silence_stdout()
                sys.exit(0)
            _silence_stdout()
            where = f" {e.filename}" if e.filename else ""
            error_exit(f"cannot write{where or ' the output'}: {e.strerror or e}", 2)
        sys.exit(rv if isinstance(rv, int) else 0)


# ---------------------------------------------------------------- integer ranges

_PART = re.compile(r"\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?")


def parse_intervals(text: str, option: str, low: int | None = 0, high: int | None = None
                    ) -> list[tuple[int, int]]:
    """``"1,3,5-7"`` -> ``[(1, 1), (3, 3), (5, 7)]``; a one-line error otherwise.

    The one parser of integer options: single numbers, ``A-B`` ranges (inclusive) and
    comma-separated lists of both; every value within ``[low, high]``.
    """
    parts = []
    for part in str(text).split(","):
        m = _PART.fullmatch(part)
        if not m or len(part) > 40:
            fail(f"{option}: expected N, A-B or a list like 1,3,5-7, got {str(text)[:60]!r}")
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) is not None else lo
        if hi < lo:
            fail(f"{option}: bad range {part.strip()!r} (the start is after the end)")
        if low is not None and lo < low:
            fail(f"{option}: {part.strip()!r} is out of range (values start at {low})")
        if high is not None and hi > high:
            fail(f"{option}: {part.strip()!r} is out of range (values go up to {high})")
        parts.append((lo, hi))
    return parts


def parse_range(text: str, option: str, low: int | None = 0, high: int | None = None
                ) -> tuple[int, int]:
    """One interval: ``"3-8"`` or ``"5"`` -> ``(3, 8)`` / ``(5, 5)``."""
    parts = parse_intervals(text, option, low, high)
    if len(parts) != 1:
        fail(f"{option} takes one range A-B, not a list: {text!r}")
    return parts[0]


def parse_int_set(text: str, option: str, low: int | None = 1, high: int | None = 1000
                  ) -> tuple[int, ...]:
    """``"1,3,5-7"`` -> ``(1, 3, 5, 6, 7)``: ascending and distinct."""
    out: set[int] = set()
    for lo, hi in parse_intervals(text, option, low, high):
        out.update(range(lo, hi + 1))
    return tuple(sorted(out))


# ---------------------------------------------------------------- config dataclasses


def _field(cls, name: str):
    import dataclasses

    for f in dataclasses.fields(cls):
        if f.name == name:
            return f
    raise KeyError(name)


def config_default(cls, name: str):
    """The default of a config dataclass field: the one source of defaults."""
    import dataclasses

    f = _field(cls, name)
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def config_help(cls, name: str) -> str:
    """The help text of a config dataclass field (``field(metadata={"help": …})``)."""
    return _field(cls, name).metadata.get("help", "")


# ---------------------------------------------------------------- --fields (tasks gen, synth)

FIELDS_HELP = "Columns to keep, comma-separated (e.g. drop messages)."


def fields_option(command):
    """``--fields``, one definition for every command that writes rows."""
    return click.option("--fields", default=None, help=FIELDS_HELP + "  [default: all]")(command)


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    """``id,prompt , response`` -> ``("id", "prompt", "response")``; None: every column."""
    return tuple(f.strip() for f in text.split(",") if f.strip()) if text else None


def fields_error(fields: tuple[str, ...] | None, columns: tuple[str, ...]) -> str | None:
    """Why ``fields`` cannot be kept from rows of ``columns`` (unknown names, no ``id``), or None."""
    if fields is None:
        return None
    unknown = [f for f in fields if f not in columns]
    if not unknown and "id" in fields:
        return None
    return (f"--fields: {'unknown ' + ', '.join(unknown) if unknown else 'keep id'}; "
            f"columns are {', '.join(columns)}")


def kept_fields(fields: tuple[str, ...] | None, columns: tuple[str, ...]) -> list[str]:
    """The columns a row keeps, in the row's order (the card's features follow it)."""
    return [c for c in columns if fields is None or c in fields]
