"""Docs generated from code stay in step with it."""

from __future__ import annotations

import json

from grafana_okta_scim.cli import app
from grafana_okta_scim.spec import Spec
from grafana_okta_scim.spec_reference import render_reference
from tests.conftest import ROOT


def test_spec_reference_is_up_to_date() -> None:
    on_disk = (ROOT / "docs" / "spec-reference.md").read_text(encoding="utf-8")
    assert on_disk == render_reference(), (
        "docs/spec-reference.md is stale: run `python -m grafana_okta_scim.spec_reference`"
    )


def test_spec_reference_documents_every_key() -> None:
    text = render_reference()
    for model_name in ("Spec", "Integration", "Grafana", "ServiceAccount", "Provisioning", "OktaApp"):
        assert f"## {model_name}\n" in text
    for key in ("stack_id", "fixed_roles", "push_groups", "early_rotation_window_seconds", "adopt"):
        assert f"| `{key}` |" in text


def test_schema_command_prints_the_spec_json_schema(runner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema.pop("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert schema.pop("$id") == "urn:grafana-okta-scim:spec:1"
    assert schema == json.loads(json.dumps(Spec.model_json_schema()))
    assert set(schema["required"]) == {"version", "okta", "integrations"}
    assert schema["additionalProperties"] is False


def test_pre_commit_hook_offers_check() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["entry"].startswith("grafana-okta-scim check")
    assert hook["language"] == "python"
