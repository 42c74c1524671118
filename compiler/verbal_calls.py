"""Call wording: builtin functions (``_b_*``) and methods (``_m_*``) that give a value.
"""

from __future__ import annotations

import libcst as cst

from rulec.compiler.nl_values import string_words
from rulec.compiler.stdlib_nl import call_phrase
from rulec.compiler.verbal_phrases import (
    ATOM,
    COND,
    KEY_NOUNS,
    MOD,
    POSTFIX,
    POWER,
    TEST,
    Args,
    Phrase,
    and_list,
    int_literal,
    is_call_to,
    is_literal_value,
    method_of,
    same_code,
    split_args,
    words,
)


class CallMixin:
    """Mixin of ``Verbaliser`` (methods reach the others through ``self``)."""

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
            return Phrase(f"the {noun}s of {self._mid(seq)} that are not empty, zero, false or "
                          "no value", COND)
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
            pairs = [f"{string_words(k)} to {self._item(v)}" for k, v in a.kw.items()]
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
            if self.type_of(a.pos[0]) in (int, bool):
                return Phrase(f"{self._mid(a.pos[0])} as a whole number", POSTFIX)
            # Python rounds a half to the even neighbour: round(2.5) == 2, round(3.5) == 4
            return Phrase(f"{self._mid(a.pos[0])} rounded to the nearest whole number (a value "
                          "exactly halfway goes to the even one)", POSTFIX)
        places = "decimal place" if int_literal(digits) == 1 else "decimal places"
        return Phrase(f"{self._mid(a.pos[0])} rounded to {self._mid(digits)} {places} (a value "
                      "exactly halfway, as stored, goes to the even last digit)", POSTFIX)

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
                      f"{string_words(prefix)}", COND)

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

    def _m_casefold(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        # 'ß'.casefold() == 'ss', 'ß'.lower() == 'ß'
        return self._m_case(r, a, "case-folded (in lower case, with letters such as ß written "
                                  "out as ss)")

    def _m_upper(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return self._m_case(r, a, "in upper case")

    def _m_capitalize(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        # "1ABC".capitalize() == "1abc": the first character, not the first letter
        return self._m_case(r, a, "with its first character in upper case and every other "
                                  "character in lower case")

    def _m_title(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        # 'hello wORLD 3rd'.title() == 'Hello World 3Rd': a letter after a non-letter is upper
        # a letter "has case" when it has upper- and lower-case forms (not a digit, not 中)
        return self._m_case(r, a, "with every letter that comes first or right after a "
                                  "character without case (such as a space, a digit or "
                                  "punctuation) in upper case and every other letter in lower "
                                  "case")

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
                isinstance(seq, cst.Call) and is_literal_value(seq)):
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
        if not self._single_char(old):  # 'aaa'.replace('aa', 'b') == 'ba'
            which += " (from the left, never overlapping)"
        if isinstance(new, cst.SimpleString) and new.evaluated_value == "":
            return Phrase(f"{self._mid(r)} with {which} removed", POSTFIX)
        return Phrase(f"{self._mid(r)} with {which} replaced by {self._tail(new)}", POSTFIX)

    def _m_count(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if len(a.pos) != 1:
            return None
        if self.type_of(r) is str and not self._single_char(a.pos[0]):  # 'aaa'.count('aa') == 1
            return Phrase(f"the number of times {self._mid(a.pos[0])} occurs in {self._tail(r)}, "
                          "counted from the left without overlaps", COND)
        return Phrase(f"the number of times {self._mid(a.pos[0])} occurs in {self._tail(r)}",
                      ATOM)

    def _single_char(self, node: cst.BaseExpression) -> bool:
        """A one-character text literal, or a name that only holds one character."""
        if isinstance(node, cst.SimpleString):
            return len(node.evaluated_value) == 1
        return isinstance(node, cst.Name) and node.value in self.chars

    def _search_from(self, a: Args) -> str:
        if len(a.pos) > 1:
            return f", searching from {self._position(a.pos[1])}"
        return ""

    def _m_index(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        return Phrase(f"the first position of {self._mid(a.pos[0])} in {self._tail(r)}"
                      f"{self._search_from(a)}", ATOM if len(a.pos) == 1 else COND)

    def _m_rindex(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        if not a.pos:
            return None
        return Phrase(f"the position of the last {self._mid(a.pos[0])} in {self._tail(r)}", ATOM)

    def _m_find(self, r: cst.BaseExpression, a: Args, last: bool = False) -> Phrase | None:
        if not a.pos:
            return None
        which = "the last " if last else "the first "
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
        return Phrase(f"{self._mid(r)} padded with zeros on the left (after any sign) to length "
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
        default = self._item(a.pos[1]) if len(a.pos) > 1 else "no value"
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
        # (0).bit_length() == 0, (-5).bit_length() == 3
        return Phrase(f"the number of binary digits of the absolute value of {self._tail(r)} "
                      "(0 for 0)", COND)

    def _m_bit_count(self, r: cst.BaseExpression, a: Args) -> Phrase | None:
        return Phrase(f"the number of 1s in the binary form of {self._tail(r)}", ATOM)
