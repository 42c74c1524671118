"""Verbaliser: libcst nodes of a rule -> plain English (DESIGN.md §1, "NL rule and NL trace").

``Verbaliser.expr`` turns an expression into a noun phrase ("the last digit of num"),
``cond`` into a clause ("num is greater than 9", or its negation "num is at most 9"),
``stmt`` into an imperative sentence ("Add the last digit of num to sum."), and ``header``
describes a loop or branch header. Variable names are replaced by the task's glossary
("num" -> "the number"); truthiness is spelled out by type ("lst is not empty", "num is
not 0"), with types from ``infer_types`` (annotations, usage, first inputs).

Organisation (one construct's wording lives in one small module):

* ``verbal_phrases``: precedence levels (every expression renders to a ``Phrase``; an
  operand that binds less tightly than its place is put in parentheses, so "(a plus b)
  times c" is never confused with "a plus b times c"), word tables, small helpers, and
  ``value_text`` (Python constants as English);
* ``verbal_types``: ``static_type`` (the type of an expression) and ``infer_types``
  (the types of a rule's variables);
* ``verbal_exprs``: expression handlers (one per node type), operators, subscripts,
  slices, iteration phrases ("each element x of lst");
* ``verbal_calls``: builtin calls (``_b_*``) and value methods (``_m_*``);
* ``verbal_clauses``: conditions ("num is greater than 9");
* ``verbal_stmts``: statements and statement methods (``_s_*``);
* this module: ``Verbaliser`` (the public API) and the dispatch tables ``_EXPR``,
  ``_BINARY``, ``_BUILTINS``, ``_METHODS``, ``_METHOD_STMTS``, ``_STMTS``.

The exact meaning and the condition of every idiom is catalogued in docs/nl-phrases.md.

Nothing here raises on a valid libcst node: unknown functions, methods and attributes get
a generic wording ("the result of applying foo bar to x").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import libcst as cst

from rulec.compiler.verbal_calls import CallMixin
from rulec.compiler.verbal_clauses import ClauseMixin
from rulec.compiler.verbal_exprs import ExprMixin
from rulec.compiler.verbal_phrases import (
    Args,
    Phrase,
    and_list,
    capitalise,
    code_of,
    sentence,
    value_text,
)
from rulec.compiler.verbal_stmts import StmtMixin
from rulec.compiler.verbal_types import (
    SET_METHODS_BOOL,
    SET_METHODS_SET,
    STR_METHODS_BOOL,
    infer_types,
    static_type,
)


class Verbaliser(ExprMixin, CallMixin, ClauseMixin, StmtMixin):
    """Render libcst nodes of a rule as English (see the module docstring)."""

    imported: ClassVar[dict[str, object]] = {}  # the rule file's imports (Program.imported)

    def __init__(self, glossary: dict[str, str] | None = None,
                 types: dict[str, type] | None = None) -> None:
        self.glossary: dict[str, str] = dict(glossary or {})
        self.types: dict[str, type] = dict(types or {})
        self._aliases: dict[str, str] = {}
        # ids of expression nodes proven non-negative where they stand (verbal_signs)
        self.nonneg: set[int] = set()
        # names that only ever hold one character (loop variables over a text)
        self.chars: set[str] = set()
        self.mutated: set[str] = set()  # names changed in place (verbal_signs.mutated_names)
        self.text_order = False  # an ordering comparison of texts was verbalised
        self.introducing = False  # True while a rule is built: first uses introduce names
        self.introduced: set[str] = set()

    # ------------------------------------------------------------------ public API

    def name(self, name: str) -> str:
        """The glossary noun phrase for a variable, or the variable name itself.

        While ``introducing`` (building a rule), the first use of a name introduces it: a
        name without a glossary entry gets a noun from its type ("the list nums"), and a
        glossary phrase longer than its trace label names it ("the vowel difference (count)")
        and the rule goes on with the name, as D.3 goes on with "sum".
        """
        if name in self._aliases:
            return self._aliases[name]
        phrase = self.glossary.get(name)
        if self.introducing and name not in self.introduced:
            self.introduced.add(name)
            if phrase is None:
                noun = self.type_noun(name)
                return noun if noun.endswith(f" {name}") else f"{noun} {name}"
            if self.is_long(name):
                return f"{phrase} ({name})"
        if name in self.introduced and self.is_long(name):
            return name  # a long phrase, introduced with its name: the name from then on
        return phrase if phrase is not None else name

    def is_long(self, name: str) -> bool:
        """A glossary phrase the trace abbreviates to the variable's name."""
        return name in self.glossary and self.label(name) == name and (
            self.glossary[name].split()[-1] != name)

    def label(self, name: str) -> str:
        """The short name a trace's value lines use: a glossary phrase of at most two words
        without its article ("number" for "the number"), else the variable name (D.3 writes
        "number = 32", "sum = 0 + 2 = 2")."""
        phrase = self.glossary.get(name)
        if phrase is None:
            return name
        for article in ("the ", "a ", "an "):
            if phrase.startswith(article):
                phrase = phrase[len(article):]
                break
        return phrase if len(phrase.split()) <= 2 and "whether" not in phrase else name

    def type_noun(self, name: str) -> str:
        """"the number", "the position", "the character", "the list"... from the type."""
        tp = self.types.get(name)
        if tp in (int, float):
            return "the number"
        if tp is str:
            return "the character" if name in self.chars else "the text"
        return {bool: "the truth value", list: "the list", tuple: "the tuple",
                dict: "the dictionary", set: "the set", frozenset: "the set"}.get(tp, "the value")

    def expr(self, node: cst.BaseExpression) -> str:
        """A noun phrase for the value of ``node``."""
        return self._p(node).text

    def cond(self, node: cst.BaseExpression, negate: bool = False) -> str:
        """A clause stating that ``node`` is true (or, with ``negate``, false)."""
        return self._clause(node, negate).text

    def stmt(self, node: cst.BaseSmallStatement | cst.BaseStatement) -> str:
        """An imperative sentence for a small statement (or a simple statement line)."""
        if isinstance(node, cst.SimpleStatementLine):
            return " ".join(self.stmt(s) for s in node.body)
        if isinstance(node, cst.BaseCompoundStatement):
            return sentence(self._compound_summary(node))
        handler = self._STMTS.get(type(node))
        if handler is None:
            return sentence(f"run the step {code_of(node).strip()!r}")
        hoisted = self._hoist_pop(node)
        return sentence(hoisted if hoisted is not None else handler(self, node))

    def header(self, node: cst.CSTNode) -> str:
        """While -> its check clause; For -> "each element x of lst"; If -> its condition;
        ExceptHandler -> "an invalid value (ValueError) happens"."""
        if isinstance(node, (cst.While, cst.If)):
            return self.cond(node.test)
        if isinstance(node, cst.For):
            return "each " + self._iteration(node.target, node.iter, short=False)
        if isinstance(node, cst.ExceptHandler):
            return self._except_words(node.type)
        if isinstance(node, cst.Else):
            return "otherwise"
        raise TypeError(f"header: no header wording for {type(node).__name__}")


    # ------------------------------------------------------------------ dispatch tables

    _EXPR: ClassVar[dict[type, Callable[[Verbaliser, cst.BaseExpression], Phrase]]] = {
        cst.Name: ExprMixin._name, cst.Integer: ExprMixin._number, cst.Float: ExprMixin._number, cst.Imaginary: ExprMixin._number,
        cst.SimpleString: ExprMixin._literal, cst.ConcatenatedString: ExprMixin._concat, cst.FormattedString: ExprMixin._fstring,
        cst.TemplatedString: ExprMixin._template, cst.Attribute: ExprMixin._attribute, cst.Ellipsis: ExprMixin._ellipsis,
        cst.List: ExprMixin._list, cst.Tuple: ExprMixin._tuple, cst.Set: ExprMixin._set, cst.Dict: ExprMixin._dict,
        cst.BinaryOperation: ExprMixin._binary, cst.UnaryOperation: ExprMixin._unary,
        cst.BooleanOperation: ExprMixin._boolean, cst.Comparison: ExprMixin._comparison, cst.IfExp: ExprMixin._ifexp,
        cst.Lambda: ExprMixin._lambda, cst.NamedExpr: ExprMixin._named, cst.Await: ExprMixin._await, cst.Yield: ExprMixin._yield,
        cst.StarredElement: ExprMixin._starred, cst.Subscript: ExprMixin._subscript,
        cst.ListComp: ExprMixin._listcomp, cst.SetComp: ExprMixin._setcomp, cst.GeneratorExp: ExprMixin._genexp,
        cst.DictComp: ExprMixin._dictcomp, cst.StarredDictComp: ExprMixin._starred_dictcomp, cst.Call: CallMixin._call,
    }  # type: ignore[dict-item]

    _BINARY: ClassVar[dict[type, Callable[[Verbaliser, cst.BinaryOperation], Phrase]]] = {
        cst.Add: ExprMixin._add, cst.Subtract: ExprMixin._subtract, cst.Multiply: ExprMixin._multiply, cst.Divide: ExprMixin._divide,
        cst.FloorDivide: ExprMixin._floor_divide, cst.Modulo: ExprMixin._modulo, cst.Power: ExprMixin._power,
        cst.LeftShift: ExprMixin._shift, cst.RightShift: ExprMixin._shift, cst.BitAnd: ExprMixin._bitwise,
        cst.BitOr: ExprMixin._bitwise, cst.BitXor: ExprMixin._bitwise, cst.MatrixMultiply: ExprMixin._matmul,
    }

    _BUILTINS: ClassVar[dict[str, Callable[[Verbaliser, Args], Phrase | None]]] = {
        "len": CallMixin._b_len, "int": CallMixin._b_int, "float": CallMixin._b_float, "str": CallMixin._b_str, "bool": CallMixin._b_bool,
        "abs": CallMixin._b_abs, "min": CallMixin._b_min, "max": CallMixin._b_max, "sum": CallMixin._b_sum, "sorted": CallMixin._b_sorted,
        "reversed": CallMixin._b_reversed, "range": CallMixin._b_range, "enumerate": CallMixin._b_enumerate, "zip": CallMixin._b_zip,
        "map": CallMixin._b_map, "filter": CallMixin._b_filter, "list": CallMixin._b_list, "tuple": CallMixin._b_tuple, "set": CallMixin._b_set,
        "frozenset": CallMixin._b_set, "dict": CallMixin._b_dict, "ord": CallMixin._b_ord, "chr": CallMixin._b_chr, "any": CallMixin._b_any,
        "all": CallMixin._b_all, "round": CallMixin._b_round, "divmod": CallMixin._b_divmod, "pow": CallMixin._b_pow,
        "isinstance": CallMixin._b_isinstance, "bin": CallMixin._b_bin, "hex": CallMixin._b_hex, "oct": CallMixin._b_oct,
        "iter": CallMixin._b_iter, "next": CallMixin._b_next,
    }

    _METHODS: ClassVar[dict[str, Callable[[Verbaliser, cst.BaseExpression, Args], Phrase | None]]] = {
        "lower": CallMixin._m_lower, "casefold": CallMixin._m_casefold, "upper": CallMixin._m_upper,
        "capitalize": CallMixin._m_capitalize, "title": CallMixin._m_title, "swapcase": CallMixin._m_swapcase,
        "strip": CallMixin._m_strip, "lstrip": CallMixin._m_lstrip, "rstrip": CallMixin._m_rstrip, "split": CallMixin._m_split,
        "rsplit": CallMixin._m_rsplit, "splitlines": CallMixin._m_splitlines, "join": CallMixin._m_join,
        "replace": CallMixin._m_replace, "count": CallMixin._m_count, "index": CallMixin._m_index, "rindex": CallMixin._m_rindex,
        "find": CallMixin._m_find, "rfind": CallMixin._m_rfind, "zfill": CallMixin._m_zfill, "ljust": CallMixin._m_ljust,
        "rjust": CallMixin._m_rjust, "center": CallMixin._m_center, "partition": CallMixin._m_partition,
        "rpartition": CallMixin._m_rpartition, "format": CallMixin._m_format, "removeprefix": CallMixin._m_removeprefix,
        "removesuffix": CallMixin._m_removesuffix, "get": CallMixin._m_get, "keys": CallMixin._m_keys, "values": CallMixin._m_values,
        "items": CallMixin._m_items, "copy": CallMixin._m_copy, "pop": CallMixin._m_pop, "bit_length": CallMixin._m_bit_length,
        "bit_count": CallMixin._m_bit_count,
        **{m: (lambda self, r, a, _m=m: self._m_predicate(r, a, _m))
           for m in STR_METHODS_BOOL | SET_METHODS_BOOL},
        **{m: (lambda self, r, a, _m=m: self._m_setop(r, a, _m)) for m in SET_METHODS_SET},
    }

    _METHOD_STMTS: ClassVar[dict[str, Callable[[Verbaliser, cst.BaseExpression, Args], str | None]]] = {
        "pop": StmtMixin._s_pop, "popitem": StmtMixin._s_popitem, "append": StmtMixin._s_append, "extend": StmtMixin._s_extend,
        "insert": StmtMixin._s_insert, "remove": StmtMixin._s_remove, "discard": StmtMixin._s_discard, "add": StmtMixin._s_add,
        "clear": StmtMixin._s_clear, "sort": StmtMixin._s_sort, "reverse": StmtMixin._s_reverse, "update": StmtMixin._s_update,
        "setdefault": StmtMixin._s_setdefault,
        "intersection_update": lambda self, r, a: self._s_set_update(r, a, "intersection"),
        "difference_update": lambda self, r, a: self._s_set_update(r, a, "difference"),
        "symmetric_difference_update": lambda self, r, a: self._s_set_update(r, a, "symmetric"),
    }

    _STMTS: ClassVar[dict[type, Callable[[Verbaliser, cst.CSTNode], str]]] = {
        cst.Assign: StmtMixin._assign, cst.AnnAssign: StmtMixin._annassign, cst.AugAssign: StmtMixin._augassign,
        cst.Expr: StmtMixin._expr_stmt, cst.Return: StmtMixin._return, cst.Del: StmtMixin._del, cst.Assert: StmtMixin._assert,
        cst.Raise: StmtMixin._raise, cst.Global: StmtMixin._scope, cst.Nonlocal: StmtMixin._scope,
        cst.Import: StmtMixin._import, cst.ImportFrom: StmtMixin._import, cst.TypeAlias: StmtMixin._type_alias,
        cst.Pass: lambda self, node: "do nothing",
        cst.Break: lambda self, node: "stop the loop",
        cst.Continue: lambda self, node: "skip to the next iteration",
    }  # type: ignore[dict-item]


__all__ = ["Verbaliser", "and_list", "capitalise", "infer_types", "sentence", "static_type",
           "value_text"]
