"""Condition wording: clauses that state an expression is true or false.
"""

from __future__ import annotations

import libcst as cst

from rulec.compiler.verbal_phrases import (
    BIT,
    CHAR_PREDICATES,
    COMPARE,
    FLIPPED,
    STR_PREDICATES,
    TRUTHY,
    TYPE_NOUNS,
    Args,
    Clause,
    _has_connective,
    agree,
    and_list,
    int_literal,
    is_call_to,
    is_literal_value,
    method_of,
    split_args,
)
from rulec.compiler.verbal_types import (
    ANNOTATION_TYPES,
)


class ClauseMixin:
    """Mixin of ``Verbaliser`` (methods reach the others through ``self``)."""

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
        if (flip_ok and type(op) in FLIPPED and is_literal_value(left) and not is_literal_value(right)):
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
        if isinstance(op, (cst.LessThan, cst.LessThanEqual, cst.GreaterThan,
                           cst.GreaterThanEqual)) and str in (self.type_of(left),
                                                              self.type_of(right)):
            self.text_order = True  # the rule needs the preamble's note on text order
        if isinstance(op, (cst.Equal, cst.NotEqual)) and is_literal_value(right):
            positive, negative = positive.replace(" equal to", ""), negative.replace(" equal to", "")
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
        pred = agree(subject, pred)
        return Clause(f"{subject} {pred}", subject, pred)

    def _special_compare(self, left: cst.BaseExpression, op: cst.BaseCompOp,
                         right: cst.BaseExpression, negate: bool) -> Clause | None:
        """x % 2 == 0 -> 'x is even'; x % k == 0 -> divisible; len(x) == 0 -> 'x is empty'."""
        if not isinstance(op, (cst.Equal, cst.NotEqual, cst.GreaterThan)):
            return None
        value = int_literal(right)
        equal = isinstance(op, cst.Equal) != negate
        if (isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Modulo)
                and self.type_of(left.left) in (int, bool) and not isinstance(op,
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
                and self.type_of(node.left) in (int, bool)):
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
        if meth in CHAR_PREDICATES and not a.pos and isinstance(recv, cst.Name) and (
                recv.value in self.chars):
            positive, negative = CHAR_PREDICATES[meth]
            return self._simple(subject, negative if negate else positive)
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
