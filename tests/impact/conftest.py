"""The real-Terraform fixture of tests/terraform, for the plans these tests judge."""

from __future__ import annotations

from tests.terraform.conftest import terraform

__all__ = ["terraform"]
