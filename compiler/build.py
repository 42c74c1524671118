"""Build the numbered step tree of a validated rule file.

Statements become steps: a simple statement (or an explicitly declared run of them)
is a unit; a flat ``if`` chain whose arms hold only simple statements is one unit;
loops, structural ``if``s (arms with loops or nested compounds), ``try`` and block-level
``return`` are structural steps with numbered children.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Sequence

import libcst as cst

from rulec.compiler.cstutil import all_params, code_of, target_names
from rulec.compiler.errors import RuleError
from rulec.compiler.instrument import Instrumenter
from rulec.compiler.ir import Branch, Function, Loop, Part, Probe, Program, Return, Step, Try, Unit
from rulec.compiler.parse import Source, bound_names, children, walk
from rulec.compiler.stdlib import MUTATING, evaluate_constants
from rulec.compiler.subset import EXCEPTION_NAMES, MUTATING_METHODS

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_FLOW = (cst.Break, cst.Continue, cst.Return)
FILENAME = "<rulec>"


def build_program(source: Source, rule: str, units: Sequence[tuple[int, int]] = ()) -> Program:
    probes: list[Probe] = []
    sources: dict[int, tuple[str, int, object]] = {}
    names = [rule] + [n for n in source.functions if n != rule] + list(source.nested)
    functions: dict[str, Function] = {}
    next_number = 0
    for name in names:
        builder = _FunctionBuilder(source, name, probes, units)
        fn = builder.build("" if name == rule else str(next_number + 1))
        sources.update(builder.sources)
        if name == rule:
            next_number = len(fn.body)
        else:
            next_number += 1
        functions[name] = fn
    text = "\n\n".join(_top_text(source, stmt) for stmt in source.module.body if _is_definition(stmt, source))
    if source.header:  # imports and module constants, as written, above the functions
        text = "\n".join(recite(stmt) for stmt in source.header) + "\n\n" + text
    program = Program(functions[rule], functions, probes, text, source.filename, sources)
    program.imported = {**source.imports.modules, **source.imports.names}
    program.globals = {**source.imports.values(),
                       **evaluate_constants(source.constants, source.imports, source.filename)}
    return program


def _is_definition(stmt: cst.CSTNode, source: Source) -> bool:
    return (isinstance(stmt, cst.FunctionDef) and stmt.name.value in source.functions) or (
        isinstance(stmt, cst.ClassDef) and stmt in source.classes
    )


def _top_text(source: Source, stmt: cst.CSTNode) -> str:
    """A top-level function, or a class holding the rule's methods, as the prompt shows it."""
    return _function_text(source, stmt)


