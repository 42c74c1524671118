"""`rulec synth`: a deterministic, streaming generator of synthetic rule-following samples.

Candidate ``i`` draws all its randomness from ``Random(f"{seed}/{i}")``, so a
candidate is the same whichever worker makes it. Candidates are consumed in index
order in the parent process, which drops non-terminating programs, lengths outside
the target range and duplicated rules, and writes until ``n`` rows are accepted —
hence byte-identical output for any number of workers.
"""

from __future__ import annotations

import builtins
import hashlib
import itertools
import json
import keyword
import random
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rulec.cliutil import FIELDS_HELP, fields_error
from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.sandbox import Budgets
from rulec.errors import ConfigError
from rulec.io import RowWriter, dumps, record_path, write_atomic
from rulec.isolate import DEFAULT_LIMITS, Limits
from rulec.parallel import Failure, ordered_map
from rulec.rows import ROW_FIELDS, make_row, rule_prompt, with_shot
from rulec.snippets.compose import FUNCTION, Piece, TemplateLibrary, placeholder_text, rename
from rulec.snippets.library import HAS_CONSTANT, SNIPPETS

_FORBIDDEN_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "var", "val", "list1", "list2", FUNCTION, "self",
}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CONSONANTS = "bcdfghjklmnpqrstvwxz"  # no vowels and no y: no English word but these
_VOWELLESS_WORDS = frozenset({"hmm", "hmmm", "nth", "psst", "pst", "shh", "shhh", "brr", "brrr",
                              "tsk", "tsks", "pfft", "grr", "grrr", "crwth", "cwm", "zzz", "zzzz",
                              "mmm", "phpht", "pht", "ssh", "tsktsk", "bzzt", "hwt", "ptth"})


SYNTH_FIELDS = (*ROW_FIELDS, "snippets")  # the columns of a synth row
MAX_DROPS_IN_A_ROW = 50_000
AIM_TRIES = 4  # resizes of the lists towards a requested loop count (--lengths)
MAX_AIMED_LEN = 1000  # then the options cannot be met: a clear error, not a hang


class SynthError(ConfigError):
    """Options `rulec synth` cannot satisfy, or a partial file it cannot resume."""


def _help(text: str) -> dict:
    return {"help": text}


@dataclass(frozen=True)
class SynthConfig:
    """Everything that determines the rows of `rulec synth`; the command line reads its
    defaults and help from here. Ranges are inclusive ``(low, high)`` pairs."""

    seed: int = field(default=0, metadata=_help("Seed; the output depends on nothing else."))
    snippets: tuple[int, int] = field(default=(4, 9), metadata=_help("Snippets per rule."))
    list_len: tuple[int, int] = field(default=(1, 10), metadata=_help("Initial list lengths."))
    values: tuple[int, int] = field(default=(0, 99), metadata=_help("Range of list values."))
    constants: tuple[int, int] = field(default=(0, 99), metadata=_help("Range of snippet constants."))
    name_len: tuple[int, int] = field(default=(3, 6), metadata=_help("Length of the random list names."))
    lengths: tuple[int, ...] | None = field(
        default=None, metadata=_help("Keep only samples with these loop-iteration counts, e.g. 1-10 or 2,4,6-8."))
    max_iterations: int = field(default=20, metadata=_help("Longer programs are dropped and redrawn."))
    max_chars: int = field(default=20_000, metadata=_help("Longer samples (prompt + response) are dropped."))
    nl: bool = field(default=False, metadata=_help("Natural-language rule and trace."))
    shots: int = field(default=0, metadata=_help("1 adds a 1-shot exemplar from a different rule."))
    shot_list_len: tuple[int, int] = (1, 3)
    fields: tuple[str, ...] | None = field(default=None, metadata=_help(FIELDS_HELP))


@dataclass
class Stats:
    written: int = 0
    dropped: Counter = field(default_factory=Counter)
    candidates: int = 0


def random_name(rng: random.Random, cfg: SynthConfig, avoid: str = "") -> str:
    """A list name that is never an English word (the NL rule reads "the first element of
    odd is odd" otherwise): consonants only, minus the few vowel-less words."""
    while True:
        name = "".join(rng.choice(_CONSONANTS) for _ in range(rng.randint(*cfg.name_len)))
        if name not in _FORBIDDEN_NAMES and name not in _VOWELLESS_WORDS and name != avoid:
            return name


