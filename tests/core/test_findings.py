"""The third production review's findings (issue 16), asserted on the synthesized Terraform.

GIVEN a spec (and, for the assignment-form migration, the folder synth wrote before) WHEN it is
built THEN the Terraform applies cleanly, re-plans without a diff and keeps people's access.
Each test failed on the 0.1.0 output (tests/twin/regressions/ holds it).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim import Spec, build
from grafana_okta_scim.previous_output import read_previous_outputs
from grafana_okta_scim.runbook import render_runbook
from grafana_okta_scim.synth import IntegrationPlan
from grafana_okta_scim.writer import write_output

BASE: dict[str, Any] = {
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
            "okta_app": {"assignments": [{"group": "ops"}, {"group_id": "00gabc", "priority": 1}]},
        }
    ],
}
ENTERPRISE = {"kind": "enterprise", "url": "https://grafana.example.com"}


def spec(**changes: Any) -> Spec:
    """BASE with `a__b` keys of the first integration replaced."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data["integrations"][0]
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return Spec.model_validate(data)


def module(s: Spec, out: Path | None = None) -> dict[str, Any]:
    """The module of `s`; with `out`, as synth builds it over that folder's previous output."""
    if out is None:
        return build(s)["prod"].to_json()
    return build(s, "spec.yaml", read_previous_outputs(out, ["prod"]))["prod"].to_json()


def saml_settings(m: dict[str, Any]) -> dict[str, Any]:
    (settings,) = m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"]
    return settings


# -- 1. okta-api mode ----------------------------------------------------------------------------


def test_okta_api_resources_wait_for_phase_2_and_match_what_okta_answers() -> None:
    m = module(spec(provisioning={"mode": "okta-api"}))
    connection = m["resource"]["okta_app_connection"]["prod"]
    features = m["resource"]["okta_app_features"]["prod"]
    # Created only after the admin's "Enable SCIM provisioning" click (phase 2).
    assert connection["count"] == features["count"] == "${var.provisioning_enabled ? 1 : 0}"
    # Read sets action "" for UNKNOWN: no perpetual diff.
    assert connection["lifecycle"] == {"ignore_changes": ["action"]}
    # Create copies update.password from Okta's answer.
    assert features["capabilities"]["update"]["password"] == {
        "status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING",
    }  # fmt: skip


def test_okta_api_runbook_says_switch_it_on_then_apply() -> None:
    doc = build(spec(provisioning={"mode": "okta-api"}))["prod"]
    text = render_runbook(IntegrationPlan.of(doc))
    assert "switch it on, then apply with `terraform apply -var provisioning_enabled=true`" in text


# -- 2. adopted apps: the full PUT ---------------------------------------------------------------


def test_an_adopted_apps_settings_are_carried_so_the_first_put_keeps_them() -> None:
    s = spec(
        adopt={"okta_app_id": "0oa1"},
        okta_app__assignments_authoritative=False,
        okta_app__user_name_template="${source.email}",
        okta_app__single_logout={"url": "https://example.grafana.net/logout", "issuer": "grafana"},
        okta_app__acs_endpoints=["https://example.grafana.net/saml/acs2"],
        okta_app__honor_force_authn=True,
        okta_app__saml_signed_request_enabled=True,
        okta_app__accessibility_self_service=True,
    )
    app = module(s)["resource"]["okta_app_saml"]["prod"]
    assert app["user_name_template"] == "$${source.email}"
    assert app["user_name_template_type"] == "CUSTOM"
    assert app["single_logout_url"] == "https://example.grafana.net/logout"
    assert app["single_logout_issuer"] == "grafana"
    assert app["acs_endpoints"] == ["https://example.grafana.net/saml/acs2"]
    assert app["honor_force_authn"] is app["saml_signed_request_enabled"] is True
    assert app["accessibility_self_service"] is True


def test_runbook_says_to_recheck_provisioning_after_any_app_update() -> None:
    text = render_runbook(IntegrationPlan.of(build(spec())["prod"]))
    assert "After any `okta_app_saml` update" in text
    assert "some older" not in text


# -- 3. org N routing ----------------------------------------------------------------------------


