"""The restricted interpreter's builtins, value guards and budgets.

A rule runs with only whitelisted builtins (``SAFE_BUILTINS``); operations that can
build a huge value from a small expression (``**``, ``*``, ``<<``, ``pow``, ``range``,
padding methods, format widths) are checked before they run, and every value a
step writes is size-checked after it.
"""

from __future__ import annotations

import builtins
import collections
import os
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
    # characters built by the string producers (padding, format, %, join, replace, translate,
    # expandtabs, f-string widths) in one run, wherever they run: bounds the memory a single
    # expression can take (`[s.ljust(99999) for _ in range(10**6)]`)
    max_produced_chars: int = 50_000_000
    check_values: bool = True  # size-check every written value (off only for trusted rules)


DEFAULT_BUDGETS = Budgets()
_active: list[Budgets] = [DEFAULT_BUDGETS]
_inner_items: list[int] = [0]  # per run: see Budgets.max_inner_items
_produced: list[int] = [0]  # per run: see Budgets.max_produced_chars
_RULE_FILENAME = "<rulec>"  # build.FILENAME: the file name of compiled rule code


def active() -> Budgets:
    return _active[-1]


def set_active(b: Budgets) -> None:
    _active[-1] = b
    _inner_items[0] = 0
    _produced[0] = 0


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


def _produce(n: int, what: str) -> None:
    """A string producer is about to build ``n`` characters: check the value budget and the
    run's total (``Budgets.max_produced_chars``) before anything is built."""
    b = active()
    if n > b.max_container:
        raise _too_big(what)
    _produced[0] += n
    if _produced[0] > b.max_produced_chars:
        raise BudgetError(f"the rule built more than {b.max_produced_chars} characters of strings", rule_line())


_SETS = (set, frozenset)
_set_warned = [False]


def note_set(value) -> None:
    """Warn once per process (stderr) when a rule iterates or prints a set of strings: its
    order depends on the interpreter's hash seed, unless ``PYTHONHASHSEED`` pins it."""
    if _set_warned[0] or os.environ.get("PYTHONHASHSEED", "random") != "random":
        return
    if any(type(x) is str or (type(x) is tuple and any(type(y) is str for y in x)) for x in value):
        _set_warned[0] = True
        print(
            "warning: the rule iterates or prints a set of strings, whose order depends on Python's "
            "hash seed; run with PYTHONHASHSEED=0 for reproducible traces (or sort it in the rule)",
            file=sys.stderr,
        )


def loop_iter(iterable):
    """``iter`` for a rule's `for` loop (noting sets of strings)."""
    if type(iterable) in _SETS:
        note_set(iterable)
    return iter(iterable)


def count_items(iterable):
    """The iterable of a comprehension's `for`, counted against ``max_inner_items``."""
    if type(iterable) in _SETS:
        note_set(iterable)
    counter = _inner_items
    limit = active().max_inner_items
    for item in iterable:
        counter[0] += 1
        if counter[0] > limit:
            _charge_items(0)
        yield item


def checked_value(value):
    """A comprehension's value, size-checked like a value a step writes."""
    b = active()
    if b.check_values:
        check_size(value, b)
    return value


def lambda_call(value):
    """Wraps a lambda's body: one call counts as one item."""
    _inner_items[0] += 1
    if _inner_items[0] > active().max_inner_items:
        _charge_items(0)
    return value


def _check_int(v: int) -> None:
    if v.bit_length() > active().max_int_bits:
        raise _too_big("an integer")


GUARDED_BINOPS = frozenset({"*", "**", "<<", "%", "+"})
_SEQUENCES = (str, list, tuple, collections.deque)


def _check_add(a, b) -> None:
    """`s + s` doubles: in lambdas and comprehensions nothing else checks it in between."""
    if type(a) in _SEQUENCES and type(b) in _SEQUENCES:
        n = len(a) + len(b)
        if type(a) is str:
            _produce(n, "a concatenated string")
        elif n > active().max_container:
            raise _too_big("a concatenated sequence")


def in_place_add(a, b):
    """`xs += it`: an iterator over ``xs`` itself would grow it forever inside C code, so
    the right side is made a list first; the result's size is checked before it is built."""
    if type(a) is list:
        if type(b) is not list:
            b = list(b)
        if len(a) + len(b) > active().max_container:
            raise _too_big("an extended list")
    elif type(a) in _SEQUENCES:
        _check_add(a, b)
    a += b
    return a


