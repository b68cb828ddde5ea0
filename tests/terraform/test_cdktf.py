"""The cdktf constructs' synth output (in-process, no npx) validates and plans in Terraform."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .expectations import EXPECTED_NAMESPACE, EXPECTED_PLANNED
from .harness.runner import PlanResult, Terraform, ValidateResult, run_parallel

pytestmark = [pytest.mark.terraform, pytest.mark.cdktf]

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def synth_files(example: str) -> dict[str, dict[str, str]]:
    """Integration -> {"cdk.tf.json": text} synthesized in this process with cdktf.Testing."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    cdktf = pytest.importorskip("cdktf")
    from grafana_okta_scim import load_spec
    from grafana_okta_scim.constructs import GrafanaOktaScim

    spec = load_spec(EXAMPLES_DIR / f"{example}.yaml")
    app = cdktf.Testing.app()
    files = {}
    for integration in spec.integrations:
        stack = cdktf.TerraformStack(app, integration.name)
        GrafanaOktaScim(
            stack,
            "scim",
            integration=integration,
            okta=spec.okta,
            terraform=spec.terraform,
            spec_name=f"examples/{example}.yaml",
        )
        files[integration.name] = {"cdk.tf.json": cdktf.Testing.synth(stack)}
    return files


@pytest.fixture(scope="module")
def cdktf_runs(terraform: Terraform) -> dict[tuple[str, str], tuple[ValidateResult, PlanResult]]:
    """(example, integration) -> (validate, plan) of the cdktf synth, planned in parallel."""
    synthesized = {example: synth_files(example) for example in sorted(EXPECTED_PLANNED)}
    jobs: dict[tuple[str, str], Any] = {}
    for example, integrations in synthesized.items():
        for integration, files in integrations.items():
            jobs[(example, integration)] = lambda files=files: terraform.check_files(files)
    return run_parallel(jobs)


@pytest.mark.parametrize("example", sorted(EXPECTED_PLANNED))
def test_cdktf_synth_validates_and_plans(cdktf_runs: dict, example: str) -> None:
    """Zero errors; the same resource instances and SCIM namespace as the native emitters."""
    found = {i: r for (e, i), r in cdktf_runs.items() if e == example}
    assert set(found) == set(EXPECTED_PLANNED[example])
    for integration, (validated, planned) in found.items():
        assert validated.ok and validated.valid, validated.describe()
        assert planned.ok, planned.describe()
        assert planned.planned_addresses == EXPECTED_PLANNED[example][integration]
        url = planned.plan["output_changes"]["scim_base_url"]["after"]
        assert url.endswith("/namespaces/" + EXPECTED_NAMESPACE[example][integration])


def test_cdktf_okta_api_token_is_a_sensitive_reference(terraform: Terraform) -> None:
    """In the cdktf synth too, Okta's SCIM token is the Grafana token's key, sensitive (phase 2)."""
    files = synth_files("okta-api")["prod"]
    _, planned = terraform.check_files(files, {"provisioning_enabled": True})
    assert planned.ok, planned.describe()
    token = "grafana_service_account_rotating_token.prod"
    profile = planned.config_resource("okta_app_connection.prod")["expressions"]["profile"]
    profile = profile[0] if isinstance(profile, list) else profile
    assert profile["token"]["references"] == [f"{token}.key", token]
    change = planned.resource_changes["okta_app_connection.prod[0]"]["change"]
    assert change["after_sensitive"]["profile"]["token"] is True
