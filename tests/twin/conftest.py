"""Fixtures of the twin scenarios: the real Terraform binary wired to the replay providers,
which a `Scenario` binds to its twin (see scenario.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.terraform.harness.runner import Terraform, offline_terraform


@pytest.fixture(scope="session")
def terraform() -> Iterator[Terraform]:
    """Terraform 1.11 with the replay providers (fails if Terraform is absent)."""
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH: the twin scenarios need Terraform 1.11")
    with offline_terraform("twin-tf-") as terraform:
        yield terraform
