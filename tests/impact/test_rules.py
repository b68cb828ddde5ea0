"""Each rule by its own hand-written plan: it fires when the plan changes what it is about, not
when state already holds it; unknown values give `certain: false`; sensitive values never show."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from grafana_okta_scim.cli import app
from grafana_okta_scim.impact import RULES, Severity, judge, parse_plan
from grafana_okta_scim.impact.render import render_json, render_markdown, render_table

from .plan_json import change, plan, saml, text

APP = {
    "label": "Grafana",
    "audience": "https://g.example/saml/metadata",
    "sso_url": "https://g.example/saml/acs",
}
UID = {"name": "userUID", "type": "EXPRESSION", "values": ['user.getInternalProperty("id")']}


def _found(*changes: dict[str, Any], **extra: Any) -> list[tuple[str, str, bool]]:
    verdict = judge(parse_plan(text(plan(*changes, **extra))))
    return [(c.rule, c.level.label, c.certain) for c in verdict.consequences]


def _assignments(before: list[str], after: list[str] | None, unknown: Any = None) -> dict[str, Any]:
    def groups(ids: list[str]) -> list[dict[str, Any]]:
        return [{"id": g, "priority": i} for i, g in enumerate(ids)]

    actions = ["delete"] if after is None else ["update"]
    return change(
        "okta_app_group_assignments.prod",
        actions,
        {"app_id": "0oa1", "group": groups(before)},
        None if after is None else {"app_id": "0oa1", "group": groups(after)},
        unknown,
    )


# -- groups ------------------------------------------------------------------------------------


def test_authoritative_assignments_shrinking() -> None:
    assert _found(_assignments(["00g1", "00g2"], ["00g1"])) == [("group-unassigned", "major", True)]


def test_authoritative_assignments_destroyed() -> None:
    verdict = judge(parse_plan(text(plan(_assignments(["00g1", "00g2"], None)))))
    (found,) = verdict.consequences
    assert found.rule == "group-unassigned" and found.objects == ["00g1", "00g2"]


def test_unknown_group_ids_make_it_a_may() -> None:
    unknown = {"group": [{"id": True}]}
    after = change(
        "okta_app_group_assignments.prod",
        ["update"],
        {"group": [{"id": "00g1"}, {"id": "00g2"}]},
        {"group": [{"priority": 0}]},
        unknown,
    )
    assert _found(after) == [("group-unassigned", "major", False)]


def test_assignments_unchanged_is_not_this_plans_consequence() -> None:
    same = _assignments(["00g1"], ["00g1"])
    same["change"]["actions"] = ["no-op"]
    assert _found(same) == []


def test_per_group_assignment_destroyed_unless_retained() -> None:
    destroy = change(
        "okta_app_group_assignment.eng", ["delete"], {"group_id": "00g1", "retain_assignment": False}, None
    )
    retained = change(
        "okta_app_group_assignment.eng", ["delete"], {"group_id": "00g1", "retain_assignment": True}, None
    )
    assert _found(destroy) == [("group-unassigned", "major", True)]
    assert _found(retained) == []


def test_destroy_and_create_of_the_same_group_is_unordered() -> None:
    old = change("okta_app_group_assignment.old", ["delete"], {"group_id": "00g1"}, None)
    new = change("okta_app_group_assignment.new", ["create"], None, {"group_id": "00g1"})
    assert _found(old, new) == [("group-reassigned-unordered", "major", False)]


def test_group_names_come_from_the_data_sources_read() -> None:
    prior = {
        "values": {
            "root_module": {"resources": [{"type": "okta_group", "values": {"id": "00g2", "name": "ops"}}]}
        }
    }
    verdict = judge(parse_plan(text(plan(_assignments(["00g1", "00g2"], ["00g1"]), prior_state=prior))))
    assert verdict.consequences[0].objects == ["ops (00g2)"]


# -- push groups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actions", "flag", "expected"),
    [
        (["delete"], True, ["team-deleted"]),
        (["delete", "create"], True, ["team-deleted"]),
        (["create", "delete"], True, ["team-deleted"]),
        (["delete"], False, []),
        (["update"], True, []),
    ],
)
def test_push_mapping(actions: list[str], flag: bool, expected: list[str]) -> None:
    values = {"target_group_name": "eng", "source_group_id": "00g1", "delete_target_group_on_destroy": flag}
    after = None if actions == ["delete"] else {**values, "delete_target_group_on_destroy": False}
    assert [r for r, _, _ in _found(change('okta_push_group.p["eng"]', actions, values, after))] == expected


# -- the Okta app ------------------------------------------------------------------------------


def test_app_destroyed_or_replaced_is_a_blocker() -> None:
    assert _found(change("okta_app_saml.prod", ["delete"], APP, None)) == [("app-destroyed", "blocker", True)]
    assert _found(change("okta_app_saml.prod", ["delete", "create"], APP, APP)) == [
        ("app-destroyed", "blocker", True)
    ]


def test_app_updated_is_a_full_put() -> None:
    assert _found(change("okta_app_saml.prod", ["update"], APP, {**APP, "label": "G"})) == [
        ("app-full-update", "minor", True)
    ]


def test_name_id_template_changed() -> None:
    before = {**APP, "subject_name_id_template": "${user.userName}"}
    after = {**APP, "subject_name_id_template": "${user.email}"}
    assert ("user-matching-changed", "major", True) in _found(
        change("okta_app_saml.prod", ["update"], before, after)
    )


def test_user_uid_statement_removed() -> None:
    before = {**APP, "attribute_statements": [UID]}
    after = {**APP, "attribute_statements": []}
    found = _found(change("okta_app_saml.prod", ["update"], before, after))
    assert ("user-uid-statement-changed", "blocker", True) in found


def test_audience_changed_and_entity_id_changed() -> None:
    okta = change("okta_app_saml.prod", ["update"], APP, {**APP, "audience": "https://new/saml/metadata"})
    assert ("saml-endpoint-changed", "blocker", True) in _found(okta)
    grafana = change("grafana_sso_settings.prod", ["update"], saml(entity_id="a"), saml(entity_id="b"))
    assert _found(grafana) == [("saml-endpoint-changed", "blocker", True)]


# -- Grafana's SAML settings -------------------------------------------------------------------


def test_sso_settings_destroyed_or_disabled() -> None:
    gone = change("grafana_sso_settings.prod", ["delete"], saml(), None)
    off = change("grafana_sso_settings.prod", ["update"], saml(), saml(enabled=False))
    assert _found(gone) == [("saml-sign-in-disabled", "blocker", True)]
    assert _found(off) == [("saml-sign-in-disabled", "blocker", True)]


def test_sign_up_turned_on_while_user_sync_is_on() -> None:
    sso = change("grafana_sso_settings.prod", ["update"], saml(allow_sign_up=False), saml(allow_sign_up=True))
    scim = change(
        "grafana_scim_config.prod", ["no-op"], {"enable_user_sync": True}, {"enable_user_sync": True}
    )
    assert _found(sso, scim) == [("sign-up-with-scim", "major", True)]
    no_scim = change(
        "grafana_scim_config.prod", ["no-op"], {"enable_user_sync": False}, {"enable_user_sync": False}
    )
    assert _found(sso, no_scim) == []


def test_sign_up_already_on_and_left_alone() -> None:
    sso = change(
        "grafana_sso_settings.prod",
        ["update"],
        saml(allow_sign_up=True, name="a"),
        saml(allow_sign_up=True, name="b"),
    )
    scim = change(
        "grafana_scim_config.prod", ["no-op"], {"enable_user_sync": True}, {"enable_user_sync": True}
    )
    assert _found(sso, scim) == []


def test_role_mapping_changed_names_who_gains_and_loses() -> None:
    before = saml(role_values_admin="grafana-admins", role_values_editor="eng")
    after = saml(role_values_admin="grafana-admins eng", role_values_editor="")
    verdict = judge(parse_plan(text(plan(change("grafana_sso_settings.prod", ["update"], before, after)))))
    (found,) = verdict.consequences
    assert found.rule == "role-mapping-changed"
    assert found.details == {"gained": {"Admin": ["eng"]}, "lost": {"Editor": ["eng"]}}


def test_role_mapping_in_json_list_form() -> None:
    """Generated modules write role values as a JSON list (Grafana's util.SplitString)."""
    before = saml(role_values_admin='["Grafana Admins"]')
    after = saml(role_values_admin='["Grafana Admins", "engineering"]')
    verdict = judge(parse_plan(text(plan(change("grafana_sso_settings.prod", ["update"], before, after)))))
    (found,) = verdict.consequences
    assert found.details == {"gained": {"Admin": ["engineering"]}, "lost": {}}


def test_empty_and_null_saml_values_are_no_change() -> None:
    """An adopted SSO settings' imported "" planned as null (the key omitted) changes nothing."""
    before = saml(role_values_admin="", org_mapping="", skip_org_role_sync=False, assertion_attribute_role="")
    after = saml(
        role_values_admin=None, org_mapping=None, skip_org_role_sync=None, assertion_attribute_role=None
    )
    assert _found(change("grafana_sso_settings.prod", ["update"], before, after)) == []


def test_org_mapping_and_skip_org_role_sync() -> None:
    sso = change(
        "grafana_sso_settings.prod", ["update"], saml(skip_org_role_sync=False), saml(skip_org_role_sync=True)
    )
    assert _found(sso) == [("org-mapping-changed", "major", True)]


# -- SCIM config, token, service account -------------------------------------------------------


def test_rejection_turned_on_and_already_on() -> None:
    on = change(
        "grafana_scim_config.prod",
        ["update"],
        {"reject_non_provisioned_users": False},
        {"reject_non_provisioned_users": True},
    )
    assert _found(on) == [("rejection-turned-on", "major", True)]
    kept = change(
        "grafana_scim_config.prod",
        ["update"],
        {"reject_non_provisioned_users": True, "enable_group_sync": False},
        {"reject_non_provisioned_users": True, "enable_group_sync": True},
    )
    assert _found(kept) == []


def test_rejection_unknown_until_apply_is_a_may() -> None:
    may = change(
        "grafana_scim_config.prod",
        ["update"],
        {"reject_non_provisioned_users": False},
        {},
        {"reject_non_provisioned_users": True},
    )
    assert _found(may) == [("rejection-turned-on", "major", False)]


def test_user_or_group_sync_turned_off() -> None:
    before = {"enable_user_sync": True, "enable_group_sync": True}
    off = change("grafana_scim_config.prod", ["update"], before, {**before, "enable_group_sync": False})
    assert _found(off) == [("scim-sync-turned-off", "blocker", True)]
    assert _found(change("grafana_scim_config.prod", ["delete"], before, None)) == [
        ("scim-sync-turned-off", "blocker", True)
    ]


def test_token_destroyed_and_okta_api_mode() -> None:
    token = change("grafana_service_account_token.prod", ["delete"], {"name": "okta"}, None)
    assert _found(token) == [("scim-token-replaced", "blocker", True)]
    connection = change(
        "okta_app_connection.prod",
        ["update"],
        {"status": "ENABLED", "base_url": "a"},
        {"status": "ENABLED", "base_url": "a"},
        {"token": True},
    )
    found = _found(token, connection)
    assert ("scim-token-replaced", "minor", False) in found


def test_token_never_expires_on_create_only() -> None:
    assert _found(
        change("grafana_service_account_token.p", ["create"], None, {"name": "t", "seconds_to_live": None})
    ) == [("token-never-expires", "minor", True)]
    assert (
        _found(
            change(
                "grafana_service_account_token.p", ["create"], None, {"name": "t", "seconds_to_live": 3600}
            )
        )
        == []
    )


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [("Admin", "Editor", True), ("Admin", "None", True), ("Editor", "Admin", False)],
)
def test_service_account_role_lowered(before: str, after: str, fires: bool) -> None:
    found = _found(
        change(
            "grafana_service_account.p",
            ["update"],
            {"name": "s", "role": before},
            {"name": "s", "role": after},
        )
    )
    assert found == ([("service-account-weakened", "blocker", True)] if fires else [])


