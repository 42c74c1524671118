"""IFEval's instruction checkers (shipped by lm-eval), imported quietly and offline.

``lm_eval.tasks.ifeval.instructions_util`` tries to download nltk's ``punkt_tab`` when it is
imported and prints the outcome; its sentence counter and its word tokenizer for
capitalised words need that model. Here the download is replaced by a no-op for the
duration of the import (nothing reaches the network or the terminal), the sentence counter
uses IFEval's own regex sentence splitter (``split_into_sentences``, shipped in the same
module), and the word tokenizer is a regex. ``lm_eval.tasks/__init__`` (the task manager,
seconds to import) is not executed: only the three ifeval modules are loaded.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import sys
import types
from pathlib import Path

from rulec.errors import ConfigError

_WORD = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")


class _NltkProxy:
    """``nltk`` as IFEval's util module sees it: word_tokenize without punkt."""

    def __init__(self, real):
        self._real = real

    @staticmethod
    def word_tokenize(text: str) -> list[str]:
        return _WORD.findall(text)

    def __getattr__(self, name):
        return getattr(self._real, name)


@functools.cache
def registry() -> dict[str, type]:
    """IFEval's ``INSTRUCTION_DICT`` (instruction id -> checker class)."""
    try:
        import langdetect
        import nltk
    except ImportError as e:
        raise ConfigError(
            f"code verifiers need IFEval's checkers: pip install 'rulec[rnr]' ({e.name} is missing)"
        ) from None
    try:
        import lm_eval
    except ImportError:
        raise ConfigError(
            "code verifiers need IFEval's checkers: pip install 'rulec[rnr]' (lm-eval is missing)"
        ) from None
    langdetect.DetectorFactory.seed = 0  # langdetect is random unless seeded
    stub = None
    if "lm_eval.tasks" not in sys.modules:
        stub = types.ModuleType("lm_eval.tasks")
        stub.__path__ = [str(Path(lm_eval.__file__).parent / "tasks")]
        sys.modules["lm_eval.tasks"] = stub
    real_download = nltk.download
    nltk.download = lambda *a, **k: False
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from lm_eval.tasks.ifeval import instructions, instructions_registry, instructions_util
    finally:
        nltk.download = real_download
        if stub is not None and sys.modules.get("lm_eval.tasks") is stub:
            del sys.modules["lm_eval.tasks"]
            if getattr(lm_eval, "tasks", None) is stub:
                delattr(lm_eval, "tasks")
    util = instructions_util
    util.count_sentences = lambda text: len(util.split_into_sentences(text))
    util.nltk = _NltkProxy(nltk)
    logging.getLogger(instructions.__name__).setLevel(logging.CRITICAL)
    return dict(instructions_registry.INSTRUCTION_DICT)


def check(instruction_id: str, response: str, **kwargs) -> bool:
    """Build IFEval's checker ``instruction_id`` with ``kwargs`` and check ``response``."""
    checker = registry()[instruction_id](instruction_id)
    checker.build_description(**kwargs)
    return bool(checker.check_following(response))


def languages() -> dict[str, str]:
    """The language codes IFEval's language checker knows (ISO 639-1 -> name)."""
    registry()
    from lm_eval.tasks.ifeval import instructions_util

    return dict(instructions_util.LANGUAGE_CODES)
