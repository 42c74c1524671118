"""An ordered, deterministic map over worker processes behind the process-level wall.

``ordered_map(fn, items, setup=..., workers=N)`` yields ``fn(state, item)`` for every
item, in the order of ``items``, where ``state = setup(*setup_args)`` is built once in
each worker (a compiled rule, a sample generator) and kept warm across items. Items
go to the workers in batches (``batch`` items at first, up to 4x that later); results
come back in batches (or earlier, when a batch is slow), so the pipe costs little per
item, and a worker gets its next batch as soon as it has sent one. The output depends only on ``fn`` and
``items``, never on the number of workers.

Every worker enters :func:`rulec.isolate.enter` (OS limits, seccomp) before ``setup``
runs. When a worker dies (a crash, a limit hit) or stays silent past the wall-clock
budget, the item it was running yields a :class:`Failure` naming the budget, a fresh
worker takes over the rest of the batch, and the map goes on. An exception raised by
``fn`` is re-raised in the parent at that item's place in the order; one raised by
``setup`` is re-raised at once. With ``limits=None`` everything runs in this process.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from rulec import isolate
from rulec.errors import RulecError
from rulec.isolate import Limits

_FLUSH_SECONDS = 0.5  # a worker reports partial results of a batch at least this often


@dataclass(frozen=True)
class Failure:
    """An item whose worker died or hung; ``message`` names the budget."""

    kind: str  # "memory", "cpu", "wall", or a signal name
    message: str


class WorkerSetupError(RulecError):
    """A worker died or hung while running ``setup`` (e.g. compiling a rule)."""


def parse_workers(value: int | None) -> int:
    """``--workers``: None means all cores."""
    return max(1, value if value else (os.cpu_count() or 1))


# ---------------------------------------------------------------- worker side


def _serve(conn: Connection, fn: Callable, setup: Callable | None, setup_args: tuple,
           limits: Limits) -> None:
    isolate.enter(limits, keep_fds=(conn.fileno(),))
    # What the worker writes to stderr (a warning of the rule's run) goes to the parent,
    # which prints it: behind the process wall no file may grow (RLIMIT_FSIZE is 0), so
    # writing to a stderr redirected to a file would fail here.
    relay = io.StringIO()
    sys.stderr = relay
    start_cpu = isolate.cpu_used()
    try:
        isolate.arm_cpu_timer(limits.cpu_seconds)
        state = setup(*setup_args) if setup is not None else None
        isolate.disarm_cpu_timer()
    except MemoryError:
        _send(conn, ("setup-fail", "memory"))
        return
    except BaseException as e:  # noqa: BLE001 - handed to the parent
        _relay(conn, relay)
        _send(conn, ("setup-error", e))
        return
    _relay(conn, relay)
    import gc

    gc.freeze()  # the modules and the warm state: never traversed again by the collector
    _send(conn, ("ready",))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        seq, items = msg
        out: list = []
        last = time.monotonic()
        for item in items:
            try:
                isolate.arm_cpu_timer(limits.cpu_seconds)
                value = fn(state, item)
                isolate.disarm_cpu_timer()
                out.append((True, value))
            except MemoryError:
                isolate.disarm_cpu_timer()
                _send(conn, ("fail", seq, out, "memory"))
                return
            except BaseException as e:  # noqa: BLE001 - re-raised in the parent, in order
                isolate.disarm_cpu_timer()
                out.append((False, e))
            if relay.tell():
                _relay(conn, relay)
            now = time.monotonic()
            if now - last > _FLUSH_SECONDS:
                _send(conn, ("part", seq, out))
                out = []
                last = now
        retire = isolate.cpu_used() - start_cpu > limits.lifetime_cpu / 2
        _send(conn, ("done", seq, out, retire))
        if retire:
            return


def _relay(conn: Connection, relay: io.StringIO) -> None:
    text = relay.getvalue()
    if text:
        relay.seek(0)
        relay.truncate()
        _send(conn, ("stderr", text))


def _send(conn: Connection, msg: tuple) -> None:
    try:
        conn.send(msg)
    except (OSError, EOFError):
        raise SystemExit(0) from None
    except Exception:  # an unpicklable value or exception: say what it was
        fixed = []
        for ok, value in msg[2] if msg[0] in ("part", "done", "fail") else ():
            try:
                import pickle

                pickle.dumps(value)
                fixed.append((ok, value))
            except Exception:
                fixed.append((False, RuntimeError(f"{type(value).__name__}: {value}")))
        if msg[0] == "setup-error":
            msg = ("setup-error", RuntimeError(f"{type(msg[1]).__name__}: {msg[1]}"))
        else:
            msg = (msg[0], msg[1], fixed, *msg[3:])
        conn.send(msg)


# ---------------------------------------------------------------- parent side


@dataclass
class _Batch:
    items: list
    results: list = field(default_factory=list)  # (ok, value) pairs, in item order
    sent: int = 0  # items sent to the current worker (results included)
    single: bool = False  # after a worker died in it: one item at a time, to find the culprit

    @property
    def complete(self) -> bool:
        return len(self.results) == len(self.items)


class _Worker:
    def __init__(self, ctx, fn, setup, setup_args, limits: Limits):
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child_conn, fn, setup, setup_args, limits),
                                daemon=True)
        self.proc.start()
        child_conn.close()
        self.conn = parent_conn
        self.ready = False
        self.batch: _Batch | None = None
        self.deadline = time.monotonic() + limits.wall_seconds

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class _Map:
    def __init__(self, fn, items, workers, setup, setup_args, limits: Limits, batch: int):
        self.fn, self.setup, self.setup_args, self.limits = fn, setup, setup_args, limits
        self.items = iter(items)
        self.exhausted = False
        # more processes than cores never makes CPU-bound work faster: cap them
        self.workers_max = max(1, min(workers, os.cpu_count() or 1))
        self.batch_size = max(1, batch)
        self.made = 0  # batches made so far
        self.ctx = multiprocessing.get_context("fork")
        self.workers: list[_Worker] = []
        self.order: deque[_Batch] = deque()  # every batch not yet fully yielded
        self.waiting: deque[_Batch] = deque()  # batches to (re)send, oldest first
        self.relayed: set[str] = set()  # stderr lines of the workers, printed once

    def _next_batch(self) -> _Batch | None:
        if self.exhausted:
            return None
        chunk = []
        # batches start small, so every worker has work at once, and grow to 4x as they go
        # (fewer round trips; a worker waits for its next batch once per batch)
        size = self.batch_size << min(2, self.made // (2 * self.workers_max))
        self.made += 1
        for item in self.items:
            chunk.append(item)
            if len(chunk) >= size:
                break
        if not chunk:
            self.exhausted = True
            return None
        b = _Batch(chunk)
        self.order.append(b)
        self.waiting.append(b)
        return b

    def _dispatch(self) -> None:
        while len(self.order) < 2 * self.workers_max and self._next_batch() is not None:
            pass
        for b in list(self.waiting):
            worker = next((w for w in self.workers if w.batch is None), None)
            if worker is None:
                if len(self.workers) >= self.workers_max:
                    return
                worker = _Worker(self.ctx, self.fn, self.setup, self.setup_args, self.limits)
                self.workers.append(worker)
            self.waiting.remove(b)
            worker.batch = b
            worker.deadline = time.monotonic() + self.limits.wall_seconds
            self._send(worker, b)

    def _send(self, worker: _Worker, b: _Batch) -> None:
        done = len(b.results)
        b.sent = done + 1 if b.single else len(b.items)
        worker.conn.send((id(b), b.items[done:b.sent]))

    def _lost(self, worker: _Worker, kind: str) -> None:
        """A worker died or hung: fail its current item, hand the rest on."""
        worker.kill()
        self.workers.remove(worker)
        if not worker.ready:
            raise WorkerSetupError(self.limits.describe(kind))
        b = worker.batch
        if b is not None:
            # Results a worker had not sent yet died with it: the culprit is known only
            # when one item was outstanding; otherwise the rest runs again one by one.
            if b.sent - len(b.results) == 1:
                b.results.append((True, Failure(kind, self.limits.describe(kind))))
            else:
                b.single = True
            if not b.complete:
                self.waiting.appendleft(b)

    def _receive(self, worker: _Worker) -> None:
        try:
            msg = worker.conn.recv()
        except (EOFError, OSError):
            worker.proc.join()
            self._lost(worker, isolate.death_reason(worker.proc.exitcode))
            return
        worker.deadline = time.monotonic() + self.limits.wall_seconds
        tag = msg[0]
        if tag == "stderr":  # each distinct line once, however many workers wrote it
            for line in msg[1].splitlines():
                if line not in self.relayed:
                    self.relayed.add(line)
                    print(line, file=sys.stderr, flush=True)
        elif tag == "ready":
            worker.ready = True
        elif tag == "setup-error":
            raise msg[1]
        elif tag == "setup-fail":
            worker.proc.join()
            self._lost(worker, msg[1])
        else:
            b = worker.batch
            assert b is not None
            b.results.extend(msg[2])
            if tag == "fail":
                worker.proc.join()
                self._lost(worker, msg[3])
            elif tag == "done":
                if b.single and not b.complete:
                    self._send(worker, b)
                    return
                worker.batch = None
                if msg[3]:  # retired
                    worker.kill()
                    self.workers.remove(worker)
                # the next batch goes out now, not after the caller has taken this one's
                # results: the worker would wait for them all to be handled
                self._dispatch()

    def _pump(self) -> None:
        """Wait for the next message (or a timeout) and handle it."""
        busy = [w for w in self.workers if w.batch is not None or not w.ready]
        if not busy:
            return
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = wait([w.conn for w in busy], timeout)
        if not ready:
            now = time.monotonic()
            for w in busy:
                if w.deadline <= now:
                    self._lost(w, "wall")
            return
        for conn in ready:
            worker = next(w for w in self.workers if w.conn is conn)
            self._receive(worker)

    def __iter__(self) -> Iterator[Any]:
        try:
            while True:
                self._dispatch()
                if not self.order:
                    return
                head = self.order[0]
                yielded = 0
                while True:
                    while yielded < len(head.results):
                        ok, value = head.results[yielded]
                        yielded += 1
                        if not ok:
                            raise value
                        yield value
                    if head.complete:
                        break
                    self._dispatch()
                    self._pump()
                self.order.popleft()
        finally:
            self.close()

    def close(self) -> None:
        for w in self.workers:
            w.kill()
        self.workers.clear()


def ordered_map(
    fn: Callable[[Any, Any], Any],
    items: Iterable[Any],
    *,
    setup: Callable[..., Any] | None = None,
    setup_args: tuple = (),
    workers: int = 1,
    limits: Limits | None = None,
    batch: int = 64,
) -> Iterator[Any]:
    """``fn(state, item)`` for each item, in order (see the module docstring)."""
    if limits is None:
        state = setup(*setup_args) if setup is not None else None
        return (fn(state, item) for item in items)
    return iter(_Map(fn, items, workers, setup, setup_args, limits, batch))