def _function_text(source: Source, fn: cst.CSTNode) -> str:
    lines = [line.rstrip() for line in source.code(fn).splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


class _StripComments(cst.CSTTransformer):
    def leave_EmptyLine(self, original, updated):
        return cst.RemoveFromParent()

    def leave_TrailingWhitespace(self, original, updated):
        return updated.with_changes(comment=None, whitespace=cst.SimpleWhitespace(""))


def recite(node: cst.CSTNode) -> str:
    """The code of ``node`` as the trace recites it: no comments, no trailing spaces."""
    clean = node.visit(_StripComments())
    lines = [line.rstrip() for line in code_of(clean).splitlines()]
    return "\n".join(line for line in lines if line.strip())


def _compile(src: str, line: int, mode: str):
    try:
        return compile("\n" * max(line - 1, 0) + src, FILENAME, mode, dont_inherit=True)
    except SyntaxError as e:  # e.g. `break` outside a loop
        raise RuleError(f"invalid statement: {e.msg}", line) from None


def build_function(source: Source, name: str, probes: list[Probe], units: Sequence[tuple[int, int]] = ()) -> Function:
    """The step tree of one function of a parsed file, numbered from the top (the public way
    to build a function from a template: the snippet composer uses it). ``probes`` collects
    the instrumentation probes; ``units`` declares multi-statement units by line range."""
    return _FunctionBuilder(source, name, probes, units).build("")


class _FunctionBuilder:
    def __init__(self, source: Source, name: str, probes: list[Probe], units: Sequence[tuple[int, int]]):
        self.source = source
        self.outer = source.nested[name][0] if name in source.nested else ""
        self.fn = source.nested[name][1] if self.outer else source.functions[name]
        self.name = name
        self.probes = probes
        self.units = list(units)
        self.has_self = source.has_self[name]
        # a nested function shows the names of its enclosing function it reads like its own
        self.free = source.free.get(name, ())
        self.local = (bound_names(self.fn) | set(self.free)) - {"self"} - set(source.nested)
        self.functions = set(source.functions) | set(source.nested)
        self.loop_depth = 0
        self.sources: dict[int, tuple[str, int, object]] = {}

    def fail(self, node: cst.CSTNode, message: str) -> None:
        raise RuleError(message, self.source.line(node), self.source.filename)

    def compile(self, src: str, line: int, mode: str):
        """Compile instrumented code; keep its text for the code generator (``codegen``)."""
        code = _compile(src, line, mode)
        self.sources[id(code)] = (src, line, code)
        return code

    def build(self, number: str) -> Function:
        params = [p.name.value for p in all_params(self.fn.params)]
        defaults = {}
        for p in all_params(self.fn.params):
            if p.default is not None:
                defaults[p.name.value] = ast.literal_eval(code_of(p.default))
        if self.has_self:
            params = params[1:]
        body = self.block(self._statements(self.fn.body), number)
        ordered = list(params) + sorted(self.local - set(params))
        nested = tuple(n for n, (o, _) in self.source.nested.items() if o == self.name)
        return Function(self.name, params, defaults, body, number, tuple(ordered), self.has_self, self.fn,
                        self.outer, self.free, nested)

    # -- blocks ----------------------------------------------------------------
    def _statements(self, body: cst.BaseSuite) -> list[cst.BaseStatement]:
        if isinstance(body, cst.SimpleStatementSuite):
            return [cst.SimpleStatementLine(body=body.body)]
        out = []
        for stmt in body.body:
            if isinstance(stmt, cst.FunctionDef):
                continue  # a nested function: built as a function of its own
            if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(s, cst.Expr) and isinstance(s.value, (cst.SimpleString, cst.ConcatenatedString))
                for s in stmt.body
            ):
                continue  # docstrings and bare string statements do nothing
            out.append(stmt)
            if self._ends_flow(stmt):
                break  # anything after break/continue/return in a block never runs
        return out

    @staticmethod
    def _ends_flow(stmt: cst.BaseStatement) -> bool:
        return isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, _FLOW) for s in stmt.body)

    def block(self, stmts: list[cst.BaseStatement], prefix: str) -> list[Step]:
        groups: list[list[cst.BaseStatement]] = []
        for stmt in stmts:
            group_id = self._unit_range(stmt)
            if groups and group_id is not None and self._unit_range(groups[-1][0]) == group_id:
                groups[-1].append(stmt)
            else:
                groups.append([stmt])
        steps: list[Step] = []
        for i, group in enumerate(groups, 1):
            number = f"{prefix}.{i}" if prefix else str(i)
            steps.append(self.step(group, number))
        return steps

    def _unit_range(self, stmt: cst.BaseStatement) -> int | None:
        line = self.source.line(stmt)
        for idx, (a, b) in enumerate(self.units):
            if a <= line <= b:
                return idx
        return None

    def step(self, group: list[cst.BaseStatement], number: str) -> Step:
        first = group[0]
        if len(group) > 1:
            for stmt in group:
                if not self._is_simple(stmt):
                    self.fail(stmt, "a declared unit may hold only simple statements and flat `if` chains")
            for stmt in group[:-1]:
                if self._has_flow(stmt):
                    self.fail(stmt, "break/continue/return may only end a declared unit")
            return self.unit(group, number)
        if isinstance(first, cst.SimpleStatementLine):
            if len(first.body) == 1 and isinstance(first.body[0], cst.Return):
                return self.ret(first, first.body[0], number)
            if any(isinstance(s, _FLOW) for s in first.body[:-1]):
                self.fail(first, "break/continue/return must be the last statement on its line")
            return self.unit(group, number)
        if isinstance(first, cst.If):
            if self._is_flat_if(first):
                return self.unit(group, number)
            return self.branch(first, number)
        if isinstance(first, cst.While):
            return self.loop_while(first, number)
        if isinstance(first, cst.For):
            return self.loop_for(first, number)
        if isinstance(first, cst.Try):
            return self.try_(first, number)
        self.fail(first, f"unsupported statement `{code_of(first).strip().splitlines()[0]}`")
        raise AssertionError  # unreachable

    def _is_simple(self, stmt: cst.BaseStatement) -> bool:
        return isinstance(stmt, cst.SimpleStatementLine) or (isinstance(stmt, cst.If) and self._is_flat_if(stmt))

    def _calls_function(self, stmt: cst.CSTNode) -> bool:
        """Does ``stmt`` possibly call a function of the file? (Any call of a name that is
        not a builtin, or any call inside a lambda, counts: values can hold functions.)"""
        for node in walk(stmt):
            if isinstance(node, cst.Call):
                func = node.func
                if isinstance(func, cst.Attribute):
                    if isinstance(func.value, cst.Name) and func.value.value == "self":
                        return True
                    continue
                if not (isinstance(func, cst.Name) and func.value not in self.functions and func.value not in self.local):
                    return True
            elif isinstance(node, cst.Name) and node.value in self.functions:
                return True
        return False

    def _has_flow(self, stmt: cst.BaseStatement) -> bool:
        return any(isinstance(n, _FLOW) for n in walk(stmt))

    def _is_flat_if(self, node: cst.If) -> bool:
        cur: cst.CSTNode | None = node
        while cur is not None:
            body = cur.body
            if isinstance(body, cst.IndentedBlock):
                if not all(isinstance(s, cst.SimpleStatementLine) for s in body.body):
                    return False
            cur = cur.orelse if isinstance(cur, cst.If) else None
            if isinstance(cur, cst.Else):
                body = cur.body
                if isinstance(body, cst.IndentedBlock) and not all(
                    isinstance(s, cst.SimpleStatementLine) for s in body.body
                ):
                    return False
                cur = None
        return True

    # -- units -----------------------------------------------------------------
    def unit(self, group: list[cst.BaseStatement], number: str) -> Unit:
        line = self.source.line(group[0])
        inst = Instrumenter(self.probes, self.functions, self.has_self)
        parts: list[Part] = []
        flow = False
        for stmt in group:
            if isinstance(stmt, cst.If):
                k = inst.mark_chain(stmt)
                arms_nodes = _chain_arms(stmt)
                for arm in arms_nodes:
                    for s in _small_statements(arm.body):
                        inst.mark_statement(s)
                parts.append(Part(stmt, chain=k))
            else:
                for s in stmt.body:
                    inst.mark_statement(s)
                parts.append(Part(stmt))
            if self._has_flow(stmt):
                flow = True
                if self.loop_depth == 0 and any(
                    isinstance(n, (cst.Break, cst.Continue)) for n in walk(stmt)
                ):
                    self.fail(stmt, "`break`/`continue` outside a loop")
        transformed = [stmt.visit(inst).visit(_DeadAfterFlow()) for stmt in group]
        # blank and comment lines above the unit are not part of it: the code starts at `line`
        transformed[0] = transformed[0].with_changes(leading_lines=[])
        src = cst.Module(body=transformed).code
        code = self.compile(src, line, "exec")
        for part in parts:
            self._analyse_part(part, inst)
        text = "\n".join(recite(stmt) for stmt in group)
        unit = Unit(number, line, text, parts, code, line, flow=flow, nodes=list(group))
        unit.all_reads = _all_reads(parts)
        unit.maybe_writes = tuple(dict.fromkeys(m for p in parts for m in p.maybe_writes))
        unit.calls = any(self._calls_function(stmt) for stmt in group)
        if all(p.chain is None for p in parts):
            unit.plans[()] = plan_unit(unit, {})
        return unit

    def _analyse_part(self, part: Part, inst: Instrumenter) -> None:
        if part.chain is None:
            reads, writes, maybe = self._analyse_smalls(_live(part.node.body), inst)
            part.reads, part.writes, part.maybe_writes = tuple(reads), tuple(writes), tuple(maybe)
            return
        arms = []
        maybe_all: list[str] = []
        for arm in _chain_arms(part.node):
            test_reads = self.reads(arm.test) if isinstance(arm, cst.If) else []
            reads, writes, maybe = self._analyse_smalls(_live(_small_statements(arm.body)), inst)
            arms.append((tuple(test_reads), tuple(reads), tuple(writes)))
            maybe_all += [m for m in maybe if m not in maybe_all]
        part.arms = tuple(arms)
        part.maybe_writes = tuple(maybe_all)

    def _analyse_smalls(self, smalls: list[cst.BaseSmallStatement], inst: Instrumenter):
        reads: list[str] = []
        writes: list[tuple[str, int | None]] = []
        maybe: list[str] = []
        written: set[str] = set()
        for s in smalls:
            for r in self.reads(s):
                if r not in written and r not in reads:
                    reads.append(r)
            probe = inst.stmt_probe.get(id(s))
            for w in self.writes(s):
                written.add(w)
                writes = [x for x in writes if x[0] != w]
                writes.append((w, probe if w == _main_target(s) else None))
            for m in self.maybe_writes(s):
                if m not in maybe:
                    maybe.append(m)
        return reads, writes, maybe

    # -- reads and writes ------------------------------------------------------
    def reads(self, node: cst.CSTNode) -> list[str]:
        out: list[str] = []
        self._reads(node, frozenset(), out)
        return out

    def _reads(self, node: cst.CSTNode, bound: frozenset, out: list[str]) -> None:
        tp = type(node)
        if tp is cst.Name:
            v = node.value
            if v in self.local and v not in bound and v not in out:
                out.append(v)
            return
        if tp is cst.Attribute:
            self._reads(node.value, bound, out)
            return
        if tp is cst.Arg:
            self._reads(node.value, bound, out)
            return
        if tp is cst.AssignTarget:
            self._target_reads(node.target, bound, out)
            return
        if tp is cst.AnnAssign:  # the annotation is never evaluated; the target is written
            self._target_reads(node.target, bound, out)
            if node.value is not None:
                self._reads(node.value, bound, out)
            return
        if tp is cst.Del:
            self._target_reads(node.target, bound, out)
            return
        if tp is cst.Lambda:
            inner = bound | {p.name.value for p in all_params(node.params)}
            self._reads(node.body, inner, out)
            return
        if tp in _COMPREHENSIONS:
            inner = set(bound)
            f = node.for_in
            fors = []
            while f is not None:
                inner.update(target_names(f.target))
                fors.append(f)
                f = f.inner_for_in
            inner_b = frozenset(inner)
            for f in fors:
                self._reads(f.iter, inner_b if f is not fors[0] else bound, out)
                for cond in f.ifs:
                    self._reads(cond.test, inner_b, out)
            for field in ("elt", "key", "value"):
                child = getattr(node, field, None)
                if child is not None:
                    self._reads(child, inner_b, out)
            return
        for child in children(node):
            self._reads(child, bound, out)

    def _target_reads(self, target: cst.CSTNode, bound: frozenset, out: list[str]) -> None:
        if isinstance(target, cst.Name):
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._target_reads(el.value, bound, out)
            return
        if isinstance(target, cst.StarredElement):
            self._target_reads(target.value, bound, out)
            return
        self._reads(target, bound, out)

    def writes(self, stmt: cst.CSTNode) -> list[str]:
        out: list[str] = []

        def add(name: str | None) -> None:
            if name and name in self.local and name not in out:
                out.append(name)

        if isinstance(stmt, cst.Assign):
            for t in stmt.targets:
                for n in _store_names(t.target):
                    add(n)
        elif isinstance(stmt, cst.AugAssign) or (isinstance(stmt, cst.AnnAssign) and stmt.value is not None):
            for n in _store_names(stmt.target):
                add(n)
        elif isinstance(stmt, cst.Del):
            targets = stmt.target.elements if isinstance(stmt.target, cst.Tuple) else [stmt.target]
            for t in targets:
                value = t.value if isinstance(t, cst.Element) else t
                if isinstance(value, cst.Subscript):
                    add(_base_name(value))
        for node, inner in _calls_in_scope(stmt):
            changed = MUTATING.get(self.source.imports.resolve(node.func))  # heapq.heappush(h, x)
            if changed is not None and len(node.args) > changed:
                base = _base_name(node.args[changed].value)
                for name in inner[base] if base in inner else (base,):
                    add(name)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in MUTATING_METHODS:
                base = _base_name(node.func.value)
                # `[x.pop() for x in xs]` mutates the items of `xs`, not a variable `x`
                for name in inner[base] if base in inner else (base,):
                    add(name)
        return out

    def maybe_writes(self, stmt: cst.CSTNode) -> list[str]:
        out = []
        for node, inner in _calls_in_scope(stmt):
            target = node.func
            name = None
            if isinstance(target, cst.Name) and target.value in self.functions:
                name = target.value
            elif (
                isinstance(target, cst.Attribute)
                and isinstance(target.value, cst.Name)
                and target.value.value == "self"
            ):
                name = target.attr.value
            if name in self.source.free:  # a nested function may change its enclosing names
                for free in self.source.free[name]:
                    if free in self.local and free not in out:
                        out.append(free)
            if name:
                for a in node.args:
                    base = _base_name(a.value)
                    for name in inner[base] if base in inner else (base,):
                        if name in self.local and name not in out:
                            out.append(name)
        return out

    # -- structural steps ------------------------------------------------------
    def _expr_code(self, expr: cst.BaseExpression, line: int):
        inst = Instrumenter(self.probes, self.functions, self.has_self)
        new = expr.visit(inst)
        return self.compile(code_of(new).strip(), line, "eval")

    def ret(self, stmt: cst.SimpleStatementLine, node: cst.Return, number: str) -> Return:
        line = self.source.line(stmt)
        code = None
        reads: list[str] = []
        if node.value is not None:
            inst = Instrumenter(self.probes, self.functions, self.has_self)
            inst.mark_statement(node)
            new = node.value.visit(inst)
            if isinstance(new, cst.Tuple) and not new.lpar:  # `return *xs, y` as an expression
                new = new.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            code = self.compile(code_of(new).strip(), line, "eval")
            reads = self.reads(node.value)
        return Return(number, line, recite(stmt), code, tuple(reads), node)

    def loop_while(self, node: cst.While, number: str) -> Loop:
        line = self.source.line(node)
        test = self._expr_code(node.test, line)
        self.loop_depth += 1
        body = self.block(self._statements(node.body), f"{number}.2")
        self.loop_depth -= 1
        header = f"while {recite(node.test)}:"
        return Loop(number, line, "while", header, test, None, tuple(self.reads(node.test)), (), body, node)

    def loop_for(self, node: cst.For, number: str) -> Loop:
        line = self.source.line(node)
        iterable = self._expr_code(node.iter, line)
        target_src = code_of(node.target).strip()
        assign = self.compile(f"{target_src} = __rc_item__", line, "exec")
        targets = tuple(n for n in _store_names(node.target) if n in self.local)
        self.loop_depth += 1
        body = self.block(self._statements(node.body), f"{number}.2")
        self.loop_depth -= 1
        header = f"for {recite(node.target)} in {recite(node.iter)}:"
        reads = tuple(self.reads(node.iter))
        return Loop(number, line, "for", header, iterable, assign, reads, targets, body, node)

    def branch(self, node: cst.If, number: str) -> Branch:
        headers, tests, test_reads, arms = [], [], [], []
        has_else = False
        cur: cst.CSTNode | None = node
        keyword = "if"
        i = 0
        while cur is not None:
            if isinstance(cur, cst.If):
                i += 1
                line = self.source.line(cur)
                headers.append(f"{keyword} {recite(cur.test)}:")
                tests.append(self._expr_code(cur.test, line))
                test_reads.append(tuple(self.reads(cur.test)))
                arms.append(self.block(self._statements(cur.body), f"{number}.{i}"))
                keyword = "elif"
                cur = cur.orelse
            else:  # Else
                i += 1
                has_else = True
                arms.append(self.block(self._statements(cur.body), f"{number}.{i}"))
                cur = None
        return Branch(number, self.source.line(node), headers, tests, test_reads, arms, has_else, node)

    def try_(self, node: cst.Try, number: str) -> Try:
        body = self.block(self._statements(node.body), f"{number}.1")
        handlers = []
        for i, h in enumerate(node.handlers, 2):
            types = None
            if h.type is not None:
                elems = h.type.elements if isinstance(h.type, cst.Tuple) else [h.type]
                names = [(e.value if isinstance(e, cst.Element) else e).value for e in elems]
                types = tuple(getattr(builtins, n) for n in names if n in EXCEPTION_NAMES)
            name = h.name.name.value if h.name is not None else None
            header = "except" + (f" {recite(h.type)}" if h.type is not None else "")
            if name:
                header += f" as {name}"
            handlers.append((types, name, self.block(self._statements(h.body), f"{number}.{i}"), header + ":"))
        final = None
        if node.finalbody is not None:
            final = self.block(self._statements(node.finalbody.body), f"{number}.{len(node.handlers) + 2}")
        return Try(number, self.source.line(node), body, handlers, final, node)


