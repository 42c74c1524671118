"""Phrase building blocks of the verbaliser: precedence levels, word tables, small helpers,
and the English for Python constants (see verbalise.py).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import libcst as cst

from rulec.compiler.cstutil import code_of, is_literal_value, target_names  # noqa: F401  (re-exported)
from rulec.compiler.nl_values import value_words

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
    # unknown type: Python's truthiness in full (None and false are falsy too)
    None: ("is not empty, zero, false or no value", "is empty, zero, false or no value"),
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

# str predicates: (positive, negative). Exact on the empty string too: "".isdigit() is False.
STR_PREDICATES: dict[str, tuple[str, str]] = {
    **{m: ("has only digits, at least one", "is empty or has a character that is not a digit")
       for m in ("isdigit", "isdecimal", "isnumeric")},
    "isalpha": ("has only letters, at least one",
                "is empty or has a character that is not a letter"),
    "isalnum": ("has only letters and digits, at least one",
                "is empty or has a character that is neither a letter nor a digit"),
    "isspace": ("has only whitespace, at least one character",
                "is empty or has a character that is not whitespace"),
    "isascii": ("has only ASCII characters", "has a character that is not ASCII"),
    "isprintable": ("has only printable characters", "has a character that is not printable"),
    "isidentifier": ("is a valid name", "is not a valid name"),
    "isupper": ("has at least one upper-case letter and no lower-case letter",
                "has no upper-case letter or has a lower-case letter"),
    "islower": ("has at least one lower-case letter and no upper-case letter",
                "has no lower-case letter or has an upper-case letter"),
    "istitle": ("is in title case", "is not in title case"),
}
# the same predicates on a single character (a loop variable over a text)
CHAR_PREDICATES: dict[str, tuple[str, str]] = {
    **{m: ("is a digit", "is not a digit") for m in ("isdigit", "isdecimal", "isnumeric")},
    "isalpha": ("is a letter", "is not a letter"),
    "isalnum": ("is a letter or a digit", "is neither a letter nor a digit"),
    "isspace": ("is whitespace", "is not whitespace"),
    "isupper": ("is an upper-case letter", "is not an upper-case letter"),
    "islower": ("is a lower-case letter", "is not a lower-case letter"),
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


_TYPE_NOUN_PREFIXES = tuple(f"the {n} " for n in (
    "list", "number", "text", "dictionary", "set", "tuple", "value", "character", "truth value"))
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "feet", "teeth", "mice"})
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ics", "ous")
_AGREE = (("is ", "are "), ("has ", "have "), ("does ", "do "), ("consists ", "consist "),
          ("starts ", "start "), ("ends ", "end "), ("contains ", "contain "),
          ("changes", "change"))


def is_plural(subject: str) -> bool:
    """True for a plural noun phrase: "the remaining words", not "the length of words", not
    a bare variable name ("capitals" names one value)."""
    if not subject.startswith("the ") or subject.startswith(_TYPE_NOUN_PREFIXES):
        return False  # "the list nums" names one list
    head = re.split(r" (?:of|at|in|for|from|with|that|which|to)\b| \(|,", subject, maxsplit=1)[0]
    last = head.split()[-1]
    if last in _IRREGULAR_PLURALS:
        return True
    return (len(last) > 3 and last.endswith("s") and not last.endswith(_NOT_PLURAL_ENDINGS)
            and last[:1].isalpha())


def agree(subject: str, pred: str) -> str:
    """The predicate with its verb agreeing in number with the subject ("are not empty")."""
    if is_plural(subject):
        for singular, plural in _AGREE:
            if pred.startswith(singular):
                return plural + pred[len(singular):]
    return pred


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




def literal_value(node: cst.BaseExpression) -> object:
    return ast.literal_eval(code_of(node).strip())


def value_text(value: object) -> str:
    """A Python constant as English, in the notation of ``nl_values`` (true, "abc"), a
    non-empty container named: "the list [1, 2]"."""
    kind = {list: "list", tuple: "tuple", set: "set", frozenset: "set", dict: "dictionary"}
    if type(value) in kind and value:
        return f"the {kind[type(value)]} {value_words(value)}"
    return value_words(value)


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