def draw_pieces(rng: random.Random, cfg: SynthConfig) -> list[Piece]:
    pieces = []
    for _ in range(rng.randint(*cfg.snippets)):
        index = rng.randrange(len(SNIPPETS))
        constant = rng.randint(*cfg.constants) if HAS_CONSTANT[index] else None
        pieces.append(Piece(index, constant, rng.random() < 0.5))
    return pieces


def _resized(rng: random.Random, values: list[int], factor: float, bounds: tuple[int, int]) -> list[int]:
    n = min(MAX_AIMED_LEN, max(1, round(len(values) * factor)))
    if n <= len(values):
        return values[:n]
    return values + [rng.randint(*bounds) for _ in range(n - len(values))]


def _question(a: str, b: str, la: list, lb: list) -> str:
    return f"Given two lists, {a} = {la} and {b} = {lb}, what is the final value of {a}?"


class Generator:
    """Makes candidate samples; one per worker process, templates cached across candidates."""

    def __init__(self, cfg: SynthConfig):
        self.cfg = cfg
        self.lib = TemplateLibrary()
        self.budgets = Budgets(max_iterations=cfg.max_iterations, max_trace_chars=cfg.max_chars * 4, check_values=False)
        self.accepted = frozenset(cfg.lengths) if cfg.lengths else None

    def sample(self, rng: random.Random, list_len: tuple[int, int], lengths: frozenset[int] | None = None):
        """(pieces, names, inputs, trace) or a drop reason."""
        cfg = self.cfg
        pieces = draw_pieces(rng, cfg)
        a = random_name(rng, cfg)
        b = random_name(rng, cfg, avoid=a)
        la = [rng.randint(*cfg.values) for _ in range(rng.randint(*list_len))]
        lb = [rng.randint(*cfg.values) for _ in range(rng.randint(*list_len))]
        iterations = self.lib.dry_run(pieces, la, lb, cfg.max_iterations)
        if iterations is None:
            return "non-terminating"
        if lengths and iterations not in lengths:
            aimed = self._aim(rng, pieces, la, lb, iterations, lengths)
            if aimed is None:
                return "length"
            la, lb = aimed
        rule = self.lib.compiled(pieces, self.budgets, placeholder_text(pieces))
        try:
            trace = rule.run({"list1": la, "list2": lb})
        except BudgetError:
            return "non-terminating"
        except RuleError:
            return "error"
        return pieces, (a, b), (la, lb), rule, trace

    def _aim(self, rng: random.Random, pieces: list[Piece], la: list[int], lb: list[int], iterations: int,
             lengths: frozenset[int]) -> tuple[list[int], list[int]] | None:
        """Resize the two lists towards the requested loop count (it grows about linearly
        with them), a few times; the lists that hit it, or None. Long lengths then cost
        a few dry runs instead of thousands of rejected candidates."""
        target = (min(lengths) + max(lengths)) / 2
        for _ in range(AIM_TRIES):
            factor = target / max(iterations, 0.5)
            la = _resized(rng, la, factor, self.cfg.values)
            lb = _resized(rng, lb, factor, self.cfg.values)
            found = self.lib.dry_run(pieces, la, lb, self.cfg.max_iterations)
            if found is None:
                return None
            if found in lengths:
                return la, lb
            if found == iterations and factor != 1:  # the loop count does not follow the lists
                return None
            iterations = found
        return None

    def render(self, rule, trace, names, lists) -> tuple[str, str, str]:
        a, b = names
        question = _question(a, b, *lists)
        if self.cfg.nl:
            nl = rule.nl_rule({}, {"list1": lists[0], "list2": lists[1]})
            text = rename(nl.text, a, b)
            response = rename(trace.nl(), a, b)
        else:
            text = rename(rule.text, a, b)
            response = rename(trace.code(), a, b)
        return text, rule_prompt(text, question), response

    def candidate(self, index: int) -> tuple[str | None, bytes | None, str]:
        """(json line or None, rule key, drop reason)."""
        cfg = self.cfg
        rng = random.Random(f"{cfg.seed}/{index}")
        drawn = self.sample(rng, cfg.list_len, self.accepted)
        if isinstance(drawn, str):
            return None, None, drawn
        pieces, names, lists, rule, trace = drawn
        iterations = trace.loop_iterations
        text, prompt, response = self.render(rule, trace, names, lists)
        shot = self._draw_shot(rng, pieces) if cfg.shots else None
        if shot is not None:
            prompt = with_shot(*self.render(*shot)[1:], prompt)
        # The cap is on the code rendering in both modes, so `synth` and `synth --nl` with one
        # seed keep exactly the same candidates (a paired corpus for the code->NL transfer).
        size = len(prompt) + len(response)
        if cfg.nl:
            size = self._code_size(rule, trace, names, lists, shot)
        if size > cfg.max_chars:
            return None, None, "too-long"
        key = _key(pieces)
        row = make_row(
            id=f"synth-{cfg.seed}-{index}",
            task="synthetic",
            source="synthetic",
            split="pretrain",
            length=iterations,
            format="rfft_nl" if cfg.nl else "rfft",
            shots=cfg.shots,
            prompt=prompt,
            response=response,
            answer=trace.answer,
            inputs={names[0]: lists[0], names[1]: lists[1]},
            rule=text,
            loop_iterations=iterations,
            snippets=[p.index for p in pieces],
        )
        return dumps(row, cfg.fields), key, ""

    def _code_size(self, rule, trace, names, lists, shot) -> int:
        """Characters of the candidate rendered as code (prompt with its shot, response)."""
        a, b = names
        code_text = rename(rule.text, a, b)
        prompt = rule_prompt(code_text, _question(a, b, *lists))
        if shot is not None:
            s_rule, s_trace, s_names, s_lists = shot
            s_text = rename(s_rule.text, *s_names)
            prompt = with_shot(rule_prompt(s_text, _question(*s_names, *s_lists)),
                               rename(s_trace.code(), *s_names), prompt)
        return len(prompt) + len(rename(trace.code(), a, b))

    def _draw_shot(self, rng: random.Random, pieces: list[Piece]):
        """(rule, trace, names, lists) of a 1-shot exemplar from a different random rule."""
        for _ in range(100):
            drawn = self.sample(rng, self.cfg.shot_list_len)
            if isinstance(drawn, str) or drawn[0] == pieces:
                continue
            _, names, lists, rule, trace = drawn
            return rule, trace, names, lists
        raise SynthError("could not draw a terminating 1-shot exemplar in 100 tries")


