"""Hypothesis strategies shared by the compiler's tests: random rule programs in the supported
subset (loops that always terminate, flat and structural if-chains, break/continue, early
returns, augmented assignments, unpacking, methods, slicing, comprehensions, helpers,
try/except) and random inputs for them."""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

NATIVE_FILE = "<native-rule>"
NATIVE_LOOP_CAP = 1500  # loop-body entries; programs running longer are discarded

INT, LIST, STR, DICT = "int", "list", "str", "dict"

# Reproducible in CI: derandomized, no example database. Shrinking a failure of these slow
# examples can take minutes, so it is off unless RULEC_SHRINK=1 (the failing program and
# inputs are printed either way; minimise by hand or with RULEC_SHRINK=1).
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("RULEC_PROPERTY_EXAMPLES", "300")),
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if os.environ.get("RULEC_SHRINK") else []),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


# ---------------------------------------------------------------------------------------
# the program generator
# ---------------------------------------------------------------------------------------


@dataclass
class Scope:
    """Variables visible while generating one function body, by type."""

    ints: list[str] = field(default_factory=list)  # readable ints
    wints: list[str] = field(default_factory=list)  # ints a statement may assign
    lists: list[str] = field(default_factory=list)  # readable lists of ints
    wlists: list[str] = field(default_factory=list)  # lists a statement may mutate (never aliased)
    strs: list[str] = field(default_factory=list)
    wstrs: list[str] = field(default_factory=list)
    dicts: list[str] = field(default_factory=list)
    wdicts: list[str] = field(default_factory=list)
    loop_depth: int = 0
    helpers: list[str] = field(default_factory=list)  # int helpers h(list, int) -> int
    recursive: bool = False  # `r(k)` is defined
    returns: str = INT  # the function's return type (helpers: int)
    # helpers get copies of lists: a helper mutating its argument inside an `if`/`while` test
    # is a known limitation (tests have no "now," block), see test_compiler_regressions.py
    copy_args: bool = False


