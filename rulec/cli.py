"""The `rulec` command line. Thin: parse options, call one library function, print."""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from pathlib import Path

import click

from rulec import __version__
from rulec.cliutil import (
    ChunkedStdout,
    Group,
    fail,
    fields_error,
    fields_option,
    keep_on_interrupt,
    kept_fields,
    parse_fields,
    plural,
)
from rulec.hub import check_push, hub_options, push_dir


@click.group(cls=Group)
@click.version_option(__version__, prog_name="rulec")
def main() -> None:
    """rulec: compile rules written as Python functions into rule-following training data."""


def parse_args_text(text: str, where: str = "--args") -> dict:
    """``--args``: a JSON object or a Python literal dict, never evaluated as code."""
    from rulec.runner import InputError, parse_inputs

    try:
        return parse_inputs(text)
    except InputError as e:
        fail(f"{where}: {e}")


def check_input_value(value, where: str) -> None:
    from rulec.runner import InputError, check_inputs

    try:
        check_inputs(value)
    except InputError as e:
        fail(f"{where}: {e}")


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
    """(line number, text) of each non-blank line; the worker parses it (an error there
    names the line, like every other error of that input)."""
    from rulec.io import iter_lines

    for number, line in iter_lines(path):
        if line.strip():
            yield number, line


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
@click.option("--rows", "as_rows", is_flag=True, help="Full rows in the row schema of every rulec dataset (JSONL).")
@click.option("--format", "row_format", type=click.Choice(["rfft", "rfft_nl", "scratchpad", "direct"]), default=None,
              help="Data format of --rows.  [default: rfft, or rfft_nl with --nl]")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Write --rows to this file (.jsonl/.parquet) or dataset directory instead of stdout.")
@click.option("--out-format", type=click.Choice(["jsonl", "parquet"]), default=None,
              help="File format of -o.  [default: from the suffix; parquet for a directory]")
@click.option("--overwrite", is_flag=True, help="Replace an existing -o output.")
@click.option("--resume", is_flag=True, help="Continue an interrupted --rows -o run after the last input it wrote.")
@click.option("--workers", type=click.IntRange(1), default=None, show_default="all cores",
              help="Worker processes for many inputs (the output is identical for any number).")
