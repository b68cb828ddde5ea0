"""Deliberately broken configurations are rejected with Terraform's own errors.

Proves the harness is no rubber stamp: type checking, required arguments, block structure,
reference resolution and item limits come from Terraform itself reading the replayed schemas;
the computed-only rule comes from the replay provider with terraform-plugin-sdk's wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness.runner import Terraform, ValidateResult, run_parallel

pytestmark = pytest.mark.terraform

BROKEN_DIR = Path(__file__).resolve().parent / "broken"

VERSIONS_TF = """terraform {
  required_providers {
    grafana = {
      source  = "grafana/grafana"
      version = "~> 4.45"
    }
    okta = {
      source  = "okta/okta"
      version = "~> 6.12"
    }
  }
}
"""

# case file stem -> (line of the error in main.tf, summary, text in the detail)
EXPECTED: dict[str, tuple[int, str, str]] = {
    "unknown_attribute": (4, "Unsupported argument", 'An argument named "lable" is not expected here.'),
    "missing_required_argument": (2, "Missing required argument", 'The argument "role" is required'),
    "wrong_type": (
        7,
        "Incorrect attribute value type",
        'Inappropriate value for attribute "values": list of string required.',
    ),
    "block_as_attribute": (
        4,
        "Unsupported argument",
        'Did you mean to define a block of type "saml_settings"?',
    ),
    "nonexistent_reference": (
        10,
        "Unsupported attribute",
        'This object has no argument, nested block, or exported attribute named "metadata_uri".',
    ),
    "computed_only_set": (
        10,
        "Computed attributes cannot be set",
        'Computed attributes cannot be set, but a value was set for "key".',
    ),
    "computed_only_in_data_source": (
        4,
        "Computed attributes cannot be set",
        'Computed attributes cannot be set, but a value was set for "uid".',
    ),
    "too_many_blocks": (
        9,
        "Too many saml_settings blocks",
        'No more than 1 "saml_settings" blocks are allowed',
    ),
    "missing_nested_block": (5, "Insufficient config blocks", 'At least 1 "config" blocks are required.'),
    "unknown_resource_type": (
        2,
        "Invalid resource type",
        'The provider okta/okta does not support resource type "okta_app_scim".',
    ),
    "unknown_data_source_type": (
        2,
        "Invalid data source",
        'The provider grafana/grafana does not support data source "grafana_roles".',
    ),
}


def _case_files(stem: str) -> dict[str, str]:
    return {
        "versions.tf": VERSIONS_TF,
        "main.tf": (BROKEN_DIR / f"{stem}.tf").read_text(encoding="utf-8"),
    }


@pytest.fixture(scope="module")
def verdicts(terraform: Terraform) -> dict[str, ValidateResult]:
    """Case -> `terraform validate` result, run in parallel."""
    return run_parallel(
        {stem: (lambda stem=stem: terraform.validate_files(_case_files(stem))) for stem in EXPECTED}
    )


def test_corpus_and_expectations_match() -> None:
    """Every broken file has an expected error and vice versa."""
    assert sorted(p.stem for p in BROKEN_DIR.glob("*.tf")) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_config_is_rejected(verdicts: dict[str, ValidateResult], case: str) -> None:
    """Exactly one error, Terraform's, pointing at the broken line."""
    line, summary, detail = EXPECTED[case]
    result = verdicts[case]
    assert not result.valid
    assert result.returncode == 1
    assert len(result.errors) == 1, result.describe()
    (error,) = result.errors
    assert (error.filename, error.line, error.summary) == ("main.tf", line, summary)
    assert detail in error.detail


def test_broken_config_also_fails_plan(terraform: Terraform) -> None:
    """The computed-only refusal stops `plan` too (plan validates before planning)."""
    result = terraform.plan_files(_case_files("computed_only_set"))
    assert not result.ok
    assert [e.summary for e in result.errors] == ["Computed attributes cannot be set"]
    assert result.plan == {}
