"""Round trip for every example: apply the example's Terraform to the twin (real Terraform, the
replay providers bound to the twin, both phases, the admin's SCIM switch between them), discover,
synth; the Terraform equals the example's except import blocks, the assignment resources (per
group, non-authoritative) and the values discover cannot read.

Where an example names objects that exist before Terraform (a group by id, an adopted app and
service account), the twin's objects stand in and their ids replace the example's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.discover.runner import DiscoverOptions, run
from grafana_okta_scim.loader import parse_spec
from grafana_okta_scim.verify.http import HttpSettings, RetryPolicy
from tests.terraform.harness.runner import Terraform
from tests.twin.cast import hand_made_app
from tests.twin.scenario import (
    GRAFANA_AUTH,
    OKTA_TOKEN,
    Grafana,
    Scenario,
    build_files,
    declared_variables,
    spec_data,
)

pytestmark = pytest.mark.terraform

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def normalized(example: dict[str, Any], discovered: dict[str, Any]) -> dict[str, Any]:
    """The example with the not-discoverable values and the assignment shape taken from the
    discovered spec."""
    data = json.loads(json.dumps(example))
    data.pop("terraform", None)
    found = {i["name"]: i for i in discovered["integrations"]}
    for integration in data["integrations"]:
        mine = found[integration["name"]]
        account = integration.setdefault("service_account", {})
        account.pop("token", None)
        account.pop("via", None)
        if account.get("role") == "None":
            account["fixed_roles"] = mine["service_account"]["fixed_roles"]
        provisioning = integration.setdefault("provisioning", {})
        provisioning.pop("mode", None)
        app = integration.setdefault("okta_app", {})
        app.pop("delete_pushed_teams_on_destroy", None)
        app["assignments"] = mine["okta_app"]["assignments"]
        app["assignments_authoritative"] = False
        # an adopted app keeps its sign-on policy: discover writes the live one (issue 16, #10)
        if "authentication_policy" in mine["okta_app"]:
            app["authentication_policy"] = mine["okta_app"]["authentication_policy"]
        integration["adopt"] = mine["adopt"]
    return data


def _without_imports(doc: Any) -> dict[str, Any]:
    data = doc.to_json()
    data.pop("import", None)
    data.pop("//", None)
    return data


def _assigned(spec: Any, name: str, ids: dict[str, str]) -> set[tuple[str, int]]:
    integration = spec.integration(name)
    return {(a.group_id or ids[a.group or ""], a.priority) for a in integration.okta_app.assignments}


def twin_for(terraform: Terraform, data: dict[str, Any]) -> Scenario:
    """A scenario whose twin runs every Grafana the example names and holds its Okta groups."""
    grafanas: dict[str, Grafana] = {}
    groups: dict[str, str] = {}
    for entry in data["integrations"]:
        g = entry["grafana"]
        known = grafanas.setdefault(
            g["url"], Grafana(g["url"], g["kind"], g.get("stack_id"), g.get("stack_slug"), 1)
        )
        known.orgs = max(known.orgs, int(g.get("org_id") or 1))
        app = entry.get("okta_app") or {}
        for name in [a["group"] for a in app.get("assignments") or [] if "group" in a] + list(
            app.get("push_groups") or []
        ):
            groups[name] = "OKTA_GROUP"
        by_id = [a for a in app.get("assignments") or [] if "group_id" in a]
        for n in range(len(by_id)):
            groups[f"by-id-{n}"] = "OKTA_GROUP"
    scenario = Scenario(terraform, list(grafanas.values()), [], groups=groups)
    scenario.twin.okta.base_url = data["okta"]["base_url"]
    return scenario


def stand_ins(s: Scenario, data: dict[str, Any]) -> None:
    """The twin's ids for what the example names by id (groups; an adopted app and account)."""
    for entry in data["integrations"]:
        for n, a in enumerate(
            a for a in (entry.get("okta_app") or {}).get("assignments") or [] if "group_id" in a
        ):
            a["group_id"] = s.group_ids[f"by-id-{n}"]
        if "adopt" in entry:
            app_id, _, account = hand_made_app(s, extras=False)
            entry["adopt"] = {**entry["adopt"], "okta_app_id": app_id, "service_account_id": account}


