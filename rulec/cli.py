"""The `rulec` command line. Thin: parse options, call one library function, print."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import click

from rulec import __version__
from rulec.cliutil import UserError, fail
from rulec.rows import rule_prompt


class Group(click.Group):
    """Turns library errors a user can cause into one line and exit code 2."""

    def invoke(self, ctx):
        from rulec.errors import RulecError

        try:
            return super().invoke(ctx)
        except RulecError as e:
            raise UserError(str(e)) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="rulec")
def main() -> None:
    """rulec: compile rules written as Python functions into rule-following training data."""


def parse_args_text(text: str, where: str = "--args") -> dict:
    """A JSON object or a Python literal dict, never evaluated as code."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            fail(f"{where}: not a JSON object or Python literal dict: {text[:60]!r}")
    if not isinstance(value, dict):
        fail(f"{where}: expected an object keyed by parameter name, got {type(value).__name__}")
    return value


def _read_glossary(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"no such glossary file: {path}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        fail(f"glossary {path} is not valid JSON: {e}")
    except OSError as e:
        fail(f"cannot read glossary {path}: {e.strerror}")
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        fail(f"glossary {path} must be a JSON object mapping variable names to phrases")
    return data


def _iter_args_file(path: str):
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        fail(f"no such file: {path}")
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield parse_args_text(line, f"{path} line {number}")
        except UnicodeDecodeError:
            fail(f"{path} is not a UTF-8 text file")


def default_question(name: str, inputs: dict) -> str:
    given = ", ".join(f"{k} = {v!r}" for k, v in inputs.items())
    return f"Given {given}, what does {name} return?" if given else f"What does {name} return?"


@main.command("compile")
@click.argument("rule_file")
@click.option("--function", "function", help="The rule function (default: the only one, or the first not called by another).")
@click.option("--args", "args_text", help='Inputs as a JSON object or Python literal dict, e.g. \'{"num": 15}\'.')
@click.option("--args-file", help="JSONL file, one input object per line.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input.")
@click.option("--nl", is_flag=True, help="Natural-language rule and trace instead of code.")
@click.option("--glossary", help="JSON file mapping variable names to noun phrases (NL).")
@click.option("--question", help="Question text for the prompt (default: generated from the inputs).")
@click.option("--max-steps", type=click.IntRange(1), default=100_000, show_default=True, help="Step budget.")
@click.option("--polish", is_flag=True, help="Let an LLM polish the NL wording (validated; falls back to the template).")
@click.option("--base-url", help="OpenAI-compatible endpoint for --polish.")
@click.option("--model", help="Model name for --polish.")
def compile_cmd(rule_file, function, args_text, args_file, as_json, nl, glossary, question, max_steps, polish, base_url, model):
    """Compile RULE_FILE; with inputs, print the prompt and the execution trace."""
    from dataclasses import replace

    from rulec.compiler import compile_file
    from rulec.compiler.sandbox import DEFAULT_BUDGETS

    if args_text is not None and args_file is not None:
        fail("give --args or --args-file, not both")
    if polish and not (base_url and model):
        fail("--polish needs --base-url and --model")
    if (glossary or polish) and not nl:
        fail("--glossary and --polish apply to --nl output")
    rule = compile_file(rule_file, function, budgets=replace(DEFAULT_BUDGETS, max_steps=max_steps))
    gloss = _read_glossary(glossary)
    if args_text is None and args_file is None:
        if nl:
            click.echo(_nl_rule_text(rule, gloss, None, polish, base_url, model))
        else:
            click.echo(rule.text)
        return
    inputs_iter = [parse_args_text(args_text)] if args_text is not None else _iter_args_file(args_file)
    first = True
    for inputs in inputs_iter:
        trace = rule.run(inputs)
        q = question or default_question(rule.name, inputs)
        record = {
            "rule": rule.text,
            "prompt": rule.prompt(q),
            "trace": trace.code(),
            "answer": trace.answer,
            "loop_iterations": trace.loop_iterations,
            "steps": trace.steps,
        }
        if nl:
            rule_nl = _nl_rule_text(rule, gloss, inputs, polish, base_url, model)
            record["rule_nl"] = rule_nl
            record["prompt_nl"] = rule_prompt(rule_nl, q)
            record["trace_nl"] = trace.nl(gloss)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            if not first:
                click.echo("")
            if nl:
                click.echo(record["prompt_nl"])
                click.echo("")
                click.echo(record["trace_nl"])
            else:
                click.echo(record["prompt"])
                click.echo("")
                click.echo(record["trace"])
        first = False


def _nl_rule_text(rule, glossary, samples, polish, base_url, model) -> str:
    nl = rule.nl_rule(glossary, samples)
    if not polish:
        return nl.text
    from rulec.compiler.polish import polish_rule

    text, note = polish_rule(nl, base_url=base_url, model=model)
    if note:
        click.echo(f"note: {note}", err=True)
    return text


def _register_subcommands() -> None:
    from rulec.snippets.cli import synth_cmd
    from rulec.tasks.cli import tasks_group

    main.add_command(synth_cmd)
    main.add_command(tasks_group)


_register_subcommands()