def guarded_binop(symbol: str, func, in_place: bool = False):
    """``func`` with a size check in front for the operators that can blow up."""
    if symbol == "+":
        if in_place:
            return in_place_add

        def plus(a, b):
            _check_add(a, b)
            return func(a, b)

        return plus
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
    """`"%99999999d" % x` or `"%(a)s%(a)s…" % {"a": s}` builds a huge string from a small
    expression: estimate the result's size (widths, and the text of each value) first."""
    limit = active().max_container
    values = args if type(args) is tuple else (args,)
    mapping = args if isinstance(args, dict) else None
    size = len(fmt)
    index = 0
    texts: dict = {}
    for m in _PRINTF.finditer(fmt):
        for g in (m.group(1), m.group(2)):
            if g == "*":
                width = values[index] if index < len(values) else 0
                index += 1
                if type(width) is int and width > limit:
                    raise _too_big("a format width")
                size += width if type(width) is int and width > 0 else 0
            elif g is not None:
                if int(g) > limit:
                    raise _too_big("a format width")
                size += int(g)
        if m.group(3) == "%":
            continue
        key = m.group(0)[2:].split(")", 1)[0] if m.group(0).startswith("%(") else None
        if key is not None and mapping is not None:
            v = mapping.get(key)
        else:
            v = values[index] if index < len(values) else None
            index += 1
        size += _text_size(v, texts)
    _produce(size, "a %-formatted string")


def _text_size(v, cache: dict) -> int:
    """How long ``str(v)`` is (values are size-checked, so this is bounded)."""
    if type(v) is str:
        return len(v)
    if type(v) in (int, float, bool) or v is None:
        return 32 if type(v) is not int else v.bit_length() // 3 + 2
    key = id(v)
    if key not in cache:
        cache[key] = len(repr(v))
    return cache[key]


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
    "+": guarded_binop("+", lambda a, b: a + b),
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


def safe_iter(*args):
    """`iter(f, sentinel)` calls ``f`` from C code until it returns the sentinel —
    `any(iter(int, 1))` never stops and no signal can interrupt it: refused."""
    if len(args) != 1:
        raise RuleError("`iter` takes one argument in a rule (the two-argument form is not supported)")
    return iter(args[0])


def safe_map(func, *iterables):
    """`map` as a Python generator: its items count against ``max_inner_items`` and the
    wall-clock alarm can interrupt it (`list(map(xs.append, xs))` grows ``xs`` forever in C)."""
    if not iterables:
        raise TypeError("map() must have at least two arguments.")
    if len(iterables) == 1:
        return _map(func, iter(iterables[0]), False)
    return _map(func, zip(*iterables), True)


def safe_filter(func, iterable):
    """`filter` as a Python generator (see ``safe_map``)."""
    return _filter(func, iter(iterable))


def _map(func, its, star: bool):
    counter = _inner_items
    limit = active().max_inner_items
    for item in its:
        counter[0] += 1
        if counter[0] > limit:
            _charge_items(0)
        yield func(*item) if star else func(item)


def _filter(func, iterable):
    counter = _inner_items
    limit = active().max_inner_items
    for item in iterable:
        counter[0] += 1
        if counter[0] > limit:
            _charge_items(0)
        if (func(item) if func is not None else item):
            yield item


def _counted_key(key):
    counter = _inner_items
    limit = active().max_inner_items

    def counted(v):
        counter[0] += 1
        if counter[0] > limit:
            _charge_items(0)
        return key(v)

    return counted


def _checked_items(iterable) -> list:
    """The items of an iterable about to be compared in C (sorting, min, max), size-checked
    first: comparing 10**5 references to one big list takes minutes the alarm cannot stop."""
    items = list(iterable)
    b = active()
    if b.check_values:
        check_size(items, b)
    return items


def safe_min(*args, **kwargs):
    """`min`/`max`: a ``key`` runs from C code over a list it may grow, and the items are
    compared in C (see ``_checked_items``)."""
    if kwargs.get("key") is not None:
        kwargs["key"] = _counted_key(kwargs["key"])
    if len(args) == 1:
        args = (_checked_items(args[0]),)
    return min(*args, **kwargs)


def safe_max(*args, **kwargs):
    if kwargs.get("key") is not None:
        kwargs["key"] = _counted_key(kwargs["key"])
    if len(args) == 1:
        args = (_checked_items(args[0]),)
    return max(*args, **kwargs)


def safe_sorted(iterable, /, *, key=None, reverse=False):
    return sorted(_checked_items(iterable), key=key, reverse=reverse)


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


class _SafeFormatter(string.Formatter):
    """``str.format`` in Python: no attribute or index fields (`"{0.__class__}"`), and every
    field's spec — nested fields resolved (`"{:{}}".format("a", 10**9)`) — checked, and the
    result's size charged, before the text is built."""

    def get_field(self, field_name, args, kwargs):
        if "." in field_name or "[" in field_name:
            raise RuleError("format fields with attribute or index access are not allowed in a rule")
        return super().get_field(field_name, args, kwargs)

    def __init__(self):
        super().__init__()
        self.size = 0  # of the text built so far by this call

    def format_field(self, value, format_spec):
        text = format_value(value, None, format_spec)
        self.size += len(text)
        if self.size > active().max_container:
            raise _too_big("a formatted string")
        return text

    def convert_field(self, value, conversion):
        if conversion == "a":
            return ascii(value)
        return super().convert_field(value, conversion)


