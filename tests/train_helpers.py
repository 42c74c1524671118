"""Shared by tests/test_train*.py: one RULEC_CACHE per test session (under pytest's base
temporary directory), so the tiny model and the over-fitted model are built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.getbasetemp() / "rulec-cache"
    path.mkdir(exist_ok=True)
    os.environ["RULEC_CACHE"] = str(path)
    return path


def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    session_cache(tmp_path_factory)
    from rulec.train.tiny import tiny_model_path

    return tiny_model_path()
