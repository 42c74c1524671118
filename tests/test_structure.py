"""The compiler's module structure: no import cycle, and renderers independent of the executor."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

COMPILER = Path(__file__).resolve().parent.parent / "compiler"


def _imports(path: Path) -> set[str]:
    """Modules of rulec.compiler imported anywhere in ``path`` (top level or inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("rulec.compiler."):
                out.add(node.module.split(".")[2])
            elif node.module == "rulec.compiler":
                out.update(a.name for a in node.names if (COMPILER / f"{a.name}.py").exists())
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[2] for a in node.names if a.name.startswith("rulec.compiler."))
    return out


def _graph() -> dict[str, set[str]]:
    modules = {p.stem: p for p in COMPILER.glob("*.py") if p.stem != "__init__"}
    for pkg in (p for p in COMPILER.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        modules[pkg.name] = pkg / "__init__.py"
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_the_compiler():
    graph = _graph()
    assert "events" in graph and "run" in graph
    assert _cycle(graph) is None


def test_the_event_format_has_one_home():
    graph = _graph()
    for reader in ("run", "codegen", "render", "nl"):
        assert "events" in graph[reader], reader
    assert "run" not in graph["render"] and "run" not in graph["codegen"]


def test_importing_the_renderer_does_not_import_the_executor():
    code = "import sys, rulec.compiler.render; print('rulec.compiler.run' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


ROOT = COMPILER.parent
HOMES = {
    "Follow the given rule to solve the question.": ROOT / "rulec" / "rows.py",
    "So the answer is": ROOT / "compiler" / "render.py",
}


def _string_constants(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_prompt_wording_and_answer_line_have_one_home():
    sources = [p for d in ("rulec", "compiler", "tasks", "snippets", "train", "eval", "rnr")
               if (ROOT / d).is_dir() for p in (ROOT / d).rglob("*.py")]
    assert len(sources) > 100
    for phrase, home in HOMES.items():
        places = [
            f"{p.relative_to(ROOT)}:{node.lineno}"
            for p in sources for node in _string_constants(p) if phrase in node.value
        ]
        assert places == [f"{home.relative_to(ROOT)}:{n.lineno}" for n in _string_constants(home)
                          if phrase in n.value], places
        assert len(places) == 1, places


def test_every_user_error_derives_from_one_base():
    from rulec.compiler.errors import BudgetError, RuleError
    from rulec.errors import RulecError
    from rulec.snippets.synth import SynthError
    from rulec.tasks.formats import FormatError
    from rulec.tasks.generate import GenerateError
    from rulec.tasks.presets import UnknownPresetError
    from rulec.tasks.registry import UnknownTaskError

    for cls in (RuleError, BudgetError, SynthError, FormatError, GenerateError,
                UnknownPresetError, UnknownTaskError):
        assert issubclass(cls, RulecError), cls
