"""Shared pytest configuration.

``pytest --regen-golden`` rewrites the golden files under ``tests/golden/`` instead of
comparing against them (the same as ``RULEC_REGEN_GOLDEN=1 pytest``); review the diff
and commit it only for an intended format change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current output instead of comparing",
    )


def pytest_configure(config):
    if config.getoption("--regen-golden"):
        os.environ["RULEC_REGEN_GOLDEN"] = "1"


@pytest.fixture(scope="session", autouse=True)
def rulec_cache(tmp_path_factory):
    """One model cache for the whole session (the tiny model and the over-fitted model are
    built once and shared by the train and eval tests); an explicit RULEC_CACHE wins."""
    if not os.environ.get("RULEC_CACHE"):
        path = tmp_path_factory.getbasetemp() / "rulec-cache"
        path.mkdir(exist_ok=True)
        os.environ["RULEC_CACHE"] = str(path)
    return Path(os.environ["RULEC_CACHE"])