def _format(fmt, args, kwargs):
    return _SafeFormatter().vformat(fmt, args, kwargs)


def _check_spec(spec: str) -> int:
    """The largest width or precision written in ``spec`` (refused past the value budget)."""
    digits = ""
    largest = 0
    for ch in spec + " ":
        if ch.isdigit():
            digits += ch
        else:
            if digits:
                if len(digits) > 7 or int(digits) > active().max_container:
                    raise _too_big("a format width")
                largest = max(largest, int(digits))
            digits = ""
    return largest


def format_value(value, conversion, spec):
    """One replacement field: ``format(value, spec)`` once the spec's widths are checked and
    the result's size charged (f-strings with a format spec call this too)."""
    if conversion == "r":
        value = repr(value)
    elif conversion == "s":
        value = str(value)
    elif conversion == "a":
        value = ascii(value)
    if type(spec) is not str:
        raise RuleError("a format spec must be a string")
    width = _check_spec(spec) if spec else 0
    if width or type(value) is str:
        _produce(width + (len(value) if type(value) is str else 0), "a formatted string")
    return format(value, spec)


def safe_format(s, *args, **kwargs):
    if type(s) is not str:
        raise RuleError("`.format` is only allowed on strings")
    return _format(s, args, kwargs)


def safe_format_map(s, mapping):
    if type(s) is not str:
        raise RuleError("`.format_map` is only allowed on strings")
    return _SafeFormatter().vformat(s, (), _Mapping(mapping))


class _Mapping(dict):
    """``format_map`` looks keys up in the mapping itself (a dict subclass's ``__missing__``
    included); Formatter wants a dict: this adapter asks the mapping on each lookup."""

    def __init__(self, mapping):
        super().__init__()
        self.mapping = mapping

    def __getitem__(self, key):
        return self.mapping[key]


class Formatted:
    """An f-string field with a format spec (`f"{x:>{w}}"` runs as
    `f"{__rc_fmtval__(x, 0):>{w}}"`): Python resolves the spec and calls ``__format__``,
    which checks it before the text is built. The rule never sees this object."""

    __slots__ = ("value", "conversion")

    def __init__(self, value, conversion: int):
        self.value = value
        self.conversion = conversion

    def __format__(self, spec: str) -> str:
        return format_value(self.value, _CONVERSION_NAMES[self.conversion], spec)


_CONVERSION_NAMES = (None, "r", "s", "a")


def spec_field(value):
    """A replacement field inside an f-string's format spec (`f"{x:>{w}}"`): no huge widths."""
    _check_spec(str(value))
    return value


# methods that can build a huge value from small operands: called through ``safe_pad``
GROWING_METHODS = (
    "ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate", "extend",
    "extendleft",  # collections.deque (compiler/stdlib.py)
)
GROWING_CODES = {name: i for i, name in enumerate(GROWING_METHODS)}  # instrumented code passes ints


def safe_pad(code: int, s, *args, **kwargs):
    """A call of a method that can build a huge value from small operands: the size of what
    it would build is checked (and, for strings, charged) before it runs. The rule can only
    call these methods directly (`s.ljust(n)`, `str.ljust(s, n)`), never take them as values."""
    method = GROWING_METHODS[code]
    if isinstance(s, type):  # the unbound form: `str.ljust(s, n)`, `list.extend(xs, ys)`
        if not args:
            return getattr(s, method)(*args, **kwargs)
        if not isinstance(args[0], s):
            raise TypeError(f"descriptor '{method}' requires a '{s.__name__}' object")
        s, args = args[0], args[1:]
    if type(s) is list or type(s) is collections.deque:
        if method in ("extend", "extendleft") and args:
            items = args[0]
            if type(items) is not list and type(items) is not tuple:
                items = list(items)  # `xs.extend(iter(xs))` would grow ``xs`` forever in C
            if len(s) + len(items) > active().max_container:
                raise _too_big("an extended list")
            args = (items,)
        return getattr(s, method)(*args, **kwargs)
    if type(s) is not str:
        return getattr(s, method)(*args, **kwargs)
    size = len(s)
    if method == "replace":
        if len(args) >= 2 and type(args[0]) is str and type(args[1]) is str:
            old, new = args[0], args[1]
            n = s.count(old) if old else len(s) + 1
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            if type(count) is int and count >= 0:
                n = min(n, count)
            size = len(s) + n * (len(new) - len(old))
            _produce(size, "a replaced string")
    elif method == "join":
        if args:
            items = list(args[0])
            total = sum(len(x) for x in items if type(x) is str) + len(s) * max(len(items) - 1, 0)
            _produce(total, "a joined string")
            args = (items,)
    elif method == "translate":
        if args:
            table = args[0]
            values = table.values() if type(table) is dict else table if type(table) in (list, tuple) else ()
            longest = max((len(v) for v in values if type(v) is str), default=1)
            _produce(len(s) * max(longest, 1), "a translated string")
    elif method == "expandtabs":
        tabsize = args[0] if args else kwargs.get("tabsize", 8)
        if type(tabsize) is int:
            _produce(len(s) + max(tabsize, 0) * s.count("\t"), "an expanded string")
    else:  # ljust, rjust, center, zfill
        width = args[0] if args else kwargs.get("width")
        if type(width) is int and width > size:
            if width > active().max_container:
                raise _too_big(f"a `.{method}` width")
            _produce(width, f"a `.{method}` width")
    return getattr(s, method)(*args, **kwargs)


