"""Rewrite a rule's statements into instrumented Python that records its own working.

Every interesting sub-expression becomes a call of a probe function that computes
the value natively and records what the trace shows: ``a % 10`` becomes
``__rc_bin__(k, a, 10)``, an ``if`` test ``__rc_test__(k, arm, test)``, ``x += e``
``x = __rc_aug__(k, x, e)``. Inside lambdas and comprehensions (evaluated as one
expression) only the size guards are inserted. Probe names are dunders, which a
rule itself can never write, so a rule cannot reach them.
"""

from __future__ import annotations

import operator

import libcst as cst

from rulec.compiler.cstutil import code_of, is_scalar_literal
from rulec.compiler.ir import AUG, BIN, CMP, TEST, VAL, Probe
from rulec.compiler.sandbox import GROWING_CODES, GUARDED_CODES, guarded_binop
from rulec.compiler.subset import FORMAT_METHODS

BINOPS: dict[type, tuple[str, object]] = {
    cst.Add: ("+", operator.add),
    cst.Subtract: ("-", operator.sub),
    cst.Multiply: ("*", operator.mul),
    cst.Divide: ("/", operator.truediv),
    cst.FloorDivide: ("//", operator.floordiv),
    cst.Modulo: ("%", operator.mod),
    cst.Power: ("**", operator.pow),
    cst.LeftShift: ("<<", operator.lshift),
    cst.RightShift: (">>", operator.rshift),
    cst.BitOr: ("|", operator.or_),
    cst.BitAnd: ("&", operator.and_),
    cst.BitXor: ("^", operator.xor),
    cst.MatrixMultiply: ("@", operator.matmul),
}
AUGOPS: dict[type, tuple[str, object]] = {
    cst.AddAssign: ("+", operator.iadd),
    cst.SubtractAssign: ("-", operator.isub),
    cst.MultiplyAssign: ("*", operator.imul),
    cst.DivideAssign: ("/", operator.itruediv),
    cst.FloorDivideAssign: ("//", operator.ifloordiv),
    cst.ModuloAssign: ("%", operator.imod),
    cst.PowerAssign: ("**", operator.ipow),
    cst.LeftShiftAssign: ("<<", operator.ilshift),
    cst.RightShiftAssign: (">>", operator.irshift),
    cst.BitOrAssign: ("|", operator.ior),
    cst.BitAndAssign: ("&", operator.iand),
    cst.BitXorAssign: ("^", operator.ixor),
    cst.MatrixMultiplyAssign: ("@", operator.imatmul),
}


def _contains(a, b):
    return a in b


def _not_contains(a, b):
    return a not in b


CMPOPS: dict[type, tuple[str, str, object]] = {
    cst.Equal: ("==", "!=", operator.eq),
    cst.NotEqual: ("!=", "==", operator.ne),
    cst.LessThan: ("<", ">=", operator.lt),
    cst.LessThanEqual: ("<=", ">", operator.le),
    cst.GreaterThan: (">", "<=", operator.gt),
    cst.GreaterThanEqual: (">=", "<", operator.ge),
    cst.In: ("in", "not in", _contains),
    cst.NotIn: ("not in", "in", _not_contains),
    cst.Is: ("is", "is not", operator.is_),
    cst.IsNot: ("is not", "is", operator.is_not),
}

_OPAQUE = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)




def _call(name: str, *args: cst.BaseExpression | cst.Arg) -> cst.Call:
    # parenthesised: the call may replace a parenthesised expression written with no space
    # before it (`if(c.islower()):`, `not(a == b)`, `for c in(s)`), which libcst would refuse
    return cst.Call(
        func=cst.Name(name),
        args=[a if isinstance(a, cst.Arg) else cst.Arg(a) for a in args],
        lpar=[cst.LeftParen()],
        rpar=[cst.RightParen()],
    )


