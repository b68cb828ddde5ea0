"""Shared fixtures: the example specs and a CLI runner that keeps stdout and stderr apart; and the
order files are handed out in when the suite runs on pytest-xdist workers (`make test`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
EXAMPLE_SPECS = sorted(EXAMPLES_DIR.glob("*.yaml"))
EXAMPLE_NAMES = [path.stem for path in EXAMPLE_SPECS]
SHARED_SCOPES = frozenset({"module", "class", "package"})


@pytest.fixture
def runner() -> CliRunner:
    """Typer's CLI runner (stdout and stderr are separate on current Click)."""
    return CliRunner()


def _shares_a_fixture(item: pytest.Item) -> bool:
    """Whether the test needs (directly or through other fixtures) a fixture set up once for its
    module or class: the multi-minute Terraform, twin, wheel and benchmark runs."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs and defs[-1].scope in SHARED_SCOPES for defs in info.name2fixturedefs.values())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker: the files with a shared fixture first, in collection order, then the
    rest. `make test` hands out whole files in this order (`--dist loadfile --no-loadscope-reorder`:
    a module fixture is computed once), so the long files start first and the short ones fill in
    around them instead of one long file finishing alone. Every worker sorts alike."""
    if not hasattr(config, "workerinput"):  # not an xdist worker
        return
    first = {item.nodeid.split("::")[0] for item in items if _shares_a_fixture(item)}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in first)  # stable sort