def test_org_n_with_scim_does_not_overwrite_memberships_at_sign_in() -> None:
    settings = saml_settings(module(spec(grafana={**ENTERPRISE, "org_id": 2})))
    assert "org_mapping" not in settings
    assert settings["skip_org_role_sync"] is True


def test_a_role_mapping_keeps_org_sync_and_the_runbook_says_what_sign_in_overwrites() -> None:
    s = spec(grafana={**ENTERPRISE, "org_id": 2}, saml__role_values={"admin": ["admins"]})
    settings = saml_settings(module(s))
    assert settings["skip_org_role_sync"] is False
    text = render_runbook(IntegrationPlan.of(build(s)["prod"]))
    assert "overwrites" in text and "at every sign-in" in text


# -- 4. role values and org_mapping with spaces and commas ---------------------------------------


def test_role_values_with_spaces_and_commas_are_a_json_list() -> None:
    s = spec(saml__role_values={"admin": ["Grafana Admins", "ops, eu"], "editor": ["Editors"]})
    settings = saml_settings(module(s))
    assert json.loads(settings["role_values_admin"]) == ["Grafana Admins", "ops, eu"]
    assert settings["role_values_editor"] == '["Editors"]'


def test_org_mapping_list_entries_may_hold_spaces_and_a_split_string_is_refused() -> None:
    s = spec(grafana={**ENTERPRISE, "org_id": 2}, saml__org_mapping=["Team A:2:Editor", "*:2"])
    assert json.loads(saml_settings(module(s))["org_mapping"]) == ["Team A:2:Editor", "*:2"]
    with pytest.raises(ValueError, match=r"expected no spaces in the string form"):
        spec(saml__org_mapping="Team A:2:Editor")


# -- 5. assignment-form transitions --------------------------------------------------------------


def _write(s: Spec, out: Path) -> None:
    previous = read_previous_outputs(out, ["prod"])
    write_output(build(s, "spec.yaml", previous), out)


@pytest.mark.parametrize("form", ["hcl", "json"])
def test_authoritative_to_per_group_imports_instead_of_destroying(tmp_path: Path, form: str) -> None:
    before = spec()
    write_output(build(before), tmp_path, form)  # type: ignore[arg-type]
    after = spec(okta_app__assignments_authoritative=False)
    m = module(after, tmp_path)
    assert m["removed"] == [{"from": "okta_app_group_assignments.prod", "lifecycle": {"destroy": False}}]
    assert m["import"] == [
        {
            "to": 'okta_app_group_assignment.prod["00gabc"]',
            "id": '${format("%s/%s", okta_app_saml.prod.id, "00gabc")}',
        },
        {
            "to": 'okta_app_group_assignment.prod["ops"]',
            "id": '${format("%s/%s", okta_app_saml.prod.id, data.okta_group.prod["ops"].id)}',
        },
    ]
    assert m["terraform"]["required_version"] == ">= 1.7"


def test_a_fresh_folder_gets_no_migration(tmp_path: Path) -> None:
    m = module(spec(okta_app__assignments_authoritative=False), tmp_path)
    assert "import" not in m and "removed" not in m
    assert m["terraform"]["required_version"] == ">= 1.5"


def test_the_migration_stays_on_resynth_and_new_groups_are_not_imported(tmp_path: Path) -> None:
    _write(spec(), tmp_path)
    after = spec(
        okta_app__assignments_authoritative=False,
        okta_app__assignments=[{"group": "ops"}, {"group_id": "00gabc"}, {"group": "new"}],
    )
    _write(after, tmp_path)
    again = module(after, tmp_path)
    assert [i["to"] for i in again["import"]] == [
        'okta_app_group_assignment.prod["00gabc"]', 'okta_app_group_assignment.prod["ops"]',
    ]  # fmt: skip
    assert again["removed"][0]["from"] == "okta_app_group_assignments.prod"


