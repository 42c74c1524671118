"""`rulec eval run/report` and `rulec check` without a model: the oracle backend, resume,
the summary's figures against hand-computed values, and one-line errors."""

from __future__ import annotations

import json
import math
import random
import socket
from pathlib import Path

import pytest
from cli_helpers import one_error_line
from click.testing import CliRunner

from rulec.cli import main
from rulec.eval.backends import BackendConfig
from rulec.eval.backends.oracle import OracleBackend
from rulec.eval.evaluator import EvalConfig, evaluate
from rulec.eval.metrics import max_len_90, summarize
from rulec.tasks.formats import build_row, compiled
from rulec.tasks.registry import get_task


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_rows(path: Path, tasks=("lc_2544_alternating_digit_sum", "nupa_add_integer"),
               lengths=(1, 2, 3), fmt="rfft") -> list[dict]:
    rows = []
    for name in tasks:
        task = get_task(name)
        for n in lengths:
            for i in range(2):
                inputs = task.generate(n, random.Random(f"{name}/{n}/{i}"))
                rows.append(build_row(task, compiled(task), inputs, fmt, length=n, index=i))
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


# ------------------------------------------------------------------ oracle: 100%


def test_quiet_prints_nothing_and_writes_the_summary(tmp_path):
    loud = invoke("eval", "run", "--backend", "oracle", "--tasks", "coin_flip", "--lengths", "2",
                  "--per-length", 2, "-o", tmp_path / "loud")
    quiet = invoke("eval", "run", "--backend", "oracle", "--tasks", "coin_flip", "--lengths", "2",
                   "--per-length", 2, "-o", tmp_path / "quiet", "--quiet")
    assert loud.exit_code == quiet.exit_code == 0, quiet.stderr
    assert "acc_len30" in loud.stdout.lower() and (quiet.stdout, quiet.stderr) == ("", "")
    assert json.loads((tmp_path / "quiet" / "summary.json").read_text())["n"] == 2


@pytest.mark.parametrize("fmt,shots", [("rfft", "0"), ("rfft_nl", "0"), ("rfft", "1"),
                                       ("scratchpad", "0"), ("direct", "0")])
def test_oracle_scores_100_on_generated_test_sets(tmp_path, fmt, shots):
    tasks = "lc_258_add_digits,nupa_add_integer,bbh_navigate,coin_flip"
    r = invoke("eval", "run", "--backend", "oracle", "--tasks", tasks, "--lengths", "6,7,30",
               "--per-length", 2, "--format", fmt, "--shots", shots, "-o", tmp_path / "run")
    assert r.exit_code == 0, r.output + r.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["accuracy"] == 1.0 and summary["n"] == 4 * 3 * 2
    assert all(t["max_len_90"] == 30 and t["acc_len30"] == 1.0 for t in summary["by_task"].values())
    run = summary["run"]
    assert run["backend"] == "oracle" and run["rulec_version"]
    assert run["manifest"]["created_by"] == "rulec tasks gen"
    assert run["test_set"]["format"] == fmt and run["test_set"]["shots"] == int(shots)
    samples = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert all(s["first_divergence"] is None and s["correct"] for s in samples)
    if fmt != "direct":
        assert all(s["predicted_loop_iterations"] == s["loop_iterations"] for s in samples)
    # the test set was written for reuse: --data gives the same rows
    r = invoke("eval", "run", "--backend", "oracle", "--data", tmp_path / "run" / "data",
               "-o", tmp_path / "again")
    assert r.exit_code == 0, r.stderr
    again = json.loads((tmp_path / "again" / "summary.json").read_text())
    assert again["n"] == summary["n"] and again["accuracy"] == 1.0


def test_adapt_selects_the_twelve_adaptation_tasks():
    from rulec.eval.data import select_tasks

    assert len(select_tasks("adapt")) == 12


# ------------------------------------------------------------------ resume


class Counting(OracleBackend):
    """The oracle, counting generated samples; raises after ``limit`` of them."""

    calls: list[str] = []
    limit: int | None = None
    chunk_size = 2

    def generate(self, requests):
        if Counting.limit is not None and len(Counting.calls) + len(requests) > Counting.limit:
            raise KeyboardInterrupt("killed")
        Counting.calls.extend(r.id for r in requests)
        return super().generate(requests)


