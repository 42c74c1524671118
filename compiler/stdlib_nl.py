"""English for the standard-library names of ``compiler/stdlib.py`` (the NL rule and trace).

The verbaliser asks ``call_phrase`` / ``statement_phrase`` / ``attribute_phrase`` first for a
call, an expression statement or an attribute; ``None`` means "not a module name", and the
verbaliser goes on as before. Which names are module names is known exactly from the
program's imports (``Verbaliser.imported``, set by ``nl.build_nl_rule`` from
``Program.imported``), never guessed from spelling.

Templates: ``{0}``, ``{1}`` … are the positional arguments as list items, ``{all}`` all of
them as "a, b and c", ``{recv}`` the receiver of a method.
"""

from __future__ import annotations

import sys

# (module, name) -> {number of positional arguments: template}; -1 is "any number"
CALLS: dict[tuple[str, str], dict[int, str]] = {
    ("math", "sqrt"): {1: "the square root of {0}"},
    ("math", "isqrt"): {1: "the integer square root of {0}"},
    ("math", "floor"): {1: "{0} rounded down to an integer"},
    ("math", "ceil"): {1: "{0} rounded up to an integer"},
    ("math", "trunc"): {1: "{0} with its fractional part dropped"},
    ("math", "gcd"): {-1: "the greatest common divisor of {all}"},
    ("math", "lcm"): {-1: "the least common multiple of {all}"},
    ("math", "factorial"): {1: "the factorial of {0}"},
    ("math", "comb"): {2: "the number of ways to choose {1} items from {0}"},
    ("math", "perm"): {1: "the number of orderings of {0} items",
                       2: "the number of ordered choices of {1} items from {0}"},
    ("math", "log"): {1: "the natural logarithm of {0}", 2: "the logarithm of {0} in base {1}"},
    ("math", "log2"): {1: "the base-2 logarithm of {0}"},
    ("math", "log10"): {1: "the base-10 logarithm of {0}"},
    ("math", "exp"): {1: "e to the power of {0}"},
    ("math", "pow"): {2: "{0} to the power of {1}, as a float"},
    ("math", "fabs"): {1: "the absolute value of {0}, as a float"},
    ("math", "prod"): {1: "the product of the elements of {0}"},
    ("math", "fsum"): {1: "the sum of the elements of {0}, as an exactly rounded float"},
    ("math", "hypot"): {-1: "the Euclidean length of the vector of {all}"},
    ("math", "dist"): {2: "the Euclidean distance between the points {0} and {1}"},
    ("math", "sin"): {1: "the sine of {0}"},
    ("math", "cos"): {1: "the cosine of {0}"},
    ("math", "tan"): {1: "the tangent of {0}"},
    ("math", "atan2"): {2: "the angle of the point ({1}, {0})"},
    ("math", "isclose"): {2: "whether {0} and {1} are close to each other"},
    ("math", "isinf"): {1: "whether {0} is infinite"},
    ("math", "isnan"): {1: "whether {0} is not a number"},
    ("math", "copysign"): {2: "{0} with the sign of {1}"},
    ("math", "degrees"): {1: "{0} radians in degrees"},
    ("math", "radians"): {1: "{0} degrees in radians"},
    ("heapq", "heappop"): {1: "the smallest element of the heap {0}, taken out of it"},
    ("heapq", "heappushpop"): {2: "the smallest of {1} and the heap {0}, after pushing {1} onto the heap "
                                  "and taking the smallest out"},
    ("heapq", "heapreplace"): {2: "the smallest element of the heap {0}, taken out of it with {1} pushed "
                                  "in its place"},
    ("heapq", "nlargest"): {2: "the {0} largest elements of {1}, largest first"},
    ("heapq", "nsmallest"): {2: "the {0} smallest elements of {1}, smallest first"},
    ("heapq", "merge"): {-1: "the elements of the sorted {all} merged in sorted order"},
    ("bisect", "bisect_left"): {2: "the first position in the sorted list {0} where {1} could be inserted "
                                   "keeping it sorted"},
    ("bisect", "bisect_right"): {2: "the last position in the sorted list {0} where {1} could be inserted "
                                    "keeping it sorted"},
    ("bisect", "bisect"): {2: "the last position in the sorted list {0} where {1} could be inserted "
                              "keeping it sorted"},
    ("collections", "Counter"): {0: "an empty counter", 1: "a counter of how often each element of {0} occurs"},
    ("collections", "deque"): {0: "an empty double-ended queue",
                               1: "a double-ended queue of the elements of {0}"},
    ("collections", "OrderedDict"): {0: "an empty ordered dictionary",
                                     1: "an ordered dictionary made from {0}"},
    ("itertools", "accumulate"): {1: "the running totals of {0}",
                                  2: "the running results of combining the elements of {0} with {1}"},
    ("itertools", "combinations"): {2: "the combinations of {1} elements of {0}, in order"},
    ("itertools", "combinations_with_replacement"): {
        2: "the combinations of {1} elements of {0} with repetition, in order"},
    ("itertools", "permutations"): {1: "the orderings of the elements of {0}",
                                    2: "the ordered choices of {1} elements of {0}"},
    ("itertools", "product"): {-1: "the Cartesian product of {all}"},
    ("itertools", "pairwise"): {1: "the pairs of neighbouring elements of {0}"},
    ("itertools", "groupby"): {1: "the runs of equal neighbouring elements of {0}, each with its value"},
    ("itertools", "chain"): {-1: "the elements of {all}, one after another"},
    ("itertools", "islice"): {2: "the first {1} elements of {0}",
                              3: "the elements of {0} from position {1} up to (not including) position {2}"},
    ("itertools", "zip_longest"): {-1: "the elements of {all} taken side by side, to the longest, a missing "
                                        "element being no value"},
    ("itertools", "count"): {0: "the numbers 0, 1, 2 and so on", 1: "the numbers counting up from {0}"},
    ("itertools", "cycle"): {1: "the elements of {0} repeated without end"},
    ("itertools", "repeat"): {1: "{0} repeated without end", 2: "{0} repeated {1} times"},
    ("functools", "reduce"): {2: "the result of combining the elements of {1} from left to right with {0}",
                              3: "the result of combining the elements of {1} from left to right with {0}, "
                                 "starting from {2}"},
    ("functools", "cmp_to_key"): {1: "the sort key that orders by the comparison {0}"},
    ("re", "compile"): {1: "the pattern {0}", 2: "the pattern {0} with the flags {1}"},
    ("re", "match"): {2: "the match of the pattern {0} at the start of {1} (no value if there is none)"},
    ("re", "search"): {2: "the first match of the pattern {0} in {1} (no value if there is none)"},
    ("re", "fullmatch"): {2: "the match of the pattern {0} against the whole of {1} (no value if there is "
                                "none)"},
    ("re", "findall"): {2: "the list of every match of the pattern {0} in {1}"},
    ("re", "finditer"): {2: "the matches of the pattern {0} in {1}, one by one"},
    ("re", "split"): {2: "the pieces of {1} between the matches of the pattern {0} (with the text of "
                            "its groups, if it has any, between them)"},
    ("re", "sub"): {3: "{2} with every match of the pattern {0} replaced by {1}"},
    ("re", "escape"): {1: "{0} with every special pattern character escaped"},
    ("operator", "itemgetter"): {1: "the function taking the element at {0}"},
    ("operator", "add"): {2: "{0} plus {1}"},
    ("operator", "sub"): {2: "{0} minus {1}"},
    ("operator", "mul"): {2: "{0} times {1}"},
}