def provision(s: Scenario, files: dict[str, str], integration: dict[str, Any]) -> None:
    """Phase 1, the admin's steps of SCIM_SETUP.md, phase 2 (as the scenarios do them)."""
    okta_api = (integration.get("provisioning") or {}).get("mode") == "okta-api"
    applied = s.try_apply(1)
    assert applied.ok, applied.describe()
    grafana = integration["grafana"]
    if grafana["kind"] == "enterprise" and int(grafana.get("org_id") or 1) > 1:
        s.set_grafana_ini_scim(f"org-{grafana['org_id']}")
    if okta_api:  # SCIM_SETUP.md (okta-api): switch SCIM on in the General tab, then phase 2
        s.twin.okta.enable_provisioning(s.output("okta_app_id"))
    else:
        s.switch_on_provisioning()
    applied = s.try_apply(2)
    assert applied.ok, applied.describe()
    if "reject_non_provisioned_users" in declared_variables(files):
        applied = s.try_apply(3)  # the last phase: non-provisioned users rejected
        assert applied.ok, applied.describe()


def discover(s: Scenario, data: dict[str, Any], entry: dict[str, Any], out: Path, append: bool) -> Any:
    grafana = entry["grafana"]
    endpoints = s.twin.endpoints
    assert endpoints is not None
    return run(
        DiscoverOptions(
            okta_app=entry["okta_app"]["label"],
            okta_org=data["okta"]["org_name"],
            okta_base_url=data["okta"]["base_url"],
            grafana=grafana["url"],
            kind=grafana["kind"],
            stack_slug=grafana.get("stack_slug"),
            stack_id=grafana.get("stack_id"),
            org_id=grafana.get("org_id"),
            name=entry["name"],
            append=append,
            service_account=(entry.get("service_account") or {}).get("name", "okta-scim"),
            out=out,
            grafana_url=endpoints.grafana_urls[grafana["url"].rstrip("/")],
            okta_url=endpoints.okta_url,
            http=HttpSettings(timeout=5.0, retry=RetryPolicy(attempts=3, backoff=0.01, max_wait=1.0)),
            sleep=lambda _s: None,
            environ={"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_AUTH},
        )
    )


def seen(s: Scenario, since: list[int]) -> list[tuple[str, str]]:
    """Every request the Okta and Grafana views answered, per view from `since` (the views'
    request counts before)."""
    views = [s.twin.okta_view, *s.twin.grafana_views.values()]
    return [r for view, start in zip(views, since, strict=True) for r in view.faults.requests[start:]]


def counts(s: Scenario) -> list[int]:
    return [len(view.faults.requests) for view in [s.twin.okta_view, *s.twin.grafana_views.values()]]


@pytest.mark.parametrize("example", NAMES)
def test_round_trip(example: str, terraform: Terraform, tmp_path: Path) -> None:
    path = EXAMPLES / f"{example}.yaml"
    data = spec_data(example)
    out = tmp_path / "discovered.yaml"
    scenario = twin_for(terraform, data)
    with scenario as s:
        stand_ins(s, data)
        spec = parse_spec(data, path.name)
        docs = build(spec, path.name)
        for index, entry in enumerate(data["integrations"]):
            files = build_files(data, entry["name"], path.name)
            if index == 0:
                s.write(files)
            else:
                s.adopt_in_new_workspace(files)
            provision(s, files, entry)
            before = counts(s)
            result = discover(s, data, entry, out, append=index > 0)
            assert result.code == 0, result.problems
            assert result.report["differences"] == [], result.report["differences"]
            assert {m for m, _ in seen(s, before)} == {"GET"}, [r for r in seen(s, before) if r[0] != "GET"]
        ids = dict(s.group_ids)
    discovered = load_spec(out)
    expected = build(parse_spec(normalized(data, yaml.safe_load(out.read_text())), path.name), path.name)
    got = build(discovered, path.name)
    for name in docs:
        assert _without_imports(got[name]) == _without_imports(expected[name]), name
        assert _assigned(discovered, name, ids) == _assigned(spec, name, ids)
        imported = {i.to for i in got[name].imports}
        assert f"okta_app_saml.{name}" in imported
        for group in spec.integration(name).okta_app.push_groups:
            assert f'okta_push_group.{name}["{group}"]' in imported