def test_resume_generates_only_missing_samples(tmp_path):
    rows = write_rows(tmp_path / "rows.jsonl")
    cfg = EvalConfig(out=tmp_path / "out", backend=f"{__name__}:Counting",
                     data=str(tmp_path / "rows.jsonl"), backend_config=BackendConfig(model="x"))
    Counting.calls, Counting.limit = [], 5
    with pytest.raises(KeyboardInterrupt):
        evaluate(cfg)
    first = list(Counting.calls)
    assert len(first) == 4  # two chunks of two, the third was killed
    assert not (tmp_path / "out" / "summary.json").exists()
    with open(tmp_path / "out" / "samples.jsonl", "a") as f:
        f.write('{"id": "torn')  # a line cut off by the kill
    Counting.calls, Counting.limit = [], None
    summary = evaluate(cfg)
    assert len(Counting.calls) == len(rows) - 4
    assert not set(Counting.calls) & set(first)
    assert summary["n"] == len(rows) and summary["accuracy"] == 1.0
    Counting.calls = []
    evaluate(cfg)  # complete: nothing is generated, no backend is even built
    assert Counting.calls == []


# ------------------------------------------------------------------ summary figures


def _wilson_by_hand(k: int, n: int, z: float = 1.959963984540054):
    # the interval's ends are the p with (p_hat - p)^2 = z^2 p (1 - p) / n
    ph = k / n
    a = 1 + z * z / n
    b = -(2 * ph + z * z / n)
    c = ph * ph
    disc = math.sqrt(b * b - 4 * a * c)
    return (-b - disc) / (2 * a), (-b + disc) / (2 * a)


def _sample(task, length, correct, loops=None, pred=None, kind=None):
    return {"task": task, "length": length, "correct": correct, "loop_iterations": loops,
            "predicted_loop_iterations": pred, "hit_budget": False,
            "first_divergence": {"kind": kind} if kind else None}


def test_summary_against_hand_computed_example():
    samples = []
    # task A: 10/10 at length 6, 8/10 at 7 (a dip), 10/10 at 8, 9/10 at 30
    for length, good in ((6, 10), (7, 8), (8, 10), (30, 9)):
        for i in range(10):
            ok = i < good
            samples.append(_sample("A", length, ok, loops=length,
                                   pred=length if ok else (length + 1 if i % 2 else length),
                                   kind=None if ok else "loop"))
    # task B: 5/5 at length 2 (in distribution), 0/5 at length 6
    samples += [_sample("B", 2, True, 2, 2) for _ in range(5)]
    samples += [_sample("B", 6, False, 6, 3, "value") for _ in range(5)]
    s = summarize(samples, id_lengths=(1, 5))
    assert s["n"] == 50 and s["correct"] == 42
    assert s["accuracy"] == pytest.approx(42 / 50)
    a = s["by_task"]["A"]
    assert a["max_len_90"] == 6  # 7 falls below 90%, so 8 and 30 do not count
    assert a["acc_len30"] == pytest.approx(0.9)
    cell = a["by_length"]["7"]
    assert (cell["correct"], cell["n"]) == (8, 10)
    lo, hi = _wilson_by_hand(8, 10)
    assert cell["ci95"] == pytest.approx([lo, hi])
    assert (round(lo, 3), round(hi, 3)) == (0.490, 0.943)  # the textbook value for 8/10
    assert s["by_task"]["B"]["max_len_90"] == 2  # 100% at 2, 0% at 6
    assert s["by_task"]["B"]["id_accuracy"] == 1.0 and s["by_task"]["B"]["ood_accuracy"] == 0.0
    assert s["in_distribution"]["value"] == 1.0
    assert s["out_of_distribution"]["value"] == pytest.approx(37 / 45)
    # 8 wrong samples: A's 3 (i=8, 9 at length 7; i=9 at 30; odd i ran one extra loop) and B's 5
    wrong_a = [x for x in samples if x["task"] == "A" and not x["correct"]]
    loop_wrong = sum(x["predicted_loop_iterations"] != x["loop_iterations"] for x in wrong_a) + 5
    assert loop_wrong == 7
    le = s["loop_count_errors"]
    assert (le["k"], le["n"]) == (loop_wrong, 8)
    assert le["ci95"] == pytest.approx(list(_wilson_by_hand(loop_wrong, 8)))
    # relative loop-count error: B's wrong samples are off by 3/6 each; A's by 1/length
    rel = [abs(x["predicted_loop_iterations"] - x["loop_iterations"]) / x["loop_iterations"]
           for x in samples]
    assert s["relative_loop_count_error"] == pytest.approx(sum(rel) / len(rel))
    assert s["divergence_kinds"] == {"loop": 3, "value": 5}


