"""The standard-library modules a rule may import, and the names it may use from each.

A rule never sees a module object. ``import math`` binds ``math`` to a ``ModuleView`` whose
only attributes are the table's names; ``from math import sqrt`` binds ``sqrt`` to the
table's object. Every ``module.name`` in a rule is checked statically against the table
(like the builtins), and a module name may only be used that way (never as a value), so
nothing outside the table is reachable by any spelling. ``typing`` names are for annotations
only: annotations are never evaluated.

Functions that could build a huge value or run long from a small call are wrapped: the
``itertools`` iterators count their items against the budgets (``count``/``cycle``/``repeat``
and huge ``product``/``permutations`` stop there), ``math.factorial``/``comb``/``perm``/``prod``
check the size of their result first. Functions that change their first argument in place
(``heapq.heappush``, ``bisect.insort``, ...) make the trace show that argument as written.
"""

from __future__ import annotations

import bisect
import collections
import functools
import heapq
import itertools
import math
import operator
import re
import string
import sys
from collections.abc import Callable

import libcst as cst

from rulec.compiler import sandbox
from rulec.compiler.copying import copy_value
from rulec.compiler.cstutil import code_of
from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.instrument import Instrumenter
from rulec.compiler.stdlib_names import COLLECTION_METHODS, COLLECTION_MUTATING


def normalise(name: str) -> str:
    """The identifier as Python reads it (the security branch's NFKC normaliser goes here)."""
    import unicodedata

    return unicodedata.normalize("NFKC", name)


# -- guarded wrappers --------------------------------------------------------------------

def _bits_of_factorial(n: float) -> float:
    return math.lgamma(n + 1) / math.log(2) if n > 1 else 0.0


def _check_bits(bits: float) -> None:
    if bits > sandbox.active().max_int_bits:
        raise BudgetError(
            f"an integer exceeds the value budget (integers up to {sandbox.active().max_int_bits} bits)",
            sandbox.rule_line(),
        )


def factorial(n, /):
    if type(n) is int and n > 1:
        _check_bits(_bits_of_factorial(n))
    return math.factorial(n)


def comb(n, k, /):
    if type(n) is int and type(k) is int and 0 <= k <= n:
        _check_bits(_bits_of_factorial(n) - _bits_of_factorial(k) - _bits_of_factorial(n - k))
    return math.comb(n, k)


def perm(n, k=None, /):
    if type(n) is int and n > 1 and (k is None or (type(k) is int and 0 <= k <= n)):
        _check_bits(_bits_of_factorial(n) - _bits_of_factorial(n - (n if k is None else k)))
    return math.perm(n, k)


def prod(iterable, /, *, start=1):
    total = start
    limit = sandbox.active().max_int_bits
    for x in iterable:
        if type(total) is int and type(x) is int and total.bit_length() + x.bit_length() > limit + 1:
            _check_bits(total.bit_length() + x.bit_length())
        total = _TIMES(total, x)
    return total


def lcm(*integers):
    out = math.lcm(*integers)
    if type(out) is int:
        _check_bits(out.bit_length())
    return out


_TIMES = sandbox.guarded_binop("*", operator.mul)


def _counted(make: Callable) -> Callable:
    """An itertools function whose iterator counts its items: at most ``max_container`` from
    one iterator, and all of them against ``max_inner_items``."""

    def wrapper(*args, **kwargs):
        return _count(make(*args, **kwargs))

    wrapper.__name__ = make.__name__
    return wrapper


def _count(iterator):
    limit = sandbox.active().max_container
    produced = 0
    for item in sandbox.count_items(iterator):
        produced += 1
        if produced > limit:
            raise BudgetError(
                f"an iterator produced more than {limit} items (the value budget)", sandbox.rule_line()
            )
        yield item


def _repeat(obj, times=None):
    return _count(itertools.repeat(obj) if times is None else itertools.repeat(obj, times))


def _accumulate(iterable, func=None, *, initial=None):
    return _count(itertools.accumulate(iterable, func, initial=initial))


def reduce(function, iterable, *initial):
    return functools.reduce(function, _count(iter(iterable)), *initial)


def _mul_op(a, b):
    return _TIMES(a, b)


_POW = sandbox.guarded_binop("**", operator.pow)
_SHIFT = sandbox.guarded_binop("<<", operator.lshift)
_MOD = sandbox.guarded_binop("%", operator.mod)


def _pow_op(a, b):
    return _POW(a, b)


def _lshift_op(a, b):
    return _SHIFT(a, b)


def _mod_op(a, b):
    return _MOD(a, b)


def _itemgetter(*items):
    for item in items:  # strings index dicts; never attribute names
        if type(item) not in (int, str, bool, tuple, float) and item is not None:
            raise RuleError("operator.itemgetter takes keys or indices")
    return operator.itemgetter(*items)


