"""`rulec rnr generate`: (system prompt, instruction, response) triplets from instruction data.

For each sampled (instruction, reference response):

1. design — ask for a role and a numbered rule set (JSON, schema-checked); a malformed or
   non-conforming answer is sent back with the reason and asked again, up to ``retries``;
2. de-duplicate — a system prompt nearly identical to one already kept is asked again;
3. respond — ask for the reply that obeys every rule (JSON); every code-checkable rule is
   verified on it, and a reply that breaks one is sent back with the broken rules;
4. keep the row, or record the failure (stage, reason) — failures are never kept.

Items are processed in chunks: requests run concurrently, decisions that depend on earlier
items (the plan of rule categories, de-duplication) are taken in input order, so the output
is the same whatever the concurrency. Every request is cached, so an interrupted or repeated
run replays what it already paid for and continues.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rulec.io import RowWriter
from rulec.rnr import ifeval, prompts
from rulec.rnr.client import LLMClient, RequestFailed, _atomic_write, progress_bar
from rulec.rnr.dedup import NearDuplicates
from rulec.rnr.rules import CATEGORIES, RULE_TYPES, types_in, verify_all
from rulec.rnr.schema import SchemaError, system_prompt, validate_response, validate_ruleset
from rulec.rnr.sources import FieldMap, Pair, load_pairs
from rulec.rows import make_row

ROWS_FILE = "rows.jsonl"
FAILURES_FILE = "failures.json"
SUMMARY_FILE = "summary.json"


@dataclass
class GenerateConfig:
    input: str
    out: Path
    n: int | None = None
    seed: int = 0
    rules_per_prompt: tuple[int, int] = (3, 8)
    categories: tuple[str, ...] = CATEGORIES
    retries: int = 3  # re-asks per step after a rejected answer
    dedup_threshold: float = 0.7  # Jaccard similarity of word 3-shingles
    fields: FieldMap = field(default_factory=FieldMap)
    split: str | None = None
    progress: bool = True


@dataclass
class Item:
    pair: Pair
    n_rules: int
    must_cover: list[str]
    conv: list[dict[str, str]] = field(default_factory=list)
    attempts: int = 0  # design requests so far (the attempt number in the cache key)
    last_reply: str = ""
    role: str | None = None
    rules: list[dict[str, Any]] | None = None
    system: str | None = None
    response: str | None = None
    response_attempts: int = 0
    failure: tuple[str, str] | None = None  # (stage, reason)


class Generator:
    def __init__(self, cfg: GenerateConfig, client: LLMClient):
        self.cfg = cfg
        self.client = client
        self.types = types_in(cfg.categories)
        self.type_names = [t.name for t in self.types]
        self.rng = random.Random(cfg.seed)
        self.usage = dict.fromkeys(cfg.categories, 0)
        self.dedup = NearDuplicates(cfg.dedup_threshold)
        self.duplicates = 0

    # ------------------------------------------------------------ plan (input order)

    def plan(self, pair: Pair) -> Item:
        lo, hi = self.cfg.rules_per_prompt
        n_rules = self.rng.randint(lo, hi)
        m = min(len(self.usage), max(1, (n_rules + 1) // 2))
        order = sorted(self.usage, key=lambda c: (self.usage[c], self.rng.random()))
        cover = sorted(order[:m], key=list(self.usage).index)
        for c in cover:
            self.usage[c] += 1
        conv = prompts.ruleset_messages(pair.instruction, n_rules, self.types, cover)
        return Item(pair, n_rules, cover, conv)

    # ------------------------------------------------------------ design (concurrent)

    def design(self, item: Item) -> None:
        for _ in range(self.cfg.retries + 1):
            reply = self.client.complete(item.conv, attempt=item.attempts)
            item.attempts += 1
            item.last_reply = reply
            try:
                item.role, item.rules = validate_ruleset(
                    reply, self.type_names, self.cfg.rules_per_prompt)
                missing = set(item.must_cover) - {r["category"] for r in item.rules}
                if missing:
                    raise SchemaError(f"rules: no rule of the categories {sorted(missing)}")
                item.system = system_prompt(item.role, item.rules)
                item.failure = None
                return
            except SchemaError as e:
                item.conv = prompts.retry_messages(item.conv, reply, str(e), prompts.RULESET_SHAPE)
                item.failure = ("ruleset", str(e))
        item.role = item.rules = item.system = None

    def _design_safely(self, item: Item) -> None:
        try:
            item.failure = None
            self.design(item)
        except RequestFailed as e:
            item.failure = ("request", str(e))
            item.rules = None

    # ------------------------------------------------------------ de-duplicate (input order)

    def deduplicate(self, item: Item) -> None:
        """Keep the item's system prompt, or re-ask (up to ``retries`` times) while it is a
        near-duplicate of one already kept."""
        redos = 0
        while item.rules is not None:
            if self.dedup.add(item.system):
                return
            self.duplicates += 1
            if redos == self.cfg.retries:
                item.rules = None
                item.failure = ("duplicate", "system prompt still a near-duplicate after retries")
                return
            redos += 1
            item.conv = prompts.retry_messages(
                item.conv, item.last_reply,
                "this system prompt is nearly identical to one written for another message; "
                "write a clearly different role and rules", prompts.RULESET_SHAPE)
            self._design_safely(item)

    # ------------------------------------------------------------ respond (concurrent)

    def respond(self, item: Item) -> None:
        if item.rules is None:
            return
        conv = prompts.response_messages(item.system, item.pair.instruction, item.pair.response)
        try:
            for attempt in range(self.cfg.retries + 1):
                reply = self.client.complete(conv, attempt=attempt)
                item.response_attempts = attempt + 1
                try:
                    text = validate_response(reply)
                except SchemaError as e:
                    conv = prompts.retry_messages(conv, reply, str(e), prompts.RESPONSE_SHAPE)
                    item.failure = ("response", str(e))
                    continue
                broken = [r for r in item.rules if not verify_all([r], text).get(r["id"], True)]
                if not broken:
                    item.response, item.failure = text, None
                    return
                problem = "it breaks " + "; ".join(f"rule {r['id']} ({r['text']})" for r in broken)
                conv = prompts.retry_messages(conv, reply, problem, prompts.RESPONSE_SHAPE)
                item.failure = ("verify", problem)
        except RequestFailed as e:
            item.failure = ("request", str(e))

    # ------------------------------------------------------------ rows

    def row(self, item: Item) -> dict[str, Any]:
        pair, rules = item.pair, item.rules
        source = Path(self.cfg.input).name
        uid = hashlib.sha256(f"{source}\0{pair.index}\0{pair.instruction}".encode()).hexdigest()[:12]
        code = verify_all(rules, item.response)
        row = make_row(
            id=f"rnr-{uid}", task="rnr", source=source, split="train", length=len(rules),
            format="rnr", shots=0, prompt=pair.instruction, response=item.response, answer="",
            inputs={**pair.fields, "reference": pair.response}, rule=item.system,
            loop_iterations=0,
            system=item.system, role=item.role, rules=rules,
            checks={"code": {str(k): v for k, v in code.items()},
                    "llm": [r["id"] for r in rules if not RULE_TYPES[r["type"]].checkable]},
            generator={"model": self.client.cfg.model, "source_index": pair.index,
                       "design_attempts": item.attempts, "response_attempts": item.response_attempts},
        )
        row["messages"] = [{"role": "system", "content": item.system}] + row["messages"]
        return row


def generate(cfg: GenerateConfig, client: LLMClient) -> dict[str, Any]:
    """Run the pipeline; write ``rows.jsonl``, ``failures.json`` and ``summary.json`` under
    ``cfg.out``; return the summary."""
    pairs, skipped = load_pairs(cfg.input, cfg.fields, cfg.n, cfg.seed, cfg.split)
    ifeval.registry()  # import the checkers once, before threads use them
    gen = Generator(cfg, client)
    cfg.out.mkdir(parents=True, exist_ok=True)
    writer = RowWriter(cfg.out / ROWS_FILE)
    failures: list[dict[str, Any]] = []
    kept_types: dict[str, int] = {}
    kept = 0
    chunk = max(16, 4 * client.cfg.concurrency)
    bar = progress_bar(len(pairs), "rnr generate", cfg.progress)
    try:
        for start in range(0, len(pairs), chunk):
            items = [gen.plan(p) for p in pairs[start:start + chunk]]
            client.map(gen._design_safely, items)
            for item in items:
                gen.deduplicate(item)
            client.map(gen.respond, items, progress=bar)
            for item in items:
                if item.response is not None and item.rules is not None:
                    writer.write(gen.row(item))
                    kept += 1
                    for r in item.rules:
                        kept_types[r["type"]] = kept_types.get(r["type"], 0) + 1
                else:
                    stage, reason = item.failure or ("unknown", "")
                    failures.append({"source_index": item.pair.index, "stage": stage, "reason": reason,
                                     "instruction": item.pair.instruction[:200]})
    except BaseException:
        writer.abort()  # the cache holds what was paid for: a rerun resumes from it
        writer.partial.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    writer.close()
    by_stage: dict[str, int] = {}
    for f in failures:
        by_stage[f["stage"]] = by_stage.get(f["stage"], 0) + 1
    summary = {
        "input": cfg.input, "model": client.cfg.model, "seed": cfg.seed,
        "rows_read": len(pairs) + skipped, "rows_unusable": skipped, "sampled": len(pairs),
        "kept": kept, "failed": len(failures), "failed_by_stage": by_stage,
        "near_duplicates_rejected": gen.duplicates,
        "rules_by_type": dict(sorted(kept_types.items())),
        "requests": client.stats.as_dict(),
        "files": {"rows": ROWS_FILE, "failures": FAILURES_FILE},
    }
    _atomic_write(cfg.out / FAILURES_FILE, json.dumps(failures, indent=1, ensure_ascii=False) + "\n")
    _atomic_write(cfg.out / SUMMARY_FILE, json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    return summary
