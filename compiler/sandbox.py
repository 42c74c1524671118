"""The restricted interpreter's builtins, value guards and budgets.

A rule runs with only whitelisted builtins (``SAFE_BUILTINS``); operations that can
build a huge value from a small expression (``**``, ``*``, ``<<``, ``pow``, ``range``,
padding methods, format widths) are checked before they run, and every value a
step writes is size-checked after it.
"""

from __future__ import annotations

import builtins
import string
from dataclasses import dataclass

from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.subset import BUILTIN_NAMES, EXCEPTION_NAMES


@dataclass(frozen=True)
class Budgets:
    max_steps: int = 100_000
    max_trace_chars: int = 2_000_000
    max_int_bits: int = 8192
    max_container: int = 100_000
    max_seconds: float = 10.0
    max_depth: int = 100
    max_iterations: int = 1_000_000  # loop-body entries in one run
    check_values: bool = True  # size-check every written value (off only for trusted rules)


DEFAULT_BUDGETS = Budgets()
_active: list[Budgets] = [DEFAULT_BUDGETS]


def active() -> Budgets:
    return _active[-1]


def set_active(b: Budgets) -> None:
    _active[-1] = b


def _too_big(what: str) -> BudgetError:
    b = active()
    return BudgetError(
        f"{what} exceeds the value budget "
        f"(integers up to {b.max_int_bits} bits, containers up to {b.max_container} elements)"
    )


def _check_int(v: int) -> None:
    if v.bit_length() > active().max_int_bits:
        raise _too_big("an integer")


GUARDED_BINOPS = frozenset({"*", "**", "<<"})


def guarded_binop(symbol: str, func):
    """``func`` with a size check in front for the operators that can blow up."""
    if symbol == "**":

        def power(a, b):
            _check_pow(a, b)
            return func(a, b)

        return power
    if symbol == "*":

        def times(a, b):
            _check_mul(a, b)
            return func(a, b)

        return times
    if symbol == "<<":

        def shift(a, b):
            if type(a) is int and type(b) is int and b > 0 and a.bit_length() + b > active().max_int_bits:
                raise _too_big("an integer")
            return func(a, b)

        return shift
    return func


def _check_pow(a, b) -> None:
    if type(a) in (int, bool) and type(b) in (int, bool) and b > 0 and abs(a) > 1:
        if (a.bit_length() - 1) * b > active().max_int_bits:
            raise _too_big("an integer")


def _check_mul(a, b) -> None:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if a.bit_length() + b.bit_length() > active().max_int_bits + 1:
            raise _too_big("an integer")
        return
    if ta in (int, bool) and tb in (str, list, tuple):
        a, b = b, a
        ta, tb = tb, ta
    if ta in (str, list, tuple) and tb in (int, bool):
        if len(a) * b > active().max_container:
            raise _too_big("a repeated sequence")


_OPS = {
    "*": guarded_binop("*", lambda a, b: a * b),
    "**": guarded_binop("**", lambda a, b: a**b),
    "<<": guarded_binop("<<", lambda a, b: a << b),
}


def guard(symbol: str, a, b):
    """Used for the guarded operators inside lambdas and comprehensions."""
    return _OPS[symbol](a, b)


def safe_pow(*args):
    if len(args) == 2:
        _check_pow(*args)
    return pow(*args)


def safe_range(*args):
    r = range(*args)
    if len(r) > active().max_container:
        raise _too_big("a range")
    return r


def _check_format_string(fmt: str) -> None:
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as e:
        raise RuleError(f"bad format string: {e}") from None
    for _, field, spec, _ in parsed:
        if field and ("." in field or "[" in field):
            raise RuleError("format fields with attribute or index access are not allowed in a rule")
        if spec:
            _check_spec(spec)
            _check_format_string(spec)


def _check_spec(spec: str) -> None:
    digits = ""
    for ch in spec + " ":
        if ch.isdigit():
            digits += ch
        else:
            if digits and int(digits) > active().max_container:
                raise _too_big("a format width")
            digits = ""


def safe_format(s, *args, **kwargs):
    if type(s) is not str:
        raise RuleError("`.format` is only allowed on strings")
    _check_format_string(s)
    return s.format(*args, **kwargs)


def safe_format_map(s, mapping):
    if type(s) is not str:
        raise RuleError("`.format_map` is only allowed on strings")
    _check_format_string(s)
    return s.format_map(mapping)


def safe_pad(method: str, s, *args):
    if args and type(args[0]) is int and args[0] > active().max_container:
        raise _too_big(f"a `.{method}` width")
    if method == "expandtabs" and type(s) is str:
        size = args[0] if args else 8
        if type(size) is int and size * s.count("\t") > active().max_container:
            raise _too_big("an expanded string")
    return getattr(s, method)(*args)


def safe_format_value(value, spec):
    _check_spec(spec)
    return format(value, spec)


def _build_builtins() -> dict:
    table = {name: getattr(builtins, name) for name in BUILTIN_NAMES}
    table.update({name: getattr(builtins, name) for name in EXCEPTION_NAMES})
    table["range"] = safe_range
    table["pow"] = safe_pow
    table["True"] = True
    table["False"] = False
    table["None"] = None
    return table


SAFE_BUILTINS: dict = _build_builtins()


_FLAT = frozenset({int, float, bool, str, type(None)})


def _is_str(x) -> bool:
    return type(x) is str


def check_size(value, budget: Budgets) -> None:
    """Raise ``BudgetError`` if ``value`` (deeply) exceeds the value budgets."""
    tp = type(value)
    if tp is int:
        if value.bit_length() > budget.max_int_bits:
            raise _too_big("an integer")
        return
    if tp is str:
        if len(value) > budget.max_container:
            raise _too_big("a string")
        return
    if tp not in (list, tuple, dict, set, frozenset):
        return
    limit = budget.max_container
    if tp is not dict:
        if len(value) > limit:
            raise _too_big("a value")
        kinds = set(map(type, value))
        if kinds <= _FLAT:
            if str in kinds and sum(map(len, filter(_is_str, value))) > 16 * limit:
                raise _too_big("a value")
            return
    count = 0
    stack = [value]
    seen: set[int] = set()
    while stack:
        v = stack.pop()
        t = type(v)
        if t in (list, tuple, set, frozenset):
            if id(v) in seen:
                continue
            seen.add(id(v))
            count += len(v)
            stack.extend(x for x in v if type(x) in (list, tuple, dict, set, frozenset, int, str))
        elif t is dict:
            if id(v) in seen:
                continue
            seen.add(id(v))
            count += len(v)
            stack.extend(v.values())
            stack.extend(k for k in v if type(k) in (tuple, int, str))
        elif t is int:
            if v.bit_length() > budget.max_int_bits:
                raise _too_big("an integer")
            continue
        elif t is str:
            count += len(v) // 16
        if count > limit:
            raise _too_big("a value")
