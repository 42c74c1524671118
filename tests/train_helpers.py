"""Shared by tests/test_train*.py. The model cache (RULEC_CACHE) is set for the whole session
by tests/conftest.py, so the tiny model and the over-fitted model are built once."""

from __future__ import annotations

from pathlib import Path


def tiny_path() -> Path:
    from rulec.train.tiny import tiny_model_path

    return tiny_model_path()