class Gen:
    """Draws a rule program; every choice goes through hypothesis so examples shrink."""

    def __init__(self, draw):
        self.draw = draw
        self.fresh = 0

    # -- small helpers -----------------------------------------------------------------
    def choice(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, p: float) -> bool:
        return self.draw(st.integers(0, 999)) < p * 1000

    def lit(self, lo=-3, hi=9) -> str:
        return str(self.draw(st.integers(lo, hi)))

    def name(self, prefix: str) -> str:
        self.fresh += 1
        return f"{prefix}{self.fresh}"

    # -- expressions ---------------------------------------------------------------------
    def int_expr(self, sc: Scope, d: int = 2) -> str:
        leaf = d <= 0 or self.chance(0.35)
        if leaf:
            opts = ["lit"] + (["var"] * 3 if sc.ints else [])
            if sc.lists:
                opts += ["len"]
            if sc.strs:
                opts += ["slen"]
            kind = self.choice(opts)
            if kind == "lit":
                return self.lit()
            if kind == "var":
                return self.choice(sc.ints)
            if kind == "len":
                return f"len({self.choice(sc.lists)})"
            return f"len({self.choice(sc.strs)})"
        opts = ["add", "sub", "mul", "floordiv", "mod", "neg", "abs", "minmax", "cond", "bits"]
        if sc.lists:
            opts += ["sum", "index", "maxlist", "compsum", "count", "lenfilter", "risky_index"]
        if sc.strs:
            opts += ["scount", "ord", "find"]
        if sc.dicts:
            opts += ["dget", "dlen"]
        if sc.helpers:
            opts += ["helper", "helper"]
        if sc.recursive:
            opts += ["rec"]
        if sc.ints:
            opts += ["risky_div", "pow", "divmod0"]
        kind = self.choice(opts)
        sub = lambda: self.int_expr(sc, d - 1)  # noqa: E731
        if kind == "add":
            return f"{sub()} + {sub()}"
        if kind == "sub":
            return f"{sub()} - {self.int_atom(sc, d - 1)}"
        if kind == "mul":
            return f"{self.int_atom(sc, d - 1)} * {self.lit(-2, 3)}"
        if kind == "floordiv":
            return f"{self.int_atom(sc, d - 1)} // {self.choice(['2', '3', '-2', '10'])}"
        if kind == "mod":
            return f"{self.int_atom(sc, d - 1)} % {self.choice(['2', '3', '7', '10'])}"
        if kind == "neg":
            return f"-{self.int_atom(sc, d - 1)}"
        if kind == "abs":
            return f"abs({sub()})"
        if kind == "minmax":
            return f"{self.choice(['min', 'max'])}({sub()}, {sub()})"
        if kind == "cond":
            return f"{self.int_atom(sc, d - 1)} if {self.bool_expr(sc, d - 1)} else {self.int_atom(sc, d - 1)}"
        if kind == "bits":
            op = self.choice(["&", "|", "^", ">>"])
            return f"({self.int_atom(sc, d - 1)} {op} {self.lit(0, 5)})"
        if kind == "sum":
            return f"sum({self.choice(sc.lists)})"
        if kind == "index":
            lst = self.choice(sc.lists)
            return f"({lst}[{self.choice(['0', '-1'])}] if {lst} else {self.lit()})"
        if kind == "risky_index":
            return f"{self.choice(sc.lists)}[{self.choice(['0', '-1', '2'])}]"
        if kind == "maxlist":
            lst = self.choice(sc.lists)
            if self.chance(0.3):
                return f"{self.choice(['max', 'min'])}({lst})"  # raises on an empty list
            return f"{self.choice(['max', 'min'])}({lst} + [{self.lit()}])"
        if kind == "compsum":
            lst = self.choice(sc.lists)
            v = self.name("v")
            inner = self.with_int(sc, v)
            return f"sum([{v} * {self.lit(-2, 3)} for {v} in {lst} if {self.bool_expr(inner, 0)}])"
        if kind == "count":
            if self.chance(0.3):
                return f"len(set({self.choice(sc.lists)}))"
            return f"{self.choice(sc.lists)}.count({self.int_atom(sc, 0)})"
        if kind == "lenfilter":
            lst = self.choice(sc.lists)
            return f"len(list(filter(lambda e: e % 2 == {self.lit(0, 1)}, {lst})))"
        if kind == "scount":
            return f"{self.choice(sc.strs)}.count({self.choice(['a', 'b', 'ab'])!r})"
        if kind == "ord":
            s = self.choice(sc.strs)
            return f"(ord({s}[0]) if {s} else 0)"
        if kind == "find":
            return f"{self.choice(sc.strs)}.find({self.choice(['a', 'b1'])!r})"
        if kind == "dget":
            return f"{self.choice(sc.dicts)}.get({self.int_atom(sc, 0)}, {self.lit()})"
        if kind == "dlen":
            return f"len({self.choice(sc.dicts)})"
        if kind == "helper":
            lists = ([f"{v}[:]" for v in sc.lists] if sc.copy_args else sc.wlists) or ["[]"]
            return f"{self.choice(sc.helpers)}({self.choice(lists)}, {self.int_atom(sc, d - 1)})"
        if kind == "rec":
            return f"r({self.int_atom(sc, 0)} % 5)"
        if kind == "risky_div":
            return f"{self.lit(1, 20)} {self.choice(['//', '%'])} {self.choice(sc.ints)}"
        if kind == "pow":
            return f"({self.int_atom(sc, 0)} % 5) ** {self.lit(0, 3)}"
        if kind == "divmod0":
            return f"divmod({self.int_atom(sc, 0)}, {self.choice(['3', '4'])})[{self.lit(0, 1)}]"
        raise AssertionError(kind)

    def int_atom(self, sc: Scope, d: int) -> str:
        e = self.int_expr(sc, d)
        return e if e.lstrip("-").isidentifier() or e.lstrip("-").isdigit() or e.startswith("(") else f"({e})"

    def with_int(self, sc: Scope, v: str) -> Scope:
        inner = copy.copy(sc)
        inner.ints = sc.ints + [v]
        inner.helpers = []  # keep comprehensions cheap
        return inner

    def bool_expr(self, sc: Scope, d: int = 1) -> str:
        if sc.helpers and not sc.copy_args:
            sc = copy.copy(sc)
            sc.copy_args = True
        opts = ["cmp", "cmp", "chain", "parity"]
        if sc.lists:
            opts += ["truthy", "in"]
        if sc.strs:
            opts += ["sbool"]
        if sc.dicts:
            opts += ["din"]
        if d > 0:
            opts += ["and", "or", "not"]
        if sc.helpers:
            opts += ["helper"]
        kind = self.choice(opts)
        if kind == "helper":
            lists = [f"{v}[:]" for v in sc.lists] or ["[]"]
            return f"{self.choice(sc.helpers)}({self.choice(lists)}, {self.int_atom(sc, 0)}) > {self.lit(0, 4)}"
        if kind == "cmp":
            op = self.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"{self.int_expr(sc, min(d, 1))} {op} {self.int_expr(sc, 0)}"
        if kind == "chain":
            return f"{self.int_atom(sc, 0)} < {self.int_atom(sc, 0)} <= {self.int_atom(sc, 0)}"
        if kind == "parity":
            return f"{self.int_atom(sc, 0)} % 2 == {self.lit(0, 1)}"
        if kind == "truthy":
            lst = self.choice(sc.lists)
            return lst if self.chance(0.6) else f"not {lst}"
        if kind == "in":
            return f"{self.int_atom(sc, 0)} {self.choice(['in', 'not in'])} {self.choice(sc.lists)}"
        if kind == "sbool":
            s = self.choice(sc.strs)
            return self.choice([s, f"{s}.startswith('a')", f"{s}.isdigit()", f"'b' in {s}"])
        if kind == "din":
            return f"{self.int_atom(sc, 0)} in {self.choice(sc.dicts)}"
        if kind == "and":
            return f"{self.bool_expr(sc, d - 1)} and {self.bool_expr(sc, d - 1)}"
        if kind == "or":
            return f"{self.bool_expr(sc, d - 1)} or {self.bool_expr(sc, d - 1)}"
        return f"not ({self.bool_expr(sc, d - 1)})"

    def list_expr(self, sc: Scope, d: int = 1) -> str:
        """A *new* list (never a bare variable, so lists are never aliased)."""
        opts = ["literal", "range"]
        if sc.lists:
            opts += ["slice", "sorted", "comp", "concat", "reversed", "map", "copy", "sortkey"]
        if sc.strs:
            opts += ["ords"]
        if sc.dicts:
            opts += ["keys"]
        kind = self.choice(opts)
        if kind == "literal":
            n = self.draw(st.integers(0, 3))
            return "[" + ", ".join(self.int_expr(sc, 0) for _ in range(n)) + "]"
        if kind == "range":
            return f"list(range({self.choice(['3', '1, 6', '5, 0, -2'])}))"
        lst = self.choice(sc.lists) if sc.lists else "[]"
        if kind == "slice":
            return f"{lst}[{self.choice(['1:', ':2', '::-1', '::2', '1:-1', '-2:'])}]"
        if kind == "sorted":
            if self.chance(0.25):
                return f"sorted(set({lst}) {self.choice(['|', '&', '-'])} {{1, 2}})"
            return f"sorted({lst}{self.choice(['', ', reverse=True'])})"
        if kind == "sortkey":
            return f"sorted({lst}, key=lambda e: (e % 3, -e))"
        if kind == "comp":
            v = self.name("v")
            inner = self.with_int(sc, v)
            cond = f" if {self.bool_expr(inner, 0)}" if self.chance(0.5) else ""
            return f"[{self.int_expr(inner, 1)} for {v} in {lst}{cond}]"
        if kind == "concat":
            return f"{lst} + [{self.int_expr(sc, 0)}]"
        if kind == "reversed":
            return f"list(reversed({lst}))"
        if kind == "map":
            return f"list(map(lambda e: e * 2 + 1, {lst}))"
        if kind == "copy":
            return f"{lst}[:]" if self.chance(0.5) else f"{lst}.copy()"
        if kind == "ords":
            return f"[ord(c) % 7 for c in {self.choice(sc.strs)}]"
        return f"sorted({self.choice(sc.dicts)})"

    def str_expr(self, sc: Scope, d: int = 1) -> str:
        """A string built from at most one string variable (no exponential growth)."""
        opts = ["lit", "str_int", "fstring"]
        if sc.strs:
            opts += ["var", "upper", "rev", "replace", "slice", "concat", "join", "strip", "cond"]
        kind = self.choice(opts)
        if kind == "lit":
            return repr(self.choice(["", "a", "ab", "b1a", "x y"]))
        if kind == "str_int":
            return f"str({self.int_expr(sc, 0)})"
        if kind == "fstring":
            return f'f"{{{self.int_atom(sc, 0)}}}-{{{self.int_atom(sc, 0)}:>3}}"'
        s = self.choice(sc.strs)
        if kind == "var":
            return s
        if kind == "upper":
            return f"{s}.{self.choice(['upper', 'lower', 'title', 'swapcase'])}()"
        if kind == "rev":
            return f"{s}[::-1]"
        if kind == "replace":
            return f"{s}.replace('a', {self.choice(['', 'b', 'ba'])!r})"
        if kind == "slice":
            return f"{s}[{self.choice(['1:', ':2', '::2'])}]"
        if kind == "concat":
            return f"{s} + {self.choice([repr('a'), 'str(' + self.int_atom(sc, 0) + ')'])}"
        if kind == "join":
            return f"{self.choice(['-', ''])!r}.join({s}.split({self.choice(['a', ' '])!r}))"
        if kind == "strip":
            return f"{s}.strip('a')"
        return f"{s} if {self.bool_expr(sc, 0)} else {repr('b')}"

    def any_expr(self, sc: Scope) -> str:
        kind = self.choice([INT, INT, LIST, STR, "tuple"] + ([DICT] if sc.dicts else []))
        if kind == INT:
            return self.int_expr(sc)
        if kind == LIST:
            return self.choice(sc.lists) if sc.lists and self.chance(0.6) else self.list_expr(sc)
        if kind == STR:
            return self.str_expr(sc)
        if kind == DICT:
            return self.choice(sc.dicts)
        return f"({self.int_expr(sc, 1)}, {self.choice(sc.lists) if sc.lists else '[]'})"

    def ret_expr(self, sc: Scope) -> str:
        return self.int_expr(sc) if sc.returns == INT else self.any_expr(sc)

    # -- statements ----------------------------------------------------------------------
    def simple(self, sc: Scope, ind: str) -> list[str]:
        opts = []
        if sc.wints:
            opts += ["assign", "assign", "aug", "aug", "swap", "divmod"]
        if sc.wlists:
            opts += ["append", "append", "insert", "pop", "reverse", "sort", "extend", "listassign",
                     "subaug", "slice_assign", "del", "starred", "popvar"]
        if sc.wstrs:
            opts += ["strassign", "straug"]
        if sc.wdicts:
            opts += ["dset", "dinc"]
        if not opts:
            return [f"{ind}pass"]
        kind = self.choice(opts)
        if kind == "assign":
            return [f"{ind}{self.choice(sc.wints)} = {self.int_expr(sc)}"]
        if kind == "aug":
            op = self.choice(["+=", "-=", "+=", "*=", "//=", "%="])
            rhs = self.lit(2, 3) if op in ("*=", "//=", "%=") else self.int_expr(sc, 1)
            return [f"{ind}{self.choice(sc.wints)} {op} {rhs}"]
        if kind == "swap" and len(sc.wints) >= 2:
            a, b = self.draw(st.permutations(sc.wints))[:2]
            return [f"{ind}{a}, {b} = {b}, {a} + {self.int_atom(sc, 0)}"]
        if kind in ("swap", "divmod"):
            a = self.choice(sc.wints)
            b = self.choice(sc.wints)
            return [f"{ind}{a}, {b} = divmod({self.int_expr(sc, 1)}, {self.choice(['3', '7'])})"]
        if kind == "append":
            return [f"{ind}{self.choice(sc.wlists)}.append({self.int_expr(sc, 1)})"]
        if kind == "insert":
            return [f"{ind}{self.choice(sc.wlists)}.insert({self.choice(['0', '1', '-1'])}, {self.int_expr(sc, 0)})"]
        if kind == "pop":
            lst = self.choice(sc.wlists)
            arg = self.choice(["", "0", "-1"])
            if self.chance(0.75):
                return [f"{ind}if {lst}:", f"{ind}    {lst}.pop({arg})"]
            return [f"{ind}{lst}.pop({arg})"]  # may raise IndexError
        if kind == "popvar" and sc.wints:
            lst = self.choice(sc.wlists)
            return [f"{ind}{self.choice(sc.wints)} = {lst}.pop() if {lst} else {self.lit()}"]
        if kind == "reverse":
            return [f"{ind}{self.choice(sc.wlists)}.reverse()"]
        if kind == "sort":
            return [f"{ind}{self.choice(sc.wlists)}.sort({self.choice(['', 'reverse=True'])})"]
        if kind == "extend":
            return [f"{ind}{self.choice(sc.wlists)}.extend([{self.int_expr(sc, 0)}, {self.lit()}])"]
        if kind == "listassign":
            return [f"{ind}{self.choice(sc.wlists)} = {self.list_expr(sc)}"]
        if kind == "subaug":
            lst = self.choice(sc.wlists)
            op = self.choice(["+=", "-=", "*="])
            rhs = self.lit(2, 3) if op == "*=" else self.int_expr(sc, 0)
            idx = self.choice(["0", "-1", f"len({lst}) - 1"])
            if self.chance(0.75):
                return [f"{ind}if {lst}:", f"{ind}    {lst}[{idx}] {op} {rhs}"]
            return [f"{ind}{lst}[{idx}] {op} {rhs}"]
        if kind == "slice_assign":
            return [f"{ind}{self.choice(sc.wlists)}[{self.choice(['1:', ':1', '::2'])}] = [{self.int_expr(sc, 0)}]"]
        if kind == "del":
            lst = self.choice(sc.wlists)
            return [f"{ind}if {lst}:", f"{ind}    del {lst}[{self.choice(['0', '-1'])}]"]
        if kind == "starred" and sc.wints:
            lst = self.choice(sc.wlists)
            a = self.choice(sc.wints)
            return [f"{ind}if {lst}:", f"{ind}    {a}, *{lst} = {lst}"]
        if kind in ("starred", "popvar"):
            return [f"{ind}{self.choice(sc.wlists)}.append({self.lit()})"]
        if kind == "strassign":
            return [f"{ind}{self.choice(sc.wstrs)} = {self.str_expr(sc)}"]
        if kind == "straug":
            return [f"{ind}{self.choice(sc.wstrs)} += {self.choice([repr('a'), 'str(' + self.int_atom(sc, 0) + ')'])}"]
        dct = self.choice(sc.wdicts)
        key = self.int_atom(sc, 0)
        if kind == "dset":
            if self.chance(0.2):
                return [f"{ind}if {key} in {dct}:", f"{ind}    del {dct}[{key}]"]
            return [f"{ind}{dct}[{key}] = {dct}.get({key}, 0) + 1"]
        if self.chance(0.7):
            return [f"{ind}if {key} in {dct}:", f"{ind}    {dct}[{key}] += {self.lit(1, 3)}"]
        return [f"{ind}{dct}[{key}] += 1"]  # may raise KeyError

    def stmt(self, sc: Scope, ind: str, depth: int) -> list[str]:
        opts = ["simple"] * 8
        if depth > 0:
            opts += ["if", "if", "if", "while", "while", "for", "for", "for", "try"]
        if sc.loop_depth > 0:
            opts += ["flow", "flow", "ret"]
        else:
            opts += ["ret"] if self.chance(0.3) else []
        kind = self.choice(opts)
        if kind == "simple":
            return self.simple(sc, ind)
        if kind == "ret":
            return [f"{ind}if {self.bool_expr(sc)}:", f"{ind}    return {self.ret_expr(sc)}"]
        if kind == "flow":
            word = self.choice(["break", "continue"])
            if self.chance(0.8):
                return [f"{ind}if {self.bool_expr(sc)}:", f"{ind}    {word}"]
            return [f"{ind}{word}"]
        if kind == "if":
            return self.if_chain(sc, ind, depth)
        if kind == "while":
            return self.while_loop(sc, ind, depth)
        if kind == "for":
            return self.for_loop(sc, ind, depth)
        return self.try_stmt(sc, ind, depth)

    def block(self, sc: Scope, ind: str, depth: int, lo: int = 1, hi: int = 3) -> list[str]:
        n = self.draw(st.integers(lo, hi))
        out: list[str] = []
        for _ in range(n):
            out += self.stmt(sc, ind, depth)
        return out

    def if_chain(self, sc: Scope, ind: str, depth: int) -> list[str]:
        out = [f"{ind}if {self.bool_expr(sc)}:"]
        out += self.block(sc, ind + "    ", depth - 1, 1, 2)
        for _ in range(self.draw(st.integers(0, 2))):
            out.append(f"{ind}elif {self.bool_expr(sc)}:")
            out += self.block(sc, ind + "    ", depth - 1, 1, 2)
        if self.chance(0.5):
            out.append(f"{ind}else:")
            out += self.block(sc, ind + "    ", depth - 1, 1, 2)
        return out

    def _inner(self, sc: Scope, ints=(), rints=(), strs=(), freeze_lists=(), freeze_dicts=()) -> Scope:
        inner = copy.copy(sc)
        inner.ints = sc.ints + list(ints) + list(rints)
        inner.wints = sc.wints + list(ints)
        inner.strs = sc.strs + list(strs)
        inner.wlists = [v for v in sc.wlists if v not in freeze_lists]
        inner.wdicts = [v for v in sc.wdicts if v not in freeze_dicts]
        inner.loop_depth = sc.loop_depth + 1
        return inner

    def while_loop(self, sc: Scope, ind: str, depth: int) -> list[str]:
        body_ind = ind + "    "
        if self.chance(0.5) or not sc.lists:
            c = self.name("c")
            start = self.choice(["3", "4", "2", "0"]) if self.chance(0.6) or not sc.lists else (
                f"min(len({self.choice(sc.lists)}), 5)"
            )
            inner = self._inner(sc, rints=[c])
            cond = f"{c} > 0" + (f" and {self.bool_expr(sc, 0)}" if self.chance(0.25) else "")
            out = [f"{ind}{c} = {start}", f"{ind}while {cond}:", f"{body_ind}{c} -= 1"]
            if self.chance(0.2):  # `while True` ended by a break
                out = [f"{ind}{c} = {start}", f"{ind}while True:", f"{body_ind}{c} -= 1",
                       f"{body_ind}if {c} < 0:", f"{body_ind}    break"]
        else:
            w = self.name("w")
            v = self.name("q")
            inner = self._inner(sc, ints=[v])
            inner.lists = inner.lists + [w]
            cond = w if self.chance(0.7) else f"len({w}) > 0"
            out = [f"{ind}{w} = {self.list_expr(sc)}", f"{ind}while {cond}:",
                   f"{body_ind}{v} = {w}.pop({self.choice(['', '0'])})"]
        out += self.block(inner, body_ind, depth - 1, 1, 3)
        return out

    def for_loop(self, sc: Scope, ind: str, depth: int) -> list[str]:
        opts = ["range", "rangelen"] if sc.lists else ["range"]
        if sc.lists:
            opts += ["list", "list", "enumerate", "reversed", "slice", "sorted"]
            if len(sc.lists) >= 2:
                opts += ["zip"]
        if sc.strs:
            opts += ["str"]
        if sc.dicts:
            opts += ["items", "sorted_items", "keys"]
        kind = self.choice(opts)
        x = self.name("x")
        if kind == "range":
            bound = self.choice(["3", "1, 4", "5, 0, -2"]) if self.chance(0.5) or not sc.ints else (
                f"min({self.choice(sc.ints)}, 4)"
            )
            return self._for(sc, ind, depth, f"{x} in range({bound})", rints=[x])
        if kind == "str":
            return self._for(sc, ind, depth, f"{x} in {self.choice(sc.strs)}", strs=[x])
        if kind == "keys":
            dct = self.choice(sc.dicts)
            return self._for(sc, ind, depth, f"{x} in {dct}", rints=[x], freeze_dicts=[dct])
        if kind in ("items", "sorted_items"):
            dct = self.choice(sc.dicts)
            k, v = self.name("k"), self.name("v")
            it = f"{dct}.items()" if kind == "items" else f"sorted({dct}.items())"
            return self._for(sc, ind, depth, f"{k}, {v} in {it}", rints=[k, v], freeze_dicts=[dct])
        lst = self.choice(sc.lists + [v for v in ("xs", "ys") if v in sc.lists])  # favour the inputs
        if kind == "rangelen":
            return self._for(sc, ind, depth, f"{x} in range(len({lst}))", rints=[x])
        if kind == "list":
            return self._for(sc, ind, depth, f"{x} in {lst}", rints=[x], freeze_lists=[lst])
        if kind == "enumerate":
            i = self.name("i")
            return self._for(sc, ind, depth, f"{i}, {x} in enumerate({lst})", rints=[i, x], freeze_lists=[lst])
        if kind == "reversed":
            return self._for(sc, ind, depth, f"{x} in reversed({lst})", rints=[x], freeze_lists=[lst])
        if kind == "slice":
            return self._for(sc, ind, depth, f"{x} in {lst}[{self.choice(['1:', ':3', '::-1'])}]", rints=[x])
        if kind == "sorted":
            return self._for(sc, ind, depth, f"{x} in sorted({lst})", rints=[x])
        a, b = self.draw(st.permutations(sc.lists))[:2]
        y = self.name("y")
        return self._for(sc, ind, depth, f"{x}, {y} in zip({a}, {b})", rints=[x, y], freeze_lists=[a, b])

    def _for(self, sc, ind, depth, head, rints=(), strs=(), freeze_lists=(), freeze_dicts=()):
        inner = self._inner(sc, rints=rints, strs=strs, freeze_lists=freeze_lists, freeze_dicts=freeze_dicts)
        # a loop variable of an int type may be reassigned inside the body (Python allows it)
        if rints and self.chance(0.2):
            inner.wints = inner.wints + [rints[-1]]
        return [f"{ind}for {head}:"] + self.block(inner, ind + "    ", depth - 1, 1, 3)

    def try_stmt(self, sc: Scope, ind: str, depth: int) -> list[str]:
        body_ind = ind + "    "
        out = [f"{ind}try:"]
        risky = []
        if sc.wints and sc.ints:
            risky.append(f"{body_ind}{self.choice(sc.wints)} = {self.lit(1, 20)} // {self.choice(sc.ints)}")
        if sc.wints and sc.lists:
            risky.append(f"{body_ind}{self.choice(sc.wints)} += {self.choice(sc.lists)}[{self.lit(-2, 3)}]")
        if sc.wlists:
            risky.append(f"{body_ind}{self.choice(sc.wlists)}.pop()")
        if risky and self.chance(0.8):
            out.append(self.choice(risky))
        out += self.block(sc, body_ind, depth - 1, 1, 2)
        handlers = self.choice([
            ["ZeroDivisionError"], ["IndexError"], ["ZeroDivisionError", "IndexError"],
            ["(ZeroDivisionError, IndexError)"], ["(IndexError, KeyError, ValueError)"],
        ])
        for h in handlers:
            if sc.wstrs and self.chance(0.2):
                out.append(f"{ind}except {h} as err:")
                out.append(f"{body_ind}{self.choice(sc.wstrs)} = str(err)")
                continue
            out.append(f"{ind}except {h}:")
            out += self.block(sc, body_ind, max(depth - 1, 0), 1, 2)
        return out

    # -- functions -------------------------------------------------------------------------
    def helper(self, name: str) -> list[str]:
        sc = Scope(ints=["p0", "k", "acc"], wints=["k", "acc"], lists=["p"], wlists=["p"], returns=INT)
        lines = [f"def {name}(p, k):", "    p0 = len(p)", "    acc = 0"]
        lines += self.block(sc, "    ", 2, 1, 3)
        lines.append(f"    return {self.int_expr(sc, 1)}")
        return lines

    def program(self) -> str:
        funcs: list[str] = []
        helpers: list[str] = []
        recursive = False
        if self.chance(0.45):
            funcs.append("\n".join(self.helper("h")))
            helpers.append("h")
        if self.chance(0.1):
            recursive = True
            funcs.append("def r(k):\n    if k <= 0:\n        return 0\n    return k + r(k - 1)")
        sc = Scope(
            ints=["n", "t", "u"], wints=["n", "t", "u"],
            lists=["xs", "ys", "acc"], wlists=["xs", "ys", "acc"],
            strs=["s", "w"], wstrs=["s", "w"],
            dicts=["d"], wdicts=["d"],
            helpers=helpers, recursive=recursive, returns="any",
        )
        body = [
            "    t = 0",
            "    u = 1",
            f"    acc = {self.choice(['[]', '[2, n]', '[1, 5, 2]'])}",
            f"    w = {self.choice(['', 'ab'])!r}",
            f"    d = {self.choice(['{}', '{1: 2}', '{0: 1, 3: n}'])}",
        ]
        body += self.block(sc, "    ", 2, 1, 2)
        if self.chance(0.85):
            body += self.choice([self.while_loop, self.for_loop])(sc, "    ", 3)
            body += self.block(sc, "    ", 1, 0, 2)
        body.append(f"    return {self.any_expr(sc)}")
        rule = "def rule(xs, ys, n, s):\n" + "\n".join(body)
        order = self.draw(st.booleans())  # the rule first or last in the file
        text = "\n\n\n".join([rule, *funcs] if order else [*funcs, rule]) + "\n"
        if self.chance(0.15):  # LeetCode style: methods with `self`, helpers called as self.h(...)
            text = re.sub(r"def (\w+)\(", r"def \1(self, ", text)
            text = re.sub(r"(?<![\w.])(h|r)\(", r"self.\1(", text)
            text = text.replace("def self.", "def ")
        if self.chance(0.3):
            text = self.decorate(text)
        return text

    def decorate(self, text: str) -> str:
        """Real files have comments, blank lines, docstrings and statements split over lines:
        none of it may change the behaviour, and error lines must still match."""
        out: list[str] = []
        for line in text.split("\n"):
            stripped = line.lstrip()
            ind = line[: len(line) - len(stripped)]
            if not stripped or stripped.startswith("def "):
                out.append(line)
                if stripped.startswith("def ") and self.chance(0.3):
                    out.append('    """A docstring."""')
                continue
            roll = self.draw(st.integers(0, 19))
            if roll == 0:
                out.append(f"{ind}# a comment")
            elif roll == 1:
                out.append("")
            m = re.match(r"(\w+) = (.+)$", stripped)
            if roll == 2 and m and not stripped.endswith(":"):
                out += [f"{ind}{m.group(1)} = (", f"{ind}    {m.group(2)}", f"{ind})"]
                continue
            out.append(line + ("  # trailing" if roll == 3 and not stripped.endswith(":") else ""))
        return "\n".join(out)


@st.composite
def programs(draw):
    return Gen(draw).program()


small_ints = st.lists(st.integers(-4, 9), max_size=6)
rule_inputs = st.fixed_dictionaries({
    "xs": small_ints,
    "ys": small_ints,
    "n": st.integers(-3, 12),
    "s": st.text(alphabet="ab1 '\"\\é", max_size=6),
})


