"""Discovers task modules (each defines ``TASK``) under the four source folders."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from functools import cache

from rulec.errors import RulecError
from rulec.tasks.base import SOURCES, Task


class UnknownTaskError(RulecError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


@cache
def _registry() -> dict[str, Task]:
    tasks: dict[str, Task] = {}
    for source in SOURCES:
        package = importlib.import_module(f"rulec.tasks.{source}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            task = getattr(module, "TASK", None)
            if not isinstance(task, Task):
                raise RuntimeError(f"{module.__name__} defines no TASK")
            if task.source != source:
                raise RuntimeError(f"{task.name}: source {task.source!r} but lives in {source}/")
            if task.name in tasks:
                raise RuntimeError(f"duplicate task name {task.name!r}")
            tasks[task.name] = task
    return tasks


def all_tasks() -> list[Task]:
    return list(_registry().values())


def task_names() -> list[str]:
    return list(_registry())


def get_task(name: str) -> Task:
    tasks = _registry()
    if name in tasks:
        return tasks[name]
    close = difflib.get_close_matches(name, list(tasks), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UnknownTaskError(f"unknown task {name!r}{hint}")
