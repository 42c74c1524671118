"""The event format: what a run of a rule records, read by every renderer and checker.

Both executors (the interpreter in ``run.py`` and the generated function of ``codegen.py``)
emit exactly these events, in the same order; the renderers (``render.py``, ``nl.py``) and the
evaluator's step checker read them and nothing else. Events are plain tuples or lists (cheap
to build in the hot path); the field positions below are their one definition, so a reader
writes ``ev[UNIT_AFTER]`` rather than ``ev[4]``. ``docs/architecture.md`` describes the
format in prose.

Values inside events are *shown* values: the text a trace prints for them (``show``), except
``RETURNED_VALUE``, the Python value itself.

=========  ==========================================================================
kind       fields (by position)
=========  ==========================================================================
CALL       (CALL, function, params, top)
           ``params``: [(name, shown)] of the call's arguments; ``top``: the rule
           itself (True) or a helper called from it (False)
RETURNED   (RETURNED, function, shown, top, value)
UNIT       (UNIT, unit, before, rec, after, splices | None)
           ``before``/``after``: [(name, shown)] read before / written by the unit;
           ``rec``: the working records of its probes (see ``ir.Probe``)
LOOP       (LOOP, loop)                                  the loop is reached
CHECK      [CHECK, loop, before, rec, entered, targets, splices]
           ``entered``: True / False, or None if the check raised; ``targets``: the
           values a ``for`` loop bound, [(name, shown)]
ITER       (ITER, loop)                                  one entry of the body
ITER_END   (ITER_END, loop, state)                       scratchpad runs only: the state
                                                         [(name, shown)] after an iteration
BRANCH     [BRANCH, branch, tests, taken, splices]
           ``tests``: [(before, rec, truth)] per evaluated test; ``taken``: the arm's
           index, -1 no arm, -2 a test raised (its truth is None); ``splices``: per test
RET        [RET, step, before, rec, splices | None]      a block-level ``return``
TRY        (TRY, step)                                   a ``try`` is entered
EXCEPT     (EXCEPT, step, handler, type_name, message)   a handler caught an exception
=========  ==========================================================================

Events that evaluate code carry *splices*: ``(p, a, b)`` says that a call of a function of
the file happened after ``rec[:p]`` was recorded and emitted ``events[a:b]``. A renderer shows
those events there: after the step's recitation and "before" values, interleaved with its
working, before its results.
"""

from __future__ import annotations

# ---------------------------------------------------------------- kinds (field 0)

CALL, RETURNED, UNIT, LOOP, CHECK, ITER, ITER_END, BRANCH, RET, TRY, EXCEPT = range(11)
KIND_NAMES = ("CALL", "RETURNED", "UNIT", "LOOP", "CHECK", "ITER", "ITER_END", "BRANCH", "RET",
              "TRY", "EXCEPT")

KIND = 0
STEP = 1  # the IR node of every kind: Function, Unit, Loop, Branch, Return or Try

# ---------------------------------------------------------------- fields by kind

CALL_PARAMS, CALL_TOP = 2, 3
RETURNED_SHOWN, RETURNED_TOP, RETURNED_VALUE = 2, 3, 4
UNIT_BEFORE, UNIT_REC, UNIT_AFTER, UNIT_SPLICES = 2, 3, 4, 5
CHECK_BEFORE, CHECK_REC, CHECK_ENTERED, CHECK_TARGETS, CHECK_SPLICES = 2, 3, 4, 5, 6
ITER_END_STATE = 2
BRANCH_TESTS, BRANCH_TAKEN, BRANCH_SPLICES = 2, 3, 4
BRANCH_NO_ARM, BRANCH_RAISED = -1, -2
RET_BEFORE, RET_REC, RET_SPLICES = 2, 3, 4
EXCEPT_HANDLER, EXCEPT_TYPE, EXCEPT_MESSAGE = 2, 3, 4


def kind_name(ev) -> str:
    return KIND_NAMES[ev[KIND]]


# ---------------------------------------------------------------- shown values

# Types whose repr is their trace text; anything else is checked for a memory address. Sets
# go through ``show`` too, which notes a set of strings (its order depends on the hash seed).
PLAIN_TYPES = frozenset({int, float, bool, str, list, tuple, dict, type(None)})
_SETS = (set, frozenset)
# Characters of a written value's text from which its size is checked against the budgets.
CHECK_FROM = 2_000


def _opaque(v) -> bool:
    """Iterators (zip, enumerate, map, ...) and functions: their repr holds a memory address."""
    return hasattr(type(v), "__next__") or callable(v)


def show(v) -> str:
    """The trace's text for a value: its repr, or a stable placeholder for iterators and
    functions."""
    if type(v) in _SETS:
        from rulec.compiler.sandbox import note_set

        note_set(v)
        return repr(v)
    if type(v) in PLAIN_TYPES or not _opaque(v):
        return repr(v)
    return "<function>" if callable(v) and not hasattr(type(v), "__next__") else "<iterator>"
