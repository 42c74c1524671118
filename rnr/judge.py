"""`rulec rnr judge`: per-rule adherence verdicts for model outputs on RNR rows.

Code verifiers decide every rule whose type code can check; the LLM judge (when a judge
model is given) decides the rest, one request per row for all of its remaining rules, its
answer schema-checked and retried. Without a judge model those rules are reported as not
judged and the pass rate covers the code-checked rules only — the summary says which.

Pass rate: the share of rows whose every judged rule holds. Rule rate: the share of judged
rules that hold. Both are broken down by rule type and category.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rulec.errors import DataError
from rulec.rnr import ifeval, prompts
from rulec.rnr.client import LLMClient, RequestFailed, progress_bar
from rulec.rnr.rules import RULE_TYPES, verify
from rulec.rnr.schema import SchemaError, validate_verdicts


@dataclass
class JudgeConfig:
    retries: int = 3
    progress: bool = True


def _system(row: dict[str, Any]) -> str:
    if row.get("system"):
        return row["system"]
    for m in row.get("messages") or []:
        if m["role"] == "system":
            return m["content"]
    return ""


def check_rows(rows: list[dict[str, Any]]) -> None:
    for i, row in enumerate(rows, 1):
        rules = row.get("rules")
        if not isinstance(rules, list) or not all(isinstance(r, dict) and "type" in r and "id" in r for r in rules):
            raise DataError(f"row {i} ({row.get('id', '?')}) has no `rules` list: not an RNR row")


def read_outputs(path: str) -> dict[str, str]:
    """``{"id": …, "output": …}`` lines (``response``/``completion`` accepted for ``output``)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    raise DataError(f"{path} line {number}: not JSON") from None
                text = next((obj[k] for k in ("output", "response", "completion") if isinstance(obj.get(k), str)), None)
                if "id" not in obj or text is None:
                    raise DataError(f"{path} line {number}: needs `id` and `output`")
                out[str(obj["id"])] = text
    except FileNotFoundError:
        raise DataError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path} is not a UTF-8 text file") from None
    return out


class Judge:
    def __init__(self, cfg: JudgeConfig, client: LLMClient | None):
        self.cfg = cfg
        self.client = client

    def llm_verdicts(self, row: dict[str, Any], reply: str, rules: list[dict[str, Any]]):
        """``({rule id: {"pass", "reason"}}, None)`` or ``(None, why not judged)``."""
        conv = prompts.judge_messages(_system(row), row["prompt"], reply, rules)
        shape = '{"verdicts": [{"rule": <number>, "pass": true|false, "reason": "..."}]}'
        why = ""
        try:
            for attempt in range(self.cfg.retries + 1):
                answer = self.client.complete(conv, attempt=attempt, temperature=0.0)
                try:
                    return validate_verdicts(answer, [r["id"] for r in rules]), None
                except SchemaError as e:
                    why = f"judge answer rejected: {e}"
                    conv = prompts.retry_messages(conv, answer, str(e), shape)
        except RequestFailed as e:
            why = f"judge request failed: {e}"
        return None, why

    def judge_row(self, item: tuple[dict[str, Any], str]) -> dict[str, Any]:
        row, reply = item
        verdicts = []
        pending = []
        for rule in row["rules"]:
            v = {"rule": rule["id"], "type": rule["type"], "category": rule.get("category"),
                 "text": rule.get("text", "")}
            known = rule["type"] in RULE_TYPES
            result = verify(rule, reply) if known else None
            if result is not None:
                v.update(by="code", passed=result, reason="")
            else:
                pending.append(rule)
                v.update(by=None, passed=None, reason="no judge model given")
            verdicts.append(v)
        if pending and self.client is not None:
            got, why = self.llm_verdicts(row, reply, pending)
            for v in verdicts:
                if v["by"] is None:
                    if got:
                        v.update(by="llm", passed=got[v["rule"]]["pass"], reason=got[v["rule"]]["reason"])
                    else:
                        v["reason"] = why
        judged = [v["passed"] for v in verdicts if v["passed"] is not None]
        return {"id": row.get("id"), "output": reply,
                "passed": all(judged) if judged else None,
                "complete": len(judged) == len(verdicts), "verdicts": verdicts}


