"""The oracle backend (lm-eval's ``DummyLM`` idea): answers every request with the trace the
compiler produces for the row's instance, so an evaluation through it must score 100%."""

from __future__ import annotations

from rulec.eval.backends import Backend, Request


class OracleBackend(Backend):
    name = "oracle"

    def generate(self, requests: list[Request]) -> list[str]:
        return [self.compiled_response(r.row) for r in requests]

    @staticmethod
    def compiled_response(row: dict) -> str:
        from rulec.tasks.formats import compiled, render
        from rulec.tasks.registry import UnknownTaskError, get_task

        try:
            task = get_task(row["task"])
        except (UnknownTaskError, KeyError):
            return row["response"]  # not a registry task (e.g. synthetic): the row's own trace
        _, response, _ = render(task, compiled(task), row["inputs"], row["format"])
        return response

    def describe(self) -> dict:
        return {"backend": self.name, "model": "oracle", "adapter": None}
