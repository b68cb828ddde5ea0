"""Shared fixtures: the example specs and a CLI runner that keeps stdout and stderr apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLE_SPECS = sorted(EXAMPLES_DIR.glob("*.yaml"))
EXAMPLE_NAMES = [path.stem for path in EXAMPLE_SPECS]


@pytest.fixture
def runner() -> CliRunner:
    """Typer's CLI runner (stdout and stderr are separate on current Click)."""
    return CliRunner()
