"""Parse a rule file with libcst and check it against the supported subset.

Everything outside the subset is a ``RuleError`` naming the line and the construct,
raised before anything runs.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from rulec.compiler.cstutil import all_params, target_names
from rulec.compiler.errors import RuleError
from rulec.compiler.sandbox import DEFAULT_BUDGETS
from rulec.compiler.stdlib import Imports, check_attribute, normalise
from rulec.compiler.subset import (
    BUILTIN_NAMES,
    CONSTANT_NAMES,
    EXCEPTION_NAMES,
    FORBIDDEN_CALLS,
    FORMAT_METHODS,
    GROWING_METHOD_NAMES,
    METHOD_NAMES,
)

NUMBER_ATTRIBUTES = frozenset({"real", "imag", "numerator", "denominator"})

_STATEMENT_NAMES: dict[type, str] = {
    cst.Import: "`import`",
    cst.ImportFrom: "`import`",
    cst.ClassDef: "a class definition",
    cst.Global: "`global`",
    cst.Nonlocal: "`nonlocal`",
    cst.With: "`with`",
    cst.Raise: "`raise`",
    cst.Match: "`match`",
    cst.TryStar: "`try`/`except*`",
}
_EXPRESSION_NAMES: dict[type, str] = {
    cst.Yield: "`yield` (generators)",
    cst.Await: "`await`",
    cst.NamedExpr: "the walrus operator `:=`",
}


@dataclass
class Source:
    """A parsed, validated rule file."""

    text: str
    filename: str
    module: cst.Module
    functions: dict[str, cst.FunctionDef]
    positions: dict[cst.CSTNode, int]  # node -> first line
    has_self: dict[str, bool]
    classes: list[cst.ClassDef] = field(default_factory=list)  # `class Solution:` holding methods
    # functions defined directly in a top-level function: name -> (enclosing function, def)
    nested: dict = field(default_factory=dict)
    free: dict = field(default_factory=dict)  # nested name -> enclosing names it may read or change
    imports: Imports = field(default_factory=Imports)  # compiler/stdlib.py
    constants: list = field(default_factory=list)  # (name, expression, line): module constants
    header: list = field(default_factory=list)  # top-level import and constant statements

    def line(self, node: cst.CSTNode) -> int:
        return self.positions.get(node, 0)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


# -- size and nesting limits, checked by a cheap scan before libcst parses -----------------
# libcst's native parser crashes the process on very deep nesting, and its (and our)
# tree walks recurse once per level; compile time grows with the source. These bounds are
# far above any real rule (the largest of the 88 tasks is ~130 lines, nesting below 10).
MAX_SOURCE_CHARS = 50_000
MAX_SOURCE_LINES = 500
MAX_TOKENS = 6_000
MAX_NESTING = 40  # expression nesting: brackets, operator chains, unary chains, lambdas, ternaries
MAX_BLOCK_DEPTH = 16  # indented blocks inside each other
_NESTING_KEYWORDS = frozenset({"and", "or", "not", "if", "else", "lambda", "in", "is", "for", "await"})
_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")


def prescan(text: str, filename: str = "<rule>") -> str:
    """Check ``text`` against the size and nesting limits without parsing it; return it with
    line endings normalised (so every later stage sees the lines this scan saw)."""
    if len(text) > MAX_SOURCE_CHARS:
        raise RuleError(
            f"the rule file is too large ({len(text)} characters; at most {MAX_SOURCE_CHARS})", None, filename
        )
    if "\x00" in text:
        raise RuleError("the rule file contains a NUL character", None, filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + 1
    if lines > MAX_SOURCE_LINES:
        raise RuleError(f"the rule file is too long ({lines} lines; at most {MAX_SOURCE_LINES})", None, filename)
    _scan_nesting(text, filename, 0, True)
    return text


def _scan_nesting(text: str, filename: str, line0: int, top: bool) -> int:
    """The deepest expression nesting in ``text`` (an estimate from above); raises past the limits.

    Per logical line, every bracket, operator and nesting keyword counts one level; a comma
    at the same bracket level ends the chain (a long flat list is fine, a long sum is not).
    f-strings are scanned inside, as their expressions nest too.
    """
    levels = [0]  # operator count since the last comma, per open bracket
    total = 0  # sum(levels)
    deepest = 0
    blocks = 0
    tokens = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            tp, string = tok.type, tok.string
            tokens += 1
            line = line0 + tok.start[0]
            if tp == tokenize.OP:
                if string in _OPENERS:
                    levels[-1] += 1
                    total += 1
                    levels.append(0)
                elif string in _CLOSERS:
                    if len(levels) > 1:
                        total -= levels.pop()
                elif string in (",", ";"):
                    total -= levels[-1]
                    levels[-1] = 0
                else:
                    levels[-1] += 1
                    total += 1
            elif tp == tokenize.NAME:
                if string in _NESTING_KEYWORDS:
                    levels[-1] += 1
                    total += 1
            elif tp == tokenize.STRING:
                inner = _fstring_nesting(string, filename, line - 1)
                if inner:
                    _check_depth(total + len(levels) + inner, filename, line)
            elif tp == tokenize.NEWLINE:
                levels = [0]
                total = 0
            elif tp == tokenize.INDENT:
                blocks += 1
                if blocks > MAX_BLOCK_DEPTH:
                    raise RuleError(
                        f"blocks are nested too deeply (at most {MAX_BLOCK_DEPTH} levels)", line, filename
                    )
            elif tp == tokenize.DEDENT:
                blocks -= 1
            depth = total + len(levels)
            if depth > deepest:
                deepest = depth
                _check_depth(depth, filename, line)
    except (tokenize.TokenError, SyntaxError) as e:  # IndentationError is a SyntaxError
        if top:
            raise syntax_error(text, filename, e) from None
        raise RuleError("syntax error in an f-string field", line0 + 1, filename) from None
    if top and tokens > MAX_TOKENS:
        raise RuleError(f"the rule is too long ({tokens} tokens; at most {MAX_TOKENS})", None, filename)
    return deepest


def _parse_module(text: str) -> cst.Module:
    """``cst.parse_module``, also for the valid Python that libcst refuses: a keyword
    written directly before a bracket that holds a conditional expression or a lambda
    (``return(a if b else c)``, ``if(x if y else z):``, ``for i in(…)``, ``not(…)``)
    fails libcst's own node validation. Such text is parsed again with one space after
    every keyword that touches the next token; Python reads both texts the same."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        raise
    except (cst.CSTValidationError, TypeError) as first:
        spaced = space_after_keywords(text)
        if spaced == text:
            raise first from None
        try:
            return cst.parse_module(spaced)
        except Exception:
            raise first from None


