"""A hand-written, realistic configuration validates and plans, and the plan is as expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness.runner import PlanResult, Terraform, ValidateResult

pytestmark = pytest.mark.terraform

VALID_DIR = Path(__file__).resolve().parent / "valid"

EXPECTED_PLANNED = {
    "grafana_role_assignment_item.users_writer",
    "grafana_scim_config.this",
    "grafana_service_account.scim",
    "grafana_service_account_token.scim",
    "grafana_sso_settings.saml",
    "okta_app_connection.scim",
    "okta_app_group_assignments.grafana",
    "okta_app_saml.grafana",
}
EXPECTED_DATA = {
    "data.grafana_role.users_writer",
    'data.okta_group.assigned["grafana-admins"]',
    'data.okta_group.assigned["grafana-users"]',
}


@pytest.fixture(scope="module")
def validated(terraform: Terraform) -> ValidateResult:
    """`terraform validate` of the hand-written folder."""
    return terraform.validate(VALID_DIR)


@pytest.fixture(scope="module")
def planned(terraform: Terraform) -> PlanResult:
    """`terraform plan` of the hand-written folder (its backend block neutralised)."""
    return terraform.plan(VALID_DIR, variables={"grafana_auth": "glsa_placeholder_for_plan"})


def test_validates(validated: ValidateResult) -> None:
    """No error; the only diagnostic is Terraform's dev_overrides warning."""
    assert validated.valid and validated.ok, validated.describe()
    assert [d.summary for d in validated.diagnostics] == ["Provider development overrides are in effect"]


def test_plans_expected_resources(planned: PlanResult) -> None:
    """Every resource planned; data sources (one per for_each key) read during plan."""
    assert planned.ok, planned.describe()
    assert planned.planned_addresses == EXPECTED_PLANNED
    assert planned.data_addresses == EXPECTED_DATA


def test_computed_values_are_unknown_on_create(planned: PlanResult) -> None:
    """Computed-only values of created resources are "known after apply"."""
    token = planned.resource_changes["grafana_service_account_token.scim"]["change"]
    assert token["actions"] == ["create"]
    assert token["after_unknown"]["key"] is True
    assert token["after_unknown"]["id"] is True
    assert "key" not in token["after"]


def test_data_source_values_flow_into_resources(planned: PlanResult) -> None:
    """okta_group ids (for_each) and the grafana_role uid are known at plan time."""
    groups = planned.resource_changes["okta_app_group_assignments.grafana"]["change"]["after"]
    ids = [group["id"] for group in groups["group"]]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(i.startswith("00g") and len(i) == 20 for i in ids)
    item = planned.resource_changes["grafana_role_assignment_item.users_writer"]["change"]
    assert item["after"]["role_uid"]
    assert "role_uid" not in item["after_unknown"]


def test_import_blocks_import(planned: PlanResult) -> None:
    """Imported objects are read back and planned as updates, not creates."""
    for address, object_id in {
        "grafana_service_account.scim": "1:42",
        "okta_app_saml.grafana": "0oa1b2c3d4e5f6g7h8i9",
    }.items():
        change = planned.resource_changes[address]["change"]
        assert change["importing"] == {"id": object_id}
        assert change["actions"] == ["update"]
        assert change["before"]["id"] == object_id
    # The imported app id flows into dependants as a known value.
    connection = planned.resource_changes["okta_app_connection.scim"]["change"]["after"]
    assert connection["id"] == "0oa1b2c3d4e5f6g7h8i9"


def test_sso_settings_read_okta_metadata_url(planned: PlanResult) -> None:
    """idp_metadata_url references okta_app_saml's computed metadata_url (unknown at plan)."""
    config = planned.config_resource("grafana_sso_settings.saml")["expressions"]
    saml = config["saml_settings"][0]
    assert saml["idp_metadata_url"]["references"][0] == "okta_app_saml.grafana.metadata_url"
    change = planned.resource_changes["grafana_sso_settings.saml"]["change"]
    assert change["after_unknown"]["saml_settings"][0]["idp_metadata_url"] is True


def test_connection_token_is_sensitive_reference(planned: PlanResult) -> None:
    """The SCIM token goes from the Grafana token's key to Okta, sensitive all the way."""
    expressions = planned.config_resource("okta_app_connection.scim")["expressions"]
    assert expressions["profile"]["token"]["references"][0] == ("grafana_service_account_token.scim.key")
    change = planned.resource_changes["okta_app_connection.scim"]["change"]
    assert change["after_sensitive"]["profile"]["token"] is True
    assert planned.plan["output_changes"]["scim_token"]["after_sensitive"] is True
