"""rulec.compiler: rule source -> step tree -> run -> code / NL renderings."""

from rulec.compiler.api import (
    PROMPT_HEAD,
    CompiledRule,
    Trace,
    compile_file,
    compile_rule,
    copy_value,
)
from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.render import ANSWER_PREFIX, format_answer
from rulec.compiler.sandbox import Budgets

__all__ = [
    "ANSWER_PREFIX",
    "PROMPT_HEAD",
    "BudgetError",
    "Budgets",
    "CompiledRule",
    "RuleError",
    "Trace",
    "compile_file",
    "compile_rule",
    "copy_value",
    "format_answer",
]