# -- re -------------------------------------------------------------------------------------
# A pattern can backtrack for minutes inside one C call, which no in-process timer interrupts:
# `re` is safe only behind the process-level wall (the CLI's worker processes and their CPU
# limit). Results are bounded like every other value: `sub` checks the size of what it would
# build before building it, `finditer` counts its items, compiled patterns are wrapped so
# their methods are the same guarded functions.

def _too_big_string() -> BudgetError:
    return BudgetError(
        f"a replaced string exceeds the value budget (strings up to {sandbox.active().max_container} "
        "characters)", sandbox.rule_line(),
    )


def _sub_bound(compiled, repl, string, count):
    """Check the size of ``compiled.sub(repl, string, count)`` before it is built; for a
    function ``repl``, a wrapper that checks the running size of what it returns."""
    limit = sandbox.active().max_container
    if type(string) is not str:
        return repl
    if callable(repl):
        total = [len(string)]

        def checked(match):
            out = repl(match)
            if type(out) is str:
                total[0] += len(out)
                if total[0] > limit:
                    raise _too_big_string()
            return out

        return checked
    if type(repl) is str:
        n = 0
        for _ in compiled.finditer(string):
            n += 1
            if count and n >= count:
                break
        refs = repl.count("\\") + 1  # a group reference inserts at most the whole string
        if len(string) + n * (len(repl) + (refs - 1) * len(string)) > limit:
            raise _too_big_string()
    return repl


class Pattern:
    """What ``re.compile`` returns: the guarded functions bound to one pattern."""

    __slots__ = ("_rc_compiled",)

    def __init__(self, compiled):
        object.__setattr__(self, "_rc_compiled", compiled)

    def __setattr__(self, attr, value):
        raise AttributeError("a pattern cannot be changed in a rule")

    def __repr__(self) -> str:
        return repr(self._rc_compiled)

    def __eq__(self, other):
        return isinstance(other, Pattern) and other._rc_compiled == self._rc_compiled

    def __hash__(self):
        return hash(self._rc_compiled)

    @property
    def pattern(self):
        return self._rc_compiled.pattern

    @property
    def flags(self):
        return self._rc_compiled.flags

    @property
    def groups(self):
        return self._rc_compiled.groups

    def match(self, string, *args):
        return self._rc_compiled.match(string, *args)

    def search(self, string, *args):
        return self._rc_compiled.search(string, *args)

    def fullmatch(self, string, *args):
        return self._rc_compiled.fullmatch(string, *args)

    def findall(self, string, *args):
        return self._rc_compiled.findall(string, *args)

    def finditer(self, string, *args):
        return _count(self._rc_compiled.finditer(string, *args))

    def split(self, string, maxsplit=0):
        return self._rc_compiled.split(string, maxsplit)

    def sub(self, repl, string, count=0):
        return self._rc_compiled.sub(_sub_bound(self._rc_compiled, repl, string, count), string, count)

    def subn(self, repl, string, count=0):
        return self._rc_compiled.subn(_sub_bound(self._rc_compiled, repl, string, count), string, count)


def _pattern(pattern, flags=0) -> Pattern:
    if isinstance(pattern, Pattern):
        return pattern
    return Pattern(re.compile(pattern, flags))


def _re_function(name: str):
    def call(pattern, *args, flags=0, **kwargs):
        return getattr(_pattern(pattern, flags), name)(*args, **kwargs)

    call.__name__ = name
    return call


class defaultdict(collections.defaultdict):  # noqa: N801 - shown as Python shows it
    """``collections.defaultdict`` shown without a memory address: ``defaultdict(list, {...})``,
    ``defaultdict(<function>, {...})`` for a lambda."""

    def __repr__(self) -> str:
        f = self.default_factory
        name = f.__name__ if isinstance(f, type) else "None" if f is None else "<function>"
        return f"defaultdict({name}, {dict.__repr__(self)})"


# -- the table ---------------------------------------------------------------------------

_MATH_FUNCTIONS = """acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh degrees
dist erf erfc exp exp2 expm1 fabs floor fmod frexp fsum gamma gcd hypot isclose isfinite isinf
isnan isqrt ldexp lgamma log log10 log1p log2 modf nextafter pow radians remainder sin sinh
sqrt tan tanh trunc ulp""".split()

