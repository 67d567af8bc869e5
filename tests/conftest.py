"""Shared fixtures: the ../shared data (skipped with a reason where absent) and seed paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder; tests that need it skip where it is absent (a user's clone)."""
    if not (SHARED / "seeds" / "EXPECTED.md").is_file():
        pytest.skip(f"../shared not found at {SHARED} (set AKHBAR_SHARED); CI always has it")
    return SHARED


@pytest.fixture(scope="session")
def seed_paths(shared: Path) -> dict[str, Path]:
    """The two founding seed files, keyed '000' and '001'."""
    found = {p.name[:3]: p for p in sorted((shared / "seeds").glob("0*_*.txt"))}
    if {"000", "001"} - set(found):
        pytest.skip("seed files 000_*.txt and 001_*.txt missing from ../shared/seeds")
    return found
