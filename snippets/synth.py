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
import json
import keyword
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rulec.compiler.errors import BudgetError, RuleError
from rulec.compiler.sandbox import Budgets
from rulec.errors import ConfigError
from rulec.io import RowWriter, dumps
from rulec.rows import make_row, rule_prompt, with_shot
from rulec.snippets.compose import FUNCTION, Piece, TemplateLibrary, placeholder_text, rename
from rulec.snippets.library import HAS_CONSTANT, SNIPPETS

_FORBIDDEN_NAMES = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | {
    "var", "val", "list1", "list2", FUNCTION, "self",
}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class SynthError(ConfigError):
    """Options under which synth cannot produce rows."""


@dataclass(frozen=True)
class SynthConfig:
    seed: int = 0
    snippets: tuple[int, int] = (4, 9)  # number of snippets per rule (inclusive)
    list_len: tuple[int, int] = (1, 10)
    values: tuple[int, int] = (0, 99)
    constants: tuple[int, int] = (0, 99)
    name_len: tuple[int, int] = (3, 6)
    lengths: tuple[int, int] | None = None  # accepted loop-iteration counts (inclusive)
    max_iterations: int = 20
    max_chars: int = 20_000
    nl: bool = False
    shots: int = 0
    shot_list_len: tuple[int, int] = (1, 3)


@dataclass
class Stats:
    written: int = 0
    dropped: Counter = field(default_factory=Counter)
    candidates: int = 0


def random_name(rng: random.Random, cfg: SynthConfig, avoid: str = "") -> str:
    while True:
        name = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(*cfg.name_len)))
        if name not in _FORBIDDEN_NAMES and name != avoid:
            return name


def draw_pieces(rng: random.Random, cfg: SynthConfig) -> list[Piece]:
    pieces = []
    for _ in range(rng.randint(*cfg.snippets)):
        index = rng.randrange(len(SNIPPETS))
        constant = rng.randint(*cfg.constants) if HAS_CONSTANT[index] else None
        pieces.append(Piece(index, constant, rng.random() < 0.5))
    return pieces


def _question(a: str, b: str, la: list, lb: list) -> str:
    return f"Given two lists, {a} = {la} and {b} = {lb}, what is the final value of {a}?"


class Generator:
    """Makes candidate samples; one per worker process, templates cached across candidates."""

    def __init__(self, cfg: SynthConfig):
        self.cfg = cfg
        self.lib = TemplateLibrary()
        self.budgets = Budgets(max_iterations=cfg.max_iterations, max_trace_chars=cfg.max_chars * 4, check_values=False)

    def sample(self, rng: random.Random, list_len: tuple[int, int], lengths: tuple[int, int] | None = None):
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
        if lengths and not lengths[0] <= iterations <= lengths[1]:
            return "length"
        rule = self.lib.compiled(pieces, self.budgets, placeholder_text(pieces))
        try:
            trace = rule.run({"list1": la, "list2": lb})
        except BudgetError:
            return "non-terminating"
        except RuleError:
            return "error"
        return pieces, (a, b), (la, lb), rule, trace

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
        drawn = self.sample(rng, cfg.list_len, cfg.lengths)
        if isinstance(drawn, str):
            return None, None, drawn
        pieces, names, lists, rule, trace = drawn
        iterations = trace.loop_iterations
        text, prompt, response = self.render(rule, trace, names, lists)
        if cfg.shots:
            prompt = self._with_shot(rng, pieces, prompt)
        if len(prompt) + len(response) > cfg.max_chars:
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
        return dumps(row), key, ""

    def _with_shot(self, rng: random.Random, pieces: list[Piece], prompt: str) -> str:
        """A 1-shot exemplar from a different random rule, in the paper's wording."""
        for _ in range(100):
            drawn = self.sample(rng, self.cfg.shot_list_len)
            if isinstance(drawn, str) or drawn[0] == pieces:
                continue
            _, names, lists, rule, trace = drawn
            _, ex_prompt, ex_response = self.render(rule, trace, names, lists)
            return with_shot(ex_prompt, ex_response, prompt)
        raise SynthError("could not draw a terminating 1-shot exemplar in 100 tries")


_worker: Generator | None = None


def _init(cfg: SynthConfig) -> None:
    global _worker
    _worker = Generator(cfg)


def _chunk(bounds: tuple[int, int]):
    assert _worker is not None
    return [_worker.candidate(i) for i in range(*bounds)]


def _candidates(cfg: SynthConfig, start: int, workers: int, chunk: int):
    """Candidate results in index order, forever (the caller stops)."""
    def ranges():
        i = start
        while True:
            yield (i, i + chunk)
            i += chunk

    if workers <= 1:
        _init(cfg)
        for bounds in ranges():
            yield from _chunk(bounds)
        return
    ctx = get_context("fork")
    with ctx.Pool(workers, initializer=_init, initargs=(cfg,)) as pool:
        for results in pool.imap(_chunk, ranges(), chunksize=1):
            yield from results


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
    if writer.done:
        with open(writer.partial, encoding="utf-8") as f:
            for line in f:
                index = int(json.loads(line)["id"].rsplit("-", 1)[1])
                keys.add(_key(draw_pieces(random.Random(f"{cfg.seed}/{index}"), cfg)))
                last = max(last, index)
    return last + 1, keys


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
) -> Stats:
    """Write ``n`` synthetic rows to ``out``; returns what was written and dropped."""
    from tqdm import tqdm

    writer = RowWriter(out, fmt, resume=resume)
    stats = Stats()
    start, keys = _resume_state(writer, cfg)
    stats.written = writer.done
    bar = tqdm(total=n, initial=stats.written, unit="rows", disable=not progress, dynamic_ncols=True)
    t0 = time.perf_counter()
    ok = False
    try:
        if stats.written < n:
            for line, key, reason in _candidates(cfg, start, workers, chunk):
                stats.candidates += 1
                if line is None:
                    stats.dropped[reason] += 1
                    continue
                if key in keys:
                    stats.dropped["duplicate"] += 1
                    continue
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
        else:
            writer.abort()
    stats.seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return stats