_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12+
_GLUED_KEYWORDS = frozenset(keyword.kwlist) - {"True", "False", "None"}


def space_after_keywords(text: str) -> str:
    """``text`` with one space inserted after each keyword that is directly followed by
    the next token (``return(x)`` -> ``return (x)``); strings and comments untouched."""
    inserts: dict[int, list[int]] = {}
    previous = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if (previous is not None and previous.type == tokenize.NAME and previous.string in _GLUED_KEYWORDS
                    and previous.end == tok.start and tok.type in (tokenize.OP, tokenize.STRING,
                                                                   tokenize.NUMBER, _FSTRING_START)):
                inserts.setdefault(previous.end[0], []).append(previous.end[1])
            previous = tok
    except (tokenize.TokenError, SyntaxError):
        return text
    if not inserts:
        return text
    lines = text.splitlines(keepends=True)
    for row, cols in inserts.items():
        line = lines[row - 1]
        for col in sorted(cols, reverse=True):
            line = line[:col] + " " + line[col:]
        lines[row - 1] = line
    return "".join(lines)


def syntax_error(text: str, filename: str, error: Exception) -> RuleError:
    """One readable line for a syntax error: Python's own message (not the parser's token
    list), the line number, and the source line with a caret where the error is."""
    msg, line, col, source = None, None, None, None
    try:
        compile(text, filename, "exec", dont_inherit=True)  # parses only; nothing runs
    except SyntaxError as e:  # IndentationError included
        msg, line, col, source = e.msg, e.lineno, e.offset, e.text
    except (ValueError, MemoryError, RecursionError):
        pass
    if msg is None:  # Python accepts it; only libcst does not (or a tokenizer error)
        if isinstance(error, cst.ParserSyntaxError):
            msg, line, col = error.message.splitlines()[0], error.raw_line, error.raw_column + 1
        else:
            msg = str(error).splitlines()[0] if str(error) else type(error).__name__
            line = getattr(error, "lineno", None)
        lines = text.splitlines()
        source = lines[line - 1] if line and 0 < line <= len(lines) else None
    if source is None and line:  # TabError and a few others come without the line's text
        lines = text.splitlines()
        source = lines[line - 1].expandtabs(8) if 0 < line <= len(lines) else None
        col = None
    if len(msg) > 200:
        msg = msg[:200] + "…"
    where = ""
    if source is not None:
        source = source.rstrip("\n")
        stripped = source.lstrip()
        shift = len(source) - len(stripped)
        if col is not None and 0 < col <= len(source) + 1:
            at = max(col - 1 - shift, 0)
            stripped = stripped[:at] + "^" + stripped[at:]
        if len(stripped) > 120:
            stripped = stripped[:120] + "…"
        where = f": {stripped}"
    return RuleError(f"syntax error: {msg}{where}", line, filename)