MODULES: dict[str, dict[str, object]] = {
    "math": {
        **{n: getattr(math, n) for n in _MATH_FUNCTIONS if hasattr(math, n)},
        "pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf, "nan": math.nan,
        "factorial": factorial, "comb": comb, "perm": perm, "prod": prod, "lcm": lcm,
    },
    "bisect": {n: getattr(bisect, n) for n in
               ("bisect", "bisect_left", "bisect_right", "insort", "insort_left", "insort_right")},
    "heapq": {
        **{n: getattr(heapq, n) for n in
           ("heappush", "heappop", "heapify", "heappushpop", "heapreplace", "nlargest", "nsmallest")},
        "merge": _counted(heapq.merge),
    },
    "operator": {
        **{n: getattr(operator, n) for n in
           """sub truediv floordiv neg pos abs eq ne lt le gt ge not_ truth and_ or_ xor
           contains countOf indexOf invert inv is_ is_not getitem rshift index""".split()},
        # `+` on sequences doubles (`s = operator.add(s, s)` thirty times): checked like `+`
        "add": sandbox.guarded_binop("+", operator.add),
        "concat": sandbox.guarded_binop("+", operator.concat),
        "mul": _mul_op, "pow": _pow_op, "lshift": _lshift_op, "mod": _mod_op,
        "itemgetter": _itemgetter,
    },
    "string": {n: getattr(string, n) for n in
               ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
                "octdigits", "punctuation", "whitespace", "printable")},
    "functools": {"reduce": reduce, "cmp_to_key": functools.cmp_to_key},
    "itertools": {
        **{n: _counted(getattr(itertools, n)) for n in
           ("combinations", "combinations_with_replacement", "permutations", "product",
            "pairwise", "groupby", "chain", "islice", "zip_longest", "count", "cycle", "starmap",
            "takewhile", "dropwhile", "compress", "filterfalse")},
        "accumulate": _accumulate, "repeat": _repeat,
    },
    "collections": {"Counter": collections.Counter, "defaultdict": defaultdict,
                    "deque": collections.deque, "OrderedDict": collections.OrderedDict},
    "sys": {"maxsize": sys.maxsize},
    "re": {
        **{n: _re_function(n) for n in ("match", "search", "fullmatch", "findall", "finditer", "split",
                                        "sub", "subn")},
        "compile": _pattern, "escape": re.escape,
        **{n: getattr(re, n) for n in ("IGNORECASE", "I", "MULTILINE", "M", "DOTALL", "S", "ASCII", "A",
                                       "VERBOSE", "X")},
    },
    "typing": {},  # annotations only
}

# typing names a rule may import (for annotations; never evaluated)
TYPING_NAMES = frozenset(
    """Any Callable DefaultDict Deque Dict FrozenSet Generator Hashable Iterable Iterator List
    Literal Mapping MutableMapping Optional Sequence Set Tuple Type TypeVar Union Counter
    OrderedDict""".split()
)

# (module, name) -> index of the argument the call changes in place
MUTATING: dict[tuple[str, str], int] = {
    ("heapq", "heappush"): 0, ("heapq", "heappop"): 0, ("heapq", "heapify"): 0,
    ("heapq", "heappushpop"): 0, ("heapq", "heapreplace"): 0,
    ("bisect", "insort"): 0, ("bisect", "insort_left"): 0, ("bisect", "insort_right"): 0,
}

__all__ = ["COLLECTION_METHODS", "COLLECTION_MUTATING", "MODULES", "Imports", "ModuleView"]
COLLECTION_TYPES = (collections.Counter, defaultdict, collections.deque, collections.OrderedDict)

REFUSED_MODULES: dict[str, str] = {}


class ModuleView:
    """What ``import math`` binds: the table's names as attributes, nothing else."""

    __slots__ = ("_rc_name", "_rc_table")

    def __init__(self, name: str, table: dict[str, object]):
        object.__setattr__(self, "_rc_name", name)
        object.__setattr__(self, "_rc_table", dict(table))

    def __getattr__(self, attr: str):
        table = object.__getattribute__(self, "_rc_table")
        if attr in table:
            return table[attr]
        raise AttributeError(attr)

    def __setattr__(self, attr, value):
        raise AttributeError("a module cannot be changed in a rule")

    def __repr__(self) -> str:
        return f"<module {object.__getattribute__(self, '_rc_name')}>"


VIEWS = {name: ModuleView(name, table) for name, table in MODULES.items() if name != "typing"}


# -- imports -------------------------------------------------------------------------------

