"""What a rule may use: builtins, methods, exception types."""

from __future__ import annotations

from rulec.compiler.stdlib_names import COLLECTION_METHODS, COLLECTION_MUTATING

VALUE_TYPES: tuple[type, ...] = (int, float, bool, str, list, tuple, dict, set, frozenset)

# Pure builtins a rule may call. Sizes are guarded at run time where a call can blow up.
BUILTIN_NAMES: frozenset[str] = frozenset(
    """len int float str bool abs min max sum sorted reversed range enumerate zip map filter
    list tuple dict set frozenset ord chr any all round divmod pow isinstance iter next hex bin oct
    """.split()
)

EXCEPTION_NAMES: frozenset[str] = frozenset(
    """Exception ArithmeticError AssertionError IndexError KeyError LookupError OverflowError
    StopIteration TypeError ValueError ZeroDivisionError""".split()
)

CONSTANT_NAMES: frozenset[str] = frozenset({"True", "False", "None"})

# Refused outright, with a specific message (they are not on the whitelist anyway).
FORBIDDEN_CALLS: frozenset[str] = frozenset(
    """eval exec open compile __import__ globals locals vars getattr setattr delattr dir
    type object input print breakpoint help memoryview bytearray classmethod staticmethod
    property super id hash""".split()
)

# Methods that could build a huge value from a small call: guarded at run time.
PAD_METHODS: frozenset[str] = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
FORMAT_METHODS: frozenset[str] = frozenset({"format", "format_map"})
# Called through ``sandbox.safe_pad`` (sizes checked first); like the format methods they may
# only be called directly, never taken as values (`g = "a".ljust; g(10**9)`).
GROWING_METHOD_NAMES: frozenset[str] = frozenset(
    {"ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate", "extend",
     "extendleft"}
)
# no bytes anywhere: `encode` is the only way a rule could make one (bytes methods and
# `%` on bytes would need guards of their own)
_EXCLUDED_METHODS = frozenset({"to_bytes", "from_bytes", "mro", "encode"})


def _public_methods() -> frozenset[str]:
    names: set[str] = set()
    for tp in (int, float, str, list, tuple, dict, set, frozenset):
        names.update(n for n in dir(tp) if not n.startswith("_"))
    return frozenset(names - _EXCLUDED_METHODS)


METHOD_NAMES: frozenset[str] = _public_methods() | COLLECTION_METHODS

# Methods that change their receiver in place: the receiver counts as written.
MUTATING_METHODS: frozenset[str] = frozenset(
    """append extend insert pop remove clear sort reverse add discard update
    intersection_update difference_update symmetric_difference_update popitem setdefault""".split()
) | COLLECTION_MUTATING
