"""End to end on the tiny model: over-fit it on four rfft samples, then `rulec eval run
--backend hf` scores 100% on them, batched and one at a time give the same outputs, and the
same model behind a local OpenAI-compatible server (127.0.0.1) gives the same outputs through
`--backend openai`."""

from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from click.testing import CliRunner  # noqa: E402

from rulec.cli import main  # noqa: E402
from rulec.tasks.formats import build_row, compiled  # noqa: E402
from rulec.tasks.registry import get_task  # noqa: E402

TASKS = ("nupa_length_integer", "lc_2544_alternating_digit_sum")


def overfit_rows() -> list[dict]:
    rows = []
    for name in TASKS:
        task = get_task(name)
        for n in (1, 2):
            inputs = task.generate(n, random.Random(f"overfit/{name}/{n}"))
            rows.append(build_row(task, compiled(task), inputs, "rfft", length=n, index=0))
    return rows


def _overfit(rows: list[dict], out: Path, max_steps: int = 400) -> Path:
    """A plain torch loop (DESIGN §4): tiny Qwen2, lr 2e-3 constant, batch 4, loss on the
    response tokens only, until every response token is predicted for 10 steps running."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from rulec.train.chat import prompt_messages, render_prompt
    from rulec.train.tiny import tiny_model_path

    path = tiny_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    seqs, labels = [], []
    for row in rows:
        prompt = tok(render_prompt(tok, prompt_messages(row)), add_special_tokens=False)["input_ids"]
        answer = tok(row["response"] + tok.eos_token, add_special_tokens=False)["input_ids"]
        seqs.append(prompt + answer)
        labels.append([-100] * len(prompt) + answer)
    width = max(map(len, seqs))
    pad = tok.pad_token_id
    ids = torch.tensor([s + [pad] * (width - len(s)) for s in seqs])
    lab = torch.tensor([x + [-100] * (width - len(x)) for x in labels])
    mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs])
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    model.train()
    perfect = 0
    for _ in range(max_steps):
        out_ = model(input_ids=ids, attention_mask=mask, labels=lab)
        out_.loss.backward()
        opt.step()
        opt.zero_grad()
        pred = out_.logits[:, :-1].argmax(-1)
        target = lab[:, 1:]
        keep = target != -100
        perfect = perfect + 1 if bool((pred[keep] == target[keep]).all()) else 0
        if perfect >= 10:
            break
    model.eval()
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def overfit(tmp_path_factory):
    """(model, rows file): the trainer's cached over-fitted run when its helper exists, else
    the loop above (cached under $RULEC_CACHE by the rows it learnt)."""
    tmp = tmp_path_factory.mktemp("overfit")
    try:
        from rulec.train.testing import overfit_rows as train_rows
        from rulec.train.testing import overfit_tiny_cached
    except ImportError:
        rows = overfit_rows()
        model = _cached_overfit(rows)
    else:
        rows = train_rows()
        model = overfit_tiny_cached()
    data = tmp / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return model, data


def _cached_overfit(rows: list[dict]) -> Path:
    import fcntl
    import hashlib

    from rulec.train.tiny import TinySpec, cache_dir

    key = hashlib.sha256(json.dumps([TinySpec().key(), [r["response"] for r in rows]]).encode())
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"eval-overfit-{key.hexdigest()[:12]}"
    with open(root / f".{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (path / "config.json").exists():
            tmp = root / (path.name + ".tmp")
            _overfit(rows, tmp)
            tmp.rename(path)
    return path


def run(*args):
    r = CliRunner().invoke(main, ["eval", "run", *map(str, args)])
    assert r.exit_code == 0, (r.output, r.stderr, r.exception)
    return r


def samples_of(out: Path) -> dict[str, dict]:
    rows = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    return {s["id"]: s for s in rows}


@pytest.fixture(scope="module")
def hf_run(overfit, tmp_path_factory) -> Path:
    """`rulec eval run --backend hf` on the over-fitted model, batched (shared by the tests)."""
    model, data = overfit
    out = tmp_path_factory.mktemp("hf") / "b4"
    run("--backend", "hf", "--model", model, "--data", data, "--batch-size", 4, "-o", out)
    return out


def test_hf_scores_100_batched_and_one_at_a_time(overfit, hf_run, tmp_path):
    model, data = overfit
    summary = json.loads((hf_run / "summary.json").read_text())
    assert summary["accuracy"] == 1.0 and summary["n"] == 4
    assert summary["hit_budget"]["k"] == 0
    batched = samples_of(hf_run)
    assert all(s["first_divergence"] is None for s in batched.values())
    run("--backend", "hf", "--model", model, "--data", data, "--batch-size", 1, "-o", tmp_path / "b1")
    single = samples_of(tmp_path / "b1")
    assert {k: s["output"] for k, s in single.items()} == {k: s["output"] for k, s in batched.items()}


def test_budget_stops_a_model_that_runs_on(overfit, tmp_path):
    model, data = overfit
    run("--backend", "hf", "--model", model, "--data", data, "--max-new-tokens", 5, "-o", tmp_path / "o")
    samples = samples_of(tmp_path / "o").values()
    assert all(s["hit_budget"] and not s["correct"] for s in samples)
    assert all(s["first_divergence"]["kind"] == "format" for s in samples)


class _Server:
    """A minimal OpenAI-compatible /v1/chat/completions over the hf backend."""

    def __init__(self, model: Path):
        from rulec.eval.backends import BackendConfig, Request
        from rulec.eval.backends.hf import HFBackend

        backend = HFBackend(BackendConfig(model=str(model), batch_size=1))
        lock = threading.Lock()
        self.auth: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self.send_error(404)
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.auth.append(self.headers.get("Authorization", ""))
                req = Request("r", {}, body["messages"], int(body["max_tokens"]))
                with lock:
                    text = backend.generate([req])[0]
                reply = {
                    "id": "chatcmpl-1", "object": "chat.completion", "created": 0,
                    "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "length" if req.hit_budget else "stop",
                                 "message": {"role": "assistant", "content": text}}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                }
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def test_openai_backend_matches_hf(overfit, hf_run, tmp_path, monkeypatch):
    model, data = overfit
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-123")
    with _Server(model) as server:
        run("--backend", "openai", "--model", "tiny-served", "--base-url", server.url,
            "--concurrency", 2, "--data", data, "-o", tmp_path / "api")
    hf, api = samples_of(hf_run), samples_of(tmp_path / "api")
    assert {k: s["output"] for k, s in api.items()} == {k: s["output"] for k, s in hf.items()}
    assert all(s["correct"] for s in api.values())
    assert server.auth and all(a == "Bearer sk-test-secret-123" for a in server.auth)
    for f in (tmp_path / "api").rglob("*"):
        if f.is_file():
            assert b"sk-test-secret" not in f.read_bytes()
