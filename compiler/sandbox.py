"""The restricted interpreter's builtins, value guards and budgets.

A rule runs with only whitelisted builtins (``SAFE_BUILTINS``); operations that can
build a huge value from a small expression (``**``, ``*``, ``<<``, ``pow``, ``range``,
padding methods, format widths) are checked before they run, and every value a
step writes is size-checked after it.
"""

from __future__ import annotations

import builtins
import re
import string
import sys
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
    # items produced by comprehensions / generator expressions, lambda calls, and elements
    # built by `*` inside them, in one run (they run as one expression, outside max_steps)
    max_inner_items: int = 1_000_000
    check_values: bool = True  # size-check every written value (off only for trusted rules)


DEFAULT_BUDGETS = Budgets()
_active: list[Budgets] = [DEFAULT_BUDGETS]
_inner_items: list[int] = [0]  # per run: see Budgets.max_inner_items
_RULE_FILENAME = "<rulec>"  # build.FILENAME: the file name of compiled rule code


def active() -> Budgets:
    return _active[-1]


def set_active(b: Budgets) -> None:
    _active[-1] = b
    _inner_items[0] = 0


def rule_line() -> int | None:
    """The rule's line being executed (innermost frame of compiled rule code), if any."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == _RULE_FILENAME:
            return frame.f_lineno
        frame = frame.f_back
    return None


def _too_big(what: str) -> BudgetError:
    b = active()
    return BudgetError(
        f"{what} exceeds the value budget "
        f"(integers up to {b.max_int_bits} bits, containers up to {b.max_container} elements)",
        rule_line(),
    )


def _charge_items(n: int) -> None:
    _inner_items[0] += n
    if _inner_items[0] > active().max_inner_items:
        raise BudgetError(
            f"comprehensions and lambdas produced more than {active().max_inner_items} items",
            rule_line(),
        )


def count_items(iterable):
    """The iterable of a comprehension's `for`, counted against ``max_inner_items``."""
    counter = _inner_items
    limit = active().max_inner_items
    for item in iterable:
        counter[0] += 1
        if counter[0] > limit:
            _charge_items(0)
        yield item


def lambda_call(value):
    """Wraps a lambda's body: one call counts as one item."""
    _inner_items[0] += 1
    if _inner_items[0] > active().max_inner_items:
        _charge_items(0)
    return value


def _check_int(v: int) -> None:
    if v.bit_length() > active().max_int_bits:
        raise _too_big("an integer")


GUARDED_BINOPS = frozenset({"*", "**", "<<", "%"})


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
    if symbol == "%":

        def modulo(a, b):
            if type(a) is str:
                _check_printf(a, b)
            return func(a, b)

        return modulo
    return func


# a printf-style conversion: %[(key)][flags][width][.precision][length]type
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


def _check_printf(fmt: str, args) -> None:
    """`"%99999999d" % x` builds a huge string from a small expression: check widths first."""
    limit = active().max_container
    star = False
    for m in _PRINTF.finditer(fmt):
        for g in (m.group(1), m.group(2)):
            if g == "*":
                star = True
            elif g is not None and int(g) > limit:
                raise _too_big("a format width")
    if star:
        values = args if type(args) is tuple else (args,)
        if any(type(v) is int and v > limit for v in values):
            raise _too_big("a format width")


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
    if ta in (int, bool) and tb not in (int, bool, float):
        a, b = b, a
        ta, tb = tb, ta
    if tb in (int, bool) and ta is not float and hasattr(a, "__len__"):  # str, list, tuple, bytes
        if len(a) * b > active().max_container:
            raise _too_big("a repeated sequence")
        if b > 1 and ta in (list, tuple) and any(type(x) in _CONTAINERS for x in a):
            # `[[0] * 10**5] * 10**5`: few references, but a repr of 10**10 elements
            if _deep_count(a, active(), set(), 0) * b > active().max_container:
                raise _too_big("a repeated sequence")


_OPS = {
    "*": guarded_binop("*", lambda a, b: a * b),
    "**": guarded_binop("**", lambda a, b: a**b),
    "<<": guarded_binop("<<", lambda a, b: a << b),
    "%": guarded_binop("%", lambda a, b: a % b),
}


GUARDED_CODES = {symbol: i for i, symbol in enumerate(_OPS)}  # instrumented code passes ints
_OPS_BY_CODE = list(_OPS.values())
_TIMES = GUARDED_CODES["*"]


def guard(code: int, a, b):
    """Used for the guarded operators inside lambdas and comprehensions."""
    res = _OPS_BY_CODE[code](a, b)
    if code == _TIMES and type(res) in (list, tuple, str):
        _charge_items(len(res))  # `[[0] * 10**5 for _ in range(10**5)]` is a memory bomb
    return res