def _candidate(gen: Generator, index: int) -> tuple[str | None, bytes | None, str]:
    return gen.candidate(index)


def _candidates(cfg: SynthConfig, start: int, workers: int, chunk: int, limits: Limits | None):
    """Candidate results in index order, forever (the caller stops); a candidate whose
    worker hit a limit of the process wall is dropped with the budget as its reason."""
    for result in ordered_map(_candidate, itertools.count(start), setup=Generator, setup_args=(cfg,),
                              workers=workers, limits=limits, batch=chunk):
        yield (None, None, result.kind) if isinstance(result, Failure) else result


def _key(pieces: list[Piece]) -> bytes:
    """Identity of a rule: its code under the placeholder names (different snippets can
    spell the same code, e.g. 21 and 20 with the lists swapped)."""
    return hashlib.blake2b(placeholder_text(pieces).encode(), digest_size=12).digest()


def _resume_state(writer: RowWriter, cfg: SynthConfig) -> tuple[int, set[bytes]]:
    """Next candidate index and the keys of the rules already written.

    Rows carry their candidate index in their id; a candidate's rule is the first
    thing drawn from its generator, so the keys are re-derived without re-running.
    """
    keys: set[bytes] = set()
    last = -1
    prefix = f"synth-{cfg.seed}-"
    if writer.done:
        with open(writer.partial, encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                try:
                    ident = json.loads(line)["id"]
                    if not ident.startswith(prefix):
                        raise ValueError(ident)
                    index = int(ident[len(prefix):])
                except (ValueError, KeyError, TypeError, RecursionError):
                    raise SynthError(
                        f"{writer.partial} line {number} is not a row of `rulec synth --seed {cfg.seed}`; "
                        "delete the file or rerun with --overwrite"
                    ) from None
                keys.add(_key(draw_pieces(random.Random(f"{cfg.seed}/{index}"), cfg)))
                last = max(last, index)
    return last + 1, keys


# ---------------------------------------------------------------- the run record (--resume)

# the option of each config field, for the message naming what differs
_OPTIONS = {"seed": "--seed", "snippets": "--snippets", "list_len": "--list-len", "values": "--values",
            "constants": "--values", "name_len": "--name-len", "lengths": "--lengths",
            "max_iterations": "--max-iterations", "max_chars": "--max-chars", "nl": "--nl", "shots": "--shots",
            "fields": "--fields"}


def _config_json(cfg: SynthConfig) -> dict:
    return json.loads(json.dumps(asdict(cfg)))  # tuples as lists, as read back


def _write_record(path: Path, cfg: SynthConfig) -> None:
    write_atomic(path, json.dumps({"created_by": "rulec synth", "config": _config_json(cfg)}, indent=1) + "\n")


def _shown(name: str, value) -> str:
    if name == "lengths" and value:
        parts, run = [], [value[0], value[0]]
        for v in value[1:]:
            if v == run[1] + 1:
                run[1] = v
            else:
                parts.append(run)
                run = [v, v]
        parts.append(run)
        return ",".join(f"{a}-{b}" if a != b else str(a) for a, b in parts)
    if name == "fields":
        return ",".join(value) if value else "all"
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]}-{value[1]}"
    if isinstance(value, bool):
        return "on" if value else "off"
    return "any" if value is None else str(value)


