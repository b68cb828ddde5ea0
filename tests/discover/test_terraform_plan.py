"""The adopted configuration in real Terraform: import + plan with the replay providers bound to
the twin (their behaviour models import and read the objects the twin holds, as the pinned
providers do) shows exactly the changes discover's report announced."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from grafana_okta_scim import build, load_spec
from tests.terraform.harness.runner import Terraform
from tests.twin import consumers
from tests.twin.scenario import declared_variables

from .conftest import Live
from .planned import planned_fields

pytestmark = pytest.mark.terraform

TYPES = {
    "okta_app": "okta_app_saml",
    "grafana_sso": "grafana_sso_settings",
    "grafana_scim": "grafana_scim_config",
    "service_account": "grafana_service_account",
    "okta_assignment": "okta_app_group_assignment",
    "okta_push": "okta_push_group",
}
PER_GROUP = ("okta_assignment", "okta_push")


def _messy(live: Live) -> str:
    """cloud/prod as its Terraform creates it, then edited by hand: a wrong ACS URL, sign-up on,
    an extra attribute statement, an extra assigned group with an active push mapping."""
    ident = live.seed().app_id
    extra = {
        "type": "EXPRESSION",
        "name": "department",
        "namespace": consumers.UNSPECIFIED,
        "values": ["user.department"],
    }
    consumers.update_app(
        live.world,
        ident,
        ssoAcsUrl="https://old.example.com/saml/acs",
        attributeStatements=consumers.statements(extra=[extra]),
    )
    consumers.update_saml(live.world, ident, allow_sign_up=True)
    contractors = live.okta.add_group("contractors")
    live.world.okta_api("PUT", f"/api/v1/apps/{ident}/groups/{contractors}", {"priority": 5})
    live.world.okta_api(
        "POST",
        f"/api/v1/apps/{ident}/group-push/mappings",
        {"sourceGroupId": contractors, "targetGroupName": "contractors", "status": "ACTIVE"},
    )
    return ident


def announced(report: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """(resource type, instance key, field) -> impact, for everything the report says the first
    apply changes."""
    found: dict[tuple[str, str, str], str] = {}
    for d in report["differences"]:
        if d["object"] in PER_GROUP:
            field = (
                ""
                if d["live"] is None or d["terraform"] is None
                else ("priority" if d["object"] == "okta_assignment" else "status")
            )
            found[(TYPES[d["object"]], d["field"], field)] = d["impact"]
        else:
            found[(TYPES[d["object"]], "", d["field"])] = d["impact"]
    for u in report.get("import_updates", []):
        found[(TYPES[u["object"]], u["key"], u["field"])] = u["impact"]
    if any(f["object"] == "service_account_token" for f in report["findings"] if f["kind"] == "cannot adopt"):
        found[("grafana_service_account_token", "", "")] = "cannot adopt"
    return found


def test_import_and_plan_show_exactly_the_reported_differences(live: Live, terraform: Terraform) -> None:
    _messy(live)
    result = live.run()
    assert result.code == 0, result.problems
    out = live.tmp / "scim.yaml"
    data = yaml.safe_load(out.read_text(encoding="utf-8"))["integrations"][0]
    doc = build(load_spec(out), out.name)[data["name"]]
    files = doc.to_hcl_files()
    credentials = {"okta_api_token": consumers.OKTA_TOKEN, "grafana_auth": consumers.GRAFANA_TOKEN}
    variables = {k: v for k, v in credentials.items() if k in declared_variables(files)}
    with terraform.workspace(files, env=live.world.endpoints.environment()) as ws:
        plan = ws.plan({"provisioning_enabled": True, **variables})
    assert plan.ok, plan.describe()
    imported = {c["address"] for c in plan.plan["resource_changes"] if c["change"].get("importing")}
    assert imported == {i.to for i in doc.imports}
    planned = planned_fields(plan.plan)
    report = announced(result.report)
    # the example's messy edits, each announced and each planned
    assert {
        ("okta_app_saml", "", "sso_url"),
        ("grafana_sso_settings", "", "allow_sign_up"),
        ("okta_app_saml", "", "attribute_statements[department]"),
    } <= set(report)
    # every planned change is announced (differences, import-caused updates, the new token)
    assert set(planned) == set(report), sorted(set(planned) ^ set(report))
    assert {k for k, impact in report.items() if impact.startswith("update on first apply")} == {
        ("okta_app_saml", "", "skip_authentication_policy")
    } | {
        ("okta_push_group", g, f)
        for g in ("grafana-users", "contractors")
        for f in ("delete_target_group_on_destroy",)
    }
    creates = {k for k, actions in planned.items() if "create" in actions}
    deletes = {k for k, actions in planned.items() if "delete" in actions}
    assert creates == {("grafana_service_account_token", "", "")}
    assert deletes == {k for k, impact in report.items() if impact == "removes access"}