def safe_pow(*args):
    if len(args) == 2:
        _check_pow(*args)
    return pow(*args)


def safe_range(*args):
    r = range(*args)
    if len(r) > active().max_container:
        raise _too_big("a range")
    return r


def safe_sum(iterable, /, start=0):
    """`sum` of lists, tuples or strings concatenates: check the result's size first."""
    if type(start) in (int, float, bool):
        return sum(iterable, start)
    items = list(iterable)
    if hasattr(start, "__len__"):
        total = len(start) + sum(len(x) for x in items if hasattr(x, "__len__"))
        if total > active().max_container:
            raise _too_big("a sum of sequences")
    return sum(items, start)


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


# methods that can build a huge value from small operands: called through ``safe_pad``
GROWING_METHODS = ("ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate")
GROWING_CODES = {name: i for i, name in enumerate(GROWING_METHODS)}  # instrumented code passes ints


def safe_pad(code: int, s, *args, **kwargs):
    method = GROWING_METHODS[code]
    limit = active().max_container
    if method == "replace":
        if type(s) is str and len(args) >= 2 and type(args[0]) is str and type(args[1]) is str:
            old, new = args[0], args[1]
            n = s.count(old) if old else len(s) + 1
            if len(args) > 2 and type(args[2]) is int and args[2] >= 0:
                n = min(n, args[2])
            if len(s) + n * (len(new) - len(old)) > limit:
                raise _too_big("a replaced string")
    elif method == "join":
        if type(s) is str and args:
            items = list(args[0])
            if sum(len(x) for x in items if type(x) is str) + len(s) * max(len(items) - 1, 0) > limit:
                raise _too_big("a joined string")
            args = (items,)
    elif method == "translate":
        if type(s) is str and args and type(args[0]) is dict:
            longest = max((len(v) for v in args[0].values() if type(v) is str), default=1)
            if len(s) * longest > limit:
                raise _too_big("a translated string")
    elif method == "expandtabs":
        if type(s) is str:
            size = args[0] if args else kwargs.get("tabsize", 8)
            if type(size) is int and size * s.count("\t") > limit:
                raise _too_big("an expanded string")
    elif args and type(args[0]) is int and args[0] > limit:
        raise _too_big(f"a `.{method}` width")
    return getattr(s, method)(*args, **kwargs)


def safe_format_value(value, spec):
    _check_spec(spec)
    return format(value, spec)


def spec_field(value):
    """A replacement field inside an f-string's format spec (`f"{x:>{w}}"`): no huge widths."""
    _check_spec(str(value))
    return value


def _build_builtins() -> dict:
    table = {name: getattr(builtins, name) for name in BUILTIN_NAMES}
    table.update({name: getattr(builtins, name) for name in EXCEPTION_NAMES})
    table["range"] = safe_range
    table["pow"] = safe_pow
    table["sum"] = safe_sum
    table["__rc_iter__"] = count_items  # dunder: a rule can never name it
    table["__rc_lambda__"] = lambda_call
    table["__rc_spec__"] = spec_field
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
    _deep_count(value, budget, set(), 0)


_CONTAINERS = frozenset({list, tuple, set, frozenset, dict})
_MAX_NESTING = 200


def _deep_count(v, budget: Budgets, ancestors: set, total: int) -> int:
    """Elements of ``v`` counted *with multiplicity* (what its repr prints), so that
    ``[[x] * 1000] * 1000`` counts a million; cycles count once, as repr shows ``[...]``."""
    t = type(v)
    if t is int:
        if v.bit_length() > budget.max_int_bits:
            raise _too_big("an integer")
        return total
    if t is str:
        return total + len(v) // 16
    if t not in _CONTAINERS or id(v) in ancestors:
        return total
    total += len(v)
    if total > budget.max_container:
        raise _too_big("a value")
    if len(ancestors) > _MAX_NESTING:
        raise _too_big("a nested value")
    ancestors.add(id(v))
    if t is dict:
        for k, x in v.items():
            if type(k) is not float and type(k) is not bool:
                total = _deep_count(k, budget, ancestors, total)
            if type(x) in _CONTAINERS or type(x) is int or type(x) is str:
                total = _deep_count(x, budget, ancestors, total)
    else:
        for x in v:
            if type(x) in _CONTAINERS or type(x) is int or type(x) is str:
                total = _deep_count(x, budget, ancestors, total)
    ancestors.discard(id(v))
    if total > budget.max_container:
        raise _too_big("a value")
    return total
