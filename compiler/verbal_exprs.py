"""Expression wording: helpers, atoms, containers, strings, operators, subscripts,
slices and iteration phrases ("each element x of lst").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from rulec.compiler.nl_values import string_words
from rulec.compiler.stdlib_nl import attribute_phrase
from rulec.compiler.verbal_phrases import (
    _ALIAS_EACH,
    ADD,
    ATOM,
    COND,
    MOD,
    MUL,
    ORDINALS,
    POSTFIX,
    POWER,
    SHIFT,
    TEST,
    UNARY,
    Args,
    Phrase,
    and_list,
    code_of,
    from_end,
    int_literal,
    is_call_to,
    is_literal_value,
    literal_value,
    method_of,
    ordinal,
    same_code,
    split_args,
    value_text,
    words,
)
from rulec.compiler.verbal_types import (
    static_type,
)


class ExprMixin:
    """Mixin of ``Verbaliser`` (methods reach the others through ``self``)."""

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
            if self.introducing and target.value not in self.introduced:
                self.introduced.add(target.value)
                if self.is_long(target.value):
                    phrase = f"{phrase} ({target.value})"
            for article in ("the ", "a ", "an "):
                if phrase.startswith(article):
                    return phrase[len(article):]
            return f"{noun} {phrase}"
        if isinstance(target, cst.Name) and target.value == "_":
            return noun
        if isinstance(target, cst.Name):
            self.introduced.add(target.value)  # "each element x of lst" introduces x
            return f"{noun} {target.value}".strip()
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
        constant = {"True": "true", "False": "false", "None": "no value"}.get(node.value)
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
        if is_literal_value(node):
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
        if is_literal_value(node):
            return self._literal(node)
        return Phrase(f"a list holding {and_list(self._element_texts(node.elements))}", COND)

    def _tuple(self, node: cst.Tuple) -> Phrase:
        if is_literal_value(node):
            return self._literal(node)
        n = len(node.elements)
        kind = "the pair of" if n == 2 else "the group of"
        return Phrase(f"{kind} {and_list(self._element_texts(node.elements))}", COND)

    def _set(self, node: cst.Set) -> Phrase:
        if is_literal_value(node):
            return self._literal(node)
        return Phrase(f"a set holding {and_list(self._element_texts(node.elements))}", COND)

    def _dict(self, node: cst.Dict) -> Phrase:
        if is_literal_value(node):
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
                    parts.append(string_words(part.value.replace("{{", "{").replace("}}", "}"), False))
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
                text = f"{text} formatted with the pattern {string_words(spec)}"
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
        if int_literal(node.right) == 10 and left in (int, bool) and id(node.left) in self.nonneg:
            # only for a provably non-negative integer: -13 % 10 is 7 in Python
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