def _check_depth(depth: int, filename: str, line: int) -> None:
    if depth > MAX_NESTING:
        raise RuleError(
            f"this expression is nested too deeply (brackets, operator chains, lambdas or conditionals "
            f"more than {MAX_NESTING} deep); split it into several statements",
            line,
            filename,
        )


_STRING_PREFIX = re.compile(r"[A-Za-z]*")


def _fstring_nesting(token: str, filename: str, line0: int) -> int:
    """The nesting inside an f-string token's replacement fields (0 for other strings)."""
    prefix = _STRING_PREFIX.match(token).group(0)
    if "f" not in prefix.lower():
        return 0
    body = token[len(prefix):]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    body = body[len(quote): len(body) - len(quote)]
    deepest = 0
    i = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch == "{":
            if body.startswith("{{", i):
                i += 2
                continue
            end = _field_end(body, i + 1)
            expr = body[i + 1 : end]
            deepest = max(deepest, 1 + _scan_nesting("(" + expr.replace("\n", " ") + ")\n", filename, line0, False))
            i = end + 1
        else:
            i += 1
    return deepest


def _field_end(body: str, i: int) -> int:
    """Index of the ``}`` closing the replacement field whose expression starts at ``i``
    (nested brackets and quoted strings skipped)."""
    depth = 0
    n = len(body)
    while i < n:
        ch = body[i]
        if ch in "'\"":
            q = body[i : i + 3] if body[i : i + 3] in ('"""', "'''") else ch
            close = body.find(q, i + len(q))
            i = n if close < 0 else close + len(q)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return n


def parse_source(text: str, filename: str = "<rule>") -> Source:
    """Parse ``text`` and validate every function in it; raise ``RuleError`` on any problem."""
    text = prescan(text, filename)
    if "\t" in text:
        text = untab(text, filename)
    try:
        module = _parse_module(text)
    except cst.ParserSyntaxError as e:
        raise syntax_error(text, filename, e) from None
    except RecursionError:
        raise RuleError("the rule is nested too deeply", None, filename) from None
    except Exception as e:  # libcst's native parser raises other types on odd input
        raise syntax_error(text, filename, e) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    ranges = wrapper.resolve(PositionProvider)
    positions = {node: r.start.line for node, r in ranges.items()}
    check_identifiers(module, positions, filename)
    functions: dict[str, cst.FunctionDef] = {}
    imports = Imports()
    constants: list = []
    header: list = []

    def fail(node: cst.CSTNode, message: str) -> None:
        raise RuleError(message, positions.get(node), filename)
    classes: list[cst.ClassDef] = []

    def add(fn: cst.FunctionDef) -> None:
        if fn.name.value in functions:
            raise RuleError(f"function `{fn.name.value}` is defined twice", positions.get(fn), filename)
        functions[fn.name.value] = fn

    for stmt in module.body:
        small = _header_statement(stmt)
        if small is not None:
            if functions:
                fail(stmt, "imports and module constants must come before the functions")
            header.append(stmt)
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                imports.add(small, fail)
            else:
                _constant(small, imports, constants, positions, filename, fail)
            continue
        if isinstance(stmt, cst.FunctionDef):
            add(stmt)
        elif isinstance(stmt, cst.ClassDef):
            for method in _class_methods(stmt, positions, filename):
                add(method)
            classes.append(stmt)
        elif _is_docstring(stmt):
            continue
        else:
            what = _STATEMENT_NAMES.get(type(stmt)) or _small_name(stmt)
            if what:
                raise RuleError(f"{what} is not allowed in a rule", positions.get(stmt), filename)
            raise RuleError(
                "only function definitions may stand at the top level of a rule file",
                positions.get(stmt),
                filename,
            )
    if not functions:
        raise RuleError("no function definition found", None, filename)
    has_self = {}
    module_names = imports.bound() | {c[0] for c in constants}
    nested = _nested_functions(functions, fail)
    every = set(functions) | set(nested)
    for name in nested:
        if name in module_names:
            fail(nested[name][1], f"`{name}` is both a function and a module-level name")
    for name, fn in functions.items():
        params = fn.params.params
        has_self[name] = bool(params) and params[0].name.value == "self"
        if name in module_names:
            fail(fn, f"`{name}` is both a function and a module-level name")
        _Validator(filename, positions, every, has_self[name], imports, module_names).check(fn)
        for bound in sorted(bound_names(fn) & module_names):
            fail(fn, f"`{bound}` is a module-level name: a function may read it but not bind it")
    for name, (outer, fn) in nested.items():
        has_self[name] = False
        enclosing = bound_names(functions[outer]) | {n for n, (o, _) in nested.items() if o == outer}
        _Validator(filename, positions, every, False, imports, module_names, enclosing).check(fn)
        for bound in sorted(bound_names(fn) & module_names):
            fail(fn, f"`{bound}` is a module-level name: a function may read it but not bind it")
    source = Source(text, filename, module, functions, positions, has_self, classes, nested, {}, imports,
                    constants, header)
    source.free = _free_names(source)
    return source


