"""`rulec synth`."""

from __future__ import annotations

import click

from rulec.cliutil import fail, parse_range


@click.command("synth")
@click.option("-n", "n", type=click.IntRange(1), default=1000, show_default=True, help="Rows to write.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), default="synth.jsonl", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True)
@click.option("--nl", is_flag=True, help="Natural-language rule and trace.")
@click.option("--shots", type=click.IntRange(0, 1), default=0, show_default=True, help="1 adds a 1-shot exemplar from a different rule.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet"]), default=None, help="Default: from the file suffix.")
@click.option("--lengths", default=None, help="Keep only samples with this many loop iterations, e.g. 1-10.")
@click.option("--snippets", "k", default="4-9", show_default=True, help="Snippets per rule.")
@click.option("--list-len", default="1-10", show_default=True, help="Initial list lengths.")
@click.option("--values", default="0-99", show_default=True, help="Range of list values and snippet constants.")
@click.option("--name-len", default="3-6", show_default=True, help="Length of the random list names.")
@click.option("--max-iterations", type=click.IntRange(1), default=20, show_default=True, help="Longer programs are dropped and redrawn.")
@click.option("--max-chars", type=click.IntRange(100), default=20_000, show_default=True, help="Longer samples are dropped.")
@click.option("--resume", is_flag=True, help="Continue a killed run (its .partial file).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
def synth_cmd(n, out, seed, workers, nl, shots, fmt, lengths, k, list_len, values, name_len, max_iterations, max_chars, resume, overwrite, quiet):
    """Write N synthetic rule-following samples composed from the paper's 22 snippets."""
    from pathlib import Path

    from rulec.io import format_for
    from rulec.snippets.synth import SynthConfig, synthesise

    path = Path(out)
    if path.exists() and not (overwrite or resume):
        fail(f"{out} exists (use --overwrite to replace it)")
    if path.exists() and resume:
        fail(f"{out} is already complete; nothing to resume")
    value_range = parse_range(values, "--values")
    cfg = SynthConfig(
        seed=seed,
        snippets=parse_range(k, "--snippets", 1),
        list_len=parse_range(list_len, "--list-len", 1),
        values=value_range,
        constants=value_range,
        name_len=parse_range(name_len, "--name-len", 1),
        lengths=parse_range(lengths, "--lengths", 1) if lengths else None,
        max_iterations=max_iterations,
        max_chars=max_chars,
        nl=nl,
        shots=shots,
    )
    if cfg.lengths and cfg.lengths[0] > max_iterations:
        fail(f"--lengths {lengths} is beyond --max-iterations {max_iterations}")
    stats = synthesise(n, path, cfg, workers=workers, fmt=format_for(path, fmt), resume=resume, progress=not quiet)
    if not quiet:
        dropped = ", ".join(f"{v} {k}" for k, v in sorted(stats.dropped.items())) or "none"
        click.echo(f"wrote {stats.written} rows to {out} in {stats.seconds:.1f}s (dropped: {dropped})", err=True)
