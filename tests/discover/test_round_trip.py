"""Round trip for every example: seed the fakes with what the example's Terraform creates,
discover, synth; the Terraform equals the example's except import blocks, the assignment
resources (per group, non-authoritative) and the values discover cannot read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.loader import parse_spec

from .conftest import Fakes
from .seed import group_id, seed_grafana, seed_okta

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
        integration["adopt"] = mine["adopt"]
    return data


def _without_imports(doc: Any) -> dict[str, Any]:
    data = doc.to_json()
    data.pop("import", None)
    data.pop("//", None)
    return data


def _assigned(spec: Any, name: str) -> set[tuple[str, int]]:
    integration = spec.integration(name)
    return {(a.group_id or group_id(a.group or ""), a.priority) for a in integration.okta_app.assignments}


@pytest.mark.parametrize("example", NAMES)
def test_round_trip(example: str, fakes: Fakes, tmp_path: Path) -> None:
    path = EXAMPLES / f"{example}.yaml"
    spec = load_spec(path)
    docs = build(spec, path.name)
    out = tmp_path / "discovered.yaml"
    for index, (name, doc) in enumerate(docs.items()):
        fakes.grafana.sso, fakes.grafana.scim, fakes.grafana.accounts = None, {}, []
        integration = spec.integration(name)
        ident = seed_okta(fakes.okta, doc, integration)
        seed_grafana(fakes.grafana, doc, integration, ident)
        grafana = integration.grafana
        result = fakes.run(
            out,
            okta_app=integration.okta_app.label,
            grafana=grafana.url,
            kind=grafana.kind,
            stack_slug=grafana.stack_slug,
            stack_id=grafana.stack_id,
            org_id=grafana.org_id,
            name=name,
            append=index > 0,
            okta_org=spec.okta.org_name,
            okta_base_url=spec.okta.base_url,
            service_account=integration.service_account.name,
        )
        assert result.code == 0, result.problems
        assert result.report["differences"] == [], result.report["differences"]
    assert fakes.methods() == {"GET"}
    discovered = load_spec(out)
    example_data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = build(
        parse_spec(normalized(example_data, yaml.safe_load(out.read_text())), path.name), path.name
    )
    got = build(discovered, path.name)
    for name in docs:
        assert _without_imports(got[name]) == _without_imports(expected[name]), name
        assert _assigned(discovered, name) == _assigned(spec, name)
        imported = {i.to for i in got[name].imports}
        assert f"okta_app_saml.{name}" in imported
        for group in spec.integration(name).okta_app.push_groups:
            assert f'okta_push_group.{name}["{group}"]' in imported