def _nested_functions(functions: dict[str, cst.FunctionDef], fail) -> dict:
    """Functions defined directly in the body of a top-level function (one level deep)."""
    nested: dict = {}
    for outer, fn in functions.items():
        body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                name = stmt.name.value
                if name in functions or name in nested:
                    fail(stmt, f"function `{name}` is defined twice (helpers need distinct names)")
                nested[name] = (outer, stmt)
    return nested


def _free_names(source: Source) -> dict[str, tuple[str, ...]]:
    """For each nested function: the names of its enclosing function it reads (or changes in
    place), including those of the sibling functions it calls (they see the same frame)."""
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for name, (outer, fn) in source.nested.items():
        siblings = {n for n, (o, _) in source.nested.items() if o == outer}
        enclosing = bound_names(source.functions[outer]) | siblings
        used = {n.value for n in walk_own(fn.body) if isinstance(n, cst.Name)}
        direct[name] = (used & enclosing) - bound_names(fn)
        calls[name] = used & siblings
    free = {name: set(names) for name, names in direct.items()}
    changed = True
    while changed:
        changed = False
        for name in free:
            for callee in calls[name]:
                extra = {n for n in free[callee] if n not in bound_names(source.nested[name][1])}
                if not extra <= free[name]:
                    free[name] |= extra
                    changed = True
    return {name: tuple(sorted(names)) for name, names in free.items()}