def test_role_lowered_while_fixed_roles_are_assigned_is_a_may() -> None:
    lowered = change(
        "grafana_service_account.p", ["update"], {"name": "s", "role": "Admin"}, {"name": "s", "role": "None"}
    )
    item = change('grafana_role_assignment_item.p["fixed:teams:writer"]', ["create"], None, {"role_uid": "x"})
    assert _found(lowered, item) == [("service-account-weakened", "blocker", False)]


def test_sign_up_without_scim_in_the_plan_is_not_reported() -> None:
    sso = change("grafana_sso_settings.prod", ["create"], None, saml(allow_sign_up=True))
    assert _found(sso) == []


def test_service_account_destroyed_or_fixed_role_removed() -> None:
    assert _found(change("grafana_service_account.p", ["delete"], {"name": "s"}, None)) == [
        ("service-account-weakened", "blocker", True)
    ]
    item = change(
        'grafana_role_assignment_item.p["fixed:teams:writer"]',
        ["delete"],
        {"role_uid": "fixed_teams_writer"},
        None,
    )
    assert _found(item) == [("service-account-weakened", "blocker", True)]


def test_provisioning_turned_off_or_changed() -> None:
    off = change("okta_app_features.p", ["update"], {"status": "ENABLED"}, {"status": "DISABLED"})
    assert _found(off) == [("provisioning-turned-off", "blocker", True)]
    # Delete only warns "Delete Not Supported" (resource_okta_app_connection.go:372): state only
    assert _found(change("okta_app_connection.p", ["delete"], {"status": "ENABLED"}, None)) == [
        ("provisioning-settings-changed", "minor", True)
    ]
    changed = change(
        "okta_app_features.p",
        ["update"],
        {"status": "ENABLED", "capabilities": []},
        {"status": "ENABLED", "capabilities": [1]},
    )
    assert _found(changed) == [("provisioning-settings-changed", "minor", True)]