def _live(smalls) -> list[cst.BaseSmallStatement]:
    """The statements up to and including the first break/continue/return (the rest never runs)."""
    out = []
    for s in smalls:
        out.append(s)
        if isinstance(s, _FLOW):
            break
    return out


_FLOW_CALLS = frozenset({"__rc_flow__", "__rc_ret__"})


def _is_flow_call(small: cst.CSTNode) -> bool:
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and isinstance(small.value.func, cst.Name)
        and small.value.func.value in _FLOW_CALLS
    )


class _DeadAfterFlow(cst.CSTTransformer):
    """In instrumented code, break/continue/return are calls that only set a flag: the
    statements after one in the same arm must not run. They become `pass` (the line
    numbers stay, so errors still name the right line)."""

    def _kill(self, smalls, dead: bool):
        out = []
        for small in smalls:
            out.append(cst.Pass() if dead else small)
            dead = dead or _is_flow_call(small)
        return out, dead

    def leave_SimpleStatementSuite(self, original, updated):
        body, _ = self._kill(updated.body, False)
        return updated.with_changes(body=body)

    def leave_IndentedBlock(self, original, updated):
        dead = False
        lines = []
        for line in updated.body:
            if isinstance(line, cst.SimpleStatementLine):
                body, dead = self._kill(line.body, dead)
                line = line.with_changes(body=body)
            lines.append(line)
        return updated.with_changes(body=lines)

    def leave_SimpleStatementLine(self, original, updated):
        body, _ = self._kill(updated.body, False)
        return updated.with_changes(body=body)