def _header_statement(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The import or constant assignment a top-level line holds, if it is one."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, (cst.Import, cst.ImportFrom)):
        return small
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small
    if isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
        return small
    return None


def _constant(small, imports: Imports, constants: list, positions: dict, filename: str, fail) -> None:
    """``NAME = expression`` at the top level: bound once, read by every function."""
    target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
    name = target.value
    if name.startswith("__") or name.endswith("__"):
        fail(small, f"dunder name `{name}` is not allowed in a rule")
    if any(c[0] == name for c in constants) or name in imports.bound():
        fail(small, f"the module-level name `{name}` is bound twice")
    known = {c[0] for c in constants} | imports.bound()
    checker = _Validator(filename, positions, set(), False, imports, known)
    checker.known = set()
    for node in walk(small.value):
        checker.node(node)
        if isinstance(node, cst.Name) and node.value not in known and node.value not in BUILTIN_NAMES \
                and node.value not in CONSTANT_NAMES and not _bound_inside(small.value, node):
            fail(node, f"name `{node.value}` is not defined before the module constant `{name}`")
    constants.append((name, small.value, positions.get(small, 0)))


def _bound_inside(expr: cst.CSTNode, name: cst.Name) -> bool:
    """Is ``name`` bound by a comprehension or lambda inside ``expr`` (or an attribute/keyword)?"""
    inner: set[str] = set()
    for node in walk(expr):
        if isinstance(node, (cst.CompFor,)):
            inner.update(target_names(node.target))
        elif isinstance(node, cst.Lambda):
            inner.update(p.name.value for p in all_params(node.params))
        elif isinstance(node, cst.Attribute) and node.attr is name:
            return True
        elif isinstance(node, cst.Arg) and node.keyword is name:
            return True
    return name.value in inner


def untab(text: str, filename: str = "<rule>") -> str:
    """Indentation with tabs, as CPython reads it: a tab moves to the next multiple of 8
    columns (CPython also refuses indentation whose meaning depends on the tab size; so do
    we). Leading tabs become spaces outside multi-line strings; the program means the same."""
    import ast
    import io
    import tokenize

    try:
        ast.parse(text, filename)
    except TabError as e:
        raise syntax_error(text, filename, e) from None
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return text  # the parser below reports it
    inside: set[int] = set()  # lines that continue a multi-line string
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                inside.update(range(tok.start[0] + 1, tok.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return text
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines, 1):
        if i in inside:
            continue
        body = line.lstrip(" \t\f")
        lead = line[: len(line) - len(body)]
        if "\t" in lead:
            lines[i - 1] = lead.replace("\f", "").expandtabs(8) + body
    return "".join(lines)


def _class_methods(node: cst.ClassDef, positions: dict, filename: str) -> list[cst.FunctionDef]:
    """A LeetCode-style `class Solution:` holding the rule's methods: each method is a
    function of the file taking `self` first; `self` carries no state."""
    def fail(at: cst.CSTNode, message: str) -> None:
        raise RuleError(message, positions.get(at), filename)

    if node.decorators:
        fail(node, "decorators are not allowed in a rule")
    bases = [a.value for a in node.bases]
    if node.keywords or any(not (isinstance(b, cst.Name) and b.value == "object") for b in bases):
        fail(node, f"the class `{node.name.value}` may not have base classes (only methods are supported)")
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
    methods = []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            if stmt.decorators:
                fail(stmt.decorators[0], "decorators are not allowed in a rule")
            params = stmt.params.params
            if not params or params[0].name.value != "self":
                fail(stmt, f"method `{stmt.name.value}` of a rule class must take `self` first "
                           "(static and class methods are not supported)")
            methods.append(stmt)
        elif _is_docstring(stmt):
            continue
        else:
            fail(node, f"a class definition in a rule may hold only methods "
                       f"(class `{node.name.value}` holds something else on line {positions.get(stmt)})")
    if not methods:
        fail(node, f"a class definition in a rule must hold the rule's methods (`{node.name.value}` has none)")
    return methods


def is_dunder(name: str) -> bool:
    return name.startswith("__") or name.endswith("__")


def check_identifiers(module: cst.Module, positions: dict, filename: str) -> None:
    """Every identifier in the file — names, attributes, parameters, function names, keyword
    arguments, targets, everywhere — is plain ASCII and not a dunder.

    Python normalises identifiers with NFKC (``ｅｘｅｃ`` *is* ``exec``, ``_＿builtins＿_`` *is*
    ``__builtins__``) while libcst keeps them as written, so a check of the written text
    could be fooled; ASCII identifiers are their own normal form.
    """
    for node in walk(module):
        if type(node) is not cst.Name:
            continue
        value = node.value
        if not value.isascii():
            raise RuleError(
                f"identifier {value!r} is not allowed: rule identifiers must be ASCII "
                "(Python would read it as " + repr(_nfkc(value)) + ")",
                positions.get(node),
                filename,
            )
        if is_dunder(value):
            hint = (" (a rule class keeps no state: `self` carries nothing between calls, so it "
                    "has no constructor; pass what `__init__` would set as arguments)") if value == "__init__" else ""
            raise RuleError(f"dunder name `{value}` is not allowed in a rule{hint}", positions.get(node), filename)


def _nfkc(value: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", value)


# An annotation may only name types: `int`, `list[int]`, `Optional[str]`, `int | None`,
# `typing.List[int]`, and the same as a short string.
_ANNOTATION_STRING = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(\[[A-Za-z0-9_., \[\]|]*\])?( *\| *[A-Za-z_][A-Za-z0-9_.]*)*")


def _check_annotation(node: cst.CSTNode, fail) -> None:
    for n in walk(node):
        if not isinstance(n, cst.BaseExpression):
            continue  # brackets, commas, whitespace, subscript elements
        if isinstance(n, (cst.Name, cst.Attribute, cst.Subscript, cst.List, cst.Tuple, cst.Ellipsis, cst.Integer)):
            continue
        if isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.BitOr):
            continue
        if isinstance(n, cst.SimpleString) and len(n.value) <= 80 and not n.prefix:
            if _ANNOTATION_STRING.fullmatch(n.value.strip("\"'").strip()):
                continue
        fail(n, "annotations may only name types (`int`, `list[int]`, `str | None`, ...)")


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _small_name(stmt: cst.CSTNode) -> str | None:
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if type(small) in _STATEMENT_NAMES:
                return _STATEMENT_NAMES[type(small)]
    return None


def pick_function(source: Source, name: str | None) -> str:
    """The rule function: ``name`` if given, else the only one, else the first not called by another."""
    if name is not None:
        if name not in source.functions:
            known = ", ".join(source.functions)
            raise RuleError(f"no function `{name}` in the file (it defines: {known})", None, source.filename)
        return name
    if len(source.functions) == 1:
        return next(iter(source.functions))
    public = [n for n in source.functions if not n.startswith("_")]
    if source.classes and len(public) == 1:
        return public[0]
    called: set[str] = set()
    for fname, fn in source.functions.items():
        for node in walk(fn.body):
            if isinstance(node, cst.Call):
                target = _call_target(node)
                if target and target != fname and target in source.functions:
                    called.add(target)
    for fname in source.functions:
        if fname not in called:
            return fname
    return next(iter(source.functions))


def _call_target(call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        return func.attr.value
    return None


_CHILDREN: dict[int, tuple] = {}  # id(node) -> (node, its children): see ``children``


def children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """``node.children``, computed once per node: libcst builds the list with a visitor on
    every call, and compiling a rule walks its tree a dozen times. The node is kept with
    its entry (its id cannot be reused while cached); ``forget_children`` empties the cache."""
    hit = _CHILDREN.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_CHILDREN) >= 20_000:
        _CHILDREN.clear()
    kids = node.children
    _CHILDREN[id(node)] = (node, kids)
    return kids


def forget_children() -> None:
    _CHILDREN.clear()


def walk(node: cst.CSTNode):
    """Every node under ``node`` (itself included), in source order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def walk_own(node: cst.CSTNode):
    """Like ``walk``, but the body of a nested function definition is not entered (it is a
    function of its own; the ``def`` node itself is yielded)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if type(n) is not cst.FunctionDef or n is node:
            stack.extend(reversed(children(n)))


def bound_names(fn: cst.FunctionDef) -> set[str]:
    """Every name the function binds anywhere: parameters, assignment and loop targets,
    except-handler names, and names bound by comprehensions and lambdas."""
    names: set[str] = set()
    for p in all_params(fn.params):
        names.add(p.name.value)
    for node in walk_own(fn.body):
        if isinstance(node, cst.AssignTarget):
            names.update(target_names(node.target))
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            names.update(target_names(node.target))
        elif isinstance(node, (cst.For, cst.CompFor)):
            names.update(target_names(node.target))
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            names.update(target_names(node.name.name))
        elif isinstance(node, cst.Lambda):
            names.update(p.name.value for p in all_params(node.params))
    return names






class _Validator:
    """Walks one function and refuses anything outside the subset."""

    def __init__(self, filename: str, positions: dict, functions: set[str], has_self: bool,
                 imports: Imports | None = None, module_names: set[str] | None = None,
                 enclosing: set[str] | None = None):
        self.filename = filename
        self.positions = positions
        self.functions = functions
        self.has_self = has_self
        self.imports = imports or Imports()
        self.module_names = module_names or set()
        self.known: set[str] = set()
        self.called: set[int] = set()  # id() of the func of every call
        self.module_attrs: set[int] = set()  # id() of module names used as `module.name`
        self.enclosing = enclosing  # a nested function: the names of the function around it
        self.self_uses: set[int] = set()  # id() of every `self` in `self.method`

    def fail(self, node: cst.CSTNode, message: str) -> None:
        raise RuleError(message, self.positions.get(node), self.filename)

    def check(self, fn: cst.FunctionDef) -> None:
        if fn.decorators:
            self.fail(fn.decorators[0], "decorators are not allowed in a rule")
        if fn.asynchronous is not None:
            self.fail(fn, "`async` is not allowed in a rule")
        params = fn.params
        if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
            self.fail(fn, "`*args` / `**kwargs` parameters are not supported")
        for p in all_params(params):
            if p.default is not None:
                self.literal(p.default)
            if p.annotation is not None:
                _check_annotation(p.annotation, self.fail)
        if fn.returns is not None:
            _check_annotation(fn.returns, self.fail)
        self.known = bound_names(fn) | (self.enclosing or set())
        annotations = _annotation_nodes(fn.body)
        own = set(map(id, fn.body.body)) if isinstance(fn.body, cst.IndentedBlock) else set()
        for node in walk_own(fn.body):
            if id(node) in annotations:
                self.annotation(node)
                continue
            if type(node) is cst.FunctionDef:
                if self.enclosing is not None or id(node) not in own:
                    self.fail(node, "a function may only be defined at the top level or directly in the "
                                    "body of a top-level function")
                continue  # checked as a function of its own
            self.node(node)

    def annotation(self, node: cst.CSTNode) -> None:
        """Annotations are never evaluated: only names that could never be allowed are refused."""
        if isinstance(node, cst.Name) and (node.value.startswith("__") or node.value.endswith("__")):
            self.fail(node, f"dunder name `{node.value}` is not allowed in a rule")
        if isinstance(node, cst.Attribute) and node.attr.value.startswith("_"):
            self.fail(node, f"attribute `{node.attr.value}` is not allowed in a rule")

    def literal(self, node: cst.BaseExpression) -> None:
        import ast

        try:
            ast.literal_eval(cst.Module([]).code_for_node(node))
        except Exception:
            self.fail(node, "parameter defaults must be literal values")

    def node(self, node: cst.CSTNode) -> None:
        tp = type(node)
        if tp in _STATEMENT_NAMES:
            self.fail(node, f"{_STATEMENT_NAMES[tp]} is not allowed in a rule")
        if tp in _EXPRESSION_NAMES:
            self.fail(node, f"{_EXPRESSION_NAMES[tp]} is not allowed in a rule")
        if tp in (cst.While, cst.For) and node.orelse is not None:
            self.fail(node, "`else` on a loop is not supported")
        if tp is cst.For and node.asynchronous is not None:
            self.fail(node, "`async for` is not allowed in a rule")
        if tp is cst.CompFor and node.asynchronous is not None:
            self.fail(node, "`async for` is not allowed in a rule")
        if tp is cst.Try and node.orelse is not None:
            self.fail(node, "`try` with `else` is not supported")
        if tp is cst.AnnAssign:
            _check_annotation(node.annotation, self.fail)
        if tp is cst.ExceptHandler:
            self.handler(node)
        elif tp is cst.Name:
            self.name(node)
        elif tp is cst.Attribute:
            self.attribute(node)
        elif tp is cst.Call:
            self.call(node)
        elif tp in (cst.SimpleString, cst.ConcatenatedString):
            prefix = node.prefix if tp is cst.SimpleString else ""
            if "b" in prefix.lower():
                self.fail(node, "bytes literals are not supported")
        elif tp is cst.Del:
            self.delete(node)
        elif tp is cst.FormattedStringExpression and node.format_spec:
            self.format_spec(node)
        elif tp is cst.Lambda:
            params = node.params
            if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
                self.fail(node, "`*args` / `**kwargs` in a lambda are not supported")

    def handler(self, node: cst.ExceptHandler) -> None:
        if node.type is None:
            return
        types = node.type.elements if isinstance(node.type, cst.Tuple) else [node.type]
        for t in types:
            value = t.value if isinstance(t, cst.Element) else t
            if not (isinstance(value, cst.Name) and value.value in EXCEPTION_NAMES):
                self.fail(node, "`except` may only name builtin exception types " + ", ".join(sorted(EXCEPTION_NAMES)))

    def name(self, node: cst.Name) -> None:
        value = node.value
        if value == "self" and self.has_self and id(node) not in self.self_uses:
            self.fail(node, "`self` may only be used to call methods (`self.method(...)`); a rule keeps no state on it")
        if value.startswith("__") or value.endswith("__"):
            self.fail(node, f"dunder name `{value}` is not allowed in a rule")
        local = normalise(value)
        if local in self.imports.typing and local not in self.known:
            self.fail(node, f"`{value}` is a typing name: it may only be used in annotations")
        if local in self.imports.modules and local not in self.known and id(node) not in self.module_attrs:
            self.fail(node, f"a module may only be used as `{value}.name` (a name from its table)")
        if value in FORBIDDEN_CALLS and value not in self.known and id(node) not in self.module_attrs:
            self.fail(node, f"`{value}` is not allowed in a rule")

    def attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and node.value.value == "self" and self.has_self:
            self.self_uses.add(id(node.value))
            if attr not in self.functions:
                self.fail(node, f"`self.{attr}`: a rule cannot keep state on `self` (only `self.method(...)` "
                                "calls of methods defined in this file are supported); pass values as arguments")
            return
        if attr.startswith("_"):
            self.fail(node, f"attribute `{attr}` is not allowed in a rule (no private or dunder attributes)")
        if not (isinstance(node.value, cst.Name) and node.value.value in self.known):
            if check_attribute(self.imports, node, self.fail):  # `re.compile` is the table's name
                self.module_attrs.update((id(node.value), id(node.attr)))
                return
        if (attr in FORMAT_METHODS or attr in GROWING_METHOD_NAMES) and id(node) not in self.called:
            # `g = "{0.__class__}".format; g(x)` or `map("1".zfill, [10**9])` would skip the
            # run-time checks made where the method is called
            self.fail(node, f"`.{attr}` may only be called directly (`s.{attr}(...)`)")
        if attr not in METHOD_NAMES and attr not in NUMBER_ATTRIBUTES:
            self.fail(node, f"attribute `.{attr}` is not allowed in a rule (only methods of str, list, dict, set, tuple, int, float)")

    def format_spec(self, node: cst.FormattedStringExpression) -> None:
        """Widths and precisions written in an f-string's format spec are bounded statically;
        replacement fields in the spec (`{x:>{w}}`) are checked at run time."""
        spec = list(node.format_spec)
        limit = DEFAULT_BUDGETS.max_container
        if node.equal is not None and any(isinstance(p, cst.FormattedStringExpression) for p in spec):
            self.fail(node, "`=` with a computed format spec in an f-string is not supported")
        for i, part in enumerate(spec):
            if not isinstance(part, cst.FormattedStringText):
                continue
            for digits in re.findall(r"\d+", part.value):
                if int(digits) > limit:
                    self.fail(node, f"format width {digits} in an f-string is too large (at most {limit})")
            # `{x:9{w}}` would glue a run-time width onto literal digits (a lone `0` is a flag)
            before_field = i + 1 < len(spec) and re.search(r"(?<!\d)0$|\d$", part.value)
            after_field = i > 0 and part.value[:1].isdigit()
            if (before_field and not re.search(r"(?<![\d.])0$", part.value)) or after_field:
                self.fail(node, "digits next to a replacement field in an f-string format spec are not supported")

    def call(self, node: cst.Call) -> None:
        self.called.add(id(node.func))
        func = node.func
        if isinstance(func, cst.Name):
            name = func.value
            if name in self.known or name in self.functions or normalise(name) in self.module_names:
                return
            if name in FORBIDDEN_CALLS:
                self.fail(node, f"`{name}` is not allowed in a rule")
            if name not in BUILTIN_NAMES and name not in EXCEPTION_NAMES:
                self.fail(node, f"call of `{name}` is not allowed in a rule (not a whitelisted builtin or a function in this file)")
            if name in EXCEPTION_NAMES:
                self.fail(node, "creating exceptions is not supported")
        elif isinstance(func, cst.Attribute):
            pass  # the attribute itself is checked; format strings are checked at run time
        elif isinstance(func, (cst.Subscript, cst.Call, cst.Lambda)):
            pass  # calls of values (a lambda stored in a list, ...): values are all harmless
        else:
            self.fail(node, "this kind of call is not supported")

    def delete(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
        for t in targets:
            value = t.value if isinstance(t, cst.Element) else t
            if not isinstance(value, (cst.Subscript, cst.Name)):
                self.fail(node, "`del` works on variables and subscripts only")


def check_name_uses(source: Source) -> None:
    """Names that are neither bound in the function, builtins, nor functions: refused early."""
    every = {**source.functions, **{n: f for n, (_, f) in source.nested.items()}}
    for fname, fn in every.items():
        known = bound_names(fn) | set(source.functions) | BUILTIN_NAMES | EXCEPTION_NAMES | CONSTANT_NAMES
        known |= source.imports.bound() | {c[0] for c in source.constants} | set(source.nested)
        if source.has_self[fname]:
            known.add("self")
        if fname in source.nested:
            known |= bound_names(source.functions[source.nested[fname][0]])
        annotations = _annotation_nodes(fn.body)
        for node in walk_own(fn.body):
            if isinstance(node, cst.Attribute) or id(node) in annotations:
                continue
            for child in _loaded_names(node):
                if child.value not in known:
                    raise RuleError(
                        f"name `{child.value}` is not defined in the rule", source.line(child), source.filename
                    )


def _annotation_nodes(node: cst.CSTNode) -> set[int]:
    """id() of every node inside an annotation under ``node`` (never evaluated)."""
    return {id(n) for a in walk(node) if isinstance(a, cst.Annotation) for n in walk(a)}


def _loaded_names(node: cst.CSTNode) -> list[cst.Name]:
    """Direct Name children of ``node`` that are read (not attribute names, not keywords)."""
    out = []
    if isinstance(node, cst.Attribute):
        return out
    for child in children(node):
        if isinstance(child, cst.Name):
            if isinstance(node, (cst.Arg,)) and child is node.keyword:
                continue
            if isinstance(node, (cst.FunctionDef, cst.Param)):
                continue
            out.append(child)
    return out


FORMAT_METHOD_NAMES = FORMAT_METHODS
