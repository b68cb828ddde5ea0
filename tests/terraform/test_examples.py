"""Every example spec, emitted as HCL and as Terraform JSON, validates and plans in Terraform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .expectations import EXPECTED_IMPORTS, EXPECTED_NAMESPACE, EXPECTED_PLANNED
from .harness.runner import PlanResult, Terraform, ValidateResult, run_parallel

pytestmark = pytest.mark.terraform

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
FORMS = ("hcl", "json")


@dataclass
class Run:
    """One integration of one example in one form, with Terraform's verdicts."""

    doc: Any
    validate: ValidateResult
    plan: PlanResult


def _example_names() -> list[str]:
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def runs(terraform: Terraform) -> dict[tuple[str, str, str], Run]:
    """(example, integration, form) -> Run, for every example, computed in parallel."""
    from grafana_okta_scim import build, load_spec

    jobs = {}
    for example in _example_names():
        spec_path = EXAMPLES_DIR / f"{example}.yaml"
        docs = build(load_spec(spec_path), f"examples/{spec_path.name}")
        for integration, doc in docs.items():
            for form in FORMS:
                files = doc.to_hcl_files() if form == "hcl" else doc.to_json_files()

                def job(files: dict[str, str] = files, doc: Any = doc) -> Run:
                    return Run(doc, *terraform.check_files(files))

                jobs[(example, integration, form)] = job
    return run_parallel(jobs)


def _runs_of(runs: dict[tuple[str, str, str], Run], example: str, form: str) -> dict[str, Run]:
    found = {i: run for (e, i, f), run in runs.items() if e == example and f == form}
    assert found, f"example {example} produced no integration"
    return found


def test_every_example_has_expectations() -> None:
    """A new example must come with its expected plan here."""
    assert _example_names() == sorted(EXPECTED_PLANNED)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("example", _example_names())
def test_example_validates_and_plans(runs: dict, example: str, form: str) -> None:
    """Zero errors from validate and plan; exactly the expected resource instances planned."""
    found = _runs_of(runs, example, form)
    assert set(found) == set(EXPECTED_PLANNED[example])
    for integration, run in found.items():
        assert run.validate.ok and run.validate.valid, run.validate.describe()
        assert run.plan.ok, run.plan.describe()
        assert run.plan.planned_addresses == EXPECTED_PLANNED[example][integration]
        planned_types = {a.split("[")[0] for a in run.plan.planned_addresses}
        document_resources = {a for a in run.doc.addresses if not a.startswith("data.")}
        assert planned_types <= document_resources
        assert all(a.split("[")[0] in run.doc.addresses for a in run.plan.data_addresses)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("example", _example_names())
def test_scim_base_url_output_has_the_namespace(runs: dict, example: str, form: str) -> None:
    """The planned scim_base_url output is the derived URL and ends in the right namespace."""
    for integration, run in _runs_of(runs, example, form).items():
        output = run.plan.plan["output_changes"]["scim_base_url"]
        namespace = EXPECTED_NAMESPACE[example][integration]
        assert output["after"] == run.doc.facts.scim_base_url
        assert output["after"].endswith(f"/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}")
        assert output["after_unknown"] is False


@pytest.mark.parametrize("example", _example_names())
def test_hcl_and_json_plan_the_same_values(runs: dict, example: str) -> None:
    """Both syntaxes of one document make Terraform plan identical values."""
    hcl, json_form = _runs_of(runs, example, "hcl"), _runs_of(runs, example, "json")
    for integration, run in hcl.items():
        assert run.plan.plan["planned_values"] == json_form[integration].plan.plan["planned_values"]


@pytest.mark.parametrize("form", FORMS)
def test_okta_api_connection_token_is_the_grafana_token(terraform: Terraform, runs: dict, form: str) -> None:
    """In phase 2, okta_app_connection's profile token references the Grafana token's key, as
    sensitive (in phase 1 it is not planned: provisioning is not switched on yet)."""
    run = _runs_of(runs, "okta-api", form)["prod"]
    token = "grafana_service_account_rotating_token.prod"
    assert run.doc.facts.token_address == token
    assert "okta_app_connection.prod[0]" not in run.plan.resource_changes
    files = run.doc.to_hcl_files() if form == "hcl" else run.doc.to_json_files()
    planned = terraform.plan_files(files, {"provisioning_enabled": True})
    assert planned.ok, planned.describe()
    assert {"okta_app_connection.prod[0]", "okta_app_features.prod[0]"} <= planned.planned_addresses
    expressions = planned.config_resource("okta_app_connection.prod")["expressions"]
    profile = expressions["profile"]
    profile = profile[0] if isinstance(profile, list) else profile
    assert profile["token"]["references"] == [f"{token}.key", token]
    change = planned.resource_changes["okta_app_connection.prod[0]"]["change"]
    assert change["after_sensitive"]["profile"]["token"] is True
    assert change["after_unknown"]["profile"]["token"] is True
    assert planned.resource_changes[token]["change"]["after_sensitive"]["key"] is True


@pytest.mark.parametrize("form", FORMS)
def test_adopt_imports_existing_objects(runs: dict, form: str) -> None:
    """The adopt example's import blocks make Terraform import (not create) those objects."""
    changes = _runs_of(runs, "adopt", form)["prod"].plan.resource_changes
    for address, object_id in EXPECTED_IMPORTS["adopt"].items():
        assert changes[address]["change"]["importing"] == {"id": object_id}
        assert changes[address]["change"]["actions"] != ["create"]
    imported = {a for a, c in changes.items() if c["change"].get("importing")}
    assert imported == set(EXPECTED_IMPORTS["adopt"])


def test_cloud_group_push_follows_provisioning_variable(terraform: Terraform) -> None:
    """With provisioning_enabled = true the gated okta_push_group instance is planned."""
    from grafana_okta_scim import build, load_spec

    doc = build(load_spec(EXAMPLES_DIR / "cloud.yaml"), "examples/cloud.yaml")["prod"]
    result = terraform.plan_files(doc.to_hcl_files(), variables={"provisioning_enabled": True})
    assert result.ok, result.describe()
    push = 'okta_push_group.prod["grafana-users"]'
    assert result.planned_addresses == EXPECTED_PLANNED["cloud"]["prod"] | {push}
    after = result.resource_changes[push]["change"]["after"]
    assert after["target_group_name"] == "grafana-users"
    assert after["source_group_id"].startswith("00g")