def _chain_arms(node: cst.If) -> list[cst.CSTNode]:
    arms: list[cst.CSTNode] = []
    cur: cst.CSTNode | None = node
    while isinstance(cur, cst.If):
        arms.append(cur)
        cur = cur.orelse
    if isinstance(cur, cst.Else):
        arms.append(cur)
    return arms


def _small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    out = []
    for line in body.body:
        out.extend(line.body)
    return out




def _calls_in_scope(node: cst.CSTNode, bound: dict | None = None):
    """Every call under ``node`` with the names bound around it by comprehensions and lambdas
    inside ``node`` (those names are not the function's variables), each mapped to the
    variables its values may come from (the names its comprehension's iterable reads)."""
    bound = bound or {}
    tp = type(node)
    if tp is cst.Lambda:
        bound = {**bound, **{p.name.value: () for p in all_params(node.params)}}
    elif tp in _COMPREHENSIONS:
        inner = dict(bound)
        f = node.for_in
        while f is not None:
            origin: set[str] = set()
            for n in walk(f.iter):
                if isinstance(n, cst.Name):
                    origin.update(inner.get(n.value, (n.value,)))
            for name in target_names(f.target):
                inner[name] = tuple(sorted(origin))
            f = f.inner_for_in
        # the first iterable is evaluated outside the comprehension
        yield from _calls_in_scope(node.for_in.iter, bound)
        for child in children(node):
            if child is not node.for_in:
                yield from _calls_in_scope(child, inner)
        f = node.for_in
        for cond in f.ifs:
            yield from _calls_in_scope(cond, inner)
        if f.inner_for_in is not None:
            yield from _calls_in_scope(f.inner_for_in, inner)
        return
    if tp is cst.Call:
        yield node, bound
    for child in children(node):
        yield from _calls_in_scope(child, bound)