@click.option("--skip-errors", is_flag=True, help="Skip inputs that fail (one `skipped:` line each on stderr) instead of stopping.")
@click.option("--quiet", is_flag=True, help="No `skipped:` or `note:` lines (errors are still one line).")
@fields_option
@click.option("--polish", is_flag=True, help="Let an LLM polish the NL wording (validated; falls back to the template).")
@click.option("--base-url", help="OpenAI-compatible endpoint for --polish.")
@click.option("--model", help="Model name for --polish.")
@hub_options
def compile_cmd(rule_file, function, args_text, args_file, as_json, nl, glossary, question, max_steps,
                as_rows, row_format, output, out_format, overwrite, resume, workers, skip_errors, quiet, fields,
                polish, base_url, model, push_to_hub, private):
    """Compile RULE_FILE; with inputs, print the prompt and the execution trace.

    The rule is parsed, compiled and run in a worker process behind OS limits
    (see "Process-level wall" in the README).
    """
    from collections import deque

    from rulec.io import count_rows, is_directory_output, read_text
    from rulec.parallel import Failure, WorkerSetupError, ordered_map, parse_workers
    from rulec.runner import CompileJob, preload, render, setup

    if args_text is not None and args_file is not None:
        fail("give --args or --args-file, not both")
    if polish and not (base_url and model):
        fail("--polish needs --base-url and --model")
    if (glossary or polish) and not (nl or row_format == "rfft_nl"):
        fail("--glossary and --polish apply to --nl output")
    if (row_format or output or out_format or fields) and not as_rows:
        fail("--format, -o, --out-format and --fields apply to --rows")
    kept = parse_fields(fields)
    problem = fields_error(kept, compile_fields()) if kept else None
    if problem:
        fail(problem)
    if push_to_hub and not output:
        fail("--push-to-hub applies to --rows -o DIR")
    if resume and not output:
        fail("--resume applies to --rows -o")
    if resume and overwrite:
        fail("give --resume or --overwrite, not both")
    if output == "-":
        fail("-o -: rows go to stdout when -o is not given")
    if as_rows:
        if args_text is None and args_file is None:
            fail("--rows needs inputs (--args or --args-file)")
        if polish or as_json:
            fail("--rows cannot be combined with --polish or --json")
        if nl and row_format not in (None, "rfft_nl"):
            fail(f"--nl asks for --format rfft_nl, not {row_format}")
        row_format = row_format or ("rfft_nl" if nl else "rfft")
    check_push(push_to_hub, private, output is not None and is_directory_output(output))
    limits = process_limits()
    source = read_text(rule_file, "rule file")
    gloss = _read_glossary(glossary)
    job = CompileJob(source, Path(rule_file).name, function, max_steps, nl, gloss, question, as_json, polish,
                     row_format if as_rows else None, kept)
    sink = None
    if output:
        options = {"rule": hashlib.sha256(source.encode()).hexdigest()[:16], "function": function,
                   "format": row_format, "question": question, "glossary": gloss, "max_steps": max_steps,
                   "fields": list(kept) if kept else None,
                   "args_file": str(Path(args_file).resolve()) if args_file not in (None, "-") else args_file}
        sink = RowSink(output, out_format, overwrite, resume, options)
    if args_text is None and args_file is None:
        inputs_iter = iter([(0, None)])
    elif args_text is not None:
        inputs_iter = iter([(0, parse_args_text(args_text))])
    else:
        inputs_iter = _iter_args_file(args_file)
    numbers: deque[int] = deque()

    after = sink.last_input_line if sink is not None else 0  # --resume: inputs already written

    given = 0  # inputs run in this process (for the no-rows message)

    def items():
        nonlocal given
        for number, inputs in inputs_iter:
            if after and number <= after:
                continue
            given += 1
            numbers.append(number)
            if inputs is None:
                yield ("rule", None, number)
            else:
                yield ("line" if isinstance(inputs, str) else "run", inputs, number)

    first = True
    ok = False
    stdout = ChunkedStdout()  # click.echo flushes every line; sys.stdout writes each large record
    # the rows kept are counted on disk, after the writer has closed (an interrupt in the
    # middle of a write keeps only the complete lines)
    interrupt = keep_on_interrupt(lambda: count_rows(sink.writer.path)) if sink is not None else nullcontext()
    with interrupt:
        try:
            n_workers = parse_workers(workers) if args_file is not None else 1
            preload(job)
            for result in ordered_map(render, items(), setup=setup, setup_args=(job,), limits=limits, batch=32,
                                      workers=n_workers):
                number = numbers.popleft()
                where = f"input line {number}: " if args_file is not None else ""
                if isinstance(result, Failure) or isinstance(result, tuple):
                    message = result.message if isinstance(result, Failure) else result[1]
                    if not skip_errors:
                        fail(where + message)
                    if not quiet:
                        click.echo(f"skipped: {where}{message}", err=True)
                    continue
                if isinstance(result, dict):  # --polish: finish the record here
                    result = _polished(result, job, base_url, model, quiet)
                if sink is not None:
                    sink.write_line(result)
                    continue
                if not as_json and not as_rows and not first:  # rows and JSON: one object a line
                    stdout.write("\n")
                stdout.write(result)
                stdout.write("\n")
                first = False
            if sink is not None and sink.kept() == 0:  # a data set of no rows cannot be loaded
                fail("no rows to write: " + ("every input failed" if given else "the inputs are empty"))
            ok = True
        except WorkerSetupError as e:
            fail(f"{job.filename}: {e} while compiling it")
        finally:
            stdout.flush()
            if sink is not None:
                sink.close(ok)
    if sink is not None and not quiet:
        click.echo(f"wrote {plural(sink.kept(), 'row')} to {output}", err=True)
    if push_to_hub and sink is not None and sink.dir is not None:
        click.echo(f"pushed {output} to {push_dir(sink.dir, push_to_hub, private)}", err=True)


def compile_fields() -> tuple[str, ...]:
    """The columns of `compile --rows`: the row schema and the input's line number."""
    from rulec.rows import ROW_FIELDS  # imported here: rulec.rows imports the compiler (libcst)

    return (*ROW_FIELDS, "input_line")


