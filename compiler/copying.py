"""Copies of rule values: inputs before a run, module constants for each run."""

from __future__ import annotations

import sys
from typing import Any


def copy_value(v: Any, shared: list | None = None) -> Any:
    """Deep copy of a rule value (much faster than ``copy.deepcopy`` for these types).

    A set is copied only if the copy iterates in the same order as the original (see
    ``copy_set``); otherwise, when ``shared`` is given, the original itself is used and
    recorded there as ``(set, its elements)`` so the caller can restore it after the run."""
    tp = type(v)
    if tp is list:
        return [copy_value(x, shared) for x in v] if v and type(v[0]) in (list, dict, set) else [
            copy_value(x, shared) if type(x) in (list, dict, set, tuple) else x for x in v
        ]
    if tp is dict:
        return {k: copy_value(x, shared) for k, x in v.items()}
    if tp is set:
        c = copy_set(v)
        if c is None:
            if shared is None:
                return set(v)
            shared.append((v, list(v)))
            return v
        return c
    if tp is tuple:
        return tuple(copy_value(x, shared) for x in v)
    return v


def copy_set(v: set) -> set | None:
    """A copy of ``v`` that iterates in the same order and has the same table size (so later
    additions land where they would in the original), or None if neither construction gives
    one. ``set(v)`` alone may start elsewhere: its table is sized for the copy, not grown like
    the original was. (A set that had elements removed keeps their slots as placeholders; its
    copy has none, so later additions may land elsewhere: that case cannot be detected.)"""
    order = list(v)
    size = sys.getsizeof(v)
    for make in (set.copy, _grown):
        c = make(v)
        if sys.getsizeof(c) == size and list(c) == order:
            return c
    return None


def _grown(v: set) -> set:
    """Element by element, in ``v``'s order (a set grown like a literal)."""
    c: set = set()
    add = c.add
    for x in v:
        add(x)
    return c