def _parenthesized(arg: cst.Arg) -> cst.Arg:
    value = arg.value
    if isinstance(value, cst.GeneratorExp) and not value.lpar:
        return arg.with_changes(value=value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
    return arg


def _int(k: int) -> cst.Integer:
    return cst.Integer(str(k))




def is_pure_index(node: cst.CSTNode) -> bool:
    """An expression safe to evaluate twice: names, literals and arithmetic on them."""
    if isinstance(node, cst.Name) or is_scalar_literal(node):
        return True
    if isinstance(node, cst.UnaryOperation):
        return is_pure_index(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return is_pure_index(node.left) and is_pure_index(node.right)
    if isinstance(node, cst.Subscript):
        return is_pure_index(node.value) and all(
            isinstance(e.slice, cst.Index) and is_pure_index(e.slice.value) for e in node.slice
        )
    return False


_BUILDERS = frozenset({"list", "tuple", "set", "frozenset", "dict"})
_CONVERSIONS = {"r": 1, "s": 2, "a": 3}  # f-string `!r`, `!s`, `!a`: ints (no quotes inside a field)


class Instrumenter(cst.CSTTransformer):
    """Instruments the statements of one step; appends its probes to ``probes``."""

    def __init__(self, probes: list[Probe], functions: set[str], has_self: bool):
        super().__init__()
        self.probes = probes
        self.functions = functions
        self.has_self = has_self
        self.opaque = 0
        self.toplevel: set[int] = set()  # ids of nodes whose value the trace shows elsewhere
        self.in_after: dict[int, str] = {}  # id(BinOp RHS) -> target name
        self.tests: dict[int, tuple[int, int]] = {}  # id(If) -> (probe, arm)
        self.stmt_probe: dict[int, int] = {}  # id(original small statement) -> probe in its after line
        self.value_owner: dict[int, int] = {}  # id(BinOp RHS) -> id(its Assign)

    def probe(self, **kw) -> int:
        self.probes.append(Probe(**kw))
        return len(self.probes) - 1

    # -- preparation -----------------------------------------------------------
    def mark_statement(self, stmt: cst.CSTNode) -> None:
        """Note which values a statement's own rendering shows (so no working line repeats them)."""
        if isinstance(stmt, cst.Expr):
            self.toplevel.add(id(stmt.value))
        elif isinstance(stmt, cst.Assign):
            self.toplevel.add(id(stmt.value))
            if (
                len(stmt.targets) == 1
                and isinstance(stmt.targets[0].target, cst.Name)
                and isinstance(stmt.value, cst.BinaryOperation)
            ):
                self.in_after[id(stmt.value)] = stmt.targets[0].target.value
                self.value_owner[id(stmt.value)] = id(stmt)
        elif isinstance(stmt, cst.AnnAssign) and stmt.value is not None:
            self.toplevel.add(id(stmt.value))
        elif isinstance(stmt, cst.Return) and stmt.value is not None:
            self.toplevel.add(id(stmt.value))

    def mark_chain(self, node: cst.If) -> int:
        chain = []  # libcst nests each elif as an If in the orelse of the previous arm
        cur: cst.CSTNode | None = node
        while isinstance(cur, cst.If):
            chain.append(cur)
            cur = cur.orelse
        has_else = isinstance(cur, cst.Else)
        k = self.probe(kind=TEST, src=code_of(node.test), arms=len(chain), has_else=has_else, node=node)
        for i, arm in enumerate(chain):
            self.tests[id(arm)] = (k, i)
        return k

    # -- opaque scopes ---------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _OPAQUE):
            self.opaque += 1
        return True

    def on_leave(self, original_node, updated_node):
        if isinstance(original_node, _OPAQUE):
            self.opaque -= 1
        return super().on_leave(original_node, updated_node)

    # -- expressions -----------------------------------------------------------
    def leave_BinaryOperation(self, original: cst.BinaryOperation, updated: cst.BinaryOperation):
        op_type = type(original.operator)
        symbol, func = BINOPS[op_type]
        if self.opaque:
            if symbol in GUARDED_CODES:  # (an int code, not a string: this may sit inside an f-string)
                return _call("__rc_guard__", _int(GUARDED_CODES[symbol]), updated.left, updated.right)
            return updated
        target = self.in_after.get(id(original), "")
        k = self.probe(
            kind=BIN,
            src=code_of(original),
            op=symbol,
            # a step's `+` results are size-checked by the probe (``Runtime._bin``)
            func=func if symbol == "+" else guarded_binop(symbol, func),
            in_after=bool(target),
            target=target,
            node=original,
        )
        if target:
            self.stmt_probe[self.value_owner[id(original)]] = k
        return _call("__rc_bin__", _int(k), updated.left, updated.right)

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison):
        if self.opaque:
            return updated
        if len(original.comparisons) == 1:
            sym, neg, func = CMPOPS[type(original.comparisons[0].operator)]
            k = self.probe(kind=CMP, src=code_of(original), op=sym, negated=neg, func=func, node=original)
            return _call("__rc_cmp__", _int(k), updated.left, updated.comparisons[0].comparator)
        k = self.probe(kind=VAL, src=code_of(original), node=original)
        return _call("__rc_val__", _int(k), updated.with_changes(lpar=[], rpar=[]))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute):
        if self.has_self and isinstance(updated.value, cst.Name) and updated.value.value == "self":
            return cst.Name(updated.attr.value)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call):
        func = updated.func
        if isinstance(func, cst.Attribute) and (func.attr.value in FORMAT_METHODS or func.attr.value in GROWING_CODES):
            # the call gains a leading argument: a bare generator argument needs its parentheses
            updated = updated.with_changes(args=[_parenthesized(a) for a in updated.args])
            func = updated.func
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            if attr in FORMAT_METHODS:
                name = "__rc_fmt__" if attr == "format" else "__rc_fmtmap__"
                updated = cst.Call(func=cst.Name(name), args=[cst.Arg(func.value), *updated.args])
            elif attr in GROWING_CODES:
                updated = cst.Call(
                    func=cst.Name("__rc_pad__"),
                    args=[cst.Arg(_int(GROWING_CODES[attr])), cst.Arg(func.value), *updated.args],
                )
        if (
            isinstance(original.func, cst.Name)
            and original.func.value in _BUILDERS
            and original.args
            and original.func.value not in self.functions
        ):
            # `list(a for _ in range(10**5))` is checked as it is made, like a comprehension
            # (before a comparison in C, or the trace's repr of it, could blow up)
            updated = _call("__rc_comp__", updated)
        if self.opaque or id(original) in self.toplevel:
            return updated
        target = original.func
        if isinstance(target, cst.Name):
            if target.value in self.functions:
                return updated  # traced as a call of its own
            if all(is_scalar_literal(a.value) for a in original.args):
                return updated  # range(10), list(), ... : nothing to show
        elif isinstance(target, cst.Attribute):
            if (
                self.has_self
                and isinstance(target.value, cst.Name)
                and target.value.value == "self"
                and target.attr.value in self.functions
            ):
                return updated
        k = self.probe(kind=VAL, src=code_of(original), node=original)
        return _call("__rc_val__", _int(k), updated)

    def leave_CompFor(self, original: cst.CompFor, updated: cst.CompFor):
        # comprehension items count against Budgets.max_inner_items (nested comprehension bombs)
        return updated.with_changes(iter=_call("__rc_iter__", updated.iter))

    def _checked(self, original, updated):
        # a comprehension's value is size-checked as it is made: `b in [a for _ in range(10**5)]`
        # would otherwise compare against 10**5 copies of a big list inside C code
        return _call("__rc_comp__", updated)

    leave_ListComp = leave_SetComp = leave_DictComp = _checked

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda):
        return updated.with_changes(body=_call("__rc_lambda__", updated.body))

    def leave_FormattedStringExpression(self, original, updated):
        spec = updated.format_spec
        if not spec or updated.equal is not None:
            return updated  # (`=` with a spec: only literal specs, checked by the validator)
        # `f"{x!r:>{w}{z}}"` becomes `f"{__rc_fmtval__(x, 1):>{w}{z}}"`: Python resolves the
        # spec and hands it to the wrapper's ``__format__``, which checks its widths and
        # charges the result's size before building it (see ``sandbox.Formatted``)
        conversion = _CONVERSIONS.get(updated.conversion or "", 0)
        call = _call("__rc_fmtval__", updated.expression, _int(conversion))
        return updated.with_changes(expression=call, conversion=None)

    # -- statements ------------------------------------------------------------
    def leave_If(self, original: cst.If, updated: cst.If):
        where = self.tests.get(id(original))
        if where is None:
            return updated
        k, arm = where
        return updated.with_changes(test=_call("__rc_test__", _int(k), _int(arm), updated.test))

    def leave_AugAssign(self, original: cst.AugAssign, updated: cst.AugAssign):
        symbol, func = AUGOPS[type(original.operator)]
        target = original.target
        if isinstance(target, cst.Name):
            in_after = True
        elif isinstance(target, cst.Subscript) and is_pure_index(target):
            in_after = False
        else:
            return updated
        func = guarded_binop(symbol, func, in_place=True)
        k = self.probe(
            kind=AUG,
            src=code_of(original),
            op=symbol,
            func=func,
            in_after=in_after,
            target=code_of(target),
            node=original,
        )
        self.stmt_probe[id(original)] = k
        return cst.Assign(
            targets=[cst.AssignTarget(updated.target)],
            value=_call("__rc_aug__", _int(k), updated.target, updated.value),
        )

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign):
        # annotations are never evaluated (`x: List[int] = []` runs as `x = []`)
        if updated.value is None:
            return cst.Pass()
        return cst.Assign(targets=[cst.AssignTarget(updated.target)], value=updated.value)

    def leave_Return(self, original: cst.Return, updated: cst.Return):
        value = updated.value if updated.value is not None else cst.Name("None")
        if isinstance(value, cst.Tuple) and not value.lpar:  # `return a, b` is one tuple argument
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return cst.Expr(_call("__rc_ret__", value))

    def leave_Break(self, original, updated):
        return cst.Expr(_call("__rc_flow__", _int(1)))

    def leave_Continue(self, original, updated):
        return cst.Expr(_call("__rc_flow__", _int(2)))