class RowSink:
    """``compile --rows -o``: a file (atomic, by suffix) or a dataset directory with a card;
    ``--resume`` continues after the last input line an interrupted run wrote, once its
    run record shows the same rule and options."""

    def __init__(self, output: str, out_format: str | None, overwrite: bool, resume: bool = False,
                 options: dict | None = None):
        from rulec.io import (
            CARD,
            DEFAULT_DIR_FORMAT,
            RowWriter,
            check_dataset_dir,
            check_output,
            data_file_name,
            earlier_files,
            format_for,
            is_directory_output,
            need_pyarrow,
            record_path,
            write_atomic,
        )

        out = Path(output)
        self.dir = out if is_directory_output(output) else None
        if self.dir is not None:
            fmt = out_format or DEFAULT_DIR_FORMAT
            path = self.dir / data_file_name("train", 0, 1, fmt)
            check_output(self.dir, directory=True)
            check_dataset_dir(self.dir)
            self.earlier = earlier_files(self.dir, path)[0]
            taken = path.exists() or (self.dir / CARD).exists() or bool(self.earlier)
        else:
            fmt = format_for(out, out_format)
            path = out
            taken = path.exists()
        need_pyarrow(fmt)
        if taken and resume:
            fail(f"{output} is already complete; nothing to resume")
        if taken and not overwrite:
            fail(f"{output} exists (use --overwrite to replace it)")
        partial = path.with_name(path.name + ".partial")
        self.record = record_path(partial)
        self.options = options or {}
        if resume:
            if not partial.exists():
                fail(f"nothing to resume: {partial} does not exist (run without --resume)")
            self._check_record()
        self.rows = 0
        self.writer = RowWriter(path, fmt, resume=resume)
        self.last_input_line = _last_input_line(partial) if resume and self.writer.done else 0
        if not resume or not self.record.exists():
            write_atomic(self.record, json.dumps({"created_by": "rulec compile --rows", "options": self.options},
                                                 ensure_ascii=False, sort_keys=True))

    def _check_record(self) -> None:
        import json

        try:
            old = json.loads(self.record.read_text(encoding="utf-8"))["options"]
        except FileNotFoundError:
            fail(f"--resume: {self.record} is missing, so the interrupted run's options are unknown; "
                 "rerun without --resume")
        except (OSError, ValueError, KeyError, TypeError):
            fail(f"--resume: cannot read {self.record}; rerun without --resume")
        differ = [name for name, value in self.options.items() if old.get(name) != value]
        if differ:
            fail(f"--resume: this run differs from the interrupted one in its {', '.join(differ)}; "
                 "rerun without --resume or with the same rule and options")

    def kept(self) -> int:
        return self.writer.done + self.rows

    def write_line(self, line: str) -> None:
        self.writer.write_line(line)
        self.rows += 1

    def close(self, ok: bool) -> None:
        from rulec.io import write_card

        if not ok:
            self.writer.abort()
            if not self.writer.partial.exists():  # nothing kept: no record either
                self.record.unlink(missing_ok=True)
            return
        self.writer.close()
        self.record.unlink(missing_ok=True)
        if self.dir is not None:
            for f in self.earlier:  # --overwrite: the new data file replaces the earlier ones
                f.unlink(missing_ok=True)
            fields = kept_fields(tuple(self.options["fields"]) if self.options.get("fields") else None,
                                 compile_fields())  # the parent may import the compiler now: it is done
            write_card(self.dir, ["train"], fields, "rulec compile --rows",
                       f"{plural(self.kept(), 'row')} of a user's rule, written by `rulec compile --rows`.")


def _last_input_line(partial: Path) -> int:
    """The ``input_line`` of the last complete row of an interrupted run."""
    import json

    last = None
    with open(partial, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                last = line
    try:
        return int(json.loads(last)["input_line"]) if last else 0
    except (ValueError, KeyError, TypeError):
        fail(f"--resume: the last row of {partial} has no input_line; rerun without --resume")


def process_limits():
    """The process wall's budgets (environment overrides), or a one-line error."""
    from rulec.isolate import Limits

    try:
        return Limits.from_env()
    except ValueError as e:
        fail(str(e))


def _polished(record: dict, job, base_url: str, model: str, quiet: bool = False) -> str:
    from types import SimpleNamespace

    from rulec.compiler.polish import polish_rule
    from rulec.runner import format_record, nl_prompt

    if "prompt_nl" not in record:  # the rule alone
        text, note = polish_rule(SimpleNamespace(text=record["rule_nl"]), base_url=base_url, model=model)
        if note and not quiet:
            click.echo(f"note: {note}", err=True)
        return json.dumps({"rule_nl": text}, ensure_ascii=False) if job.as_json else text
    text, note = polish_rule(SimpleNamespace(text=record["rule_nl"]), base_url=base_url, model=model)
    if note and not quiet:
        click.echo(f"note: {note}", err=True)
    q = record["prompt_nl"].rsplit("\nQ: ", 1)[1]
    record["rule_nl"] = text
    record["prompt_nl"] = nl_prompt(text, q)
    return format_record(record, job)


# Every command group, imported only when it is run or listed: `rulec compile` never
# imports the synthesiser, the task registry or (through them) libcst in this process;
# each group imports its heavy dependencies (torch & co.) only when one of its commands runs.
_LAZY_COMMANDS = {
    "synth": ("rulec.snippets.cli", "synth_cmd"),
    "tasks": ("rulec.tasks.cli", "tasks_group"),
    "train": ("rulec.train.cli", "train_group"),
    "eval": ("rulec.eval.cli", "eval_group"),
    "check": ("rulec.eval.cli", "check_cmd"),
    "rnr": ("rulec.rnr.cli", "rnr_group"),
}
main.lazy_commands = _LAZY_COMMANDS
