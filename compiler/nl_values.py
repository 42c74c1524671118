"""Values in English: one notation for the NL rule and the NL trace (never Python's).

* true / false / "no value" for ``True`` / ``False`` / ``None``;
* strings in double quotes, special characters named ("a line break", "a tab", "a double
  quote", "the character with code 7"): ``'a\\nb'`` -> ``"a" followed by a line break
  followed by "b"``; the empty string at the top level is "the empty string";
* lists ``[1, 2]``, tuples ``(1, 2)``, sets ``{1, 2}``, dictionaries ``{"a": 1}`` with their
  elements in this notation; empty containers at the top level of a rule in words ("an empty list"), in a trace
  compact (``x = []``);
* ``range(0, 3)`` -> "the numbers 0 to 2", dictionary views -> the list of their keys,
  values or (key, value) pairs; iterators and functions -> "an iterator", "a procedure".

``value_words(v)`` renders a Python value; ``repr_words(text)`` renders the ``repr`` text
the run records (the code trace shows those unchanged), falling back to the text itself
when it is not a value this module knows.
"""

from __future__ import annotations

import ast
import math
import re
from functools import lru_cache

SPECIAL_CHARS: dict[str, str] = {
    "\n": "a line break", "\t": "a tab", "\r": "a carriage return", '"': "a double quote",
    "\\": "a backslash", "\x00": "the null character", "\x0b": "a vertical tab",
    "\x0c": "a form feed",
}
_EMPTY_WORDS = {list: "an empty list", tuple: "an empty tuple", set: "an empty set",
                frozenset: "an empty set", dict: "an empty dictionary"}
_LIST_RANGE_UP_TO = 5  # a stepped range with at most this many numbers is listed in full


def _char_words(ch: str) -> str | None:
    if ch in SPECIAL_CHARS:
        return SPECIAL_CHARS[ch]
    if not ch.isprintable():
        return f"the character with code {ord(ch)}"
    return None


def string_words(s: str, top: bool = True) -> str:
    """``"abc"``; pieces joined by "followed by" around named special characters."""
    if not s:
        return "the empty string" if top else '""'
    pieces: list[str] = []
    run = ""
    for ch in s:
        name = _char_words(ch)
        if name is None:
            run += ch
            continue
        if run:
            pieces.append(f'"{run}"')
            run = ""
        pieces.append(name)
    if run:
        pieces.append(f'"{run}"')
    text = " followed by ".join(pieces)
    return text if top or len(pieces) == 1 else f"({text})"


def number_words(v: int | float) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "not a number"
        if math.isinf(v):
            return "infinity" if v > 0 else "minus infinity"
    return repr(v)


def range_words(start: int, stop: int, step: int = 1) -> str:
    """range(0, 3) -> "the numbers 0 to 2"; range(0, 0) -> "no numbers"."""
    r = range(start, stop, step)
    if not r:
        return "no numbers"
    if len(r) == 1:
        return f"the number {r[0]}"
    if step == 1:
        return f"the numbers {r[0]} to {r[-1]}"
    if step == -1:
        return f"the numbers {r[0]} down to {r[-1]}"
    if len(r) <= _LIST_RANGE_UP_TO:
        return "the numbers " + ", ".join(str(x) for x in r[:-1]) + f" and {r[-1]}"
    n = abs(step)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"every {n}{suffix} number from {r[0]} {'up' if step > 0 else 'down'} to {r[-1]}"


def value_words(v: object, top: bool = True) -> str:
    """A Python value in this module's notation."""
    if v is None:
        return "no value"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return number_words(v)
    if isinstance(v, str):
        return string_words(v, top)
    if isinstance(v, range):
        return range_words(v.start, v.stop, v.step)
    if isinstance(v, (list, tuple, set, frozenset, dict)):
        if not v:
            return _EMPTY_WORDS[type(v)] if top else {list: "[]", tuple: "()", dict: "{}"}.get(
                type(v), "an empty set")
        if isinstance(v, dict):
            inner = ", ".join(f"{value_words(k, False)}: {value_words(x, False)}"
                              for k, x in v.items())
            return "{" + inner + "}"
        inner = ", ".join(value_words(x, False) for x in v)
        if isinstance(v, list):
            return f"[{inner}]"
        if isinstance(v, tuple):
            return f"({inner})"
        return "{" + inner + "}"
    return str(v)


class _Unknown(Exception):
    pass


def _node_value(node: ast.AST, top: bool) -> str:
    """The words for one node of a repr's syntax tree (only the shapes repr produces)."""
    if isinstance(node, ast.Constant):
        return value_words(node.value, top)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = node.operand
        if isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float)):
            return number_words(-inner.value)
        if isinstance(inner, ast.Name) and inner.id == "inf":
            return "minus infinity"
    if isinstance(node, ast.Name):
        return {"inf": "infinity", "nan": "not a number"}.get(node.id) or _raise()
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if not node.elts:  # a trace shows empty containers compactly: x = []
            return "[]" if isinstance(node, ast.List) else "()"
        inner = ", ".join(_node_value(e, False) for e in node.elts)
        if isinstance(node, ast.List):
            return f"[{inner}]"
        if isinstance(node, ast.Tuple):
            return f"({inner})"
        return "{" + inner + "}"
    if isinstance(node, ast.Dict):
        if not node.keys:
            return "{}"
        if any(k is None for k in node.keys):
            _raise()
        inner = ", ".join(f"{_node_value(k, False)}: {_node_value(v, False)}"
                          for k, v in zip(node.keys, node.values))
        return "{" + inner + "}"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name, args = node.func.id, node.args
        if name == "range" and all(isinstance(a, (ast.Constant, ast.UnaryOp)) for a in args):
            nums = [ast.literal_eval(a) for a in args]
            return range_words(*nums)
        if name in ("dict_keys", "dict_values", "dict_items") and len(args) == 1:
            return _node_value(args[0], top)
        if name in ("set", "frozenset") and not args:
            return "an empty set"
        if name in ("frozenset",) and len(args) == 1:
            return _node_value(args[0], top)
    _raise()
    return ""  # unreachable


def _raise() -> str:
    raise _Unknown


# a (nested) list of ints and plain decimals: its words are its repr (see number_words)
_NUMBER_LIST = re.compile(r"\[[0-9 ,.\-\[\]]*\]\Z")


@lru_cache(maxsize=65536)
def repr_words(text: str, top: bool = True) -> str:
    """The words for a value's repr text (as the run records it)."""
    if text == "<iterator>":
        return "an iterator"
    if text == "<function>":
        return "a procedure"
    if text in ("True", "False", "None"):
        return {"True": "true", "False": "false", "None": "no value"}[text]
    if text != "[]" and _NUMBER_LIST.match(text):  # a list of numbers reads as written
        return text
    if text[:1].isdigit() or (text[:1] == "-" and text[1:2].isdigit()):
        try:
            float(text)
            return text
        except ValueError:
            pass
    try:
        return _node_value(ast.parse(text, mode="eval").body, top)
    except (_Unknown, SyntaxError, ValueError, RecursionError, MemoryError, TypeError):
        return text


__all__ = ["SPECIAL_CHARS", "range_words", "repr_words", "string_words", "value_words"]