# statements: a call whose value is not used
STATEMENTS: dict[tuple[str, str], dict[int, str]] = {
    ("heapq", "heappush"): {2: "push {1} onto the heap {0}"},
    ("heapq", "heapify"): {1: "rearrange {0} into a heap"},
    ("heapq", "heappop"): {1: "take the smallest element out of the heap {0}"},
    ("bisect", "insort"): {2: "insert {1} into the sorted list {0}, after any equal elements"},
    ("bisect", "insort_right"): {2: "insert {1} into the sorted list {0}, after any equal elements"},
    ("bisect", "insort_left"): {2: "insert {1} into the sorted list {0}, before any equal elements"},
}

# module constants and functions named without a call
ATTRIBUTES: dict[tuple[str, str], str] = {
    ("math", "pi"): "pi", ("math", "e"): "e", ("math", "tau"): "tau", ("math", "inf"): "infinity",
    ("math", "nan"): "not-a-number",
    ("sys", "maxsize"): f"the largest machine integer ({sys.maxsize})",
    ("string", "ascii_lowercase"): "the lowercase letters a to z",
    ("string", "ascii_uppercase"): "the uppercase letters A to Z",
    ("string", "ascii_letters"): "the letters a to z and A to Z",
    ("string", "digits"): "the digits 0 to 9",
    ("string", "hexdigits"): "the hexadecimal digits",
    ("string", "octdigits"): "the octal digits",
    ("string", "punctuation"): "the ASCII punctuation characters",
    ("string", "whitespace"): "the whitespace characters",
    ("string", "printable"): "the printable ASCII characters",
    ("operator", "add"): "addition", ("operator", "sub"): "subtraction",
    ("operator", "mul"): "multiplication", ("operator", "and_"): "bitwise and",
    ("operator", "or_"): "bitwise or", ("operator", "xor"): "bitwise exclusive or",
}

