"""rulec.compiler: rule source -> step tree -> run -> code / NL renderings.

The public names below are imported on first use (PEP 562), so importing one stage (say
``rulec.compiler.render``) does not import the others.
"""

from importlib import import_module

_PUBLIC = {
    "PROMPT_HEAD": "rulec.compiler.api",
    "CodeRun": "rulec.compiler.api",
    "CompiledRule": "rulec.compiler.api",
    "Trace": "rulec.compiler.api",
    "compile_file": "rulec.compiler.api",
    "compile_rule": "rulec.compiler.api",
    "copy_value": "rulec.compiler.api",
    "BudgetError": "rulec.compiler.errors",
    "RuleError": "rulec.compiler.errors",
    "ANSWER_PREFIX": "rulec.compiler.render",
    "format_answer": "rulec.compiler.render",
    "Budgets": "rulec.compiler.sandbox",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rulec.compiler' has no attribute {name!r}")
