"""Fixtures of the twin scenarios: the real Terraform binary wired to the replay providers,
which a `Scenario` binds to its twin (see scenario.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.terraform.harness import launcher
from tests.terraform.harness.runner import Terraform


@pytest.fixture(scope="session")
def terraform() -> Iterator[Terraform]:
    """Terraform 1.11 with the replay providers (fails if Terraform is absent)."""
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH: the twin scenarios need Terraform 1.11")
    root = Path(tempfile.mkdtemp(prefix="twin-tf-"))
    try:
        setup = launcher.write(root)
        scratch, tmpdir = root / "scratch", root / "tmp"
        scratch.mkdir()
        tmpdir.mkdir()
        yield Terraform(setup, scratch, tmpdir)
    finally:
        shutil.rmtree(root, ignore_errors=True)
