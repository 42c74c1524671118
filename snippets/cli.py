"""`rulec synth`."""

from __future__ import annotations

import click

from rulec.cliutil import config_default, config_help, fail, parse_int_set, parse_range, plural
from rulec.hub import hub_options
from rulec.snippets.synth import SynthConfig


def _range_text(pair: tuple[int, int]) -> str:
    return f"{pair[0]}-{pair[1]}" if pair[0] != pair[1] else str(pair[0])


def _d(name: str):
    return config_default(SynthConfig, name)


def _h(name: str) -> str:
    return config_help(SynthConfig, name)


# Option bounds: beyond them a run cannot finish in reasonable time or memory.
MAX_SNIPPETS = 40
MAX_LIST_LEN = 1000
MAX_NAME_LEN = 20
MAX_VALUE = 10**9
MAX_ITERATIONS = 1000
CHARS_PER_ITERATION = 2000


@click.command("synth")
@click.option("-n", "n", type=click.IntRange(1), default=1000, show_default=True, help="Rows to write.")
@click.option("-o", "--output", "--out", "out", type=click.Path(), default="synth.jsonl",
              show_default=True, help="Output file (.jsonl or .parquet), or a dataset directory (no suffix).")
@click.option("--seed", type=int, default=_d("seed"), show_default=True, help=_h("seed"))
@click.option("--workers", type=click.IntRange(1), default=None, show_default="all cores",
              help="Worker processes (the output is identical for any number).")
@click.option("--nl", is_flag=True, help=_h("nl") + " Same as --format rfft_nl.")
@click.option("--format", "data_format", type=click.Choice(["rfft", "rfft_nl"]), default=None,
              help="Data format.  [default: rfft]")
@click.option("--shots", type=click.IntRange(0, 1), default=_d("shots"), show_default=True, help=_h("shots"))
@click.option("--out-format", type=click.Choice(["jsonl", "parquet"]), default=None,
              help="File format.  [default: from the file suffix; parquet for a directory]")
@click.option("--lengths", default=None, help=_h("lengths"))
@click.option("--snippets", "k", default=_range_text(_d("snippets")), show_default=True, help=_h("snippets"))
@click.option("--list-len", default=_range_text(_d("list_len")), show_default=True, help=_h("list_len"))
@click.option("--values", default=_range_text(_d("values")), show_default=True,
              help="Range of list values and snippet constants.")
@click.option("--name-len", default=_range_text(_d("name_len")), show_default=True, help=_h("name_len"))
@click.option("--max-iterations", type=click.IntRange(1, MAX_ITERATIONS), default=_d("max_iterations"),
              show_default=True, help=_h("max_iterations"))
@click.option("--max-chars", type=click.IntRange(100), default=None,
              help=_h("max_chars") + f"  [default: {_d('max_chars'):,}, or 2,000 per loop iteration of the "
              "longest --lengths when that is more]")
@click.option("--resume", is_flag=True, help="Continue a killed run (its .partial file).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@click.option("--quiet", is_flag=True, help="No progress or summary.")
@hub_options
def synth_cmd(n, out, seed, workers, nl, data_format, shots, out_format, lengths, k, list_len, values,
              name_len, max_iterations, max_chars, resume, overwrite, quiet, push_to_hub, private):
    """Write N synthetic rule-following samples composed from the paper's 22 snippets."""
    from pathlib import Path

    from rulec.cli import process_limits
    from rulec.cliutil import keep_on_interrupt
    from rulec.hub import check_push, push_dir
    from rulec.io import (
        DEFAULT_DIR_FORMAT,
        check_dataset_dir,
        check_output,
        count_rows,
        data_file_name,
        earlier_files,
        format_for,
        is_directory_output,
        need_pyarrow,
        write_card,
    )
    from rulec.parallel import parse_workers
    from rulec.rows import ROW_FIELDS
    from rulec.snippets.synth import synthesise

    if data_format == "rfft" and nl:
        fail("--nl asks for --format rfft_nl, not rfft")
    nl = nl or data_format == "rfft_nl"
    path = Path(out)
    directory = None
    check_push(push_to_hub, private, is_directory_output(out))
    if is_directory_output(out):  # a dataset directory
        directory = path
        check_output(directory, directory=True)
        check_dataset_dir(directory)
        fmt = out_format or DEFAULT_DIR_FORMAT
        path = directory / data_file_name("train", 0, 1, fmt)
    else:
        fmt = format_for(path, out_format)
    need_pyarrow(fmt)
    check_output(path)
    if resume and overwrite:
        fail("give --resume or --overwrite, not both")
    if path.exists() and resume:
        if push_to_hub and directory is not None:  # complete already: only the upload is left
            url = push_dir(directory, push_to_hub, private)
            if not quiet:
                click.echo(f"{out} is already complete; pushed it to {url}", err=True)
            return
        fail(f"{out} is already complete; nothing to resume")
    if path.exists() and not overwrite:
        fail(f"{out} exists (use --overwrite to replace it)")
    earlier, partials = earlier_files(directory, path) if directory is not None else ([], [])
    if partials and not overwrite and not path.with_name(path.name + ".partial").exists():
        other = partials[0].name.removesuffix(".partial").rsplit(".", 1)[-1]
        fail(f"{out} holds a run interrupted while writing {other}: rerun with --out-format {other} --resume, "
             "or use --overwrite")
    if earlier and not overwrite:
        fail(f"{out} holds {earlier[0].relative_to(directory)} from an earlier run; use --overwrite to replace it")
    value_range = parse_range(values, "--values", 0, MAX_VALUE)
    accepted = parse_int_set(lengths, "--lengths", 1, max_iterations) if lengths else None
    if max_chars is None:  # long loops make long traces: room for them unless told otherwise
        max_chars = max(_d("max_chars"), CHARS_PER_ITERATION * max(accepted or (0,)))
    cfg = SynthConfig(
        seed=seed,
        snippets=parse_range(k, "--snippets", 1, MAX_SNIPPETS),
        list_len=parse_range(list_len, "--list-len", 1, MAX_LIST_LEN),
        values=value_range,
        constants=value_range,
        name_len=parse_range(name_len, "--name-len", 1, MAX_NAME_LEN),
        lengths=accepted,
        max_iterations=max_iterations,
        max_chars=max_chars,
        nl=nl,
        shots=shots,
    )
    limits = process_limits()
    with keep_on_interrupt(lambda: count_rows(path)):
        stats = synthesise(n, path, cfg, workers=parse_workers(workers), fmt=fmt, resume=resume,
                           progress=not quiet, limits=limits)
    if directory is not None:
        for f in earlier + partials:  # --overwrite: the new data file replaces the earlier ones
            f.unlink(missing_ok=True)
            f.with_name(f.name + ".json").unlink(missing_ok=True)  # a partial's run record
        write_card(directory, ["train"], [*ROW_FIELDS, "snippets"], "rulec synth",
                   f"{plural(stats.written, 'synthetic rule-following row')} written by `rulec synth` (seed {seed}).")
    if not quiet:
        dropped = ", ".join(f"{v} {k}" for k, v in sorted(stats.dropped.items())) or "none"
        click.echo(f"wrote {plural(stats.written, 'row')} to {out} in {stats.seconds:.1f}s (dropped: {dropped})", err=True)
    if push_to_hub and directory is not None:
        url = push_dir(directory, push_to_hub, private)
        if not quiet:
            click.echo(f"pushed {out} to {url}", err=True)