def check_record(path: Path, cfg: SynthConfig) -> bool:
    """Refuse to resume a run started with other options (one line naming them); False
    when there is no record (a partial written by an older rulec: the seed check only)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))["config"]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise SynthError(f"--resume: cannot read the run record {path} ({type(e).__name__}); "
                         "rerun without --resume") from None
    new = _config_json(cfg)
    differ: dict[str, str] = {}
    for name, value in new.items():
        if old.get(name) != value:
            option = _OPTIONS.get(name, name)
            differ.setdefault(option, f"{option} (was {_shown(name, old.get(name))}, now {_shown(name, value)})")
    if differ:
        raise SynthError(f"--resume: this run differs from the interrupted one in {', '.join(differ.values())}; "
                         "rerun without --resume or with the same options")
    return True


def synthesise(
    n: int,
    out: str | Path,
    cfg: SynthConfig,
    *,
    workers: int = 1,
    fmt: str = "jsonl",
    resume: bool = False,
    progress: bool = True,
    chunk: int = 256,
    limits: Limits | None = DEFAULT_LIMITS,
) -> Stats:
    """Write ``n`` synthetic rows to ``out``; returns what was written and dropped.

    Candidates are made in worker processes behind the process wall (``limits``;
    ``None``: in this process). After ``MAX_DROPS_IN_A_ROW`` candidates in a row are
    dropped, the options cannot be met and :class:`SynthError` says why.
    """
    from rulec.progress import Progress

    problem = fields_error(cfg.fields, SYNTH_FIELDS)
    if problem:
        raise SynthError(problem)
    writer = RowWriter(out, fmt, resume=resume)
    record = record_path(writer.partial)
    stats = Stats()
    try:
        recorded = True
        if writer.done:  # resuming rows: only those of a run with the same options
            recorded = check_record(record, cfg)
            if writer.done > n:
                raise SynthError(f"--resume: {writer.done} rows are already written, more than -n {n}; "
                                 f"rerun with -n {writer.done} or more, or without --resume")
        start, keys = _resume_state(writer, cfg)  # the rows' ids: the seed
        if not recorded:
            print(f"warning: {writer.partial} has no record of its options (an older rulec wrote it); "
                  "resuming on the seed check only", file=sys.stderr)
        _write_record(record, cfg)
    except BaseException:
        writer.abort()
        if not writer.partial.exists():
            record.unlink(missing_ok=True)
        raise
    stats.written = writer.done
    bar = Progress(n, stats.written, "rows", progress)
    t0 = time.perf_counter()
    ok = False
    try:
        if stats.written < n:
            in_a_row = 0
            # small runs on many workers: no point in thousands of candidates in flight
            chunk = max(8, min(chunk, (n - stats.written) // (2 * workers)))
            for line, key, reason in _candidates(cfg, start, workers, chunk, limits):
                stats.candidates += 1
                if line is None or key in keys:
                    stats.dropped["duplicate" if line is not None else reason] += 1
                    in_a_row += 1
                    if in_a_row >= MAX_DROPS_IN_A_ROW:
                        raise SynthError(_hopeless(stats, in_a_row))
                    continue
                in_a_row = 0
                keys.add(key)
                writer.write_line(line)
                stats.written += 1
                bar.update(1)
                if stats.written >= n:
                    break
        ok = True
    finally:
        bar.close()
        if ok:
            writer.close()
            record.unlink(missing_ok=True)
        else:
            writer.abort()
            if not writer.partial.exists():  # no rows kept: nothing to resume
                record.unlink(missing_ok=True)
    stats.seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return stats


def _hopeless(stats: Stats, in_a_row: int) -> str:
    dropped = ", ".join(f"{v} {k}" for k, v in stats.dropped.most_common())
    return (
        f"{in_a_row} candidates in a row were dropped ({dropped}); these options cannot be met "
        "(loosen --max-chars, --lengths, --max-iterations or --list-len, or ask for fewer rows)"
    )
