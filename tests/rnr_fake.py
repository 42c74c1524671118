"""A local OpenAI-compatible server for the RNR tests: /v1/chat/completions answered by a
Python function (scripted replies, HTTP errors, delays), every request counted."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What a script returns for one request:
#   "text"                     -> 200 with that assistant content
#   ("status", 429)            -> that HTTP status (Retry-After: 0 for 429)
#   ("sleep", seconds, "text") -> answer after a delay (a client timeout when long enough)
Reply = str | tuple


class FakeLLM:
    def __init__(self, script: Callable[[dict[str, Any], FakeLLM], Reply]):
        self.script = script
        self.hits = 0
        self.calls: Counter = Counter()  # free for scripts: per-key call counts
        self.auth: list[str] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.hits += 1
                    fake.auth.append(self.headers.get("Authorization", ""))
                    reply = fake.script(body, fake)
                try:
                    self._answer(body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _answer(self, body, reply):
                if isinstance(reply, tuple) and reply[0] == "status":
                    payload = json.dumps({"error": {"message": f"status {reply[1]}"}}).encode()
                    self.send_response(reply[1])
                    if reply[1] == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if isinstance(reply, tuple) and reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = reply[2]
                payload = json.dumps({
                    "id": "fake", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": reply}}],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------- reading a request


def step(body: dict[str, Any]) -> str:
    """Which pipeline step a request belongs to: ruleset, response or judge."""
    system = body["messages"][0]["content"]
    if "write system prompts" in system:
        return "ruleset"
    if "write the replies" in system:
        return "response"
    if "judge" in system:
        return "judge"
    return "chat"


def quoted(body: dict[str, Any], after: str) -> str:
    """The <<< … >>> block following the heading ``after`` in the first user message."""
    text = body["messages"][1]["content"]
    start = text.index(after)
    start = text.index("<<<\n", start) + 4
    return text[start:text.index("\n>>>", start)]


def last_user(body: dict[str, Any]) -> str:
    return body["messages"][-1]["content"]