def summarise(records: list[dict[str, Any]], judge_model: str | None) -> dict[str, Any]:
    by_type: dict[str, dict[str, Any]] = {}
    by_category: dict[str, dict[str, int]] = {}
    n_rules = n_code = n_llm = passed_rules = 0
    for rec in records:
        for v in rec["verdicts"]:
            n_rules += 1
            t = by_type.setdefault(v["type"], {"judged": 0, "passed": 0, "not_judged": 0, "by": v["by"]})
            c = by_category.setdefault(v["category"] or "unknown", {"judged": 0, "passed": 0})
            if v["passed"] is None:
                t["not_judged"] += 1
                continue
            t["by"] = t["by"] or v["by"]
            n_code += v["by"] == "code"
            n_llm += v["by"] == "llm"
            t["judged"] += 1
            c["judged"] += 1
            t["passed"] += v["passed"]
            c["passed"] += v["passed"]
            passed_rules += v["passed"]
    for d in list(by_type.values()) + list(by_category.values()):
        d["rate"] = d["passed"] / d["judged"] if d["judged"] else None
    scored = [r for r in records if r["passed"] is not None]
    rows_passed = sum(r["passed"] for r in scored)
    not_judged = n_rules - n_code - n_llm
    if not_judged == 0:
        scope, holds = "every rule", "every rule holds"
    elif judge_model:
        scope, holds = "the judged rules only", "every judged rule holds (rules the judge could not decide are left out)"
    else:
        scope, holds = "the code-checked rules only", "every code-checked rule holds (LLM-judged rule types are left out)"
    measured = (
        f"{len(records)} rows, {n_rules} rules: {n_code} checked by code"
        + (f", {n_llm} by the LLM judge {judge_model}" if judge_model else "")
        + (f", {not_judged} not judged" + ("" if judge_model else " (no judge model given)")
           if not_judged else "")
        + f". Pass rate = share of the {len(scored)} scored rows in which {holds};"
        " rule rate = share of judged rules that hold."
    )
    return {
        "rows": len(records), "rows_scored": len(scored), "rows_passed": rows_passed,
        "pass_rate": rows_passed / len(scored) if scored else None,
        "rules": n_rules, "rules_judged_by_code": n_code, "rules_judged_by_llm": n_llm,
        "rules_not_judged": not_judged, "rules_passed": passed_rules,
        "rule_rate": passed_rules / (n_code + n_llm) if n_code + n_llm else None,
        "pass_rate_scope": scope, "judge_model": judge_model,
        "by_type": dict(sorted(by_type.items())), "by_category": dict(sorted(by_category.items())),
        "measured": measured,
    }


def judge(rows: list[dict[str, Any]], outputs: dict[str, str] | None, client: LLMClient | None,
          cfg: JudgeConfig | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``(per-row records, summary)``; ``outputs`` maps row id to the model's reply (None: judge
    the rows' own responses, e.g. a generated data set)."""
    cfg = cfg or JudgeConfig()
    check_rows(rows)
    items = []
    for row in rows:
        if outputs is None:
            reply = row["response"]
        else:
            if str(row.get("id")) not in outputs:
                raise DataError(f"no output for row {row.get('id')!r} in the outputs file")
            reply = outputs[str(row["id"])]
        items.append((row, reply))
    ifeval.registry()
    bar = progress_bar(len(items), "rnr judge", cfg.progress)
    j = Judge(cfg, client)
    try:
        if client is None:
            records = []
            for item in items:
                records.append(j.judge_row(item))
                bar.update(1)
        else:
            records = client.map(j.judge_row, items, progress=bar)
    finally:
        bar.close()
    summary = summarise(records, client.cfg.model if client else None)
    if client is not None:
        summary["requests"] = client.stats.as_dict()
    return records, summary


def format_summary(s: dict[str, Any]) -> str:
    def pct(x):
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [s["measured"],
             f"pass rate: {pct(s['pass_rate'])} ({s['rows_passed']}/{s['rows_scored']} rows)",
             f"rule rate: {pct(s['rule_rate'])} ({s['rules_passed']}/{s['rules_judged_by_code'] + s['rules_judged_by_llm']} rules)",
             "by rule type:"]
    for name, t in s["by_type"].items():
        extra = f", {t['not_judged']} not judged" if t["not_judged"] else ""
        lines.append(f"  {name:<18} {pct(t['rate']):>6}  {t['passed']}/{t['judged']} ({t['by'] or '-'}{extra})")
    return "\n".join(lines)


def write_judgement(out: Path, records: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    from rulec.io import RowWriter
    from rulec.rnr.client import _atomic_write

    out.mkdir(parents=True, exist_ok=True)
    w = RowWriter(out / "verdicts.jsonl")
    for rec in records:
        w.write(rec)
    w.close()
    _atomic_write(out / "summary.json", json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
