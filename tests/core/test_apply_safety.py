"""Apply-safety decisions, asserted on the synthesized Terraform JSON (issue: apply-safe output).

GIVEN a spec WHEN it is built THEN the Terraform a user would apply neither deletes data, nor
takes over what it does not own, nor locks users out, nor fails on a self-hosted target.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from grafana_okta_scim import Spec, build
from grafana_okta_scim.runbook import render_runbook
from grafana_okta_scim.synth import IntegrationPlan

CLOUD: dict[str, Any] = {
    "version": 1,
    "okta": {"org_name": "example"},
    "integrations": [
        {
            "name": "prod",
            "grafana": {
                "kind": "cloud",
                "url": "https://example.grafana.net",
                "stack_slug": "example",
                "stack_id": 7,
            },
            "scim": {"group_sync": True},
            "okta_app": {
                "assignments": [{"group": "ops"}, {"group_id": "00gabc", "priority": 1}],
                "push_groups": ["ops"],
            },
            "provisioning": {"actions": {"push_groups": True}},
        }
    ],
}
ENTERPRISE = {"kind": "enterprise", "url": "https://grafana.example.com"}


def spec(**changes: Any) -> Spec:
    """CLOUD with `a__b` keys of the first integration (or `terraform__...`) replaced."""
    data = copy.deepcopy(CLOUD)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data["integrations"][0]
        if parents[:1] == ["terraform"]:
            node, parents = data.setdefault("terraform", {}), parents[1:]
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return Spec.model_validate(data)


def module(s: Spec) -> dict[str, Any]:
    return next(iter(build(s).values())).to_json()


def saml_settings(m: dict[str, Any]) -> dict[str, Any]:
    (settings,) = m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"]
    return settings


def statements(m: dict[str, Any]) -> dict[str, dict[str, Any]]:
    app = m["resource"]["okta_app_saml"]["prod"]
    return {s["name"]: s for s in app["attribute_statements"]}


# -- data safety ---------------------------------------------------------------------------------


def test_removing_a_push_group_keeps_its_grafana_team_by_default() -> None:
    push = module(spec())["resource"]["okta_push_group"]["prod"]
    assert push["delete_target_group_on_destroy"] is False


def test_deleting_pushed_teams_is_an_opt_in_that_synth_warns_about() -> None:
    docs = build(spec(okta_app__delete_pushed_teams_on_destroy=True))
    push = docs["prod"].to_json()["resource"]["okta_push_group"]["prod"]
    assert push["delete_target_group_on_destroy"] is True
    assert any("deletes its Grafana team" in w for w in docs["prod"].warnings)


def test_group_push_waits_for_phase_2_in_every_mode() -> None:
    for mode in ("manual", "okta-api"):
        push = module(spec(provisioning__mode=mode))["resource"]["okta_push_group"]["prod"]
        assert push["for_each"].startswith("${var.provisioning_enabled ? "), mode


def test_an_app_the_spec_creates_gets_authoritative_assignments() -> None:
    resources = module(spec())["resource"]
    assert "okta_app_group_assignments" in resources
    assert "okta_app_group_assignment" not in resources


def test_non_authoritative_assignments_are_one_resource_per_listed_group() -> None:
    m = module(spec(okta_app__assignments_authoritative=False))
    assert "okta_app_group_assignments" not in m["resource"]
    item = m["resource"]["okta_app_group_assignment"]["prod"]
    assert item["for_each"] == "${local.prod_group_assignments}"
    assert item["group_id"] == "${each.value.group_id}"
    assert m["locals"]["prod_group_assignments"] == {
        "ops": {"group_id": '${data.okta_group.prod["ops"].id}', "priority": 0},
        "00gabc": {"group_id": "00gabc", "priority": 1},
    }
    push = m["resource"]["okta_push_group"]["prod"]
    assert "okta_app_group_assignment.prod" in push["depends_on"]


def test_an_adopted_app_requires_the_assignment_choice() -> None:
    with pytest.raises(ValueError, match=r"assignments_authoritative: missing.*unassigns every group"):
        spec(adopt={"okta_app_id": "0oa123"})
    assert (
        "okta_app_group_assignments"
        in module(spec(adopt={"okta_app_id": "0oa123"}, okta_app__assignments_authoritative=True))["resource"]
    )


def test_group_lookups_match_names_exactly_and_find_ad_mastered_groups() -> None:
    # A `type` filter makes the provider search `type eq "..."` only (data_source_okta_group.go):
    # AD/LDAP-mastered groups (APP_GROUP) would be "not found".
    lookup = module(spec())["data"]["okta_group"]["prod"]
    assert "type" not in lookup
    (post,) = lookup["lifecycle"]["postcondition"]
    assert post["condition"] == "${self.name == each.key}"
    assert "any type: OKTA_GROUP or APP_GROUP" in post["error_message"]
    assert "each.key, self.name" in post["error_message"]


def test_s3_state_is_encrypted_and_locked_with_a_lockfile() -> None:
    docs = build(spec(terraform__backend={"type": "s3", "config": {"bucket": "b", "key": "k"}}))
    m = docs["prod"].to_json()
    assert m["terraform"]["backend"]["s3"] == {
        "bucket": "b", "key": "k", "encrypt": True, "use_lockfile": True,
    }  # fmt: skip
    assert m["terraform"]["required_version"] == ">= 1.10"


def test_s3_with_a_dynamodb_table_keeps_it_and_the_users_terraform_constraint() -> None:
    s = spec(
        terraform__required_version="~> 1.6",
        terraform__backend={"type": "s3", "config": {"bucket": "b", "dynamodb_table": "locks"}},
    )
    m = module(s)
    assert m["terraform"]["backend"]["s3"] == {"bucket": "b", "dynamodb_table": "locks", "encrypt": True}
    assert m["terraform"]["required_version"] == "~> 1.6"


def test_a_custom_constraint_gains_the_lockfile_minimum() -> None:
    backend = {"type": "s3", "config": {"bucket": "b"}}
    s = spec(terraform__required_version="< 2.0", terraform__backend=backend)
    assert module(s)["terraform"]["required_version"] == "< 2.0, >= 1.10"


# -- apply and sign-in -----------------------------------------------------------------------------


def test_self_hosted_saml_asks_for_a_server_admin_credential() -> None:
    docs = build(spec(grafana=ENTERPRISE))
    m = docs["prod"].to_json()
    assert "server admin" in m["variable"]["grafana_auth"]["description"]
    assert m["variable"]["grafana_auth"]["sensitive"] is True
    assert any("server admin" in w for w in docs["prod"].warnings)
    assert "server admin's `user:password`" in render_runbook(IntegrationPlan.of(docs["prod"]))


def test_cloud_keeps_the_service_account_token_credential() -> None:
    docs = build(spec())
    assert "server admin" not in docs["prod"].to_json()["variable"]["grafana_auth"]["description"]
    assert not any("server admin" in w for w in docs["prod"].warnings)


def test_org_n_without_scim_routes_saml_users_to_their_org() -> None:
    m = module(spec(grafana={**ENTERPRISE, "org_id": 3}, scim={"user_sync": False, "group_sync": True}))
    settings = saml_settings(m)
    assert settings["assertion_attribute_org"] == "org"
    assert settings["org_mapping"] == '["org-3:3:Viewer"]'
    assert settings["skip_org_role_sync"] is False
    assert statements(m)["org"]["values"] == ['"org-3"']


def test_org_mapping_can_be_overridden_and_org_1_has_none() -> None:
    m = module(spec(grafana={**ENTERPRISE, "org_id": 3}, saml__org_mapping="*:3:Editor"))
    assert saml_settings(m)["org_mapping"] == '["*:3:Editor"]'
    assert saml_settings(m)["skip_org_role_sync"] is False
    plain = module(spec(grafana=ENTERPRISE))
    assert "org_mapping" not in saml_settings(plain)
    assert "org" not in statements(plain)


def test_two_integrations_cannot_both_manage_saml_on_one_grafana() -> None:
    data = copy.deepcopy(CLOUD)
    data["integrations"].append({**copy.deepcopy(CLOUD["integrations"][0]), "name": "other"})
    with pytest.raises(ValueError, match=r"'prod' manages SAML on the same Grafana"):
        Spec.model_validate(data)
    data["integrations"][1]["saml"] = {"configure_grafana": False}
    assert set(build(Spec.model_validate(data))) == {"prod", "other"}


def test_role_values_without_role_attribute_map_from_group_names() -> None:
    m = module(spec(saml__role_values={"admin": ["grafana-admins"]}))
    settings = saml_settings(m)
    assert settings["assertion_attribute_role"] == "groups"
    assert settings["role_values_admin"] == '["grafana-admins"]'
    assert set(statements(m)) == {"login", "email", "displayName", "userUID", "groups"}


def test_a_role_attribute_is_sent_from_the_profile_and_the_runbook_creates_it() -> None:
    s = spec(saml__role_attribute="grafanaRole", saml__role_values={"editor": ["e"]})
    doc = build(s)["prod"]
    m = doc.to_json()
    assert saml_settings(m)["assertion_attribute_role"] == "grafanaRole"
    assert statements(m)["grafanaRole"]["values"] == ["user.grafanaRole"]
    assert "Profile Editor" in render_runbook(IntegrationPlan.of(doc))


def test_sign_up_is_off_while_scim_provisions_users() -> None:
    assert saml_settings(module(spec()))["allow_sign_up"] is False
    assert saml_settings(module(spec(scim__user_sync=False)))["allow_sign_up"] is True
    assert saml_settings(module(spec(saml__allow_sign_up=True)))["allow_sign_up"] is True


def test_the_tile_is_hidden_by_default() -> None:
    m = module(spec())
    app = m["resource"]["okta_app_saml"]["prod"]
    assert (app["hide_web"], app["hide_ios"]) == (True, True)
    assert "default_relay_state" not in app
    assert "allow_idp_initiated" not in saml_settings(m)


def test_an_idp_initiated_tile_is_allowed_by_grafana_with_the_same_relay_state() -> None:
    m = module(spec(okta_app__tile="idp-initiated"))
    app = m["resource"]["okta_app_saml"]["prod"]
    settings = saml_settings(m)
    assert (app["hide_web"], app["hide_ios"]) == (False, False)
    assert settings["allow_idp_initiated"] is True
    assert settings["relay_state"] == app["default_relay_state"] != ""


def test_display_name_comes_from_first_and_last_name_unless_overridden() -> None:
    assert statements(module(spec()))["displayName"]["values"] == ['user.firstName + " " + user.lastName']
    m = module(spec(okta_app__name_expression="user.displayName"))
    assert statements(m)["displayName"]["values"] == ["user.displayName"]


def test_request_signing_is_set_only_when_a_private_key_is() -> None:
    settings = saml_settings(module(spec()))
    assert settings["signature_algorithm"] == '${var.grafana_saml_private_key == null ? null : "rsa-sha256"}'


def test_key_pair_variables_say_base64_of_the_pem() -> None:
    variables = module(spec())["variable"]
    assert "base64 of the PEM" in variables["grafana_saml_certificate"]["description"]
    assert "PKCS#8" in variables["grafana_saml_private_key"]["description"]


# -- phases ----------------------------------------------------------------------------------------


def test_every_module_declares_phase_2_and_outputs_its_phase() -> None:
    m = module(spec(okta_app__push_groups=[], provisioning__actions={}))
    assert m["variable"]["provisioning_enabled"]["default"] is False
    assert m["output"]["phase"]["value"] == "${var.provisioning_enabled ? 2 : 1}"
    assert "reject_non_provisioned_users" not in m["variable"]
    assert m["resource"]["grafana_scim_config"]["prod"]["reject_non_provisioned_users"] is False


def test_rejection_asked_for_becomes_phase_3_guarded_by_phase_2() -> None:
    m = module(spec(scim__reject_non_provisioned_users=True))
    assert m["variable"]["reject_non_provisioned_users"]["default"] is False
    config = m["resource"]["grafana_scim_config"]["prod"]
    assert config["reject_non_provisioned_users"] == "${var.reject_non_provisioned_users}"
    (pre,) = config["lifecycle"]["precondition"]
    assert pre["condition"] == "${!var.reject_non_provisioned_users || var.provisioning_enabled}"
    assert m["output"]["phase"]["value"] == (
        "${var.reject_non_provisioned_users ? 3 : (var.provisioning_enabled ? 2 : 1)}"
    )


def test_rejection_outside_terraforms_reach_is_a_runbook_step_only() -> None:
    s = spec(grafana={**ENTERPRISE, "org_id": 2}, scim__reject_non_provisioned_users=True)
    doc = build(s)["prod"]
    assert "reject_non_provisioned_users" not in doc.to_json()["variable"]
    book = render_runbook(IntegrationPlan.of(doc))
    assert "## Phase 3" in book and "reject_non_provisioned_users = true" in book
    # phase 1's grafana.ini keeps rejection off
    assert "GF_AUTH_SCIM_REJECT_NON_PROVISIONED_USERS=false" in book