def _build_builtins() -> dict:
    table = {name: getattr(builtins, name) for name in BUILTIN_NAMES}
    table.update({name: getattr(builtins, name) for name in EXCEPTION_NAMES})
    table["range"] = safe_range
    table["pow"] = safe_pow
    table["sum"] = safe_sum
    table["iter"] = safe_iter
    table["map"] = safe_map
    table["filter"] = safe_filter
    table["min"] = safe_min
    table["max"] = safe_max
    table["sorted"] = safe_sorted
    table["__rc_fmtval__"] = Formatted
    table["__rc_iter__"] = count_items  # dunder: a rule can never name it
    table["__rc_lambda__"] = lambda_call
    table["__rc_comp__"] = checked_value
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
        if isinstance(value, dict):  # Counter, defaultdict, OrderedDict: as a dict
            value, tp = dict(value), dict
        elif isinstance(value, collections.deque):
            value, tp = list(value), list
        else:
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
_MORE = (dict, collections.deque)  # with the collections types (Counter, deque, ...)
_MAX_NESTING = 200
MAX_INPUT_NESTING = 100
_FLAT_CONTAINERS = (list, tuple, set, frozenset)
_INTS = frozenset({int, bool})
_NUMBERS = frozenset({float, bool, type(None)})


def check_input(name: str, value, budget: Budgets) -> None:
    """An input value meets the budgets a rule's own values meet (sizes, integer bits, nesting)
    and can be written out (no lone surrogates). Iterative: a 10,000-deep JSON list is refused,
    not a RecursionError."""
    t = type(value)
    if t in _FLAT_CONTAINERS and len(value) <= budget.max_container:  # fast path: flat numbers
        kinds = set(map(type, value))
        if kinds <= _INTS:
            if value and max(max(value).bit_length(), min(value).bit_length()) > budget.max_int_bits:
                raise BudgetError(f"input `{name}` holds an integer over {budget.max_int_bits} bits")
            return
        if kinds <= _NUMBERS:
            return
    stack = [(value, 0)]
    total = 0
    chars = 0
    limit = budget.max_container
    while stack:
        v, depth = stack.pop()
        t = type(v)
        if t is str:
            chars += len(v)
            if len(v) > limit or chars > 16 * limit:
                raise BudgetError(f"input `{name}` is too large (strings up to {limit} characters)")
            if not v.isascii():
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    raise RuleError(f"input `{name}` holds a lone surrogate character (not valid text)") from None
        elif t is int:
            if v.bit_length() > budget.max_int_bits:
                raise BudgetError(f"input `{name}` holds an integer over {budget.max_int_bits} bits")
        elif t in _CONTAINERS:
            if depth >= MAX_INPUT_NESTING:
                raise RuleError(f"input `{name}` is nested more than {MAX_INPUT_NESTING} levels deep")
            total += len(v)
            if total > limit:
                raise BudgetError(f"input `{name}` is too large (containers up to {limit} elements)")
            items = v.items() if t is dict else v
            for x in items:
                if t is dict:
                    stack.append((x[0], depth + 1))
                    stack.append((x[1], depth + 1))
                elif type(x) is not float and type(x) is not bool and x is not None:
                    stack.append((x, depth + 1))


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
    if t not in _CONTAINERS and isinstance(v, (dict, collections.deque)):  # the collections types
        t = dict if isinstance(v, dict) else list
    elif t not in _CONTAINERS or id(v) in ancestors:
        return total
    if id(v) in ancestors:
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
            if type(x) in _CONTAINERS or type(x) is int or type(x) is str or isinstance(x, _MORE):
                total = _deep_count(x, budget, ancestors, total)
    else:
        for x in v:
            if type(x) in _CONTAINERS or type(x) is int or type(x) is str or isinstance(x, _MORE):
                total = _deep_count(x, budget, ancestors, total)
    ancestors.discard(id(v))
    if total > budget.max_container:
        raise _too_big("a value")
    return total
