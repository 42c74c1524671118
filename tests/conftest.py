"""Shared pytest configuration.

``pytest --regen-golden`` rewrites the golden files under ``tests/golden/`` instead of
comparing against them (the same as ``RULEC_REGEN_GOLDEN=1 pytest``); review the diff
and commit it only for an intended format change.
"""

from __future__ import annotations

import os


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