# methods of the collections types: (method, number of arguments) -> template
METHODS: dict[tuple[str, int], str] = {
    ("most_common", 0): "the elements of {recv} with their counts, most common first (ties in the order "
                        "first counted)",
    ("most_common", 1): "the {0} most common elements of {recv} with their counts, most common first "
                        "(ties in the order first counted)",
    ("popleft", 0): "the first element of {recv}, taken out of it",
    ("total", 0): "the sum of the counts in {recv}",
    ("findall", 1): "the list of every match of {recv} in {0}",
    ("finditer", 1): "the matches of {recv} in {0}, one by one",
    ("fullmatch", 1): "the match of {recv} against the whole of {0} (no value if there is none)",
    ("search", 1): "the first match of {recv} in {0} (no value if there is none)",
    ("group", 0): "the text of the match {recv}",
    ("group", 1): "group {0} of the match {recv}",
    ("groups", 0): "the groups of the match {recv}",
    ("span", 0): "the start and end positions of the match {recv}",
}
METHOD_STATEMENTS: dict[tuple[str, int], str] = {
    ("appendleft", 1): "put {0} at the front of {recv}",
    ("extendleft", 1): "put the elements of {0} at the front of {recv}, one by one",
    ("popleft", 0): "take the first element out of {recv}",
    ("rotate", 0): "rotate {recv} right by one place",
    ("rotate", 1): "rotate {recv} right by {0} places",
    ("move_to_end", 1): "move the key {0} to the end of {recv}",
    ("subtract", 1): "subtract the counts of {0} from {recv}",
}
_DEFAULTS = {"list": "an empty list", "int": "0", "set": "an empty set", "str": "an empty string",
             "dict": "an empty dictionary", "float": "0.0", "bool": "False", "tuple": "an empty tuple"}


def _target(v, func) -> tuple[str, str] | None:
    import libcst as cst

    imported = v.imported
    if isinstance(func, cst.Name):
        found = imported.get(func.value)
        return found if isinstance(found, tuple) else None
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        module = imported.get(func.value.value)
        if isinstance(module, str):
            return module, func.attr.value
    return None


def _fill(v, template: str, args: list, recv=None) -> str:
    items = [v._item(a) for a in args]
    every = v._items(args) if args else "nothing"
    return template.format(*items, all=every, recv=v._mid(recv) if recv is not None else "")


def _plain_args(node) -> list | None:
    if any(a.star or a.keyword is not None for a in node.args):
        return None
    return [a.value for a in node.args]


def call_phrase(v, node) -> str | None:
    """A noun phrase for a call of a module function or a collections method, or None."""
    import libcst as cst

    if not v.imported:
        return None
    target = _target(v, node.func)
    if target is not None:
        if target == ("collections", "defaultdict") and len(node.args) == 1 and not node.args[0].keyword:
            factory = node.args[0].value
            start = _DEFAULTS.get(factory.value) if isinstance(factory, cst.Name) else None
            start = start or f"the result of {v._mid(factory)}"
            return f"an empty dictionary whose missing keys start as {start}"
        args = _plain_args(node)
        forms = CALLS.get(target)
        if forms is None or args is None:
            return f"{target[0]}.{target[1]} applied to {v._arg_list(node)}" if node.args else \
                f"{target[0]}.{target[1]}"
        template = forms.get(len(args), forms.get(-1))
        if template is None:
            return f"{target[0]}.{target[1]} applied to {v._arg_list(node)}"
        return _fill(v, template, args)
    if isinstance(node.func, cst.Attribute):
        args = _plain_args(node)
        template = METHODS.get((node.func.attr.value, len(args))) if args is not None else None
        if template is not None:
            return _fill(v, template, args, node.func.value)
    return None


def statement_phrase(v, node) -> str | None:
    """An imperative for a call statement of a module function or a collections method."""
    import libcst as cst

    if not v.imported:
        return None
    args = _plain_args(node)
    if args is None:
        return None
    target = _target(v, node.func)
    if target is not None:
        template = STATEMENTS.get(target, {}).get(len(args))
        return _fill(v, template, args) if template else None
    if isinstance(node.func, cst.Attribute):
        template = METHOD_STATEMENTS.get((node.func.attr.value, len(args)))
        if template is not None:
            return _fill(v, template, args, node.func.value)
    return None


def attribute_phrase(v, node) -> str | None:
    """A noun phrase for ``module.name`` used as a value (a constant, or a function passed on)."""
    if not v.imported:
        return None
    target = _target(v, node)
    if target is None:
        return None
    return ATTRIBUTES.get(target, f"{target[0]}.{target[1]}")


def name_phrase(v, name: str) -> str | None:
    """A noun phrase for a name imported with ``from module import name``, used as a value."""
    found = v.imported.get(name) if v.imported else None
    if isinstance(found, tuple):
        return ATTRIBUTES.get(found)
    return None
