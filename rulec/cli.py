"""The `rulec` command line. Thin: parse options, call one library function, print."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import click

from rulec import __version__
from rulec.cliutil import Group, fail


@click.group(cls=Group)
@click.version_option(__version__, prog_name="rulec")
def main() -> None:
    """rulec: compile rules written as Python functions into rule-following training data."""


_MAX_INPUT_DEPTH = 200


def parse_args_text(text: str, where: str = "--args") -> dict:
    """A JSON object or a Python literal dict, never evaluated as code."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as e:
            if "digits" in str(e):
                fail(f"{where}: an integer has more than 4300 digits")
            fail(f"{where}: not a JSON object or Python literal dict: {text[:60]!r}")
    if not isinstance(value, dict):
        fail(f"{where}: expected an object keyed by parameter name, got {type(value).__name__}")
    check_input_value(value, where)
    return value


def check_input_value(value, where: str) -> None:
    """Inputs nest at most 200 deep and hold only valid Unicode text (no lone surrogates)."""
    stack = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if depth > _MAX_INPUT_DEPTH:
            fail(f"{where}: the value nests deeper than {_MAX_INPUT_DEPTH} levels")
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                fail(f"{where}: a string holds a lone surrogate (not valid Unicode text)")
        elif isinstance(v, dict):
            stack.extend((x, depth + 1) for pair in v.items() for x in pair)
        elif isinstance(v, (list, tuple, set, frozenset)):
            stack.extend((x, depth + 1) for x in v)


def _read_glossary(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    from rulec.io import read_text

    text = read_text(path, "glossary file")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as e:
        fail(f"glossary {path} is not valid JSON: {e}")
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        fail(f"glossary {path} must be a JSON object mapping variable names to phrases")
    check_input_value(data, f"glossary {path}")
    return data


def _iter_args_file(path: str):
    from rulec.io import iter_lines

    for number, line in iter_lines(path):
        if line.strip():
            yield number, parse_args_text(line, f"{path} line {number}")


@main.command("compile")
@click.argument("rule_file")
@click.option("--function", "function", help="The rule function (default: the only one, or the first not called by another).")
@click.option("--args", "args_text", help='Inputs as a JSON object or Python literal dict, e.g. \'{"num": 15}\'.')
@click.option("--args-file", help="JSONL file, one input object per line (- for stdin).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input.")
@click.option("--nl", is_flag=True, help="Natural-language rule and trace instead of code.")
@click.option("--glossary", help="JSON file mapping variable names to noun phrases (NL).")
@click.option("--question", help="Question text for the prompt (default: generated from the inputs).")
@click.option("--max-steps", type=click.IntRange(1), default=100_000, show_default=True, help="Step budget.")
@click.option("--skip-errors", is_flag=True, help="Skip inputs that fail (one `skipped:` line each on stderr) instead of stopping.")
@click.option("--polish", is_flag=True, help="Let an LLM polish the NL wording (validated; falls back to the template).")
@click.option("--base-url", help="OpenAI-compatible endpoint for --polish.")
@click.option("--model", help="Model name for --polish.")
def compile_cmd(rule_file, function, args_text, args_file, as_json, nl, glossary, question, max_steps,
                skip_errors, polish, base_url, model):
    """Compile RULE_FILE; with inputs, print the prompt and the execution trace.

    The rule is parsed, compiled and run in a worker process behind OS limits
    (see "Process-level wall" in the README).
    """
    from collections import deque

    from rulec.io import read_text
    from rulec.parallel import Failure, WorkerSetupError, ordered_map
    from rulec.runner import CompileJob, render, setup

    if args_text is not None and args_file is not None:
        fail("give --args or --args-file, not both")
    if polish and not (base_url and model):
        fail("--polish needs --base-url and --model")
    if (glossary or polish) and not nl:
        fail("--glossary and --polish apply to --nl output")
    limits = process_limits()
    source = read_text(rule_file, "rule file")
    gloss = _read_glossary(glossary)
    job = CompileJob(source, Path(rule_file).name, function, max_steps, nl, gloss, question, as_json, polish)
    if args_text is None and args_file is None:
        inputs_iter = iter([(0, None)])
    elif args_text is not None:
        inputs_iter = iter([(0, parse_args_text(args_text))])
    else:
        inputs_iter = _iter_args_file(args_file)
    numbers: deque[int] = deque()

    def items():
        for number, inputs in inputs_iter:
            numbers.append(number)
            yield ("rule", None) if inputs is None else ("run", inputs)

    first = True
    try:
        for result in ordered_map(render, items(), setup=setup, setup_args=(job,), limits=limits, batch=32):
            number = numbers.popleft()
            where = f"input line {number}: " if args_file is not None else ""
            if isinstance(result, Failure) or isinstance(result, tuple):
                message = result.message if isinstance(result, Failure) else result[1]
                if not skip_errors:
                    fail(where + message)
                click.echo(f"skipped: {where}{message}", err=True)
                continue
            if isinstance(result, dict):  # --polish: finish the record here
                result = _polished(result, job, base_url, model)
            if not as_json and not first:
                click.echo("")
            click.echo(result)
            first = False
    except WorkerSetupError as e:
        fail(f"{job.filename}: {e} while compiling it")


def process_limits():
    """The process wall's budgets (environment overrides), or a one-line error."""
    from rulec.isolate import Limits

    try:
        return Limits.from_env()
    except ValueError as e:
        fail(str(e))


def _polished(record: dict, job, base_url: str, model: str) -> str:
    from types import SimpleNamespace

    from rulec.compiler.polish import polish_rule
    from rulec.runner import format_record, nl_prompt

    if "prompt_nl" not in record:  # the rule alone
        text, note = polish_rule(SimpleNamespace(text=record["rule_nl"]), base_url=base_url, model=model)
        if note:
            click.echo(f"note: {note}", err=True)
        return text
    text, note = polish_rule(SimpleNamespace(text=record["rule_nl"]), base_url=base_url, model=model)
    if note:
        click.echo(f"note: {note}", err=True)
    q = record["prompt_nl"].rsplit("\nQ: ", 1)[1]
    record["rule_nl"] = text
    record["prompt_nl"] = nl_prompt(text, q)
    return format_record(record, job)


def _register_subcommands() -> None:
    """Every command group; each imports its heavy dependencies (torch & co.) only when one
    of its commands runs."""
    from rulec.eval.cli import check_cmd, eval_group
    from rulec.rnr.cli import rnr_group
    from rulec.snippets.cli import synth_cmd
    from rulec.tasks.cli import tasks_group
    from rulec.train.cli import train_group

    for command in (synth_cmd, tasks_group, train_group, eval_group, check_cmd, rnr_group):
        main.add_command(command)


_register_subcommands()