def _store_names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        out = []
        for el in target.elements:
            out.extend(_store_names(el.value))
        return out
    if isinstance(target, cst.StarredElement):
        return _store_names(target.value)
    base = _base_name(target)
    return [base] if base else []


def _base_name(node: cst.CSTNode) -> str | None:
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _main_target(stmt: cst.CSTNode) -> str | None:
    if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0].target, cst.Name):
        return stmt.targets[0].target.value
    if isinstance(stmt, cst.AugAssign) and isinstance(stmt.target, cst.Name):
        return stmt.target.value
    return None


def _all_reads(parts: list[Part]) -> tuple[str, ...]:
    out: list[str] = []
    written: set[str] = set()
    for part in parts:
        if part.chain is None:
            names = list(part.reads)
        else:
            names = [r for arm in part.arms for r in arm[0] + arm[1]]
        for r in names:
            if r not in written and r not in out:
                out.append(r)
        for m in part.maybe_writes:
            if m not in out:
                out.append(m)
        if part.chain is None:
            written.update(w for w, _ in part.writes)
    return tuple(out)


def plan_unit(unit: Unit, taken: dict[int, tuple[int, int]]):
    """(names shown before, writes shown after) for one execution of ``unit``.

    ``taken`` maps a chain's TEST probe to (last test evaluated, arm entered or -1).
    """
    shown: list[str] = []
    written: set[str] = set()
    writes: list[tuple[str, int | None]] = []
    for part in unit.parts:
        if part.chain is None:
            reads, ws = part.reads, part.writes
        else:
            if part.chain not in taken:
                continue
            last, arm = taken[part.chain]
            reads = [r for a in part.arms[: last + 1] for r in a[0]]
            ws = ()
            if arm >= 0:
                reads += list(part.arms[arm][1])
                ws = part.arms[arm][2]
        for r in reads:
            if r not in written and r not in shown:
                shown.append(r)
        for w, k in ws:
            written.add(w)
            writes = [x for x in writes if x[0] != w]
            writes.append((w, k))
    return tuple(shown), tuple(writes)
