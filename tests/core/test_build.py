"""Rules only the providers check at apply time, enforced on the synthesized Terraform."""

from __future__ import annotations

from pathlib import Path

import pytest

from grafana_okta_scim import Spec, build, load_spec
from tests.conftest import EXAMPLE_SPECS, EXAMPLES_DIR

# Required at apply time by okta_app_saml when no preconfigured_app is set (DOMAIN.md).
OKTA_SAML_APPLY_REQUIRED = (
    "sso_url", "recipient", "destination", "audience", "subject_name_id_template",
    "subject_name_id_format", "signature_algorithm", "digest_algorithm", "authn_context_class_ref",
)  # fmt: skip
IDP_METADATA = ("idp_metadata", "idp_metadata_path", "idp_metadata_url")


def modules() -> list[tuple[str, dict]]:
    found = []
    for spec_path in EXAMPLE_SPECS:
        for name, doc in build(load_spec(spec_path), spec_path.name).items():
            found.append((f"{spec_path.stem}/{name}", doc.to_json()))
    return found


MODULES = modules()


@pytest.mark.parametrize(("where", "module"), MODULES, ids=[m[0] for m in MODULES])
def test_okta_saml_app_sets_every_apply_time_field(where: str, module: dict) -> None:
    (app,) = module["resource"]["okta_app_saml"].values()
    assert "preconfigured_app" not in app
    missing = [key for key in OKTA_SAML_APPLY_REQUIRED if not app.get(key)]
    assert not missing, (where, missing)


@pytest.mark.parametrize(("where", "module"), MODULES, ids=[m[0] for m in MODULES])
def test_saml_settings_have_exactly_one_metadata_source_and_a_key_pair_rule(where: str, module: dict) -> None:
    (sso,) = module["resource"]["grafana_sso_settings"].values()
    (settings,) = sso["saml_settings"]
    assert [key for key in IDP_METADATA if key in settings] == ["idp_metadata_url"]
    assert settings["idp_metadata_url"].startswith("${okta_app_saml.") and settings[
        "idp_metadata_url"
    ].endswith(".metadata_url}")
    (rule,) = sso["lifecycle"]["precondition"]
    assert "var.grafana_saml_certificate == null" in rule["condition"]
    assert "var.grafana_saml_private_key == null" in rule["condition"]
    assert module["variable"]["grafana_saml_private_key"]["sensitive"] is True


def spec_with(**grafana: object) -> Spec:
    return Spec.model_validate(
        {"version": 1, "okta": {"org_name": "example"}, "integrations": [{"name": "x", "grafana": grafana}]}
    )


@pytest.mark.parametrize(
    ("grafana", "namespace", "managed"),
    [
        (
            {"kind": "cloud", "url": "https://a.grafana.net", "stack_slug": "a", "stack_id": 7},
            "stacks-7",
            True,
        ),
        ({"kind": "enterprise", "url": "https://g.example.com"}, "default", True),
        ({"kind": "enterprise", "url": "https://g.example.com", "org_id": 1}, "default", True),
        ({"kind": "enterprise", "url": "https://g.example.com", "org_id": 3}, "org-3", False),
        ({"kind": "enterprise", "url": "https://g.example.com/grafana/"}, "default", False),
    ],
)
def test_scim_namespace_and_whether_scim_config_is_generated(grafana, namespace: str, managed: bool) -> None:
    doc = build(spec_with(**grafana))["x"]
    base = grafana["url"].rstrip("/")  # type: ignore[union-attr]
    module = doc.to_json()
    assert module["output"]["scim_base_url"]["value"] == (
        f"{base}/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}"
    )
    assert ("grafana_scim_config" in module["resource"]) is managed
    assert any("grafana_scim_config not generated" in w for w in doc.warnings) is not managed
    app = module["resource"]["okta_app_saml"]["x"]
    assert app["sso_url"] == app["recipient"] == app["destination"] == f"{base}/saml/acs"
    assert app["audience"] == f"{base}/saml/metadata"
    if grafana["kind"] == "cloud":
        assert module["provider"]["grafana"][0]["stack_id"] == 7


def test_okta_api_mode_passes_the_token_by_reference_only(tmp_path: Path) -> None:
    doc = build(load_spec(EXAMPLES_DIR / "okta-api.yaml"))["prod"]
    module = doc.to_json()
    connection = module["resource"]["okta_app_connection"]["prod"]
    assert connection["profile"] == {
        "auth_scheme": "TOKEN",
        "token": "${grafana_service_account_rotating_token.prod.key}",
    }
    assert connection["base_url"] == doc.facts.scim_base_url
    features = module["resource"]["okta_app_features"]["prod"]
    assert features["capabilities"]["update"]["lifecycle_deactivate"] == {"status": "DISABLED"}
    push = module["resource"]["okta_push_group"]["prod"]
    # Okta answers UNKNOWN for custom apps: the mappings wait for phase 2 in every mode.
    assert push["for_each"] == "${var.provisioning_enabled ? toset(local.prod_push_groups) : toset([])}"
    assert sorted(push["depends_on"]) == [
        "okta_app_connection.prod", "okta_app_features.prod", "okta_app_group_assignments.prod",
    ]  # fmt: skip


def test_manual_mode_gates_group_push_behind_a_variable() -> None:
    module = build(load_spec(EXAMPLES_DIR / "cloud.yaml"))["prod"].to_json()
    push = module["resource"]["okta_push_group"]["prod"]
    assert push["for_each"] == "${var.provisioning_enabled ? toset(local.prod_push_groups) : toset([])}"
    assert module["variable"]["provisioning_enabled"]["default"] is False
    assert "okta_app_connection" not in module["resource"]


def test_fixed_roles_are_looked_up_and_granted_item_by_item() -> None:
    module = build(load_spec(EXAMPLES_DIR / "least-privilege.yaml"))["prod"].to_json()
    assert module["locals"]["prod_fixed_roles"] == ["fixed:org.users:writer", "fixed:teams:writer"]
    assert module["data"]["grafana_role"]["prod"]["name"] == "${each.key}"
    item = module["resource"]["grafana_role_assignment_item"]["prod"]
    assert item["for_each"] == "${data.grafana_role.prod}"
    assert item["service_account_id"] == "${grafana_service_account.prod.id}"
    assert "grafana_role_assignment" not in module["resource"], "would own every assignment of the role"


def test_adopt_writes_import_blocks() -> None:
    module = build(load_spec(EXAMPLES_DIR / "adopt.yaml"))["prod"].to_json()
    assert module["import"] == [
        {"to": "grafana_service_account.prod", "id": "1:42"},
        {"to": "okta_app_saml.prod", "id": "0oa1b2c3d4e5f6g7h8i9"},
    ]


def test_editor_without_fixed_roles_warns() -> None:
    spec = Spec.model_validate(
        {
            "version": 1,
            "okta": {"org_name": "example"},
            "integrations": [
                {
                    "name": "x",
                    "grafana": {"kind": "enterprise", "url": "https://g.example.com"},
                    "service_account": {"role": "Editor"},
                }
            ],
        }
    )
    warnings = build(spec)["x"].warnings
    assert [w for w in warnings if "fixed:org.users:writer" in w and "Editor" in w]
