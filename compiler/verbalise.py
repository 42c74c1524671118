"""Verbaliser: libcst nodes of a rule -> plain English (DESIGN.md §1, "NL rule and NL trace").

``Verbaliser.expr`` turns an expression into a noun phrase ("the last digit of num"),
``cond`` into a clause ("num is greater than 9", or its negation "num is at most 9"),
``stmt`` into an imperative sentence ("Add the last digit of num to sum."), and ``header``
describes a loop or branch header. Variable names are replaced by the task's glossary
("num" -> "the number"); truthiness is spelled out by type ("lst is not empty", "num is
not 0"), with types from ``infer_types`` (annotations, usage, first inputs).

Organisation (top to bottom):

* phrases and precedence: every expression renders to a ``Phrase`` (text, precedence);
  an operand whose precedence is too low for its place is put in parentheses, so
  "(a plus b) times c" is never confused with "a plus b times c";
* static types: ``static_type`` guesses the type of an expression, ``infer_types`` the
  types of a rule's variables;
* ``Verbaliser``: expression handlers (one per node type, in ``_EXPR``), operators
  (``_BINARY``), subscripts and slices, iteration phrases ("each element x of lst"),
  builtin calls (``_BUILTINS``), method calls (``_METHODS`` for values, ``_METHOD_STMTS``
  for statements), clauses (conditions), and statements (``_STMTS``).

Nothing here raises on a valid libcst node: unknown functions, methods and attributes get
a generic wording ("the result of applying foo bar to x").
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

import libcst as cst

from rulec.compiler.stdlib_nl import attribute_phrase, call_phrase, statement_phrase

# ---------------------------------------------------------------------------- phrases

ATOM = 100  # names, literals, "the length of x", "the first element of x"
POSTFIX = 90  # "x reversed", "s in upper case", "x without its first element"
POWER = 80  # "a to the power of b"
UNARY = 75  # "negative a"
MUL = 70  # "a times b", "a divided by b"
MOD = 68  # "the remainder of a divided by b", "a divided by b, rounded down"
ADD = 60  # "a plus b", "a minus b", "a followed by b"
SHIFT = 55  # "a shifted left by b bits"
BIT = 50  # "the bitwise and of a and b"
TEST = 20  # "whether a is greater than b"
COND = 10  # "a if c, otherwise b", lambdas, comprehensions


class Phrase(NamedTuple):
    """A rendered expression and how tightly it binds (see the precedence constants)."""

    text: str
    prec: int = ATOM


@dataclass
class Clause:
    """A rendered condition. ``subject``/``pred`` are set when the clause is one
    "<subject> <predicate>" statement, so it can become "... that <predicate>"."""

    text: str
    subject: str | None = None
    pred: str | None = None
    kind: str = "atom"  # "atom", "and" or "or"


@dataclass
class Args:
    """The arguments of a call: positional, keyword, and whether any are starred."""

    pos: list[cst.BaseExpression] = field(default_factory=list)
    kw: dict[str, cst.BaseExpression] = field(default_factory=dict)
    starred: bool = False


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth")
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten")

TYPE_NOUNS: dict[type, str] = {
    int: "an integer", float: "a decimal number", str: "a text", bool: "a truth value",
    list: "a list", tuple: "a tuple", dict: "a dictionary", set: "a set",
    frozenset: "a set", type(None): "nothing",
}

# truthiness by type: (positive predicate, negative predicate)
TRUTHY: dict[type | None, tuple[str, str]] = {
    list: ("is not empty", "is empty"),
    tuple: ("is not empty", "is empty"),
    dict: ("is not empty", "is empty"),
    set: ("is not empty", "is empty"),
    frozenset: ("is not empty", "is empty"),
    str: ("is not the empty string", "is the empty string"),
    int: ("is not 0", "is 0"),
    float: ("is not 0", "is 0"),
    bool: ("is true", "is false"),
    None: ("is neither empty nor zero", "is empty or zero"),
}

# comparison operator: (positive predicate, negated predicate), without the right operand
COMPARE: dict[type, tuple[str, str]] = {
    cst.LessThan: ("is less than", "is at least"),
    cst.LessThanEqual: ("is at most", "is greater than"),
    cst.GreaterThan: ("is greater than", "is at most"),
    cst.GreaterThanEqual: ("is at least", "is less than"),
    cst.Equal: ("is equal to", "is not equal to"),
    cst.NotEqual: ("is not equal to", "is equal to"),
    cst.In: ("is in", "is not in"),
    cst.NotIn: ("is not in", "is in"),
    cst.Is: ("is the same value as", "is not the same value as"),
    cst.IsNot: ("is not the same value as", "is the same value as"),
}
# swap the operands of a comparison: `0 < x` -> `x > 0`
FLIPPED: dict[type, Callable[[], cst.BaseCompOp]] = {
    cst.LessThan: cst.GreaterThan, cst.GreaterThan: cst.LessThan,
    cst.LessThanEqual: cst.GreaterThanEqual, cst.GreaterThanEqual: cst.LessThanEqual,
    cst.Equal: cst.Equal, cst.NotEqual: cst.NotEqual,
}

EXCEPTION_WORDS: dict[str, str] = {
    "ZeroDivisionError": "a division by zero", "IndexError": "a position outside the range",
    "KeyError": "a missing key", "ValueError": "an invalid value",
    "TypeError": "a value of the wrong type", "OverflowError": "a number that is too large",
    "AssertionError": "a failed check", "StopIteration": "running out of elements",
    "ArithmeticError": "an arithmetic error", "LookupError": "a missing position or key",
    "Exception": "any error",
}

# str predicates: (positive, negative)
STR_PREDICATES: dict[str, tuple[str, str]] = {
    **{m: ("consists only of digits", "does not consist only of digits")
       for m in ("isdigit", "isdecimal", "isnumeric")},
    "isalpha": ("consists only of letters", "does not consist only of letters"),
    "isalnum": ("consists only of letters and digits",
                "does not consist only of letters and digits"),
    "isspace": ("consists only of whitespace", "does not consist only of whitespace"),
    "isascii": ("consists only of ASCII characters", "does not consist only of ASCII characters"),
    "isprintable": ("consists only of printable characters",
                    "does not consist only of printable characters"),
    "isidentifier": ("is a valid name", "is not a valid name"),
    "isupper": ("is in upper case", "is not in upper case"),
    "islower": ("is in lower case", "is not in lower case"),
    "istitle": ("is in title case", "is not in title case"),
}

# nouns for key functions: sorted(words, key=len) -> "words sorted by length"
KEY_NOUNS: dict[str, str] = {
    "len": "length", "abs": "absolute value", "int": "integer value", "str": "text",
    "float": "value", "ord": "character code", "sum": "sum", "lower": "lower-case form",
    "upper": "upper-case form", "min": "smallest element", "max": "largest element",
    "casefold": "lower-case form",
}

_ALIAS_EACH = "__each__"  # placeholder name used to phrase `map(f, xs)`, `key=f`


def words(name: str) -> str:
    """A method or attribute name as words: 'bit_length' -> 'bit length'."""
    return name.replace("_", " ").strip() or name


def and_list(items: Sequence[str], conj: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def sentence(text: str) -> str:
    """Capitalise the first word and end with a full stop."""
    text = capitalise(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."


def _has_connective(text: str) -> bool:
    """True if text has an unquoted ' and ' / ' or ' (so it needs grouping in a list)."""
    unquoted = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "", text)
    while True:
        stripped = re.sub(r"\([^()]*\)", "", unquoted)
        if stripped == unquoted:
            break
        unquoted = stripped
    return " and " in unquoted or " or " in unquoted or " nor " in unquoted


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def ordinal(n: int) -> str:
    """1 -> 'first', 11 -> '11th'."""
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def from_end(n: int) -> str:
    """1 -> 'last', 2 -> 'second-to-last'."""
    return "last" if n == 1 else f"{ordinal(n)}-to-last"


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def int_literal(node: cst.BaseExpression | None) -> int | None:
    """The value of an integer literal, also a negative one (`-1`); else None."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.expression, cst.Integer):
        value = int(node.expression.evaluated_value)
        if isinstance(node.operator, cst.Minus):
            return -value
        if isinstance(node.operator, cst.Plus):
            return value
    return None


def is_literal(node: cst.CSTNode) -> bool:
    """True for constants and containers of constants (printed as Python values)."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.ConcatenatedString):
        return is_literal(node.left) and is_literal(node.right)
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and isinstance(
            node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(isinstance(e, cst.Element) and is_literal(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and is_literal(e.key) and is_literal(e.value)
                   for e in node.elements)
    return False


def literal_value(node: cst.BaseExpression) -> object:
    return ast.literal_eval(code_of(node).strip())


def value_text(value: object) -> str:
    """A Python constant as English: containers keep their Python look ("the list [1, 2]")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if value else "the empty string"
    if isinstance(value, (list, tuple, set, dict)) and not value:
        return {list: "an empty list", tuple: "an empty tuple", set: "an empty set",
                dict: "an empty dictionary"}[type(value)]
    if isinstance(value, list):
        return f"the list {value!r}"
    if isinstance(value, tuple):
        return f"the tuple {value!r}"
    if isinstance(value, set):
        return f"the set {value!r}"
    if isinstance(value, dict):
        return f"the dictionary {value!r}"
    return repr(value)


def same_code(a: cst.CSTNode, b: cst.CSTNode) -> bool:
    return code_of(a).strip() == code_of(b).strip()


def split_args(call: cst.Call) -> Args:
    args = Args()
    for arg in call.args:
        if arg.star:
            args.starred = True
        elif arg.keyword is not None:
            args.kw[arg.keyword.value] = arg.value
        else:
            args.pos.append(arg.value)
    return args


def target_names(node: cst.CSTNode) -> list[str]:
    """The plain variable names bound by an assignment/loop target."""
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in target_names(e.value)]
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    return []


def names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class _V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(_V())
    return found


def is_call_to(node: cst.CSTNode, name: str) -> bool:
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)
            and node.func.value == name)


