"""Statement wording: assignments, updates, returns and the statement-form methods
(``_s_*``: append, pop, sort...).
"""

from __future__ import annotations

import libcst as cst

from rulec.compiler.nl_values import string_words
from rulec.compiler.stdlib_nl import statement_phrase
from rulec.compiler.verbal_phrases import (
    ADD,
    EXCEPTION_WORDS,
    ORDINALS,
    TYPE_NOUNS,
    Args,
    and_list,
    code_of,
    from_end,
    int_literal,
    is_call_to,
    is_literal_value,
    literal_value,
    method_of,
    names_in,
    number_word,
    ordinal,
    same_code,
    split_args,
    target_names,
    words,
)
from rulec.compiler.verbal_signs import alias_of
from rulec.compiler.verbal_types import (
    RECEIVER_TYPES,
    _annotation_type,
)


class StmtMixin:
    """Mixin of ``Verbaliser`` (methods reach the others through ``self``)."""

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
        if (isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not)
                and same_code(value.expression, target) and self.type_of(target) is bool):
            return f"switch {self._target(target)} between true and false (true becomes false, " \
                   "false becomes true)"
        update = self._self_update(target, value) or self._counter_update(target, value)
        if update is not None:
            return update
        text = f"set {self._target(target)} to {self.expr(value)}"
        owner = alias_of(target, value, self.mutated)
        if owner is not None:  # shared storage (issue 9, lc_705): say so where it starts
            name = self.expr(target)
            text += (f"; {name} is that very {self._kind_noun(target)}, not a copy, so a change "
                     f"to {name} is also a change to {self.expr(owner)}")
        return text

    def _kind_noun(self, node: cst.BaseExpression) -> str:
        return {list: "list", dict: "dictionary", set: "set"}.get(self.type_of(node), "value")

    def _counter_update(self, target: cst.BaseExpression, value: cst.BaseExpression) -> str | None:
        """`d[k] = d.get(k, 0) + v` -> "add v to the value of d for key k (0 if it has none)"."""
        if not (isinstance(target, cst.Subscript) and len(target.slice) == 1
                and isinstance(target.slice[0].slice, cst.Index)
                and isinstance(value, cst.BinaryOperation)
                and isinstance(value.operator, cst.Add)):
            return None
        found = method_of(value.left)
        if found is None or found[1] != "get" or not same_code(found[0], target.value):
            return None
        args = split_args(value.left)  # type: ignore[arg-type]
        if len(args.pos) != 2 or not same_code(args.pos[0], target.slice[0].slice.value):
            return None
        start = self._mid(args.pos[1])
        return (f"add {self._mid(value.right)} to the value of {self._mid(target.value)} for key "
                f"{self._mid(args.pos[0])} (starting from {start} if it has none)")

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
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) and is_literal_value(value):
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
            return f"load {names} from the module {string_words(code_of(node.module).strip())}"
        return f"load the module {string_words(code_of(node).strip().split(maxsplit=1)[-1])}"

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
            pairs = [f"the value for key {string_words(k)} to {self._item(v)}" for k, v in a.kw.items()]
            return f"in {self._mid(r)}, set {and_list(pairs)}"
        return None

    def _s_setdefault(self, r: cst.BaseExpression, a: Args) -> str | None:
        if not a.pos:
            return None
        k = self._mid(a.pos[0])
        v = self._item(a.pos[1]) if len(a.pos) > 1 else "no value"
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