class Imports:
    """The names a rule file's imports bind: ``modules`` (alias -> module name), ``names``
    (local name -> (module, name)) and ``typing`` (names for annotations only)."""

    def __init__(self) -> None:
        self.modules: dict[str, str] = {}
        self.names: dict[str, tuple[str, str]] = {}
        self.typing: set[str] = set()
        self.lines: list[cst.CSTNode] = []

    def bound(self) -> set[str]:
        return set(self.modules) | set(self.names) | self.typing

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for alias, module in self.modules.items():
            if module != "typing":
                out[alias] = VIEWS[module]
        for local, (module, name) in self.names.items():
            out[local] = MODULES[module][name]
        return out

    def resolve(self, func: cst.BaseExpression) -> tuple[str, str] | None:
        """(module, name) of a call target such as ``heapq.heappush`` or ``heappush``."""
        if isinstance(func, cst.Name):
            return self.names.get(normalise(func.value))
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            module = self.modules.get(normalise(func.value.value))
            if module is not None:
                return module, normalise(func.attr.value)
        return None

    def add(self, stmt: cst.CSTNode, fail: Callable[[cst.CSTNode, str], None]) -> None:
        self.lines.append(stmt)
        if isinstance(stmt, cst.Import):
            for alias in stmt.names:
                module = _dotted(alias.name)
                _check_module(module, stmt, fail)
                local = normalise(alias.asname.name.value) if alias.asname else module
                if "." in local:
                    fail(stmt, f"`import {module}`: dotted module names are not supported")
                self.modules[local] = module
            return
        assert isinstance(stmt, cst.ImportFrom)
        if stmt.relative or stmt.module is None:
            fail(stmt, "relative imports are not allowed in a rule")
        module = _dotted(stmt.module)
        _check_module(module, stmt, fail)
        if isinstance(stmt.names, cst.ImportStar):
            fail(stmt, f"`from {module} import *` is not supported; name what you use")
        for alias in stmt.names:
            name = normalise(_dotted(alias.name))
            local = normalise(alias.asname.name.value) if alias.asname else name
            if module == "typing":
                if name not in TYPING_NAMES:
                    fail(stmt, f"`typing.{name}` is not supported (typing names are for annotations)")
                self.typing.add(local)
                continue
            if name not in MODULES[module]:
                fail(stmt, _unknown(module, name))
            self.names[local] = (module, name)


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return normalise(node.value)
    if isinstance(node, cst.Attribute):
        return _dotted(node.value) + "." + normalise(node.attr.value)
    return ""


def _check_module(module: str, stmt: cst.CSTNode, fail) -> None:
    if module in REFUSED_MODULES:
        fail(stmt, REFUSED_MODULES[module])
    if module not in MODULES:
        allowed = ", ".join(sorted(MODULES))
        fail(stmt, f"`import` of `{module}` is not allowed in a rule (only: {allowed})")


def _unknown(module: str, name: str) -> str:
    return f"`{module}.{name}` is not available in a rule (not in the table of `{module}` names)"


def check_attribute(imports: Imports, node: cst.Attribute, fail) -> bool:
    """True if ``node`` is ``module.name`` of an imported module (and the name is allowed)."""
    if not isinstance(node.value, cst.Name):
        return False
    module = imports.modules.get(normalise(node.value.value))
    if module is None:
        return False
    name = normalise(node.attr.value)
    if module == "typing":
        fail(node, "`typing` names may only be used in annotations")
    if name not in MODULES[module]:
        fail(node, _unknown(module, name))
    return True


# -- module-level constants ----------------------------------------------------------------

def evaluate_constants(constants, imports: Imports, filename: str) -> dict[str, object]:
    """Evaluate ``NAME = expr`` lines in order (already validated) with the whitelisted
    builtins, the imports and the constants before them; values are size-checked."""
    env: dict[str, object] = {
        "__builtins__": sandbox.SAFE_BUILTINS, **imports.values(), "__rc_guard__": sandbox.guard,
        "__rc_fmt__": sandbox.safe_format, "__rc_fmtmap__": sandbox.safe_format_map,
        "__rc_pad__": sandbox.safe_pad,
    }
    values: dict[str, object] = {}
    previous = sandbox.active()
    sandbox.set_active(previous)
    try:
        for name, expr, line in constants:
            try:
                # only the size guards, as inside a lambda: `[0] * 10**9` is refused
                inst = Instrumenter([], set(), False)
                inst.opaque = 1
                src = code_of(expr.visit(inst))
                code = compile("\n" * (line - 1) + "(" + src + ")", "<rulec>", "eval", dont_inherit=True)
                value = eval(code, env)  # noqa: S307 - validated constant expression, whitelisted names
            except RuleError as e:
                e.line = e.line or line
                e.filename = e.filename or filename
                raise
            except Exception as e:
                raise RuleError(f"the module constant `{name}` raised {type(e).__name__}: {e}",
                                line, filename) from None
            sandbox.check_size(value, sandbox.active())
            env[name] = value
            values[name] = value
    finally:
        sandbox.set_active(previous)
    return values


def fresh_globals(values: dict[str, object]) -> dict[str, object]:
    """The module-level names for one run: constants copied (a run may change a list
    constant; the next run starts from the value as written), everything else shared."""
    return {k: copy_value(v) for k, v in values.items()}