def method_of(node: cst.CSTNode) -> tuple[cst.BaseExpression, str] | None:
    """(receiver, method name) if node is a method call `x.m(...)`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.value, node.func.attr.value
    return None


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


def _all_params(func: cst.FunctionDef) -> list[cst.Param]:
    p = func.params
    star = [p.star_arg] if isinstance(p.star_arg, cst.Param) else []
    star_kw = [p.star_kwarg] if p.star_kwarg is not None else []
    return [*p.posonly_params, *p.params, *star, *p.kwonly_params, *star_kw]


def infer_types(func: cst.FunctionDef,
                samples: dict[str, object] | None = None) -> dict[str, type]:
    """Types of the rule's variables: from annotations, the first inputs, and usage.

    Annotations and samples win over usage; usage is iterated to a fixed point, so
    `x = 0` then `y = x + 1` types both. When the elements of a list or set variable have
    one known type it is recorded under ``"<name>[]"`` (`nums: List[int]` gives
    ``{"nums": list, "nums[]": int}``); ``Verbaliser`` reads those keys for `nums[i]`.
    """
    ev = _Evidence()
    for param in _all_params(func):
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


# ---------------------------------------------------------------------------- the verbaliser

class Verbaliser:
    """Render libcst nodes of a rule as English (see the module docstring)."""

    imported: ClassVar[dict[str, object]] = {}  # the rule file's imports (Program.imported)

    def __init__(self, glossary: dict[str, str] | None = None,
                 types: dict[str, type] | None = None) -> None:
        self.glossary: dict[str, str] = dict(glossary or {})
        self.types: dict[str, type] = dict(types or {})
        self._aliases: dict[str, str] = {}

    # ------------------------------------------------------------------ public API

    def name(self, name: str) -> str:
        """The glossary noun phrase for a variable, or the variable name itself."""
        if name in self._aliases:
            return self._aliases[name]
        return self.glossary.get(name, name)

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

    # ------------------------------------------------------------------ helpers

    def type_of(self, node: cst.BaseExpression) -> type | None:
        return static_type(node, self.types)

    def _p(self, node: cst.BaseExpression) -> Phrase:
        handler = self._EXPR.get(type(node))
        if handler is None:
            return Phrase(f"the value {code_of(node).strip()!r}", ATOM)
        return handler(self, node)

    def _at(self, node: cst.BaseExpression, min_prec: int) -> str:
        """Text of node, in parentheses if it binds less tightly than ``min_prec``."""
        return self._wrap(self._p(node), min_prec)

    @staticmethod
    def _wrap(ph: Phrase, min_prec: int) -> str:
        return ph.text if ph.prec >= min_prec else f"({ph.text})"

    def _tail(self, node: cst.BaseExpression) -> str:
        """An operand at the end of a phrase ("the length of X")."""
        return self._at(node, POSTFIX)

    def _mid(self, node: cst.BaseExpression) -> str:
        """An operand inside a phrase ("the element of X at position i")."""
        return self._at(node, ATOM)

    def _item(self, node: cst.BaseExpression) -> str:
        """An element of an 'a, b and c' list."""
        ph = self._p(node)
        if ph.prec < ADD or " and " in ph.text:
            return f"({ph.text})"
        return ph.text

    def _items(self, nodes: Sequence[cst.BaseExpression], conj: str = "and") -> str:
        return and_list([self._item(n) for n in nodes], conj)

    def _position(self, node: cst.BaseExpression) -> str:
        """'position i', 'position (i plus 1)'."""
        text = self.expr(node)
        return f"position {text}" if " " not in text else f"position ({text})"

    def _noun(self, node: cst.BaseExpression) -> str:
        """What the elements of a sequence are called."""
        return "character" if self.type_of(node) is str else "element"

    def _label(self, target: cst.BaseExpression, noun: str) -> str:
        """'element x', or 'digit' for a target glossed as 'the digit'."""
        if isinstance(target, cst.Name) and target.value in self.glossary:
            phrase = self.glossary[target.value]
            for article in ("the ", "a ", "an "):
                if phrase.startswith(article):
                    return phrase[len(article):]
            return f"{noun} {phrase}"
        if isinstance(target, cst.Name) and target.value == "_":
            return noun
        return f"{noun} {self._target(target)}".strip()

    def _bare_label(self, target: cst.BaseExpression) -> str:
        """'x', or 'digit' for a target glossed as 'the digit'."""
        return self._label(target, "").strip()

    def _with_alias(self, phrase: str, render: Callable[[cst.BaseExpression], str]) -> str:
        """Render with the placeholder name standing for ``phrase``."""
        saved = self._aliases.get(_ALIAS_EACH)
        self._aliases[_ALIAS_EACH] = phrase
        try:
            return render(cst.Name(_ALIAS_EACH))
        finally:
            if saved is None:
                self._aliases.pop(_ALIAS_EACH, None)
            else:
                self._aliases[_ALIAS_EACH] = saved

    def _apply_func(self, func: cst.BaseExpression, arg: cst.BaseExpression) -> cst.Call:
        """The call ``func(arg)``; `str.lower` applied to x becomes `x.lower()`."""
        if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                and func.value.value in ("str", "list", "dict", "set", "int", "tuple", "float")):
            return cst.Call(func=cst.Attribute(value=arg, attr=func.attr))
        return cst.Call(func=func, args=[cst.Arg(value=arg)])

    # ------------------------------------------------------------------ atoms

    def _name(self, node: cst.Name) -> Phrase:
        constant = {"True": "true", "False": "false", "None": "nothing"}.get(node.value)
        return Phrase(constant or self.name(node.value), ATOM)

    def _literal(self, node: cst.BaseExpression) -> Phrase:
        try:
            return Phrase(value_text(literal_value(node)), ATOM)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return Phrase(code_of(node).strip(), ATOM)

    def _number(self, node: cst.BaseExpression) -> Phrase:
        try:
            return Phrase(repr(literal_value(node)), ATOM)
        except (ValueError, SyntaxError):
            return Phrase(code_of(node).strip(), ATOM)

    def _concat(self, node: cst.ConcatenatedString) -> Phrase:
        if is_literal(node):
            return self._literal(node)
        return Phrase(f"{self._at(node.left, ADD)} followed by {self._at(node.right, POSTFIX)}",
                      ADD)

    def _attribute(self, node: cst.Attribute) -> Phrase:
        module_text = attribute_phrase(self, node)  # math.pi, string.digits, ... (stdlib_nl)
        if module_text is not None:
            return Phrase(module_text, ATOM)
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            return Phrase(self.name(attr), ATOM)
        special = {"real": "the real part", "imag": "the imaginary part",
                   "numerator": "the numerator", "denominator": "the denominator"}
        return Phrase(f"{special.get(attr, 'the ' + words(attr))} of {self._tail(node.value)}",
                      ATOM)

    def _ellipsis(self, node: cst.Ellipsis) -> Phrase:
        return Phrase("an unspecified value", ATOM)

    # ------------------------------------------------------------------ containers

    def _element_texts(self, elements: Sequence[cst.BaseElement]) -> list[str]:
        out = []
        for e in elements:
            if isinstance(e, cst.StarredElement):
                out.append(f"the elements of {self._tail(e.value)}")
            else:
                out.append(self._item(e.value))
        return out

    def _list(self, node: cst.List) -> Phrase:
        if is_literal(node):
            return self._literal(node)
        return Phrase(f"a list holding {and_list(self._element_texts(node.elements))}", COND)

    def _tuple(self, node: cst.Tuple) -> Phrase:
        if is_literal(node):
            return self._literal(node)
        n = len(node.elements)
        kind = "the pair of" if n == 2 else "the group of"
        return Phrase(f"{kind} {and_list(self._element_texts(node.elements))}", COND)

    def _set(self, node: cst.Set) -> Phrase:
        if is_literal(node):
            return self._literal(node)
        return Phrase(f"a set holding {and_list(self._element_texts(node.elements))}", COND)

    def _dict(self, node: cst.Dict) -> Phrase:
        if is_literal(node):
            return self._literal(node)
        pairs = []
        for e in node.elements:
            if isinstance(e, cst.DictElement):
                pairs.append(f"{self._item(e.key)} to {self._item(e.value)}")
            else:
                pairs.append(f"the keys of {self._tail(e.value)} to their values")
        return Phrase(f"a dictionary mapping {and_list(pairs)}", COND)

    # ------------------------------------------------------------------ strings

    def _fstring(self, node: cst.FormattedString) -> Phrase:
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                if part.value:
                    parts.append(repr(part.value.replace("{{", "{").replace("}}", "}")))
            else:
                parts.append(self._fpart(part))
        if not parts:
            return Phrase("the empty string", ATOM)
        if len(parts) == 1:
            only = node.parts[0]
            if isinstance(only, cst.FormattedStringText) or only.format_spec or only.conversion:
                return Phrase(parts[0], POSTFIX)
            return Phrase(f"{parts[0]} written as text", POSTFIX)
        return Phrase(f"the text made of {and_list(parts)}", COND)

    def _fpart(self, part: cst.FormattedStringExpression) -> str:
        text = self._item(part.expression)
        if part.conversion == "r":
            text = f"{text} written as a value"
        elif part.conversion in ("s", "a"):
            text = f"{text} written as text"
        if part.format_spec:
            spec = "".join(p.value if isinstance(p, cst.FormattedStringText)
                           else "{" + code_of(p.expression).strip() + "}"
                           for p in part.format_spec)
            if spec.startswith(".") and spec.endswith("f") and spec[1:-1].isdigit():
                places = int(spec[1:-1])
                text = f"{text} written with {places} decimal place{'s' if places != 1 else ''}"
            else:
                text = f"{text} formatted with the pattern {spec!r}"
        return f"({text})" if " and " in text else text

    def _template(self, node: cst.BaseExpression) -> Phrase:
        return Phrase(f"the template {code_of(node).strip()!r}", ATOM)

    # ------------------------------------------------------------------ operators

    def _binary(self, node: cst.BinaryOperation) -> Phrase:
        handler = self._BINARY.get(type(node.operator))
        if handler is None:
            return self._infix(node, "combined with", ADD)
        return handler(self, node)

    def _left(self, node: cst.BaseExpression, prec: int) -> str:
        """Left operand: same-level chains read left to right ("a plus b minus c")."""
        ph = self._p(node)
        if ph.prec == prec or ph.prec >= POSTFIX:
            return ph.text
        return f"({ph.text})"

    def _infix(self, node: cst.BinaryOperation, word: str, prec: int) -> Phrase:
        return Phrase(f"{self._left(node.left, prec)} {word} {self._tail(node.right)}", prec)

    def _kinds(self, node: cst.BinaryOperation) -> tuple[type | None, type | None]:
        return self.type_of(node.left), self.type_of(node.right)

    def _add(self, node: cst.BinaryOperation) -> Phrase:
        if {str, list, tuple} & set(self._kinds(node)):
            return self._infix(node, "followed by", ADD)
        return self._infix(node, "plus", ADD)

    def _subtract(self, node: cst.BinaryOperation) -> Phrase:
        if {set, frozenset} & set(self._kinds(node)):
            return Phrase(f"the elements of {self._mid(node.left)} that are not in "
                          f"{self._tail(node.right)}", POSTFIX)
        return self._infix(node, "minus", ADD)

    def _multiply(self, node: cst.BinaryOperation) -> Phrase:
        left, right = self._kinds(node)
        seq, count = None, None
        if left in (str, list, tuple) or isinstance(node.left, (cst.List, cst.SimpleString)):
            seq, count = node.left, node.right
        elif right in (str, list, tuple) or isinstance(node.right, (cst.List, cst.SimpleString)):
            seq, count = node.right, node.left
        if seq is None or count is None:
            return self._infix(node, "times", MUL)
        if isinstance(seq, cst.List) and len(seq.elements) == 1 and isinstance(
                seq.elements[0], cst.Element):
            return Phrase(f"a list of {self._mid(count)} copies of "
                          f"{self._tail(seq.elements[0].value)}", ATOM)
        return Phrase(f"{self._mid(seq)} repeated {self._mid(count)} times", POSTFIX)

    def _divide(self, node: cst.BinaryOperation) -> Phrase:
        return self._infix(node, "divided by", MUL)

    def _floor_divide(self, node: cst.BinaryOperation) -> Phrase:
        return Phrase(f"{self._at(node.left, POSTFIX)} divided by {self._mid(node.right)}, "
                      "rounded down", MOD)

    def _modulo(self, node: cst.BinaryOperation) -> Phrase:
        left = self.type_of(node.left)
        if left is str or isinstance(node.left, (cst.SimpleString, cst.FormattedString)):
            values = (self._items([e.value for e in node.right.elements])
                      if isinstance(node.right, cst.Tuple) else self._tail(node.right))
            return Phrase(f"the text {self._mid(node.left)} with {values} filled in", ATOM)
        if int_literal(node.right) == 10 and left in (int, None):
            return Phrase(f"the last digit of {self._tail(node.left)}", ATOM)
        return Phrase(f"the remainder of {self._mid(node.left)} divided by "
                      f"{self._tail(node.right)}", MOD)

    def _power(self, node: cst.BinaryOperation) -> Phrase:
        if int_literal(node.right) == 2:
            return Phrase(f"{self._mid(node.left)} squared", POSTFIX)
        return Phrase(f"{self._mid(node.left)} to the power of {self._tail(node.right)}", POWER)

    def _shift(self, node: cst.BinaryOperation) -> Phrase:
        direction = "left" if isinstance(node.operator, cst.LeftShift) else "right"
        if direction == "left" and int_literal(node.left) == 1:
            return Phrase(f"2 to the power of {self._tail(node.right)}", POWER)
        bits = "bit" if int_literal(node.right) == 1 else "bits"
        return Phrase(f"{self._mid(node.left)} shifted {direction} by {self._mid(node.right)} "
                      f"{bits}", SHIFT)

    def _bitwise(self, node: cst.BinaryOperation) -> Phrase:
        kinds = set(self._kinds(node))
        a, b = self._item(node.left), self._item(node.right)
        op = type(node.operator)
        if kinds & {set, frozenset}:
            text = {cst.BitAnd: f"the elements that are in both {a} and {b}",
                    cst.BitOr: f"the elements that are in {a} or in {b}",
                    cst.BitXor: f"the elements that are in exactly one of {a} and {b}"}[op]
            return Phrase(text, POSTFIX)
        if op is cst.BitOr and dict in kinds:
            return Phrase(f"{self._mid(node.left)} updated with the keys and values of "
                          f"{self._tail(node.right)}", POSTFIX)
        word = {cst.BitAnd: "and", cst.BitOr: "or", cst.BitXor: "exclusive or"}[op]
        return Phrase(f"the bitwise {word} of {a} and {b}", ATOM)

    def _matmul(self, node: cst.BinaryOperation) -> Phrase:
        return self._infix(node, "matrix-multiplied by", MUL)

    def _unary(self, node: cst.UnaryOperation) -> Phrase:
        op, operand = node.operator, node.expression
        if isinstance(op, cst.Not):
            return Phrase(f"whether {self.cond(operand, negate=True)}", TEST)
        if isinstance(op, cst.BitInvert):
            return Phrase(f"the bitwise complement of {self._tail(operand)}", ATOM)
        if isinstance(operand, (cst.Integer, cst.Float, cst.Imaginary)):
            return self._number(node)
        if isinstance(op, cst.Plus):
            return self._p(operand)
        inner = self._mid(operand)
        if " " in inner and not inner.startswith("("):
            return Phrase(f"the negative of {inner}", ATOM)
        return Phrase(f"negative {inner}", UNARY)

    def _is_boolean(self, node: cst.BaseExpression) -> bool:
        """True if node's value is certainly a bool (comparison, `not`, predicate...)."""
        if isinstance(node, cst.BooleanOperation):
            return self._is_boolean(node.left) and self._is_boolean(node.right)
        return self.type_of(node) is bool

    def _boolean(self, node: cst.BooleanOperation) -> Phrase:
        if self._is_boolean(node):
            return Phrase(f"whether {self.cond(node)}", TEST)
        # `a or b` is a if a is truthy, else b; `a and b` is b if a is truthy, else a
        a, b = self._at(node.left, TEST + 1), self._at(node.right, COND)
        test = self.cond(node.left)
        if isinstance(node.operator, cst.Or):
            return Phrase(f"{a} if {test}, otherwise {b}", COND)
        return Phrase(f"{b} if {test}, otherwise {a}", COND)

    def _comparison(self, node: cst.Comparison) -> Phrase:
        return Phrase(f"whether {self.cond(node)}", TEST)

    def _ifexp(self, node: cst.IfExp) -> Phrase:
        return Phrase(f"{self._at(node.body, TEST + 1)} if {self.cond(node.test)}, otherwise "
                      f"{self._at(node.orelse, COND)}", COND)

    def _lambda(self, node: cst.Lambda) -> Phrase:
        params = [p.name.value for p in node.params.params]
        if not params:
            return Phrase(f"the rule giving {self._at(node.body, COND)}", COND)
        given = and_list([self.name(p) for p in params])
        return Phrase(f"the rule: given {given}, {self._at(node.body, COND)}", COND)

    def _named(self, node: cst.NamedExpr) -> Phrase:
        return Phrase(f"{self._at(node.value, TEST + 1)} (also stored in "
                      f"{self._target(node.target)})", COND)

    def _await(self, node: cst.Await) -> Phrase:
        return Phrase(f"the result of waiting for {self._tail(node.expression)}", ATOM)

    def _yield(self, node: cst.Yield) -> Phrase:
        if node.value is None:
            return Phrase("the value sent back after pausing", ATOM)
        return Phrase(f"the value sent back after producing {self._tail(node.value)}", ATOM)

    def _starred(self, node: cst.StarredElement) -> Phrase:
        return Phrase(f"the elements of {self._tail(node.value)}", ATOM)

    # ------------------------------------------------------------------ subscripts

    def _subscript(self, node: cst.Subscript) -> Phrase:
        if len(node.slice) != 1:
            keys = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
            return Phrase(f"the element of {self._mid(node.value)} at {self._items(keys)}", ATOM)
        sl = node.slice[0].slice
        if isinstance(sl, cst.Slice):
            return self._slice(node.value, sl)
        return self._index(node.value, sl.value)

    def _index(self, value: cst.BaseExpression, idx: cst.BaseExpression) -> Phrase:
        container = self.type_of(value)
        if container is dict or (container is None and isinstance(idx, cst.SimpleString)):
            return Phrase(f"the value of {self._mid(value)} for key {self._mid(idx)}", ATOM)
        noun = self._noun(value)
        n = int_literal(idx)
        if n is not None and 0 <= n < len(ORDINALS):
            return Phrase(f"the {ORDINALS[n]} {noun} of {self._tail(value)}", ATOM)
        if n is not None and n < 0:
            return Phrase(f"the {from_end(-n)} {noun} of {self._tail(value)}", ATOM)
        back = self._from_end_offset(value, idx)
        if back is not None:
            return Phrase(f"the {from_end(back)} {noun} of {self._tail(value)}", ATOM)
        if isinstance(idx, cst.UnaryOperation) and isinstance(idx.operator, cst.Minus):
            count = self.expr(idx.expression)
            count = count if " " not in count else f"({count})"
            return Phrase(f"the {count}-th {noun} from the end of {self._tail(value)}", ATOM)
        where = self._position(idx)
        value_text_ = self._mid(value)
        if " " in value_text_:
            return Phrase(f"the {noun} at {where} of {value_text_}", ATOM)
        return Phrase(f"the {noun} of {value_text_} at {where}", ATOM)

    @staticmethod
    def _from_end_offset(value: cst.BaseExpression, idx: cst.BaseExpression) -> int | None:
        """k for an index `len(value) - k` (k a literal)."""
        if (isinstance(idx, cst.BinaryOperation) and isinstance(idx.operator, cst.Subtract)
                and is_call_to(idx.left, "len")):
            args = split_args(idx.left)  # type: ignore[arg-type]
            k = int_literal(idx.right)
            if len(args.pos) == 1 and same_code(args.pos[0], value) and k is not None and k > 0:
                return k
        return None

    def _slice(self, value: cst.BaseExpression, sl: cst.Slice) -> Phrase:
        lower, upper, step = sl.lower, sl.upper, sl.step
        lo, up, st = int_literal(lower), int_literal(upper), int_literal(step)
        noun = self._noun(value)
        kind = "text" if self.type_of(value) is str else "list"
        v_mid, v_tail = self._mid(value), self._tail(value)
        if isinstance(value, cst.Subscript) and not v_mid.startswith("("):
            v_mid = f"({v_mid})"
        if step is None or st == 1:
            if lower is None and upper is None:
                return Phrase(f"a copy of {v_tail}", ATOM)
            if upper is None and lo is not None and lo > 0:
                count = f"its first {noun}" if lo == 1 else f"its first {lo} {noun}s"
                return Phrase(f"{v_mid} without {count}", POSTFIX)
            if upper is None and lo == 0:
                return Phrase(f"a copy of {v_tail}", ATOM)
            if lower is None and up is not None and up < 0:
                count = f"its last {noun}" if up == -1 else f"its last {-up} {noun}s"
                return Phrase(f"{v_mid} without {count}", POSTFIX)
            if lower is None and up is not None and up > 0:
                if up == 1:
                    return Phrase(f"a {kind} holding just the first {noun} of {v_tail}", ATOM)
                return Phrase(f"the first {up} {noun}s of {v_tail}", ATOM)
            if upper is None and lo is not None and lo < 0:
                if lo == -1:
                    return Phrase(f"a {kind} holding just the last {noun} of {v_tail}", ATOM)
                return Phrase(f"the last {-lo} {noun}s of {v_tail}", ATOM)
            return Phrase(f"the part of {v_mid}{self._bounds(lower, upper)}", ATOM)
        if st == -1 and lower is None and upper is None:
            return Phrase(f"{v_mid} reversed", POSTFIX)
        if st is not None and st > 1:
            every = f"every {ordinal(st)} {noun} of {v_mid}"
            return Phrase(every + self._bounds(lower, upper, ","), ATOM)
        if st is not None and st < -1:
            text = f"every {ordinal(-st)} {noun} of {v_mid}, going backwards"
            return Phrase(text + self._bounds(lower, upper, ",", down=True), ATOM)
        if st == -1:
            text = f"the {noun}s of {v_mid}, going backwards"
            return Phrase(text + self._bounds(lower, upper, ",", down=True), ATOM)
        text = f"the {noun}s of {v_mid} taken in steps of {self._mid(step)}"  # type: ignore
        return Phrase(text + self._bounds(lower, upper, ","), ATOM)

    def _slice_target(self, value: cst.BaseExpression, sl: cst.Slice) -> str:
        """A slice as the part it selects (for `del x[1:]`, `x[a:b] = ...`): never the
        'x without its first element' reading, which names what is left."""
        lower, upper, step = sl.lower, sl.upper, sl.step
        lo, up = int_literal(lower), int_literal(upper)
        noun = self._noun(value)
        if step is None or int_literal(step) == 1:
            if lower is None and upper is None:
                return f"all {noun}s of {self._tail(value)}"
            if upper is None and lo is not None and lo > 0:
                which = "first" if lo == 1 else f"first {lo}"
                return f"all {noun}s of {self._mid(value)} except the {which}"
            if lower is None and up is not None and up < 0:
                which = "last" if up == -1 else f"last {-up}"
                return f"all {noun}s of {self._mid(value)} except the {which}"
        return self.expr(cst.Subscript(value=value, slice=[cst.SubscriptElement(sl)]))

    def _bounds(self, lower: cst.BaseExpression | None, upper: cst.BaseExpression | None,
                sep: str = "", down: bool = False) -> str:
        """' from position a up to (not including) position b'."""
        parts = []
        if lower is not None:
            parts.append(f"from {self._position(lower)}")
        if upper is not None:
            way = "down to" if down else "up to"
            parts.append(f"{way} (not including) {self._position(upper)}")
        elif lower is not None and not down:
            parts.append("to the end")
        if not parts:
            return ""
        return f"{sep} " + " ".join(parts)

    # ------------------------------------------------------------------ iteration

    def _range_words(self, args: Args) -> str | None:
        """'from 0 up to n (not including n)' for the arguments of range()."""
        if args.starred or not 1 <= len(args.pos) <= 3 or args.kw:
            return None
        pos = args.pos
        start = pos[0] if len(pos) > 1 else cst.Integer("0")
        stop = pos[1] if len(pos) > 1 else pos[0]
        step = pos[2] if len(pos) > 2 else None
        k = int_literal(step) if step is not None else 1
        a = self._item(start)
        if k is not None and k < 0:
            way = "down to"
        elif k is None:
            way = "towards"
        else:
            way = "up to"
        last = self._inclusive_stop(stop, k)
        if last is not None:
            b = self._item(last)
            stop_text = f"{way} {b} (including {b})" if " " not in b else (
                f"{way} and including {b}")
        else:
            b = self._item(stop)
            stop_text = f"{way} {b} (not including {b})" if " " not in b else (
                f"{way} (not including) {b}")
        text = f"from {a} {stop_text}"
        if k is None:
            text += f", in steps of {self._item(step)}"  # type: ignore[arg-type]
        elif abs(k) != 1:
            text += f", in steps of {abs(k)}"
        return text

    @staticmethod
    def _inclusive_stop(stop: cst.BaseExpression, step: int | None) -> cst.BaseExpression | None:
        """The last value reached when a range stops just past it: `n + 1` -> n (step 1),
        `-1` -> 0 and `b - 1` -> b (step -1)."""
        if step == 1 and isinstance(stop, cst.BinaryOperation) and isinstance(
                stop.operator, cst.Add) and int_literal(stop.right) == 1:
            return stop.left
        if step == -1:
            if int_literal(stop) == -1:
                return cst.Integer("0")
            if isinstance(stop, cst.BinaryOperation) and isinstance(
                    stop.operator, cst.Subtract) and int_literal(stop.right) == 1:
                return stop.left
        return None

    def _positions_of(self, args: Args) -> tuple[cst.BaseExpression, str] | None:
        """For range(len(x)) and friends: (x, suffix) — 'position i of x<suffix>'."""
        pos = args.pos
        if args.kw or args.starred:
            return None
        if len(pos) == 1 and is_call_to(pos[0], "len"):
            inner = split_args(pos[0]).pos  # type: ignore[arg-type]
            return (inner[0], "") if len(inner) == 1 else None
        if len(pos) == 2 and is_call_to(pos[1], "len"):
            inner = split_args(pos[1]).pos  # type: ignore[arg-type]
            if len(inner) == 1:
                return inner[0], f", starting at {self._position(pos[0])}"
        if len(pos) == 3 and int_literal(pos[1]) == -1 and int_literal(pos[2]) == -1:
            start = pos[0]
            if (isinstance(start, cst.BinaryOperation) and isinstance(start.operator, cst.Subtract)
                    and is_call_to(start.left, "len") and int_literal(start.right) == 1):
                inner = split_args(start.left).pos  # type: ignore[arg-type]
                if len(inner) == 1:
                    return inner[0], ", from last to first"
        return None

    def _iteration(self, target: cst.BaseExpression, it: cst.BaseExpression,
                   short: bool) -> str:
        """What a loop ranges over, without 'each': 'element x of lst' (short: 'x in lst')."""
        parts = ([e.value for e in target.elements]
                 if isinstance(target, (cst.Tuple, cst.List)) else None)
        if isinstance(it, cst.Call) and isinstance(it.func, cst.Name):
            special = self._iteration_builtin(it.func.value, split_args(it), target, parts)
            if special is not None:
                return special
        found = method_of(it)
        if found is not None and not split_args(it).pos:  # type: ignore[arg-type]
            recv, meth = found
            d = self._tail(recv)
            if meth == "items" and parts is not None and len(parts) == 2:
                return (f"{self._label(parts[0], 'key')} of {d} and its value "
                        f"{self._bare_label(parts[1])}")
            if meth == "keys" and parts is None:
                return f"{self._label(target, 'key')} of {d}"
            if meth == "values" and parts is None:
                return f"{self._label(target, 'value')} of {d}"
        noun = "key" if self.type_of(it) is dict else self._noun(it)
        if parts is not None:
            return (f"{noun} of {self._tail(it)}, split into "
                    f"{and_list([self._bare_label(p) for p in parts])}")
        if short:
            return f"{self._bare_label(target)} in {self._tail(it)}"
        return f"{self._label(target, noun)} of {self._tail(it)}"

    def _iteration_builtin(self, func: str, args: Args, target: cst.BaseExpression,
                           parts: list[cst.BaseExpression] | None) -> str | None:
        if func == "range" and parts is None:
            positions = self._positions_of(args)
            if positions is not None:
                seq, suffix = positions
                return f"{self._label(target, 'position')} of {self._tail(seq)}{suffix}"
            span = self._range_words(args)
            return None if span is None else f"{self._label(target, 'number')} {span}"
        if func == "enumerate" and parts is not None and len(parts) == 2 and args.pos:
            seq = args.pos[0]
            text = (f"{self._label(parts[0], 'position')} and "
                    f"{self._label(parts[1], self._noun(seq))} of {self._tail(seq)}")
            if "start" in args.kw or len(args.pos) > 1:
                start = args.kw.get("start", args.pos[-1])
                text += f", counting positions from {self._item(start)}"
            return text
        if func == "zip" and parts is not None and len(parts) == len(args.pos) >= 2:
            pieces = [f"{self._bare_label(t)} of {self._tail(s)}" for t, s in zip(parts,
                                                                                    args.pos)]
            return f"{and_list(pieces)}, taken side by side"
        if func == "reversed" and parts is None and len(args.pos) == 1:
            seq = args.pos[0]
            label = self._label(target, self._noun(seq))
            return f"{label} of {self._tail(seq)}, from last to first"
        return None

    def _comp_clauses(self, for_in: cst.CompFor) -> str:
        """'for each x in lst that is greater than 0 and each y in ys'."""
        out = []
        node: cst.CompFor | None = for_in
        while node is not None:
            text = "each " + self._iteration(node.target, node.iter, short=True)
            text += self._filter_words(node)
            out.append(text)
            node = node.inner_for_in
        return "for " + " and ".join(out)

    def _filter_words(self, comp: cst.CompFor) -> str:
        """' that is greater than 0' / ' where a is equal to b' for the ifs of a for clause."""
        if not comp.ifs:
            return ""
        target = self.name(comp.target.value) if isinstance(comp.target, cst.Name) else None
        clauses = [self._clause(c.test, False) for c in comp.ifs]
        lead = ", " if "," in self._iteration(comp.target, comp.iter, short=True) else " "
        if target is not None and all(c.subject == target for c in clauses):
            return lead + "that " + " and ".join(c.pred or "" for c in clauses)
        return lead + "where " + " and ".join(c.text for c in clauses)

    def _listcomp(self, node: cst.ListComp) -> Phrase:
        return Phrase(f"the list of {self._at(node.elt, TEST + 1)} "
                      f"{self._comp_clauses(node.for_in)}", COND)

    def _setcomp(self, node: cst.SetComp) -> Phrase:
        return Phrase(f"the set of {self._at(node.elt, TEST + 1)} "
                      f"{self._comp_clauses(node.for_in)}", COND)

    def _genexp(self, node: cst.GeneratorExp) -> Phrase:
        return Phrase(f"the values {self._gen_inner(node)}", COND)

    def _gen_inner(self, node: cst.GeneratorExp | cst.ListComp | cst.SetComp) -> str:
        """'x times 2 for each x in lst', the body of a generator."""
        return f"{self._at(node.elt, TEST + 1)} {self._comp_clauses(node.for_in)}"

    def _dictcomp(self, node: cst.DictComp) -> Phrase:
        return Phrase(f"the dictionary mapping {self._item(node.key)} to "
                      f"{self._item(node.value)} {self._comp_clauses(node.for_in)}", COND)

    def _starred_dictcomp(self, node: cst.BaseExpression) -> Phrase:
        return Phrase(f"the dictionary built from {code_of(node).strip()!r}", ATOM)

    def _values_of(self, node: cst.BaseExpression) -> str:
        """The values an iterable yields, as a plural noun phrase: 'the elements of lst',
        'the values x times 2 for each x in lst', 'each element of lst written as text'."""
        if isinstance(node, cst.GeneratorExp):
            return f"the values {self._gen_inner(node)}"
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and (
                node.func.value in ("map", "filter")):
            return self.expr(node)
        return f"the {self._noun(node)}s of {self._mid(node)}"

    def _seq_arg(self, node: cst.BaseExpression) -> str:
        """The iterable argument of sum/min/max/...: a generator reads without 'the values'."""
        if isinstance(node, cst.GeneratorExp):
            return self._gen_inner(node)
        return self._tail(node)

    # ------------------------------------------------------------------ calls

    def _call(self, node: cst.Call) -> Phrase:
        module_text = call_phrase(self, node)  # math.sqrt(x), heapq.heappop(h), ... (stdlib_nl)
        if module_text is not None:
            return Phrase(module_text, ATOM if module_text.startswith("the ") and ", " not in module_text else COND)
        func = node.func
        args = split_args(node)
        if isinstance(func, cst.Name):
            handler = self._BUILTINS.get(func.value)
            if handler is not None and not args.starred:
                ph = handler(self, args)
                if ph is not None:
                    return ph
            return self._user_call(func.value, node)
        found = method_of(node)
        if found is not None:
            recv, meth = found
            if (isinstance(recv, cst.Name)
                    and recv.value in ("str", "list", "dict", "set", "int", "tuple", "float")
                    and args.pos and not args.starred):
                rest = [cst.Arg(value=a) for a in args.pos[1:]]
                rest += [cst.Arg(value=v, keyword=cst.Name(k)) for k, v in args.kw.items()]
                return self._call(cst.Call(func=cst.Attribute(value=args.pos[0],
                                                              attr=cst.Name(meth)), args=rest))
            handler = self._METHODS.get(meth)
            if handler is not None and not args.starred:
                ph = handler(self, recv, args)
                if ph is not None:
                    return ph
            return Phrase(f"the result of applying {words(meth)} to {self._mid(recv)}"
                          f"{self._with_args(node)}", COND if node.args else ATOM)
        return Phrase(f"the result of applying {self._mid(func)} to "
                      f"{self._arg_list(node)}", COND)

    def _arg_list(self, node: cst.Call) -> str:
        items, named = [], []
        for arg in node.args:
            if arg.star == "*":
                items.append(f"the elements of {self._tail(arg.value)}")
            elif arg.star == "**":
                named.append(f"the named values in {self._tail(arg.value)}")
            elif arg.keyword is not None:
                named.append(f"{arg.keyword.value} set to {self._item(arg.value)}")
            else:
                items.append(self._item(arg.value))
        text = and_list(items) if items else ""
        if named:
            text += (", with " if text else "") + and_list(named)
        return text or "nothing"

    def _with_args(self, node: cst.Call) -> str:
        return f" with {self._arg_list(node)}" if node.args else ""

    def _user_call(self, name: str, node: cst.Call) -> Phrase:
        if not node.args:
            return Phrase(f"the result of {self.name(name)}", ATOM)
        return Phrase(f"the result of {self.name(name)} applied to {self._arg_list(node)}", COND)

    # builtins: each returns a Phrase, or None to fall back to the generic wording

    def _b_len(self, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        return Phrase(f"the length of {self._tail(a.pos[0])}", ATOM)

    def _b_int(self, a: Args) -> Phrase | None:
        if not a.pos:
            return Phrase("0", ATOM)
        x = a.pos[0]
        base = a.pos[1] if len(a.pos) > 1 else a.kw.get("base")
        if base is not None:
            return Phrase(f"the integer value of {self._mid(x)} read in base {self._tail(base)}",
                          ATOM)
        if self.type_of(x) is float:
            return Phrase(f"{self._mid(x)} without its fractional part", POSTFIX)
        if self.type_of(x) is bool:
            return Phrase(f"1 if {self.cond(x)}, otherwise 0", COND)
        return Phrase(f"the integer value of {self._tail(x)}", ATOM)

    def _b_float(self, a: Args) -> Phrase | None:
        if not a.pos:
            return Phrase("0.0", ATOM)
        x = a.pos[0]
        if isinstance(x, cst.SimpleString):
            special = {"inf": "infinity", "+inf": "infinity", "infinity": "infinity",
                       "-inf": "negative infinity", "-infinity": "negative infinity",
                       "nan": "not-a-number"}.get(str(x.evaluated_value).strip().lower())
            if special:
                return Phrase(special, ATOM)
        return Phrase(f"{self._mid(x)} as a decimal number", POSTFIX)

    def _b_str(self, a: Args) -> Phrase | None:
        if not a.pos:
            return Phrase("the empty string", ATOM)
        return Phrase(f"{self._mid(a.pos[0])} written as text", POSTFIX)

    def _b_bool(self, a: Args) -> Phrase | None:
        if not a.pos:
            return Phrase("false", ATOM)
        return Phrase(f"whether {self.cond(a.pos[0])}", TEST)

    def _b_abs(self, a: Args) -> Phrase | None:
        return Phrase(f"the absolute value of {self._tail(a.pos[0])}", ATOM) if a.pos else None

    def _b_min(self, a: Args) -> Phrase | None:
        return self._extreme(a, "smallest", "smaller")

    def _b_max(self, a: Args) -> Phrase | None:
        return self._extreme(a, "largest", "larger")

    def _extreme(self, a: Args, most: str, more: str) -> Phrase | None:
        if not a.pos:
            return None
        key = a.kw.get("key")
        if len(a.pos) > 1:
            if key is not None:
                return None
            word = more if len(a.pos) == 2 else most
            return Phrase(f"the {word} of {self._items(a.pos)}", ATOM)
        seq = a.pos[0]
        noun = self._noun(seq)
        if key is None:
            if isinstance(seq, cst.GeneratorExp):
                text = f"the {most} of {self._gen_inner(seq)}"
            else:
                text = f"the {most} {noun} of {self._tail(seq)}"
        else:
            text = self._by_key(seq, key, noun, most)
        if "default" in a.kw:
            text += f", or {self._item(a.kw['default'])} if there is none"
        return Phrase(text, ATOM if key is None and "default" not in a.kw else COND)

    def _by_key(self, seq: cst.BaseExpression, key: cst.BaseExpression, noun: str,
                most: str) -> str:
        """'the element x of lst for which <key> is smallest'."""
        if isinstance(key, cst.Lambda) and len(key.params.params) == 1:
            var = key.params.params[0].name
            return (f"the {self._label(var, noun)} of {self._mid(seq)} for which "
                    f"{self._at(key.body, TEST + 1)} is {most}")
        found = method_of(cst.Call(func=key))
        if (found is not None and found[1] == "get" and same_code(found[0], seq)):
            return f"the key of {self._mid(seq)} with the {most} value"
        key_noun = self._key_noun(key)
        if key_noun is not None:
            return f"the {noun} of {self._mid(seq)} with the {most} {key_noun}"
        return self._with_alias("it", lambda it: (
            f"the {noun} of {self._mid(seq)} for which "
            f"{self._at(self._apply_func(key, it), TEST + 1)} is {most}"))

    @staticmethod
    def _key_noun(key: cst.BaseExpression) -> str | None:
        if isinstance(key, cst.Name):
            return KEY_NOUNS.get(key.value)
        if isinstance(key, cst.Attribute) and isinstance(key.value, cst.Name) and (
                key.value.value == "str"):
            return KEY_NOUNS.get(key.attr.value)
        return None

    def _b_sum(self, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        text = f"the sum of {self._seq_arg(a.pos[0])}"
        start = a.pos[1] if len(a.pos) > 1 else a.kw.get("start")
        if start is not None:
            return Phrase(f"{self._item(start)} plus {text}", COND)
        return Phrase(text, ATOM if not isinstance(a.pos[0], cst.GeneratorExp) else COND)

    def _order(self, a: Args, subject: str | None = None) -> tuple[str, str] | None:
        """('in increasing order', key phrase) for sorted()/sort() keywords."""
        reverse = a.kw.get("reverse")
        if reverse is None or (isinstance(reverse, cst.Name) and reverse.value == "False"):
            order = "in increasing order"
        elif isinstance(reverse, cst.Name) and reverse.value == "True":
            order = "in decreasing order"
        else:
            order = f"in decreasing order if {self.cond(reverse)}, otherwise in increasing order"
        key = a.kw.get("key")
        if key is None:
            return order, ""
        if isinstance(key, cst.Lambda) and len(key.params.params) == 1:
            return order, f" by {self._at(key.body, TEST + 1)}"
        noun = self._key_noun(key)
        if noun is not None:
            return order, f" by {noun}"
        return order, " by " + self._with_alias(
            "each element", lambda it: self._at(self._apply_func(key, it), TEST + 1))

    def _b_sorted(self, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        seq = a.pos[0]
        got = self._order(a)
        if got is None:
            return None
        order, by = got
        key = a.kw.get("key")
        if isinstance(key, cst.Lambda) and len(key.params.params) == 1:
            var = self._bare_label(key.params.params[0].name)
            return Phrase(f"the {self._noun(seq)}s {var} of {self._mid(seq)} sorted{by}, {order}",
                          COND)
        if by:
            return Phrase(f"{self._mid(seq)} sorted{by}, {order}", COND)
        return Phrase(f"{self._mid(seq)} sorted {order}", POSTFIX)

    def _b_reversed(self, a: Args) -> Phrase | None:
        return Phrase(f"{self._mid(a.pos[0])} reversed", POSTFIX) if len(a.pos) == 1 else None

    def _b_range(self, a: Args) -> Phrase | None:
        positions = self._positions_of(a)
        if positions is not None and not positions[1]:
            return Phrase(f"the positions of {self._tail(positions[0])}", ATOM)
        span = self._range_words(a)
        return None if span is None else Phrase(f"the numbers {span}", ATOM)

    def _b_enumerate(self, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        seq = a.pos[0]
        text = f"the positions and {self._noun(seq)}s of {self._tail(seq)}"
        start = a.pos[1] if len(a.pos) > 1 else a.kw.get("start")
        if start is not None:
            text += f", counting positions from {self._item(start)}"
        return Phrase(text, ATOM if start is None else COND)

    def _b_zip(self, a: Args) -> Phrase | None:
        if len(a.pos) < 2:
            return None
        kind = "pairs" if len(a.pos) == 2 else "groups"
        return Phrase(f"the {kind} of elements at the same position in {self._items(a.pos)}",
                      ATOM)

    def _b_map(self, a: Args) -> Phrase | None:
        if len(a.pos) < 2:
            return None
        func, seqs = a.pos[0], a.pos[1:]
        if isinstance(func, cst.Lambda) and len(func.params.params) == len(seqs) == 1:
            var = func.params.params[0].name
            return Phrase(f"the values {self._at(func.body, TEST + 1)} for each "
                          f"{self._bare_label(var)} in {self._tail(seqs[0])}", COND)
        if len(seqs) == 1:
            each = f"each {self._noun(seqs[0])} of {self._tail(seqs[0])}"
            return Phrase(self._with_alias(each, lambda it: self.expr(self._apply_func(func, it))),
                          COND)
        return Phrase(f"the result of {self._mid(func)} applied to the elements at the same "
                      f"position in {self._items(seqs)}", COND)

    def _b_filter(self, a: Args) -> Phrase | None:
        if len(a.pos) != 2:
            return None
        func, seq = a.pos
        noun = self._noun(seq)
        if isinstance(func, cst.Name) and func.value == "None":
            return Phrase(f"the {noun}s of {self._mid(seq)} that are neither empty nor zero",
                          COND)
        if isinstance(func, cst.Lambda) and len(func.params.params) == 1:
            var = func.params.params[0].name
            return Phrase(f"the {noun}s {self._bare_label(var)} of {self._mid(seq)} for which "
                          f"{self.cond(func.body)}", COND)
        return Phrase(self._with_alias(f"the {noun}", lambda it: (
            f"the {noun}s of {self._mid(seq)} for which "
            f"{self.cond(self._apply_func(func, it))}")), COND)

    def _container(self, a: Args, kind: str, empty: str) -> Phrase | None:
        if not a.pos:
            return Phrase(empty, ATOM)
        x = a.pos[0]
        tp = self.type_of(x)
        if isinstance(x, cst.GeneratorExp):
            return Phrase(f"the {kind} of {self._gen_inner(x)}", COND)
        if isinstance(x, cst.Call) and isinstance(x.func, cst.Name) and (
                x.func.value in ("map", "filter", "range")):
            return Phrase(f"the {kind} of {self.expr(x)}", COND)
        if tp is str:
            what = "distinct characters" if kind == "set" else "characters"
        elif tp is dict:
            what = "keys"
        elif kind == "set":
            what = "distinct elements"
        else:
            what = "elements"
        if kind == "list" and tp is list:
            return Phrase(f"a copy of {self._tail(x)}", ATOM)
        return Phrase(f"the {kind} of the {what} of {self._tail(x)}", ATOM)

    def _b_list(self, a: Args) -> Phrase | None:
        return self._container(a, "list", "an empty list")

    def _b_tuple(self, a: Args) -> Phrase | None:
        return self._container(a, "tuple", "an empty tuple")

    def _b_set(self, a: Args) -> Phrase | None:
        return self._container(a, "set", "an empty set")

    def _b_dict(self, a: Args) -> Phrase | None:
        if not a.pos and not a.kw:
            return Phrase("an empty dictionary", ATOM)
        if a.kw and not a.pos:
            pairs = [f"{k!r} to {self._item(v)}" for k, v in a.kw.items()]
            return Phrase(f"a dictionary mapping {and_list(pairs)}", COND)
        x = a.pos[0]
        if is_call_to(x, "zip") and len(split_args(x).pos) == 2:  # type: ignore[arg-type]
            keys, values = split_args(x).pos  # type: ignore[arg-type]
            return Phrase(f"a dictionary mapping each element of {self._mid(keys)} to the element "
                          f"at the same position in {self._tail(values)}", COND)
        if self.type_of(x) is dict:
            return Phrase(f"a copy of {self._tail(x)}", ATOM)
        return Phrase(f"a dictionary made from the key-value pairs of {self._tail(x)}", ATOM)

    def _b_ord(self, a: Args) -> Phrase | None:
        return Phrase(f"the character code of {self._tail(a.pos[0])}", ATOM) if a.pos else None

    def _b_chr(self, a: Args) -> Phrase | None:
        return Phrase(f"the character with code {self._tail(a.pos[0])}", ATOM) if a.pos else None

    def _b_any(self, a: Args) -> Phrase | None:
        return Phrase(f"whether {self._quantified('any', a.pos[0], False).text}", TEST) \
            if len(a.pos) == 1 else None

    def _b_all(self, a: Args) -> Phrase | None:
        return Phrase(f"whether {self._quantified('all', a.pos[0], False).text}", TEST) \
            if len(a.pos) == 1 else None

    def _b_round(self, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        digits = a.pos[1] if len(a.pos) > 1 else a.kw.get("ndigits")
        if digits is None:
            return Phrase(f"{self._mid(a.pos[0])} rounded to the nearest whole number", POSTFIX)
        places = "decimal place" if int_literal(digits) == 1 else "decimal places"
        return Phrase(f"{self._mid(a.pos[0])} rounded to {self._mid(digits)} {places}", POSTFIX)

    def _b_divmod(self, a: Args) -> Phrase | None:
        if len(a.pos) != 2:
            return None
        x, y = (self._mid(n) for n in a.pos)
        return Phrase(f"the pair of {x} divided by {y}, rounded down, and the remainder", COND)

    def _b_pow(self, a: Args) -> Phrase | None:
        if len(a.pos) == 2:
            return Phrase(f"{self._mid(a.pos[0])} to the power of {self._tail(a.pos[1])}", POWER)
        if len(a.pos) == 3:
            return Phrase(f"the remainder of {self._mid(a.pos[0])} to the power of "
                          f"{self._mid(a.pos[1])} divided by {self._tail(a.pos[2])}", MOD)
        return None

    def _b_isinstance(self, a: Args) -> Phrase | None:
        return Phrase(f"whether {self._isinstance_clause(a, False).text}", TEST) \
            if len(a.pos) == 2 else None

    def _b_base(self, a: Args, kind: str, prefix: str) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        return Phrase(f"the {kind} form of {self._mid(a.pos[0])} as text, starting with "
                      f"{prefix!r}", COND)

    def _b_bin(self, a: Args) -> Phrase | None:
        return self._b_base(a, "binary", "0b")

    def _b_hex(self, a: Args) -> Phrase | None:
        return self._b_base(a, "hexadecimal", "0x")

    def _b_oct(self, a: Args) -> Phrase | None:
        return self._b_base(a, "octal", "0o")

    def _b_iter(self, a: Args) -> Phrase | None:
        return Phrase(f"the elements of {self._tail(a.pos[0])}, one at a time", COND) \
            if len(a.pos) == 1 else None

    def _b_next(self, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        text = f"the next element of {self._tail(a.pos[0])}"
        if len(a.pos) > 1:
            return Phrase(f"{text}, or {self._item(a.pos[1])} if there is none", COND)
        return Phrase(text, ATOM)

    # methods (values): handler(self, receiver, args) -> Phrase | None

    def _m_case(self, recv: cst.BaseExpression, a: Args, what: str) -> Phrase | None:
        return Phrase(f"{self._mid(recv)} {what}", POSTFIX) if not a.pos else None

    def _m_lower(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "in lower case")

    def _m_upper(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "in upper case")

    def _m_capitalize(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "with its first letter in upper case and the rest in "
                                  "lower case")

    def _m_title(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "with the first letter of every word in upper case")

    def _m_swapcase(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "with upper and lower case swapped")

    def _strip(self, r: cst.BaseExpression, a: Args, where: str) -> Phrase | None:
        if not a.pos or (isinstance(a.pos[0], cst.Name) and a.pos[0].value == "None"):
            return Phrase(f"{self._mid(r)} without the whitespace {where}", POSTFIX)
        chars = a.pos[0]
        if isinstance(chars, cst.SimpleString) and len(str(chars.evaluated_value)) == 1:
            return Phrase(f"{self._mid(r)} without any {self._mid(chars)} {where}", POSTFIX)
        return Phrase(f"{self._mid(r)} without any of the characters of {self._mid(chars)} "
                      f"{where}", POSTFIX)

    def _m_strip(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._strip(r, a, "at both ends")

    def _m_lstrip(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._strip(r, a, "at the start")

    def _m_rstrip(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._strip(r, a, "at the end")

    def _m_split(self, r: cst.BaseExpression, a: Args, last: bool = False) -> Phrase | None:
        sep = a.pos[0] if a.pos else a.kw.get("sep")
        limit = a.pos[1] if len(a.pos) > 1 else a.kw.get("maxsplit")
        if sep is not None and isinstance(sep, cst.Name) and sep.value == "None":
            sep = None
        if sep is None and limit is None:
            return Phrase(f"the words of {self._tail(r)}", ATOM)
        at = f"every {self._mid(sep)}" if sep is not None else "every run of whitespace"
        if limit is not None:
            side = "last" if last else "first"
            what = self._mid(sep) if sep is not None else "whitespace"
            at = (f"the {side} occurrence of {what}" if int_literal(limit) == 1
                  else f"the {side} {self._mid(limit)} occurrences of {what}")
        return Phrase(f"{self._mid(r)} split at {at}", POSTFIX)

    def _m_rsplit(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_split(r, a, last=True)

    def _m_splitlines(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the lines of {self._tail(r)}", ATOM)

    def _m_join(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        seq = a.pos[0]
        what = self._values_of(seq)
        if isinstance(seq, (cst.GeneratorExp, cst.Call)) and not (
                isinstance(seq, cst.Call) and is_literal(seq)):
            what = what if what.startswith("the elements of") else f"{what},"
        if isinstance(r, cst.SimpleString) and r.evaluated_value == "":
            return Phrase(f"{what} joined together", COND)
        return Phrase(f"{what} joined with {self._mid(r)} in between", COND)

    def _m_replace(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if len(a.pos) < 2:
            return None
        old, new = a.pos[0], a.pos[1]
        count = a.pos[2] if len(a.pos) > 2 else a.kw.get("count")
        which = (f"the first {self._mid(count)} occurrences of {self._mid(old)}"
                 if count is not None else f"every {self._mid(old)}")
        if isinstance(new, cst.SimpleString) and new.evaluated_value == "":
            return Phrase(f"{self._mid(r)} with {which} removed", POSTFIX)
        return Phrase(f"{self._mid(r)} with {which} replaced by {self._tail(new)}", POSTFIX)

    def _m_count(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        return Phrase(f"the number of times {self._mid(a.pos[0])} occurs in {self._tail(r)}",
                      ATOM)

    def _search_from(self, a: Args) -> str:
        if len(a.pos) > 1:
            return f", searching from {self._position(a.pos[1])}"
        return ""

    def _m_index(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        return Phrase(f"the position of {self._mid(a.pos[0])} in {self._tail(r)}"
                      f"{self._search_from(a)}", ATOM if len(a.pos) == 1 else COND)

    def _m_rindex(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        return Phrase(f"the position of the last {self._mid(a.pos[0])} in {self._tail(r)}", ATOM)

    def _m_find(self, r: cst.BaseExpression, a: Args, last: bool = False) -> Phrase | None:
        if not a.pos:
            return None
        which = "the last " if last else ""
        return Phrase(f"the position of {which}{self._mid(a.pos[0])} in {self._mid(r)}"
                      f"{self._search_from(a)}, or -1 if it does not occur", COND)

    def _m_rfind(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_find(r, a, last=True)

    def _m_predicate(self, r: cst.BaseExpression, a: Args, meth: str) -> Phrase | None:
        clause = self._method_clause(r, meth, a, False)
        return Phrase(f"whether {clause.text}", TEST) if clause is not None else None

    def _m_pad(self, r: cst.BaseExpression, a: Args, side: str) -> Phrase | None:
        if not a.pos:
            return None
        fill = f"copies of {self._mid(a.pos[1])}" if len(a.pos) > 1 else "spaces"
        return Phrase(f"{self._mid(r)} padded with {fill} {side} to length "
                      f"{self._tail(a.pos[0])}", POSTFIX)

    def _m_zfill(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        return Phrase(f"{self._mid(r)} padded with zeros on the left to length "
                      f"{self._tail(a.pos[0])}", POSTFIX)

    def _m_ljust(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_pad(r, a, "on the right")

    def _m_rjust(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_pad(r, a, "on the left")

    def _m_center(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_pad(r, a, "on both sides")

    def _m_partition(self, r: cst.BaseExpression, a: Args, last: bool = False) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        which = "last" if last else "first"
        return Phrase(f"the parts of {self._mid(r)} before, at and after the {which} "
                      f"{self._tail(a.pos[0])}", COND)

    def _m_rpartition(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_partition(r, a, last=True)

    def _m_format(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        values = a.pos + list(a.kw.values())
        return Phrase(f"the text {self._mid(r)} with {self._items(values)} filled in", COND)

    def _m_affix(self, r: cst.BaseExpression, a: Args, which: str) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        return Phrase(f"{self._mid(r)} without the {which} {self._tail(a.pos[0])}", POSTFIX)

    def _m_removeprefix(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_affix(r, a, "prefix")

    def _m_removesuffix(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_affix(r, a, "suffix")

    def _m_get(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        default = self._item(a.pos[1]) if len(a.pos) > 1 else "nothing"
        return Phrase(f"the value of {self._mid(r)} for key {self._mid(a.pos[0])}, or {default} "
                      "if there is none", COND)

    def _m_keys(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the keys of {self._tail(r)}", ATOM)

    def _m_values(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the values of {self._tail(r)}", ATOM)

    def _m_items(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the key-value pairs of {self._tail(r)}", ATOM)

    def _m_copy(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"a copy of {self._tail(r)}", ATOM)

    def _m_setop(self, r: cst.BaseExpression, a: Args, op: str) -> Phrase | None:
        if not a.pos:
            return Phrase(f"a copy of {self._tail(r)}", ATOM)
        others = [r, *a.pos]
        text = {
            "union": f"the elements that are in any of {self._items(others)}",
            "intersection": f"the elements that are in all of {self._items(others)}",
            "difference": f"the elements of {self._mid(r)} that are not in "
                          f"{self._items(a.pos, 'or')}",
            "symmetric_difference": f"the elements that are in exactly one of "
                                    f"{self._items(others)}",
        }[op]
        if len(others) == 2 and op in ("union", "intersection"):
            x, y = self._item(r), self._item(a.pos[0])
            text = (f"the elements that are in {x} or in {y}" if op == "union"
                    else f"the elements that are in both {x} and {y}")
        return Phrase(text, POSTFIX)

    def _m_pop(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        removed = self._pop_words(r, a)
        if removed is None:
            return None
        thing, origin = removed
        return Phrase(f"{thing} (removed from {origin})", COND)

    def _m_bit_length(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the number of binary digits of {self._tail(r)}", ATOM)

    def _m_bit_count(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the number of 1s in the binary form of {self._tail(r)}", ATOM)

    # ------------------------------------------------------------------ clauses

    def _clause(self, node: cst.BaseExpression, negate: bool) -> Clause:
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return self._clause(node.expression, not negate)
        if isinstance(node, cst.BooleanOperation):
            return self._bool_clause(node, negate)
        if isinstance(node, cst.Comparison):
            return self._comparison_clause(node, negate)
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            holds = (node.value == "True") != negate
            return Clause("this always holds" if holds else "this never holds")
        if isinstance(node, cst.Call):
            clause = self._call_clause(node, negate)
            if clause is not None:
                return clause
        return self._truthiness(node, negate)

    def _bool_clause(self, node: cst.BooleanOperation, negate: bool) -> Clause:
        op = type(node.operator)
        operands: list[cst.BaseExpression] = []

        def flatten(n: cst.BaseExpression) -> None:
            if isinstance(n, cst.BooleanOperation) and type(n.operator) is op:
                flatten(n.left)
                flatten(n.right)
            else:
                operands.append(n)

        flatten(node.left)
        flatten(node.right)
        kind = "and" if (op is cst.And) != negate else "or"
        texts = []
        for i, operand in enumerate(operands):
            child = self._clause(operand, negate)
            text = child.text
            if child.kind == "atom" and _has_connective(text):
                text = f"({text})"
            elif child.kind not in ("atom", kind):
                text = ("both " if child.kind == "and" else "either ") + text
                if i < len(operands) - 1:
                    text += ","
            texts.append(text)
        return Clause(f" {kind} ".join(texts), kind=kind)

    def _comparison_clause(self, node: cst.Comparison, negate: bool) -> Clause:
        comps = node.comparisons
        if len(comps) == 1:
            return self._compare(node.left, comps[0].operator, comps[0].comparator, negate)
        joiner = " or " if negate else " and "
        first, second = comps[0], comps[1]
        if len(comps) == 2 and type(first.operator) in FLIPPED:
            flipped = FLIPPED[type(first.operator)]()
            a = self._compare(first.comparator, flipped, node.left, negate, flip_ok=False)
            b = self._compare(first.comparator, second.operator, second.comparator, negate,
                              flip_ok=False)
            if a.subject is not None and a.subject == b.subject:
                return Clause(f"{a.subject} {a.pred}{joiner}{b.pred}", a.subject,
                              f"{a.pred}{joiner}{b.pred}", kind=joiner.strip())
        parts = []
        left = node.left
        for ct in comps:
            parts.append(self._compare(left, ct.operator, ct.comparator, negate).text)
            left = ct.comparator
        return Clause(joiner.join(parts), kind="or" if negate else "and")

    def _compare(self, left: cst.BaseExpression, op: cst.BaseCompOp,
                 right: cst.BaseExpression, negate: bool, flip_ok: bool = True) -> Clause:
        special = self._special_compare(left, op, right, negate)
        if special is not None:
            return special
        if (flip_ok and type(op) in FLIPPED and is_literal(left) and not is_literal(right)):
            return self._compare(right, FLIPPED[type(op)](), left, negate, flip_ok=False)
        subject = self._subject(left)
        is_none = isinstance(right, cst.Name) and right.value == "None"
        if is_none and isinstance(op, (cst.Is, cst.IsNot, cst.Equal, cst.NotEqual)):
            missing = isinstance(op, (cst.Is, cst.Equal)) != negate
            return self._simple(subject, "has no value" if missing else "has a value")
        if isinstance(op, (cst.In, cst.NotIn)) and self.type_of(right) is dict:
            inside = isinstance(op, cst.In) != negate
            pred = f"{'is' if inside else 'is not'} a key of {self._subject(right)}"
            return self._simple(subject, pred)
        if isinstance(op, (cst.Is, cst.IsNot)) and isinstance(right, cst.Name) and (
                right.value in ("True", "False")):
            truth = (right.value == "True") == isinstance(op, cst.Is)
            return self._simple(subject, "is true" if truth != negate else "is false")
        positive, negative = COMPARE[type(op)]
        pred = negative if negate else positive
        return self._simple(subject, f"{pred} {self._subject(right)}")

    def _subject(self, node: cst.BaseExpression) -> str:
        """An operand of a clause: bracketed only if it could be misread."""
        ph = self._p(node)
        if ph.prec >= BIT or not (_has_connective(ph.text) or ", " in ph.text):
            return ph.text
        return f"({ph.text})"

    @staticmethod
    def _simple(subject: str, pred: str) -> Clause:
        return Clause(f"{subject} {pred}", subject, pred)

    def _special_compare(self, left: cst.BaseExpression, op: cst.BaseCompOp,
                         right: cst.BaseExpression, negate: bool) -> Clause | None:
        """x % 2 == 0 -> 'x is even'; x % k == 0 -> divisible; len(x) == 0 -> 'x is empty'."""
        if not isinstance(op, (cst.Equal, cst.NotEqual, cst.GreaterThan)):
            return None
        value = int_literal(right)
        equal = isinstance(op, cst.Equal) != negate
        if (isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Modulo)
                and self.type_of(left.left) in (int, None) and not isinstance(op,
                                                                             cst.GreaterThan)):
            k = int_literal(left.right)
            subject = self._at(left.left, BIT)
            if k == 2 and value in (0, 1):
                even = (value == 0) == equal
                return self._simple(subject, "is even" if even else "is odd")
            if value == 0:
                divisor = self._tail(left.right)
                return self._simple(subject, f"is divisible by {divisor}" if equal
                                    else f"is not divisible by {divisor}")
        if is_call_to(left, "len") and value == 0:
            inner = split_args(left).pos  # type: ignore[arg-type]
            if len(inner) == 1:
                empty = equal if not isinstance(op, cst.GreaterThan) else negate
                return self._simple(self._at(inner[0], BIT),
                                    "is empty" if empty else "is not empty")
        return None

    def _truthiness(self, node: cst.BaseExpression, negate: bool) -> Clause:
        if (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo)
                and self.type_of(node.left) in (int, None)):
            k = int_literal(node.right)
            subject = self._at(node.left, BIT)
            if k == 2:
                return self._simple(subject, "is even" if negate else "is odd")
            divisor = self._tail(node.right)
            return self._simple(subject, f"is divisible by {divisor}" if negate
                                else f"is not divisible by {divisor}")
        if is_call_to(node, "len") and len(split_args(node).pos) == 1:  # type: ignore[arg-type]
            inner = split_args(node).pos[0]  # type: ignore[arg-type]
            return self._simple(self._at(inner, BIT), "is empty" if negate else "is not empty")
        tp = self.type_of(node)
        if tp is None and isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and (
                node.func.value.startswith(("is_", "has_", "can_", "should_"))):
            tp = bool
        if tp is None and isinstance(node, cst.Name) and self.name(node.value).startswith(
                "whether "):
            fact = self.name(node.value)[len("whether "):]
            return Clause(f"it is not true that {fact}" if negate else fact)
        positive, negative = TRUTHY.get(tp, TRUTHY[None])
        return self._simple(self._subject(node), negative if negate else positive)

    def _call_clause(self, node: cst.Call, negate: bool) -> Clause | None:
        args = split_args(node)
        if args.starred:
            return None
        if isinstance(node.func, cst.Name):
            name = node.func.value
            if name in ("any", "all") and len(args.pos) == 1:
                return self._quantified(name, args.pos[0], negate)
            if name == "isinstance" and len(args.pos) == 2:
                return self._isinstance_clause(args, negate)
            if name == "bool" and len(args.pos) == 1:
                return self._clause(args.pos[0], negate)
            return None
        found = method_of(node)
        if found is None:
            return None
        return self._method_clause(found[0], found[1], args, negate)

    def _method_clause(self, recv: cst.BaseExpression, meth: str, a: Args,
                       negate: bool) -> Clause | None:
        subject = self._at(recv, BIT)
        if meth in STR_PREDICATES and not a.pos:
            positive, negative = STR_PREDICATES[meth]
            return self._simple(subject, negative if negate else positive)
        if meth in ("startswith", "endswith") and len(a.pos) == 1:
            verb = "start" if meth == "startswith" else "end"
            arg = a.pos[0]
            what = (self._items([e.value for e in arg.elements], "or")
                    if isinstance(arg, cst.Tuple) else self._tail(arg))
            pred = f"does not {verb} with {what}" if negate else f"{verb}s with {what}"
            return self._simple(subject, pred)
        sets = {"issubset": ("is a subset of", "is not a subset of"),
                "issuperset": ("contains every element of", "does not contain every element of"),
                "isdisjoint": ("has no element in common with", "has an element in common with")}
        if meth in sets and len(a.pos) == 1:
            pred = sets[meth][1] if negate else sets[meth][0]
            return self._simple(subject, f"{pred} {self._tail(a.pos[0])}")
        return None

    def _quantified(self, which: str, seq: cst.BaseExpression, negate: bool) -> Clause:
        """any/all: 'some x in lst is greater than 0', negated 'no x in lst is ...'."""
        # not any(P) == every x is not P; not all(P) == some x is not P
        quant = "some" if (which == "any") != negate else "every"
        inner_negate = negate
        if which == "any" and negate:  # "no x in lst is ..." reads better than "every ... not"
            quant, inner_negate = "no", False
        if isinstance(seq, (cst.GeneratorExp, cst.ListComp)) and seq.for_in.inner_for_in is None:
            comp = seq.for_in
            clause = self._clause(seq.elt, inner_negate)
            target = (self.name(comp.target.value) if isinstance(comp.target, cst.Name)
                      else None)
            where = self._filter_words(comp)
            scope = self._iteration(comp.target, comp.iter, short=True)
            if target is not None and clause.subject == target and not where:
                return Clause(f"{quant} {scope} {clause.pred}")
            if quant == "no":
                clause, quant = self._clause(seq.elt, True), "every"
            return Clause(f"{clause.text} for {quant} {scope}{where}")
        noun = self._noun(seq)
        state = "is false" if inner_negate else "is true"
        return Clause(f"{quant} {noun} of {self._tail(seq)} {state}")

    def _isinstance_clause(self, a: Args, negate: bool) -> Clause:
        kinds = a.pos[1].elements if isinstance(a.pos[1], cst.Tuple) else None
        nodes = [e.value for e in kinds] if kinds is not None else [a.pos[1]]
        nouns = []
        for n in nodes:
            tp = ANNOTATION_TYPES.get(n.value) if isinstance(n, cst.Name) else None
            nouns.append(TYPE_NOUNS.get(tp, f"a value of kind {self.expr(n)}") if tp else
                         f"a value of kind {self.expr(n)}")
        if negate and len(nouns) > 1:
            pred = "is neither " + and_list(nouns, "nor")
        else:
            pred = ("is not " if negate else "is ") + and_list(nouns, "or")
        return self._simple(self._at(a.pos[0], BIT), pred)

    # ------------------------------------------------------------------ statements

    def _target(self, node: cst.BaseExpression, nested: bool = False) -> str:
        """A target of an assignment: 'x', 'the element of x at position i', 'a and b'."""
        if isinstance(node, (cst.Tuple, cst.List)):
            text = and_list([self._target(e.value, nested=True) for e in node.elements])
            return f"({text})" if nested else text
        if isinstance(node, cst.StarredElement):
            return f"{self._target(node.value)} (taking the remaining elements)"
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(
                node.slice[0].slice, cst.Slice):
            return self._slice_target(node.value, node.slice[0].slice)
        return self.expr(node)

    def _assign(self, node: cst.Assign) -> str:
        value = node.value
        targets = [t.target for t in node.targets]
        if len(targets) > 1:
            return f"set {and_list([self._target(t) for t in targets])} to {self.expr(value)}"
        target = targets[0]
        popped = self._pop_assign(target, value)
        if popped is not None:
            return popped
        if isinstance(target, (cst.Tuple, cst.List)):
            return self._unpack(target, value)
        if isinstance(target, cst.Subscript):
            sl = target.slice[0].slice if len(target.slice) == 1 else None
            if isinstance(sl, cst.Slice):
                if sl.lower is None and sl.upper is None and sl.step is None:
                    return f"replace the contents of {self._tail(target.value)} with " \
                           f"{self._tail(value)}"
                return f"replace {self._target(target)} with {self.expr(value)}"
        update = self._self_update(target, value)
        if update is not None:
            return update
        return f"set {self._target(target)} to {self.expr(value)}"

    def _self_update(self, target: cst.BaseExpression, value: cst.BaseExpression) -> str | None:
        """`x = x + 1` reads like `x += 1`."""
        if not (isinstance(value, cst.BinaryOperation) and same_code(value.left, target)):
            return None
        aug = {cst.Add: cst.AddAssign, cst.Subtract: cst.SubtractAssign,
               cst.Multiply: cst.MultiplyAssign, cst.FloorDivide: cst.FloorDivideAssign,
               cst.Divide: cst.DivideAssign}.get(type(value.operator))
        if aug is None or value.left.lpar:
            return None
        return self._augassign(cst.AugAssign(target=target, operator=aug(), value=value.right))

    def _unpack(self, target: cst.Tuple | cst.List, value: cst.BaseExpression) -> str:
        parts = [e.value for e in target.elements]
        starred = [i for i, e in enumerate(target.elements) if isinstance(e, cst.StarredElement)]
        if isinstance(value, (cst.Tuple, cst.List)) and not starred and len(value.elements) == len(
                parts) and all(isinstance(e, cst.Element) for e in value.elements):
            values = [e.value for e in value.elements]
            if (len(parts) == 2 and same_code(parts[0], values[1])
                    and same_code(parts[1], values[0])):
                return f"swap {self._target(parts[0])} and {self._target(parts[1])}"
            pieces = [f"{self._target(t)} to {self._item(v)}" for t, v in zip(parts, values)]
            text = "set " + and_list(pieces)
            bound = {n for p in parts for n in target_names(p)}
            if any(bound & names_in(v) for v in values):
                text += " at the same time"
            return text
        if is_call_to(value, "divmod") and len(parts) == 2 and not starred:
            a = split_args(value)  # type: ignore[arg-type]
            if len(a.pos) == 2:
                x, y = self._mid(a.pos[0]), self._mid(a.pos[1])
                return (f"set {self._target(parts[0])} to {x} divided by {y}, rounded down, and "
                        f"{self._target(parts[1])} to the remainder of {x} divided by {y}")
        source = self._tail(value)
        if starred and len(starred) == 1:
            i = starred[0]
            rest = self._target(parts[i].value if isinstance(parts[i], cst.StarredElement)
                                else parts[i])
            before, after = parts[:i], parts[i + 1:]
            pieces = [f"{self._target(t)} to the {ORDINALS[k] if k < 10 else ordinal(k + 1)} "
                      f"element" for k, t in enumerate(before)]
            pieces += [f"{self._target(t)} to the {from_end(len(after) - k)} element"
                       for k, t in enumerate(after)]
            pieces.append(f"{rest} to a list of the elements in between" if before and after
                          else f"{rest} to a list of the other elements")
            return f"from {source}, set " + and_list(pieces)
        count = number_word(len(parts))
        return f"set {self._target(target)} to the {count} elements of {source}, in order"

    def _hoist_pop(self, node: cst.CSTNode) -> str | None:
        """`total += lst.pop()` -> 'remove the last element of lst and add it to total';
        also `out.append(lst.pop(0))` and `x[i] = lst.pop()`."""
        popped: cst.BaseExpression | None = None
        if isinstance(node, cst.AugAssign):
            popped = node.value
        elif isinstance(node, cst.Assign) and not all(
                isinstance(t.target, (cst.Name, cst.Tuple, cst.List)) for t in node.targets):
            popped = node.value
        elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
            args = node.value.args
            if len(args) == 1 and not args[0].keyword and not args[0].star:
                popped = args[0].value
            elif len(args) == 2 and method_of(node.value) is not None:
                popped = args[1].value  # insert(i, lst.pop())
        found = method_of(popped) if popped is not None else None
        if popped is None or found is None or found[1] not in ("pop", "popitem"):
            return None
        action = self._METHOD_STMTS[found[1]](self, found[0], split_args(popped))  # type: ignore
        if action is None:
            return None
        handler = self._STMTS[type(node)]
        alias = "its value" if found[1] == "pop" and self.type_of(found[0]) is dict else "it"
        rest = self._with_alias(alias, lambda it: handler(self, node.deep_replace(popped, it)))
        return f"{action} and {rest}"

    def _pop_assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> str | None:
        """`x = lst.pop(0)` -> 'remove the first element of lst and call it x'."""
        found = method_of(value)
        if found is None or found[1] not in ("pop", "popitem") or not isinstance(
                target, (cst.Name, cst.Tuple, cst.List)):
            return None
        recv, meth = found
        args = split_args(value)  # type: ignore[arg-type]
        action = self._METHOD_STMTS[meth](self, recv, args)
        if action is None:
            return None
        what = "its value" if meth == "pop" and self.type_of(recv) is dict else "it"
        if isinstance(target, (cst.Tuple, cst.List)):
            what = "the key and the value" if meth == "popitem" else "its parts"
        elif meth == "popitem":
            what = "the pair"
        return f"{action} and call {what} {self._target(target)}"

    def _annassign(self, node: cst.AnnAssign) -> str:
        if node.value is None:
            tp, _ = _annotation_type(node.annotation.annotation)
            noun = TYPE_NOUNS.get(tp, "a value") if tp else "a value"
            return f"let {self._target(node.target)} be {noun}"
        return self._assign(cst.Assign(targets=[cst.AssignTarget(node.target)], value=node.value))

    def _augassign(self, node: cst.AugAssign) -> str:
        target, value, op = node.target, node.value, type(node.operator)
        t = self._target(target)
        kind = self.type_of(target)
        v = self._at(value, ADD)
        if op is cst.AddAssign:
            if kind in (list, tuple) or isinstance(value, cst.List):
                if isinstance(value, cst.List) and len(value.elements) == 1 and isinstance(
                        value.elements[0], cst.Element):
                    return f"append {self._item(value.elements[0].value)} to the end of {t}"
                return f"append the elements of {self._tail(value)} to the end of {t}"
            if kind is str or self.type_of(value) is str:
                return f"add {v} to the end of {t}"
            return f"add {v} to {t}"
        if op is cst.SubtractAssign:
            if kind in (set, frozenset):
                return f"remove the elements of {self._tail(value)} from {t}"
            return f"subtract {v} from {t}"
        if op is cst.MultiplyAssign:
            if kind in (str, list, tuple):
                return f"repeat {t} {v} times"
            return f"multiply {t} by {v}"
        if op is cst.DivideAssign:
            return f"divide {t} by {v}"
        if op is cst.FloorDivideAssign:
            return f"divide {t} by {self._mid(value)}, rounded down"
        if op is cst.PowerAssign:
            return f"raise {t} to the power of {v}"
        if op is cst.BitOrAssign and kind in (set, frozenset):
            return f"add the elements of {self._tail(value)} to {t}"
        if op is cst.BitOrAssign and kind is dict:
            return f"update {t} with the keys and values of {self._tail(value)}"
        if op is cst.BitAndAssign and kind in (set, frozenset):
            return f"keep only the elements of {t} that are also in {self._tail(value)}"
        if op in (cst.LeftShiftAssign, cst.RightShiftAssign):
            direction = "left" if op is cst.LeftShiftAssign else "right"
            bits = "bit" if int_literal(value) == 1 else "bits"
            return f"shift {t} {direction} by {self._mid(value)} {bits}"
        binop = {cst.ModuloAssign: cst.Modulo, cst.BitAndAssign: cst.BitAnd,
                 cst.BitOrAssign: cst.BitOr, cst.BitXorAssign: cst.BitXor,
                 cst.MatrixMultiplyAssign: cst.MatrixMultiply}.get(op, cst.Add)
        combined = cst.BinaryOperation(left=target, operator=binop(), right=value)
        return f"set {t} to {self.expr(combined)}"

    def _expr_stmt(self, node: cst.Expr) -> str:
        value = node.value
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) and is_literal(value):
            text = literal_value(value)
            return f"note: {' '.join(str(text).split())}"
        if isinstance(value, cst.Call):
            module_text = statement_phrase(self, value)  # heapq.heappush(h, x), ... (stdlib_nl)
            if module_text is not None:
                return module_text
            found = method_of(value)
            if found is not None:
                recv, meth = found
                handler = self._METHOD_STMTS.get(meth)
                args = split_args(value)
                if handler is not None and not args.starred:
                    text = handler(self, recv, args)
                    if text is not None:
                        return text
                if meth in RECEIVER_TYPES or meth in self._METHODS:
                    return f"work out {self.expr(value)}"
                return f"apply {words(meth)} to {self._mid(recv)}{self._with_args(value)}"
            if isinstance(value.func, cst.Name) and value.func.value not in self._BUILTINS:
                if not value.args:
                    return f"run {self.name(value.func.value)}"
                return f"apply {self.name(value.func.value)} to {self._arg_list(value)}"
        return f"work out {self.expr(value)}"

    def _return(self, node: cst.Return) -> str:
        if node.value is None:
            return "stop and return nothing"
        return f"return {self.expr(node.value)}"

    def _del(self, node: cst.Del) -> str:
        target = node.target
        items = ([e.value for e in target.elements] if isinstance(target, (cst.Tuple, cst.List))
                 else [target])
        return " and ".join(self._del_one(t) for t in items)

    def _del_one(self, target: cst.BaseExpression) -> str:
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            sl = target.slice[0].slice
            if isinstance(sl, cst.Index) and self.type_of(target.value) is dict:
                return f"remove key {self._mid(sl.value)} from {self._tail(target.value)}"
            return f"remove {self._target(target)}"
        return f"forget {self._target(target)}"

    def _assert(self, node: cst.Assert) -> str:
        text = f"make sure that {self.cond(node.test)}"
        if node.msg is not None:
            text += f" (otherwise stop with the message {self._tail(node.msg)})"
        return text

    def _raise(self, node: cst.Raise) -> str:
        exc = node.exc
        if exc is None:
            return "stop with the same error again"
        if isinstance(exc, cst.Call) and isinstance(exc.func, cst.Name):
            name = exc.func.value
            what = EXCEPTION_WORDS.get(name, "an error")
            if exc.args:
                return f"stop with {what} ({name}): {self._arg_list(exc)}"
            return f"stop with {what} ({name})"
        if isinstance(exc, cst.Name):
            return f"stop with {EXCEPTION_WORDS.get(exc.value, 'an error')} ({exc.value})"
        return f"stop with the error {self._tail(exc)}"

    def _scope(self, node: cst.Global | cst.Nonlocal) -> str:
        names = and_list([self.name(n.name.value) for n in node.names])
        return f"use the shared variable{'s' if len(node.names) > 1 else ''} {names}"

    def _import(self, node: cst.CSTNode) -> str:
        if isinstance(node, cst.ImportFrom) and node.module is not None and not isinstance(
                node.names, cst.ImportStar):
            names = and_list([code_of(a.name).strip() for a in node.names])
            return f"load {names} from the module {code_of(node.module).strip()!r}"
        return f"load the module {code_of(node).strip().split(maxsplit=1)[-1]!r}"

    def _type_alias(self, node: cst.CSTNode) -> str:
        return f"define the type {code_of(node).strip()!r}"

    def _compound_summary(self, node: cst.BaseCompoundStatement) -> str:
        if isinstance(node, cst.If):
            return f"check whether {self.cond(node.test)}"
        if isinstance(node, cst.While):
            return f"repeat while {self.cond(node.test)}"
        if isinstance(node, cst.For):
            return f"repeat for {self.header(node)}"
        if isinstance(node, cst.Try):
            return "try the following steps"
        return f"run the {type(node).__name__.lower()} block"

    def _except_words(self, exc: cst.BaseExpression | None) -> str:
        if exc is None:
            return "any error happens"
        nodes = [e.value for e in exc.elements] if isinstance(exc, cst.Tuple) else [exc]
        names = []
        for n in nodes:
            label = n.value if isinstance(n, cst.Name) else code_of(n).strip()
            names.append(f"{EXCEPTION_WORDS.get(label, 'an error')} ({label})")
        return f"{and_list(names, 'or')} happens"

    # method statements: handler(self, receiver, args) -> sentence text | None

    def _pop_words(self, r: cst.BaseExpression, a: Args) -> tuple[str, str] | None:
        """(what is removed, from where) for x.pop(...)."""
        kind = self.type_of(r)
        origin = self._tail(r)
        if kind is dict:
            if not a.pos:
                return None
            return f"the value of {self._mid(r)} for key {self._mid(a.pos[0])}", origin
        if kind in (set, frozenset):
            return "an arbitrary element", origin
        noun = self._noun(r)
        if not a.pos:
            return f"the last {noun} of {origin}", origin
        i = a.pos[0]
        n = int_literal(i)
        if n is not None and 0 <= n < len(ORDINALS):
            return f"the {ORDINALS[n]} {noun} of {origin}", origin
        if n is not None and n < 0:
            return f"the {from_end(-n)} {noun} of {origin}", origin
        return f"the {noun} of {self._mid(r)} at {self._position(i)}", origin

    def _s_pop(self, r: cst.BaseExpression, a: Args) -> str | None:
        kind = self.type_of(r)
        if kind is dict and a.pos:
            return f"remove key {self._mid(a.pos[0])} from {self._tail(r)}"
        if kind in (set, frozenset):
            return f"remove an arbitrary element from {self._tail(r)}"
        removed = self._pop_words(r, a)
        return None if removed is None else f"remove {removed[0]}"

    def _s_popitem(self, r: cst.BaseExpression, a: Args) -> str | None:
        return f"remove the most recently added key and its value from {self._tail(r)}"

    def _s_append(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 1:
            return None
        return f"append {self._at(a.pos[0], ADD)} to the end of {self._tail(r)}"

    def _s_extend(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 1:
            return None
        seq = a.pos[0]
        if isinstance(seq, cst.GeneratorExp):
            return f"append {self._gen_inner(seq)}, to the end of {self._tail(r)}"
        return f"append the elements of {self._mid(seq)} to the end of {self._tail(r)}"

    def _s_insert(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 2:
            return None
        i, v = a.pos
        if int_literal(i) == 0:
            return f"insert {self._at(v, ADD)} at the front of {self._tail(r)}"
        return f"insert {self._at(v, ADD)} into {self._mid(r)} at {self._position(i)}"

    def _s_remove(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 1:
            return None
        if self.type_of(r) in (set, frozenset):
            return f"remove {self._at(a.pos[0], ADD)} from {self._tail(r)}"
        return f"remove the first occurrence of {self._mid(a.pos[0])} from {self._tail(r)}"

    def _s_discard(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 1:
            return None
        return f"remove {self._at(a.pos[0], ADD)} from {self._mid(r)} if it is there"

    def _s_add(self, r: cst.BaseExpression, a: Args) -> str | None:
        if len(a.pos) != 1:
            return None
        return f"add {self._at(a.pos[0], ADD)} to {self._tail(r)}"

    def _s_clear(self, r: cst.BaseExpression, a: Args) -> str | None:
        return f"remove everything from {self._tail(r)}"

    def _s_sort(self, r: cst.BaseExpression, a: Args) -> str | None:
        if a.pos:
            return None
        got = self._order(a)
        if got is None:
            return None
        order, by = got
        key = a.kw.get("key")
        if isinstance(key, cst.Lambda) and len(key.params.params) == 1:
            var = self._bare_label(key.params.params[0].name)
            return f"sort the elements {var} of {self._mid(r)}{by}, {order}"
        if by:
            return f"sort {self._mid(r)}{by}, {order}"
        return f"sort {self._mid(r)} {order}"

    def _s_reverse(self, r: cst.BaseExpression, a: Args) -> str | None:
        return f"reverse the order of the elements of {self._tail(r)}"

    def _s_update(self, r: cst.BaseExpression, a: Args) -> str | None:
        kind = self.type_of(r)
        if kind in (set, frozenset):
            return f"add the elements of {self._items(a.pos)} to {self._tail(r)}"
        if len(a.pos) == 1 and not a.kw:
            return f"update {self._mid(r)} with the keys and values of {self._tail(a.pos[0])}"
        if a.kw and not a.pos:
            pairs = [f"the value for key {k!r} to {self._item(v)}" for k, v in a.kw.items()]
            return f"in {self._mid(r)}, set {and_list(pairs)}"
        return None

    def _s_setdefault(self, r: cst.BaseExpression, a: Args) -> str | None:
        if not a.pos:
            return None
        k = self._mid(a.pos[0])
        v = self._item(a.pos[1]) if len(a.pos) > 1 else "nothing"
        return f"if {k} is not a key of {self._mid(r)}, set the value of {self._mid(r)} for key " \
               f"{k} to {v}"

    def _s_set_update(self, r: cst.BaseExpression, a: Args, how: str) -> str | None:
        if not a.pos:
            return None
        others = self._items(a.pos)
        return {"intersection": f"keep only the elements of {self._mid(r)} that are also in "
                                f"{others}",
                "difference": f"remove the elements of {others} from {self._tail(r)}",
                "symmetric": f"keep only the elements that are in exactly one of "
                             f"{self._mid(r)} and {others}"}[how]

    # ------------------------------------------------------------------ dispatch tables

    _EXPR: ClassVar[dict[type, Callable[[Verbaliser, cst.BaseExpression], Phrase]]] = {
        cst.Name: _name, cst.Integer: _number, cst.Float: _number, cst.Imaginary: _number,
        cst.SimpleString: _literal, cst.ConcatenatedString: _concat, cst.FormattedString: _fstring,
        cst.TemplatedString: _template, cst.Attribute: _attribute, cst.Ellipsis: _ellipsis,
        cst.List: _list, cst.Tuple: _tuple, cst.Set: _set, cst.Dict: _dict,
        cst.BinaryOperation: _binary, cst.UnaryOperation: _unary,
        cst.BooleanOperation: _boolean, cst.Comparison: _comparison, cst.IfExp: _ifexp,
        cst.Lambda: _lambda, cst.NamedExpr: _named, cst.Await: _await, cst.Yield: _yield,
        cst.StarredElement: _starred, cst.Subscript: _subscript,
        cst.ListComp: _listcomp, cst.SetComp: _setcomp, cst.GeneratorExp: _genexp,
        cst.DictComp: _dictcomp, cst.StarredDictComp: _starred_dictcomp, cst.Call: _call,
    }  # type: ignore[dict-item]

    _BINARY: ClassVar[dict[type, Callable[[Verbaliser, cst.BinaryOperation], Phrase]]] = {
        cst.Add: _add, cst.Subtract: _subtract, cst.Multiply: _multiply, cst.Divide: _divide,
        cst.FloorDivide: _floor_divide, cst.Modulo: _modulo, cst.Power: _power,
        cst.LeftShift: _shift, cst.RightShift: _shift, cst.BitAnd: _bitwise,
        cst.BitOr: _bitwise, cst.BitXor: _bitwise, cst.MatrixMultiply: _matmul,
    }

    _BUILTINS: ClassVar[dict[str, Callable[[Verbaliser, Args], Phrase | None]]] = {
        "len": _b_len, "int": _b_int, "float": _b_float, "str": _b_str, "bool": _b_bool,
        "abs": _b_abs, "min": _b_min, "max": _b_max, "sum": _b_sum, "sorted": _b_sorted,
        "reversed": _b_reversed, "range": _b_range, "enumerate": _b_enumerate, "zip": _b_zip,
        "map": _b_map, "filter": _b_filter, "list": _b_list, "tuple": _b_tuple, "set": _b_set,
        "frozenset": _b_set, "dict": _b_dict, "ord": _b_ord, "chr": _b_chr, "any": _b_any,
        "all": _b_all, "round": _b_round, "divmod": _b_divmod, "pow": _b_pow,
        "isinstance": _b_isinstance, "bin": _b_bin, "hex": _b_hex, "oct": _b_oct,
        "iter": _b_iter, "next": _b_next,
    }

    _METHODS: ClassVar[dict[str, Callable[[Verbaliser, cst.BaseExpression, Args], Phrase | None]]] = {
        "lower": _m_lower, "casefold": _m_lower, "upper": _m_upper,
        "capitalize": _m_capitalize, "title": _m_title, "swapcase": _m_swapcase,
        "strip": _m_strip, "lstrip": _m_lstrip, "rstrip": _m_rstrip, "split": _m_split,
        "rsplit": _m_rsplit, "splitlines": _m_splitlines, "join": _m_join,
        "replace": _m_replace, "count": _m_count, "index": _m_index, "rindex": _m_rindex,
        "find": _m_find, "rfind": _m_rfind, "zfill": _m_zfill, "ljust": _m_ljust,
        "rjust": _m_rjust, "center": _m_center, "partition": _m_partition,
        "rpartition": _m_rpartition, "format": _m_format, "removeprefix": _m_removeprefix,
        "removesuffix": _m_removesuffix, "get": _m_get, "keys": _m_keys, "values": _m_values,
        "items": _m_items, "copy": _m_copy, "pop": _m_pop, "bit_length": _m_bit_length,
        "bit_count": _m_bit_count,
        **{m: (lambda self, r, a, _m=m: self._m_predicate(r, a, _m))
           for m in STR_METHODS_BOOL | SET_METHODS_BOOL},
        **{m: (lambda self, r, a, _m=m: self._m_setop(r, a, _m)) for m in SET_METHODS_SET},
    }

    _METHOD_STMTS: ClassVar[dict[str, Callable[[Verbaliser, cst.BaseExpression, Args], str | None]]] = {
        "pop": _s_pop, "popitem": _s_popitem, "append": _s_append, "extend": _s_extend,
        "insert": _s_insert, "remove": _s_remove, "discard": _s_discard, "add": _s_add,
        "clear": _s_clear, "sort": _s_sort, "reverse": _s_reverse, "update": _s_update,
        "setdefault": _s_setdefault,
        "intersection_update": lambda self, r, a: self._s_set_update(r, a, "intersection"),
        "difference_update": lambda self, r, a: self._s_set_update(r, a, "difference"),
        "symmetric_difference_update": lambda self, r, a: self._s_set_update(r, a, "symmetric"),
    }

    _STMTS: ClassVar[dict[type, Callable[[Verbaliser, cst.CSTNode], str]]] = {
        cst.Assign: _assign, cst.AnnAssign: _annassign, cst.AugAssign: _augassign,
        cst.Expr: _expr_stmt, cst.Return: _return, cst.Del: _del, cst.Assert: _assert,
        cst.Raise: _raise, cst.Global: _scope, cst.Nonlocal: _scope,
        cst.Import: _import, cst.ImportFrom: _import, cst.TypeAlias: _type_alias,
        cst.Pass: lambda self, node: "do nothing",
        cst.Break: lambda self, node: "stop the loop",
        cst.Continue: lambda self, node: "skip to the next iteration of the loop",
    }  # type: ignore[dict-item]