def test_per_group_to_authoritative_imports_the_authoritative_resource(tmp_path: Path) -> None:
    _write(spec(okta_app__assignments_authoritative=False), tmp_path)
    m = module(spec(okta_app__assignments_authoritative=True), tmp_path)
    assert m["removed"] == [{"from": "okta_app_group_assignment.prod", "lifecycle": {"destroy": False}}]
    assert m["import"] == [{"to": "okta_app_group_assignments.prod", "id": "${okta_app_saml.prod.id}"}]


def test_group_to_group_id_moves_the_assignment(tmp_path: Path) -> None:
    _write(spec(okta_app__assignments_authoritative=False), tmp_path)
    moved = spec(
        okta_app__assignments_authoritative=False,
        okta_app__assignments=[{"group_id": "00gops"}, {"group_id": "00gabc", "priority": 1}],
    )
    m = module(moved, tmp_path)
    assert m["moved"] == [
        {"from": 'okta_app_group_assignment.prod["ops"]', "to": 'okta_app_group_assignment.prod["00gops"]'}
    ]
    _write(moved, tmp_path)
    assert module(moved, tmp_path)["moved"] == m["moved"]  # kept: `check` stays clean


# -- 6. AD/LDAP-mastered groups ------------------------------------------------------------------


def test_group_lookup_admits_app_groups() -> None:
    lookup = module(spec())["data"]["okta_group"]["prod"]
    assert "type" not in lookup
    (post,) = lookup["lifecycle"]["postcondition"]
    assert "(any type: OKTA_GROUP or APP_GROUP for groups mastered in AD or LDAP)" in post["error_message"]


# -- 7., 8. runbook ------------------------------------------------------------------------------


def test_runbook_troubleshoots_a_push_mapping_in_error() -> None:
    s = spec(
        scim={"group_sync": True},
        okta_app__push_groups=["ops"],
        provisioning={"actions": {"push_groups": True}},
    )
    text = render_runbook(IntegrationPlan.of(build(s)["prod"]))
    assert "ERROR" in text and "Push Groups" in text and "terraform state rm" in text


def test_runbook_explains_when_a_rotating_token_is_replaced_and_both_console_wordings() -> None:
    s = spec(
        service_account={"token": {"rotation": {"seconds_to_live": 100, "early_rotation_window_seconds": 10}}}
    )
    text = render_runbook(IntegrationPlan.of(build(s)["prod"]))
    assert "only when a plan or apply runs inside" in text
    assert "stays valid until it expires" in text
    assert "Enable SCIM provisioning" in text and "Provisioning: SCIM" in text


# -- 9. provider versions ------------------------------------------------------------------------


def test_default_okta_constraint_excludes_6_14_0() -> None:
    assert module(spec())["terraform"]["required_providers"]["okta"]["version"] == "~> 6.12, != 6.14.0"


# -- 10. authentication policy -------------------------------------------------------------------


def test_authentication_policy_by_id_or_exact_name() -> None:
    by_id = module(spec(okta_app__authentication_policy="rst1a2b3c4d5"))
    assert by_id["resource"]["okta_app_saml"]["prod"]["authentication_policy"] == "rst1a2b3c4d5"
    by_name = module(spec(okta_app__authentication_policy="Grafana MFA"))
    assert by_name["data"]["okta_policy"]["prod"] == {"name": "Grafana MFA", "type": "ACCESS_POLICY"}
    app = by_name["resource"]["okta_app_saml"]["prod"]
    assert app["authentication_policy"] == "${data.okta_policy.prod.id}"
    assert "authentication_policy" not in module(spec())["resource"]["okta_app_saml"]["prod"]


def test_every_new_key_conforms_to_the_provider_schemas() -> None:
    from grafana_okta_scim.conformance import check_module

    s = spec(
        adopt={"okta_app_id": "0oa1"},
        okta_app__assignments_authoritative=False,
        okta_app__authentication_policy="Grafana MFA",
        okta_app__user_name_template="${source.email}",
        okta_app__single_logout={"url": "https://example.grafana.net/logout", "issuer": "grafana"},
        okta_app__acs_endpoints=["https://example.grafana.net/saml/acs2"],
        okta_app__honor_force_authn=True,
        saml__role_values={"admin": ["Grafana Admins"]},
        provisioning={"mode": "okta-api"},
    )
    assert check_module(module(s)) == []
