"""Sign inference: which expressions of a rule are provably never negative.

The verbaliser says "the last digit of n" for `n % 10` only where n is provably a
non-negative integer (for n = -13, Python's `n % 10` is 7, not the last digit 3).
``nonneg_nodes(func)`` returns the ids of the expression nodes (left operands of `%`)
proven non-negative at their place in the function:

1. *preserving* names: every binding of the name, except the parameter's initial value,
   gives a non-negative value when the names it reads are non-negative (an optimistic
   fixed point: start from all names, drop a name whose binding may be negative, repeat);
2. a preserving name that is not a parameter is non-negative everywhere (its first
   binding already is);
3. a preserving name is non-negative inside the body of a `while`/`if` whose test (or a
   conjunct of it) says it is greater than (or at least) a non-negative value: the test
   held on entry, and no binding can make it negative afterwards.

Non-negative expressions: literals >= 0, true/false, `len`, `abs`, `ord`, non-negative
names, `a + b`, `a * b`, `a // b`, `a ** b` of non-negative operands, `a % b` with a
non-negative `b` (Python's remainder has the sign of the divisor), `max` with one
non-negative argument, `min` with all, conditional expressions with both arms.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

_NONNEG_CALLS = frozenset({"len", "abs", "ord"})
_NONNEG_METHODS = frozenset({"index", "bit_length", "bit_count", "count"})


def _int_value(node: cst.BaseExpression) -> int | None:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.expression, cst.Integer):
        value = int(node.expression.evaluated_value)
        return -value if isinstance(node.operator, cst.Minus) else value
    return None


def nonneg(node: cst.BaseExpression, names: set[str]) -> bool:
    """True if ``node`` is never negative when every name in ``names`` is non-negative."""
    value = _int_value(node)
    if value is not None:
        return value >= 0
    if isinstance(node, cst.Name):
        return node.value in names or node.value in ("True", "False")
    if isinstance(node, cst.BinaryOperation):
        op = node.operator
        if isinstance(op, cst.Modulo):
            return nonneg(node.right, names)
        if isinstance(op, (cst.Add, cst.Multiply, cst.FloorDivide, cst.Power)):
            return nonneg(node.left, names) and nonneg(node.right, names)
        return False
    if isinstance(node, cst.IfExp):
        return nonneg(node.body, names) and nonneg(node.orelse, names)
    if isinstance(node, cst.Call):
        args = [a.value for a in node.args if not a.star and a.keyword is None]
        if isinstance(node.func, cst.Name):
            fn = node.func.value
            if fn in _NONNEG_CALLS:
                return True
            if fn == "max":
                return len(args) > 1 and any(nonneg(a, names) for a in args)
            if fn == "min":
                return len(args) > 1 and all(nonneg(a, names) for a in args)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _NONNEG_METHODS:
            return True
    return False


def _range_nonneg(it: cst.BaseExpression, names: set[str]) -> bool:
    if not (isinstance(it, cst.Call) and isinstance(it.func, cst.Name)
            and it.func.value == "range"):
        return False
    args = [a.value for a in it.args]
    if len(args) == 1:
        return True
    if len(args) == 2:
        return nonneg(args[0], names)
    step = _int_value(args[2]) if len(args) == 3 else None
    return len(args) == 3 and step is not None and step > 0 and nonneg(args[0], names)


class _Bindings(cst.CSTVisitor):
    """Every binding of a plain name: (name, kind, node)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, cst.CSTNode]] = []
        self.opaque: set[str] = set()  # names bound in ways not analysed

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            if isinstance(t.target, cst.Name):
                self.found.append((t.target.value, "assign", node.value))
            else:
                self._opaque(t.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self.found.append((node.target.value, "assign", node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.found.append((node.target.value, "aug", node))

    def visit_For(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name):
            self.found.append((node.target.value, "for", node.iter))
        else:
            self._opaque(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self.found.append((node.target.value, "assign", node.value))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._opaque(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._opaque(node.name)

    def _opaque(self, target: cst.CSTNode) -> None:
        class _Names(cst.CSTVisitor):
            def visit_Name(inner, n: cst.Name) -> None:  # noqa: N805
                self.opaque.add(n.value)

        target.visit(_Names())


_AUG_AS_BINARY = {
    cst.AddAssign: cst.Add, cst.MultiplyAssign: cst.Multiply,
    cst.FloorDivideAssign: cst.FloorDivide, cst.PowerAssign: cst.Power,
    cst.ModuloAssign: cst.Modulo,
}


def _binding_nonneg(kind: str, node: cst.CSTNode, name: str, names: set[str]) -> bool:
    if kind == "assign":
        return nonneg(node, names)  # type: ignore[arg-type]
    if kind == "for":
        return _range_nonneg(node, names)  # type: ignore[arg-type]
    aug: cst.AugAssign = node  # type: ignore[assignment]
    op = _AUG_AS_BINARY.get(type(aug.operator))
    if op is None:
        return False
    return nonneg(cst.BinaryOperation(cst.Name(name), op(), aug.value), names)


def _guarded(test: cst.BaseExpression, names: set[str]) -> set[str]:
    """Names that ``test`` (or a conjunct of it) says are greater than / at least a
    non-negative value."""
    out: set[str] = set()
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _guarded(test.left, names) | _guarded(test.right, names)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        left, ct = test.left, test.comparisons[0]
        right, op = ct.comparator, ct.operator
        if isinstance(op, (cst.GreaterThan, cst.GreaterThanEqual)) and isinstance(left, cst.Name):
            if nonneg(right, names):
                out.add(left.value)
        if isinstance(op, (cst.LessThan, cst.LessThanEqual)) and isinstance(right, cst.Name):
            if nonneg(left, names):
                out.add(right.value)
    return out


def nonneg_nodes(func: cst.FunctionDef) -> set[int]:
    """Ids of the left operands of `%` in ``func`` proven non-negative where they stand."""
    b = _Bindings()
    func.body.visit(b)
    params = {p.name.value for p in (*func.params.params, *func.params.posonly_params,
                                     *func.params.kwonly_params)}
    star = func.params.star_arg
    if isinstance(star, cst.Param):
        params.add(star.name.value)
    if func.params.star_kwarg is not None:
        params.add(func.params.star_kwarg.name.value)
    bound = {n for n, _, _ in b.found} | params
    preserving = bound - b.opaque
    while True:
        drop = {n for n, kind, node in b.found
                if n in preserving and not _binding_nonneg(kind, node, n, preserving)}
        if not drop:
            break
        preserving -= drop
    always = preserving - params
    proven: set[int] = set()

    def walk(node: cst.CSTNode, guarded: set[str]) -> None:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            if nonneg(node.left, always | (guarded & preserving)):
                proven.add(id(node.left))
        if isinstance(node, (cst.While, cst.If)):
            walk(node.test, guarded)
            inner = guarded | (_guarded(node.test, always | guarded) & preserving)
            walk(node.body, inner)
            if node.orelse is not None:
                walk(node.orelse, guarded)
            return
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) and node is not func:
            return  # a nested scope: its names are not these
        for child in node.children:
            walk(child, guarded)

    walk(func.body, set())
    return proven


def char_names(func: cst.FunctionDef, is_text: Callable[[cst.BaseExpression], bool]) -> set[str]:
    """Names bound only by `for name in <text>` (so they always hold one character)."""
    b = _Bindings()
    func.body.visit(b)
    ok: dict[str, bool] = {}
    for name, kind, node in b.found:
        ok[name] = ok.get(name, True) and kind == "for" and is_text(node)  # type: ignore[arg-type]
    return {n for n, good in ok.items() if good and n not in b.opaque}


_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
                       "add", "discard", "update", "setdefault", "popitem",
                       "intersection_update", "difference_update",
                       "symmetric_difference_update"})


def mutated_names(func: cst.FunctionDef) -> set[str]:
    """Names whose value is changed in place somewhere in ``func`` (`x.append(...)`,
    `x[i] = ...`, `del x[i]`, `x += [...]`): if such a name shares its value with
    another, a change through one shows through the other."""
    found: set[str] = set()

    class _V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            f = node.func
            if isinstance(f, cst.Attribute) and isinstance(f.value, cst.Name) and (
                    f.attr.value in _MUTATORS):
                found.add(f.value.value)

        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                if isinstance(t.target, cst.Subscript) and isinstance(t.target.value, cst.Name):
                    found.add(t.target.value.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            t = node.target
            if isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name):
                found.add(t.value.value)
            elif isinstance(t, cst.Name) and isinstance(node.value, (cst.List, cst.ListComp)):
                found.add(t.value)

        def visit_Del(self, node: cst.Del) -> None:
            t = node.target
            if isinstance(t, cst.Subscript) and isinstance(t.value, cst.Name):
                found.add(t.value.value)

    func.body.visit(_V())
    return found


def alias_of(target: cst.BaseExpression, value: cst.BaseExpression,
             mutated: set[str]) -> cst.BaseExpression | None:
    """For `x = y` or `x = c[i]` where x is changed in place later: the container whose
    value x shares (y, or c), else None."""
    if not (isinstance(target, cst.Name) and target.value in mutated):
        return None
    if isinstance(value, cst.Name) and value.value not in ("True", "False", "None"):
        return value
    if isinstance(value, cst.Subscript) and len(value.slice) == 1 and isinstance(
            value.slice[0].slice, cst.Index):
        root = value.value
        while isinstance(root, cst.Subscript):
            root = root.value
        return root
    return None


__all__ = ["alias_of", "char_names", "mutated_names", "nonneg", "nonneg_nodes"]
