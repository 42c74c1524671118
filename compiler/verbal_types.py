"""Static types for the verbaliser: ``static_type`` guesses the type of an expression,
``infer_types`` the types of a rule's variables (annotations, usage, first inputs).
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from rulec.compiler.cstutil import all_params
from rulec.compiler.verbal_phrases import (
    int_literal,
    is_call_to,
    method_of,
    split_args,
)

# ---------------------------------------------------------------------------- static types

STR_METHODS_STR = frozenset((
    "lower", "upper", "casefold", "capitalize", "title", "swapcase", "strip", "lstrip",
    "rstrip", "replace", "join", "zfill", "center", "ljust", "rjust", "format", "format_map",
    "removeprefix", "removesuffix", "expandtabs", "translate"))
STR_METHODS_BOOL = frozenset((
    "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower",
    "istitle", "isnumeric", "isdecimal", "isidentifier", "isascii", "isprintable"))
SET_METHODS_BOOL = frozenset({"issubset", "issuperset", "isdisjoint"})
SET_METHODS_SET = frozenset({"union", "intersection", "difference", "symmetric_difference"})
INT_RESULT_METHODS = frozenset({"count", "find", "rfind", "index", "rindex", "bit_length",
                                "bit_count"})

# methods that tell the receiver's type (used by infer_types)
RECEIVER_TYPES: dict[str, type] = {
    **{m: list for m in ("append", "extend", "insert", "sort", "reverse")},
    **{m: set for m in ("add", "discard", "issubset", "issuperset", "isdisjoint",
                        "intersection_update", "difference_update",
                        "symmetric_difference_update", *SET_METHODS_SET)},
    **{m: dict for m in ("keys", "values", "items", "get", "setdefault", "popitem")},
    **{m: str for m in (STR_METHODS_STR | STR_METHODS_BOOL | {
        "split", "rsplit", "splitlines", "find", "rfind", "rindex", "partition",
        "rpartition", "encode"}) if m != "join"},
    "join": str,
    "bit_length": int, "bit_count": int,
}

BUILTIN_RESULT: dict[str, type] = {
    "len": int, "int": int, "float": float, "str": str, "bool": bool, "sorted": list,
    "list": list, "tuple": tuple, "dict": dict, "set": set, "frozenset": frozenset,
    "ord": int, "chr": str, "any": bool, "all": bool, "divmod": tuple, "isinstance": bool,
    "hex": str, "bin": str, "oct": str, "pow": int,
}

ANNOTATION_TYPES: dict[str, type | None] = {
    "int": int, "float": float, "str": str, "bool": bool, "list": list, "List": list,
    "Sequence": list, "MutableSequence": list, "Deque": list, "deque": list,
    "dict": dict, "Dict": dict, "Mapping": dict, "DefaultDict": dict, "defaultdict": dict,
    "Counter": dict, "OrderedDict": dict, "set": set, "Set": set, "FrozenSet": frozenset,
    "frozenset": frozenset, "tuple": tuple, "Tuple": tuple, "None": type(None),
}


def _numeric(a: type | None, b: type | None) -> type | None:
    if a in (int, bool) and b in (int, bool):
        return int
    if a in (int, float, bool) and b in (int, float, bool):
        return float
    return None


def static_type(node: cst.BaseExpression, types: dict[str, type],
                elems: dict[str, type] | None = None) -> type | None:
    """Best guess of the type of an expression, or None when unknown.

    ``elems`` maps a container variable to the type of its elements; by default it is
    read from the ``"name[]"`` keys of ``types`` (as written by ``infer_types``)."""
    if elems is None:
        elems = {k[:-2]: v for k, v in types.items() if k.endswith("[]")}
    def st(n: cst.BaseExpression) -> type | None:
        return static_type(n, types, elems)

    if isinstance(node, cst.Integer):
        return int
    if isinstance(node, cst.Float):
        return float
    if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return str
    if isinstance(node, cst.Name):
        if node.value in ("True", "False"):
            return bool
        return types.get(node.value)
    if isinstance(node, (cst.List, cst.ListComp)):
        return list
    if isinstance(node, cst.Tuple):
        return tuple
    if isinstance(node, (cst.Set, cst.SetComp)):
        return set
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return dict
    if isinstance(node, (cst.Comparison,)):
        return bool
    if isinstance(node, cst.UnaryOperation):
        if isinstance(node.operator, cst.Not):
            return bool
        if isinstance(node.operator, cst.BitInvert):
            return int
        inner = st(node.expression)
        return int if inner is bool else inner
    if isinstance(node, cst.BooleanOperation):
        left, right = st(node.left), st(node.right)
        return left if left == right else None
    if isinstance(node, cst.IfExp):
        body, orelse = st(node.body), st(node.orelse)
        return body if body == orelse or orelse is type(None) else None
    if isinstance(node, cst.BinaryOperation):
        return _binary_type(node, st(node.left), st(node.right))
    if isinstance(node, cst.Subscript):
        return _subscript_type(node, st(node.value), elems)
    if isinstance(node, cst.Call):
        return _call_type(node, st, elems)
    return None


def _binary_type(node: cst.BinaryOperation, left: type | None,
                 right: type | None) -> type | None:
    op = node.operator
    if isinstance(op, cst.Add):
        for seq in (str, list, tuple):
            if seq in (left, right):
                return seq
        return _numeric(left, right)
    if isinstance(op, cst.Multiply):
        for seq in (str, list, tuple):
            if seq in (left, right):
                return seq
        return _numeric(left, right)
    if isinstance(op, cst.Modulo) and left is str:
        return str
    if isinstance(op, (cst.Subtract, cst.BitAnd, cst.BitOr, cst.BitXor)):
        if left in (set, frozenset) or right in (set, frozenset):
            return set
        if isinstance(op, cst.BitOr) and dict in (left, right):
            return dict
        if isinstance(op, cst.Subtract):
            return _numeric(left, right)
        return int if left in (int, bool) or right in (int, bool) else None
    if isinstance(op, cst.Divide):
        return float
    if isinstance(op, (cst.FloorDivide, cst.Modulo, cst.Power)):
        exponent = int_literal(node.right)
        if isinstance(op, cst.Power) and left in (int, None) and exponent is not None:
            return int if exponent >= 0 else float
        num = _numeric(left, right)
        if num is None and (isinstance(node.right, cst.Integer) or isinstance(node.left,
                                                                               cst.Integer)):
            return int if left is None or right is None else None
        return num
    if isinstance(op, (cst.LeftShift, cst.RightShift)):
        return int
    return None


def _subscript_type(node: cst.Subscript, container: type | None,
                    elems: dict[str, type]) -> type | None:
    if len(node.slice) != 1:
        return None
    sl = node.slice[0].slice
    if isinstance(sl, cst.Slice):
        return container if container in (str, list, tuple) else None
    if container is str:
        return str
    if container in (list, tuple) and isinstance(node.value, cst.Name):
        return elems.get(node.value.value)
    return None


def _call_type(node: cst.Call, st: Callable[[cst.BaseExpression], type | None],
               elems: dict[str, type]) -> type | None:
    func = node.func
    args = split_args(node)
    if isinstance(func, cst.Name):
        name = func.value
        if name in BUILTIN_RESULT:
            return BUILTIN_RESULT[name]
        if name == "abs" and args.pos:
            return st(args.pos[0])
        if name == "round":
            return int if len(args.pos) == 1 else float
        if name == "sum":
            return int
        if name in ("min", "max") and args.pos:
            if len(args.pos) > 1:
                return st(args.pos[0])
            seq = args.pos[0]
            if st(seq) is str:
                return str
            if isinstance(seq, cst.Name):
                return elems.get(seq.value)
        return None
    found = method_of(node)
    if found is None:
        return None
    recv, meth = found
    recv_type = st(recv)
    if meth in STR_METHODS_STR:
        return str
    if meth in STR_METHODS_BOOL or meth in SET_METHODS_BOOL:
        return bool
    if meth in ("split", "rsplit", "splitlines"):
        return list
    if meth in INT_RESULT_METHODS:
        return int
    if meth in SET_METHODS_SET:
        return set
    if meth in ("partition", "rpartition"):
        return tuple
    if meth == "copy":
        return recv_type
    if meth == "pop" and recv_type in (list, tuple) and isinstance(recv, cst.Name):
        return elems.get(recv.value)
    return None


# ---------------------------------------------------------------------------- infer_types

def _annotation_type(node: cst.BaseExpression) -> tuple[type | None, type | None]:
    """(type, element type) of an annotation: `List[int]` -> (list, int)."""
    if isinstance(node, cst.SimpleString):
        try:
            return _annotation_type(cst.parse_expression(str(node.evaluated_value)))
        except cst.ParserSyntaxError:
            return None, None
    if isinstance(node, cst.Name):
        return ANNOTATION_TYPES.get(node.value), None
    if isinstance(node, cst.Attribute):
        return ANNOTATION_TYPES.get(node.attr.value), None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _annotation_type(node.left), _annotation_type(node.right)
        return right if left[0] is type(None) else left
    if isinstance(node, cst.Subscript):
        base, _ = _annotation_type(node.value)
        inner = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        name = node.value.value if isinstance(node.value, cst.Name) else (
            node.value.attr.value if isinstance(node.value, cst.Attribute) else "")
        if name == "Optional" and inner:
            return _annotation_type(inner[0])
        if name == "Union" and inner:
            options = [_annotation_type(i) for i in inner]
            options = [o for o in options if o[0] is not type(None)]
            return options[0] if options else (None, None)
        if base in (list, set, frozenset) and inner:
            return base, _annotation_type(inner[0])[0]
        return base, None
    return None, None


class _Evidence:
    """Variable -> (priority, type) with the highest priority kept (first seen on ties)."""

    def __init__(self) -> None:
        self.types: dict[str, tuple[int, type]] = {}
        self.elems: dict[str, tuple[int, type]] = {}
        self.changed = False

    def add(self, name: str, tp: type | None, prio: int, *, elem: bool = False) -> None:
        table = self.elems if elem else self.types
        if tp is None or tp is type(None) or name in ("self", "_"):
            return
        if name not in table or table[name][0] < prio:
            table[name] = (prio, tp)
            self.changed = True

    def env(self) -> dict[str, type]:
        return {k: v for k, (_, v) in self.types.items()}

    def elem_env(self) -> dict[str, type]:
        return {k: v for k, (_, v) in self.elems.items()}


_ANNOTATED, _STRONG, _WEAK = 3, 2, 1


class _UsageVisitor(cst.CSTVisitor):
    """One pass of type evidence from usage."""

    def __init__(self, ev: _Evidence, return_type: tuple[type | None, type | None]) -> None:
        self.ev = ev
        self.return_type = return_type

    def _type(self, node: cst.BaseExpression) -> type | None:
        return static_type(node, self.ev.env(), self.ev.elem_env())

    def _elem_of(self, node: cst.BaseExpression) -> type | None:
        tp = self._type(node)
        if tp is str:
            return str
        if isinstance(node, cst.Name):
            return self.ev.elem_env().get(node.value)
        if is_call_to(node, "range"):
            return int
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and (
                node.func.value in ("sorted", "reversed", "list", "set", "tuple")):
            args = split_args(node)
            return self._elem_of(args.pos[0]) if args.pos else None
        return None

    def _bind(self, target: cst.BaseExpression, tp: type | None, prio: int) -> None:
        if isinstance(target, cst.Name):
            self.ev.add(target.value, tp, prio)

    def _bind_value(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
            if len(target.elements) == len(value.elements):
                for t, v in zip(target.elements, value.elements):
                    self._bind_value(t.value, v.value)
            return
        if isinstance(target, (cst.Tuple, cst.List)) and is_call_to(value, "divmod"):
            for t in target.elements:
                self._bind(t.value, int, _STRONG)
            return
        self._bind(target, self._type(value), _STRONG)
        if isinstance(target, cst.Name):
            if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
                if isinstance(value.left, cst.List) and len(value.left.elements) == 1:
                    self.ev.add(target.value, self._type(value.left.elements[0].value), _STRONG,
                                elem=True)
            elif isinstance(value, (cst.List, cst.Set)) and value.elements:
                kinds = {self._type(e.value) for e in value.elements}
                if len(kinds) == 1:
                    self.ev.add(target.value, kinds.pop(), _STRONG, elem=True)
            elif isinstance(value, cst.Call) and self._type(value) is not str:
                self.ev.add(target.value, self._elem_of(value), _WEAK, elem=True)

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._bind_value(t.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        tp, elem = _annotation_type(node.annotation.annotation)
        if isinstance(node.target, cst.Name):
            self.ev.add(node.target.value, tp, _ANNOTATED)
            self.ev.add(node.target.value, elem, _ANNOTATED, elem=True)
        if node.value is not None:
            self._bind_value(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        value_type = self._type(node.value)
        op = node.operator
        if isinstance(op, (cst.FloorDivideAssign, cst.ModuloAssign, cst.LeftShiftAssign,
                           cst.RightShiftAssign)):
            self._bind(node.target, float if value_type is float else int, _STRONG)
        elif isinstance(op, (cst.AddAssign, cst.SubtractAssign)):
            self._bind(node.target, value_type if value_type is not bool else int, _STRONG)
        elif isinstance(op, cst.MultiplyAssign) and value_type in (int, float):
            self._bind(node.target, value_type, _WEAK)
        elif isinstance(op, cst.DivideAssign):
            self._bind(node.target, float, _STRONG)
        if (isinstance(op, cst.AddAssign) and isinstance(node.target, cst.Name)
                and isinstance(node.value, cst.List) and len(node.value.elements) == 1):
            self.ev.add(node.target.value, self._type(node.value.elements[0].value),
                        _WEAK, elem=True)

    def visit_Call(self, node: cst.Call) -> None:
        found = method_of(node)
        args = split_args(node)
        if found is not None:
            recv, meth = found
            if isinstance(recv, cst.Name) and meth in RECEIVER_TYPES:
                self.ev.add(recv.value, RECEIVER_TYPES[meth], _STRONG)
            if isinstance(recv, cst.Name) and meth == "pop" and args.pos:
                # list.pop(i) or dict.pop(key): both are "empty" when falsy, so list will do
                self.ev.add(recv.value, list, _WEAK)
            if meth == "join" and args.pos and isinstance(args.pos[0], cst.Name):
                self.ev.add(args.pos[0].value, list, _WEAK)
                self.ev.add(args.pos[0].value, str, _WEAK, elem=True)
            if meth in ("append", "add", "insert") and isinstance(recv, cst.Name) and args.pos:
                self.ev.add(recv.value, self._type(args.pos[-1]), _WEAK, elem=True)
            return
        if isinstance(node.func, cst.Name) and args.pos and isinstance(args.pos[0], cst.Name):
            first = args.pos[0].value
            hint = {"ord": str, "chr": int, "range": int, "bin": int, "hex": int,
                    "oct": int}.get(node.func.value)
            self.ev.add(first, hint, _WEAK)
            if node.func.value == "range":
                for a in args.pos[1:]:
                    if isinstance(a, cst.Name):
                        self.ev.add(a.value, int, _WEAK)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        int_ops = (cst.FloorDivide, cst.Modulo, cst.Add, cst.Subtract, cst.Power, cst.LeftShift,
                   cst.RightShift)
        if (isinstance(node.left, cst.Name) and isinstance(node.right, cst.Integer)
                and isinstance(node.operator, int_ops)):
            self.ev.add(node.left.value, int, _WEAK)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for ct in node.comparisons:
            right = ct.comparator
            if isinstance(ct.operator, (cst.LessThan, cst.LessThanEqual, cst.GreaterThan,
                                        cst.GreaterThanEqual, cst.Equal, cst.NotEqual)):
                for a, b in ((left, right), (right, left)):
                    if isinstance(a, cst.Name) and isinstance(b, (cst.Integer, cst.SimpleString,
                                                                  cst.Float)):
                        self.ev.add(a.value, self._type(b), _WEAK)
            left = right

    def _bind_loop(self, target: cst.BaseExpression, it: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._bind(target, self._elem_of(it), _STRONG)
            return
        if not isinstance(target, (cst.Tuple, cst.List)):
            return
        parts = [e.value for e in target.elements]
        if is_call_to(it, "enumerate") and len(parts) == 2:
            args = split_args(it)  # type: ignore[arg-type]
            self._bind(parts[0], int, _STRONG)
            if args.pos:
                self._bind(parts[1], self._elem_of(args.pos[0]), _STRONG)
        elif is_call_to(it, "zip"):
            args = split_args(it)  # type: ignore[arg-type]
            for t, seq in zip(parts, args.pos):
                self._bind(t, self._elem_of(seq), _STRONG)

    def visit_For(self, node: cst.For) -> None:
        self._bind_loop(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_loop(node.target, node.iter)

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name):
            self.ev.add(node.value.value, self.return_type[0], _STRONG)
            self.ev.add(node.value.value, self.return_type[1], _STRONG, elem=True)




def infer_types(func: cst.FunctionDef,
                samples: dict[str, object] | None = None) -> dict[str, type]:
    """Types of the rule's variables: from annotations, the first inputs, and usage.

    Annotations and samples win over usage; usage is iterated to a fixed point, so
    `x = 0` then `y = x + 1` types both. When the elements of a list or set variable have
    one known type it is recorded under ``"<name>[]"`` (`nums: List[int]` gives
    ``{"nums": list, "nums[]": int}``); ``Verbaliser`` reads those keys for `nums[i]`.
    """
    ev = _Evidence()
    for param in all_params(func.params):
        name = param.name.value
        if param.annotation is not None:
            tp, elem = _annotation_type(param.annotation.annotation)
            ev.add(name, tp, _ANNOTATED)
            ev.add(name, elem, _ANNOTATED, elem=True)
    for name, value in (samples or {}).items():
        ev.add(name, type(value), _ANNOTATED)
        if isinstance(value, (list, tuple, set, frozenset)) and value:
            kinds = {type(v) for v in value}
            if len(kinds) == 1:
                ev.add(name, kinds.pop(), _ANNOTATED, elem=True)
    returns = (_annotation_type(func.returns.annotation) if func.returns is not None
               else (None, None))
    for _ in range(6):
        ev.changed = False
        func.body.visit(_UsageVisitor(ev, returns))
        if not ev.changed:
            break
    return {**ev.env(), **{f"{k}[]": v for k, v in ev.elem_env().items()}}