# -- sensitive values, renderers, the catalog --------------------------------------------------

SECRET = "s3cr3t-template-value"


def test_sensitive_values_are_never_printed() -> None:
    before = {**APP, "user_name_template": SECRET}
    after = {**APP, "user_name_template": SECRET + "2"}
    sensitive = {"user_name_template": True}
    document = plan(change("okta_app_saml.prod", ["update"], before, after, None, sensitive, sensitive))
    for output_format in ("table", "markdown", "json"):
        result = CliRunner().invoke(app, ["impact", "-", "--format", output_format], input=text(document))
        assert result.exit_code == 1
        assert SECRET not in result.stdout and "(sensitive)" in result.stdout


STABLE_IDS = [
    "group-unassigned",
    "group-reassigned-unordered",
    "team-deleted",
    "app-destroyed",
    "app-full-update",
    "user-matching-changed",
    "user-uid-statement-changed",
    "saml-endpoint-changed",
    "saml-sign-in-disabled",
    "sign-up-with-scim",
    "role-mapping-changed",
    "org-mapping-changed",
    "rejection-turned-on",
    "scim-sync-turned-off",
    "scim-token-replaced",
    "token-never-expires",
    "service-account-weakened",
    "provisioning-turned-off",
    "provisioning-settings-changed",
]


def test_rule_ids_are_stable_kebab_case() -> None:
    """Rule ids are contract (--accept in CI files, docs anchors): add, never rename."""
    import re

    assert list(RULES) == STABLE_IDS
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)+", rule_id) for rule_id in RULES)


def test_every_rule_has_a_docs_section() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "impact.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"\n## `{rule.id}`" in docs, rule.id
        assert f"Severity: **{rule.severity.label}**" in docs.split(f"## `{rule.id}`")[1].split("\n## ")[0]


def test_renderers_agree_on_ok() -> None:
    verdict = judge(parse_plan(text(plan(_assignments(["00g1"], [])))), fail_on=Severity.BLOCKER)
    assert json.loads(render_json(verdict))["ok"] is True
    assert "passes (--fail-on blocker)" in render_markdown(verdict)
    assert "group-unassigned" in render_table(verdict)