def test_max_len_90_edges():
    assert max_len_90({6: 1.0, 7: 0.95, 8: 0.9}) == 8
    assert max_len_90({6: 0.5, 7: 1.0}) == 5
    assert max_len_90({6: 1.0, 7: 0.89, 8: 1.0}) == 6


# ------------------------------------------------------------------ errors: one line, exit 2


def test_errors_are_one_line(tmp_path):
    write_rows(tmp_path / "rows.jsonl", lengths=(1,))
    (tmp_path / "empty.jsonl").write_text("")
    out = tmp_path / "out"
    line = one_error_line(invoke("eval", "run", "--backend", "oracel", "--tasks", "x", "-o", out))
    assert "did you mean 'oracle'" in line
    line = one_error_line(invoke("eval", "run", "--backend", "oracle", "--tasks",
                                 "lc_2544_alternating_digit_summ", "-o", out))
    assert "unknown task" in line and "did you mean" in line
    line = one_error_line(invoke("eval", "run", "--backend", "hf", "--model", tmp_path / "no-model",
                                 "--data", tmp_path / "rows.jsonl", "-o", out))
    assert "does not exist" in line
    line = one_error_line(invoke("eval", "run", "--backend", "oracle", "--data",
                                 tmp_path / "empty.jsonl", "-o", out))
    assert "empty" in line
    one_error_line(invoke("eval", "run", "--backend", "oracle", "--data", tmp_path / "nope.jsonl",
                          "-o", out))
    one_error_line(invoke("eval", "report", tmp_path / "nothing", "-o", tmp_path / "rep"))


def test_unreachable_endpoint_after_retries(tmp_path, monkeypatch):
    write_rows(tmp_path / "rows.jsonl", lengths=(1,))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the socket is: nothing listens there
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-shown")
    r = invoke("eval", "run", "--backend", "openai", "--model", "m", "--base-url",
               f"http://127.0.0.1:{port}/v1", "--max-retries", 1, "--timeout", 2,
               "--data", tmp_path / "rows.jsonl", "-o", tmp_path / "out")
    line = one_error_line(r)
    assert "after 2 attempts" in line and "sk-never-shown" not in r.stderr + r.output


# ------------------------------------------------------------------ rulec check, report


def test_check_command(tmp_path):
    rows = write_rows(tmp_path / "rows.jsonl", tasks=("nupa_add_integer",), lengths=(2,))
    row = rows[0]
    (tmp_path / "row.json").write_text(json.dumps(row))
    lines = row["response"].split("\n")
    (tmp_path / "good.txt").write_text(row["response"])
    (tmp_path / "cut.txt").write_text("\n".join(lines[:5]))
    r = invoke("check", "--sample", tmp_path / "row.json", "--output", tmp_path / "good.txt")
    assert r.exit_code == 0 and "correct: yes" in r.output and "to the end" in r.output
    r = invoke("check", "--sample", tmp_path / "row.json", "--output", tmp_path / "cut.txt", "--json")
    d = json.loads(r.output)
    assert d["correct"] is False and d["first_divergence"]["kind"] == "format"
    assert d["first_divergence"]["line"] == 6 and d["first_divergence"]["expected"] == lines[5]
    one_error_line(invoke("check", "--sample", tmp_path / "none.json", "--output", tmp_path / "good.txt"))


def test_report(tmp_path):
    for name, shots in (("rfft", "0"), ("icl", "1")):
        r = invoke("eval", "run", "--backend", "oracle", "--tasks", "lc_258_add_digits,bbh_navigate",
                   "--lengths", "6-7", "--per-length", 2, "--shots", shots, "-o", tmp_path / name)
        assert r.exit_code == 0, r.stderr
    r = invoke("eval", "report", tmp_path / "rfft", tmp_path / "icl", "-o", tmp_path / "rep")
    assert r.exit_code == 0, r.stderr
    for name in ("accuracy_vs_length.png", "errors.png", "shots.png"):
        assert (tmp_path / "rep" / name).read_bytes()[:4] == b"\x89PNG"
    md = (tmp_path / "rep" / "table.md").read_text()
    assert "| lc_258_add_digits | - | 7 | - | 7 |" in md
    assert (tmp_path / "rep" / "table.csv").read_text().splitlines()[0].startswith("task,rfft ACC_Len30")


# ------------------------------------------------------------------ openai: retries, concurrency


def test_openai_retries_and_bounded_concurrency(tmp_path, monkeypatch):
    pytest.importorskip("openai")
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    rows = write_rows(tmp_path / "rows.jsonl", lengths=(1, 2))
    gold = {r["prompt"]: r["response"] for r in rows}
    state = {"calls": 0, "inflight": 0, "peak": 0, "auth": set()}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                state["calls"] += 1
                n = state["calls"]
                state["inflight"] += 1
                state["peak"] = max(state["peak"], state["inflight"])
                state["auth"].add(self.headers.get("Authorization"))
            time.sleep(0.05)
            with lock:
                state["inflight"] -= 1
            if n <= 2:  # the first two requests are rate-limited, then one server error
                self.send_response(429)
                self.end_headers()
                return
            if n == 3:
                self.send_response(503)
                self.end_headers()
                return
            assert body["temperature"] == 0 and body["max_tokens"] > 0
            text = gold[body["messages"][-1]["content"]] + "\nextra text after the answer"
            data = json.dumps({"id": "x", "object": "chat.completion", "created": 0,
                               "model": body["model"], "choices": [{
                                   "index": 0, "finish_reason": "stop",
                                   "message": {"role": "assistant", "content": text}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc")
    try:
        cfg = EvalConfig(out=tmp_path / "out", backend="openai", data=str(tmp_path / "rows.jsonl"),
                         backend_config=BackendConfig(
                             model="m", base_url=f"http://127.0.0.1:{httpd.server_address[1]}/v1",
                             concurrency=3, max_retries=4, timeout=10,
                             extra={"retry_backoff": 0.01}))
        summary = evaluate(cfg)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
    assert summary["accuracy"] == 1.0 and summary["n"] == len(rows)
    assert state["calls"] == len(rows) + 3
    assert 1 < state["peak"] <= 3
    assert state["auth"] == {"Bearer sk-abc"}
    outputs = [json.loads(x)["output"] for x in (tmp_path / "out" / "samples.jsonl").read_text().splitlines()]
    assert not any("extra text" in o for o in outputs)  # cut after the answer line


def test_vllm_backend_is_optional(tmp_path):
    import importlib.util

    if importlib.util.find_spec("vllm") is not None:
        pytest.skip("vllm is installed; its backend needs a GPU")
    line = one_error_line(invoke("eval", "run", "--backend", "vllm", "--model", "tiny", "--tasks",
                                 "lc_258_add_digits", "-o", tmp_path / "o"))
    assert "rulec[vllm]" in line


def test_budget():
    from rulec.eval.budget import Budget, hit_budget

    assert Budget().tokens(100) == 150 + 32
    assert Budget().tokens(7) == 11 + 32  # ceil(10.5)
    assert Budget(fixed=64).tokens(1000) == 64
    assert hit_budget(None, None, 99, 100) and not hit_budget(None, "5", 100, 100)
    assert not hit_budget(None, None, 50, 100) and hit_budget(True, "5", 1, 100)
