"""Bad input: one line per problem naming the field, exit 2, no traceback, nothing written.

GIVEN a spec with one defect WHEN `synth` runs THEN it exits 2, every stderr line names the field
path, and the output folder is not even created.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from grafana_okta_scim.cli import app

VALID: dict[str, Any] = {
    "version": 1,
    "okta": {"org_name": "example", "base_url": "okta.com"},
    "integrations": [
        {
            "name": "prod",
            "grafana": {
                "kind": "cloud",
                "url": "https://example.grafana.net",
                "stack_slug": "example",
                "stack_id": 123456,
            },
            "scim": {"user_sync": True, "group_sync": True},
            "okta_app": {
                "label": "Grafana",
                "assignments": [{"group": "grafana-users", "priority": 0}],
                "push_groups": ["grafana-users"],
            },
            "provisioning": {"actions": {"push_groups": True}},
        }
    ],
}
ENTERPRISE = {"kind": "enterprise", "url": "https://grafana.example.com"}


def mutate(path: str, value: Any = None, *, delete: bool = False) -> dict[str, Any]:
    """A copy of VALID with the dotted `path` (list indexes as numbers) set or deleted."""
    spec = copy.deepcopy(VALID)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = spec
    for part in parents:
        node = node[part]
    if delete:
        del node[last]
    else:
        node[last] = value
    return spec


def integration(**changes: Any) -> dict[str, Any]:
    """A copy of VALID whose first integration has top-level keys replaced."""
    spec = copy.deepcopy(VALID)
    spec["integrations"][0].update(changes)
    return spec


# (case id, spec text, field path the error must name)
CASES: list[tuple[str, str, str]] = [
    ("yaml-syntax", "version: 1\nokta: {org_name: [\n", "line "),
    ("yaml-tab-indent", "version: 1\nokta:\n\torg_name: x\n", "line "),
    ("empty-file", "", "scim.yaml: got an empty file"),
    ("comment-only", "# nothing\n", "scim.yaml: got an empty file"),
    ("top-level-list", "- a\n- b\n", "scim.yaml: got a list"),
    ("top-level-scalar", "hello\n", "scim.yaml: got a str"),
]
SPEC_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("missing-version", mutate("version", delete=True), "version"),
    ("version-2", mutate("version", 2), "version"),
    ("version-string", mutate("version", "1"), "version"),
    ("missing-okta", mutate("okta", delete=True), "okta"),
    ("okta-org-empty", mutate("okta.org_name", ""), "okta.org_name"),
    ("okta-org-url", mutate("okta.org_name", "https://example.okta.com"), "okta.org_name"),
    ("okta-base-url-scheme", mutate("okta.base_url", "https://okta.com"), "okta.base_url"),
    ("okta-unknown-key", mutate("okta.api_token", "x"), "okta.api_token"),
    ("unknown-top-key", mutate("secrets", {"a": 1}), "secrets"),
    ("no-integrations", mutate("integrations", []), "integrations"),
    ("integrations-not-list", mutate("integrations", {"name": "x"}), "integrations"),
    ("name-missing", mutate("integrations.0.name", delete=True), "integrations[0].name"),
    ("name-uppercase", mutate("integrations.0.name", "Prod"), "integrations[0].name"),
    ("name-leading-digit", mutate("integrations.0.name", "1prod"), "integrations[0].name"),
    ("name-space", mutate("integrations.0.name", "my prod"), "integrations[0].name"),
    ("name-int", mutate("integrations.0.name", 5), "integrations[0].name"),
    (
        "name-duplicate",
        {**VALID, "integrations": VALID["integrations"] * 2},
        "integrations[1].name",
    ),
    ("grafana-missing", mutate("integrations.0.grafana", delete=True), "integrations[0].grafana"),
    ("kind-bad", mutate("integrations.0.grafana.kind", "oss"), "integrations[0].grafana.kind"),
    (
        "url-http",
        mutate("integrations.0.grafana.url", "http://example.grafana.net"),
        "integrations[0].grafana.url",
    ),
    ("url-not-url", mutate("integrations.0.grafana.url", "example"), "integrations[0].grafana.url"),
    (
        "url-query",
        mutate("integrations.0.grafana.url", "https://example.grafana.net/?a=b"),
        "integrations[0].grafana.url",
    ),
    (
        "url-space-in-host",
        mutate("integrations.0.grafana.url", "https://exa mple.grafana.net"),
        "integrations[0].grafana.url",
    ),
    (
        "url-template-in-path",
        mutate("integrations.0.grafana", {**ENTERPRISE, "url": "https://g.example.com/a${b}"}),
        "integrations[0].grafana.url",
    ),
    (
        "url-newline-in-path",
        mutate("integrations.0.grafana", {**ENTERPRISE, "url": "https://g.example.com/a\nb"}),
        "integrations[0].grafana.url",
    ),
    (
        "url-credentials",
        mutate("integrations.0.grafana.url", "https://admin:secret@example.grafana.net"),
        "integrations[0].grafana.url",
    ),
    (
        "cloud-url-path",
        mutate("integrations.0.grafana.url", "https://example.grafana.net/sub"),
        "integrations[0].grafana.url",
    ),
    (
        "cloud-missing-stack-id",
        mutate("integrations.0.grafana.stack_id", delete=True),
        "integrations[0].grafana.stack_id",
    ),
    (
        "cloud-missing-stack-slug",
        mutate("integrations.0.grafana.stack_slug", delete=True),
        "integrations[0].grafana.stack_slug",
    ),
    (
        "stack-id-string",
        mutate("integrations.0.grafana.stack_id", "123456"),
        "integrations[0].grafana.stack_id",
    ),
    (
        "stack-id-negative",
        mutate("integrations.0.grafana.stack_id", -1),
        "integrations[0].grafana.stack_id",
    ),
    (
        "cloud-org-id",
        mutate("integrations.0.grafana.org_id", 2),
        "integrations[0].grafana.org_id",
    ),
    (
        "enterprise-stack-fields",
        mutate("integrations.0.grafana", {**ENTERPRISE, "stack_id": 1, "stack_slug": "x"}),
        "integrations[0].grafana.stack_id",
    ),
    (
        "enterprise-org-zero",
        mutate("integrations.0.grafana", {**ENTERPRISE, "org_id": 0}),
        "integrations[0].grafana.org_id",
    ),
    (
        "role-bad",
        integration(service_account={"role": "Owner"}),
        "integrations[0].service_account.role",
    ),
    (
        "role-none-without-fixed-roles",
        integration(service_account={"role": "None"}),
        "integrations[0].service_account.fixed_roles",
    ),
    (
        "fixed-role-bad-name",
        integration(service_account={"role": "None", "fixed_roles": ["org.users:writer"]}),
        "integrations[0].service_account.fixed_roles[0]",
    ),
    (
        "fixed-role-duplicate",
        integration(
            service_account={"role": "None", "fixed_roles": ["fixed:teams:writer", "fixed:teams:writer"]}
        ),
        "integrations[0].service_account.fixed_roles",
    ),
    (
        "via-bad",
        integration(service_account={"via": "terraform"}),
        "integrations[0].service_account.via",
    ),
    (
        "cloud-api-on-enterprise",
        integration(grafana=ENTERPRISE, service_account={"via": "cloud_api"}),
        "integrations[0].service_account.via",
    ),
    (
        "token-negative-ttl",
        integration(service_account={"token": {"seconds_to_live": -5}}),
        "integrations[0].service_account.token.seconds_to_live",
    ),
    (
        "rotation-window-too-long",
        integration(
            service_account={
                "token": {"rotation": {"seconds_to_live": 100, "early_rotation_window_seconds": 100}}
            }
        ),
        "integrations[0].service_account.token.rotation",
    ),
    (
        "rotation-missing-window",
        integration(service_account={"token": {"rotation": {"seconds_to_live": 100}}}),
        "integrations[0].service_account.token.rotation.early_rotation_window_seconds",
    ),
    (
        "token-secret-key",
        integration(service_account={"token": {"value": "glsa_123"}}),
        "integrations[0].service_account.token.value",
    ),
    (
        "scim-bool-string",
        mutate("integrations.0.scim.user_sync", "yes please"),
        "integrations[0].scim.user_sync",
    ),
    (
        "push-groups-without-group-sync",
        mutate("integrations.0.scim.group_sync", False),
        "integrations[0].scim.group_sync",
    ),
    (
        "push-group-not-assigned",
        mutate("integrations.0.okta_app.push_groups", ["other"]),
        "integrations[0].okta_app.push_groups[0]",
    ),
    (
        "push-groups-action-off",
        mutate("integrations.0.provisioning.actions.push_groups", False),
        "integrations[0].provisioning.actions.push_groups",
    ),
    (
        "assignment-both-keys",
        mutate("integrations.0.okta_app.assignments", [{"group": "a", "group_id": "00gabc"}]),
        "integrations[0].okta_app.assignments[0]",
    ),
    (
        "assignment-bad-group-id",
        mutate("integrations.0.okta_app.assignments", [{"group_id": "abc"}]),
        "integrations[0].okta_app.assignments[0].group_id",
    ),
    (
        "assignment-negative-priority",
        mutate("integrations.0.okta_app.assignments.0.priority", -1),
        "integrations[0].okta_app.assignments[0].priority",
    ),
    (
        "groups-filter-type",
        mutate("integrations.0.okta_app.groups_filter", {"type": "GLOB", "value": "*"}),
        "integrations[0].okta_app.groups_filter.type",
    ),
    ("label-empty", mutate("integrations.0.okta_app.label", ""), "integrations[0].okta_app.label"),
    (
        "provisioning-mode-bad",
        mutate("integrations.0.provisioning.mode", "auto"),
        "integrations[0].provisioning.mode",
    ),
    (
        "saml-signature-bad",
        integration(saml={"signature_algorithm": "rsa-sha1"}),
        "integrations[0].saml.signature_algorithm",
    ),
    (
        "saml-role-values-without-attribute",
        integration(saml={"role_values": {"admin": ["a"]}, "assertion_attributes": {"groups": None}}),
        "integrations[0].saml.role_values",
    ),
    (
        "adopted-app-assignments-authoritative-missing",
        integration(adopt={"okta_app_id": "0oa1b2c3"}),
        "integrations[0].okta_app.assignments_authoritative",
    ),
    (
        "tile-idp-initiated-without-grafana-saml",
        integration(saml={"configure_grafana": False}, okta_app={"tile": "idp-initiated"}),
        "integrations[0].okta_app.tile",
    ),
    (
        "tile-unknown",
        integration(okta_app={"tile": "visible"}),
        "integrations[0].okta_app.tile",
    ),
    (
        "backend-s3-unencrypted",
        mutate("terraform", {"backend": {"type": "s3", "config": {"bucket": "b", "encrypt": False}}}),
        "terraform.backend.config.encrypt",
    ),
    (
        "two-integrations-manage-saml-on-one-grafana",
        {
            **copy.deepcopy(VALID),
            "integrations": [VALID["integrations"][0], {**VALID["integrations"][0], "name": "staging"}],
        },
        "integrations[1].saml.configure_grafana",
    ),
    (
        "saml-private-key",
        integration(saml={"private_key": "-----BEGIN PRIVATE KEY-----"}),
        "integrations[0].saml.private_key",
    ),
    (
        "adopt-bad-okta-id",
        integration(adopt={"okta_app_id": "abc"}),
        "integrations[0].adopt.okta_app_id",
    ),
    (
        "backend-type-bad",
        mutate("terraform", {"backend": {"type": "consul2", "config": {}}}),
        "terraform.backend.type",
    ),
    (
        "backend-secret",
        mutate("terraform", {"backend": {"type": "s3", "config": {"secret_key": "x"}}}),
        "terraform.backend.config",
    ),
    (
        "backend-shared-by-integrations",
        {
            **mutate("terraform", {"backend": {"type": "s3", "config": {"bucket": "b", "key": "k.tfstate"}}}),
            "integrations": [
                VALID["integrations"][0],
                {**VALID["integrations"][0], "name": "staging", "saml": {"configure_grafana": False}},
            ],
        },
        "terraform.backend.config",
    ),
    (
        "provider-constraint-empty",
        mutate("terraform", {"providers": {"okta": ""}}),
        "terraform.providers.okta",
    ),
]

ALL_CASES = [(case_id, text, field) for case_id, text, field in CASES] + [
    (case_id, yaml.safe_dump(spec, sort_keys=False), field) for case_id, spec, field in SPEC_CASES
]


def test_corpus_is_large_enough() -> None:
    assert len(ALL_CASES) >= 40
    assert len({case_id for case_id, _, _ in ALL_CASES}) == len(ALL_CASES)


def test_valid_base_spec_synthesizes(tmp_path: Path, runner) -> None:
    # GIVEN the unmutated base spec THEN synth succeeds: every failure below is the mutation's.
    spec_file = tmp_path / "scim.yaml"
    spec_file.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    result = runner.invoke(app, ["synth", str(spec_file), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("case_id", "text", "field"), ALL_CASES, ids=[c[0] for c in ALL_CASES])
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, runner, case_id: str, text: str, field: str
) -> None:
    spec_file = tmp_path / "scim.yaml"
    spec_file.write_text(text, encoding="utf-8")
    out = tmp_path / "out"

    result = runner.invoke(app, ["synth", str(spec_file), "-o", str(out)])

    assert result.exit_code == 2, (case_id, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines, "no error printed"
    assert all(line.startswith("error: ") for line in lines), lines
    assert any(field in line for line in lines), (field, lines)
    # one line per problem: each line says what it got and what it expected
    assert all("expected" in line for line in lines), lines
    assert not out.exists(), "nothing may be written on bad input"


def test_several_problems_give_one_line_each(tmp_path: Path, runner) -> None:
    spec = mutate("integrations.0.grafana.url", "http://g.example")
    spec["integrations"][0]["name"] = "Bad Name"
    spec["okta"]["org_name"] = ""
    spec_file = tmp_path / "scim.yaml"
    spec_file.write_text(yaml.safe_dump(spec), encoding="utf-8")

    result = runner.invoke(app, ["synth", str(spec_file), "-o", str(tmp_path / "out")])

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert "integrations[0].grafana.url: got 'http://g.example'; expected an https URL" in result.stderr


def test_yaml_error_names_the_line(tmp_path: Path, runner) -> None:
    spec_file = tmp_path / "scim.yaml"
    spec_file.write_text("version: 1\nokta:\n  org_name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["synth", str(spec_file), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "scim.yaml: got invalid YAML at line" in result.stderr


def test_missing_spec_file(tmp_path: Path, runner) -> None:
    result = runner.invoke(app, ["synth", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "nope.yaml: got a missing file" in result.stderr


def test_spec_and_example_together_is_refused(tmp_path: Path, runner) -> None:
    spec_file = tmp_path / "scim.yaml"
    spec_file.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    result = runner.invoke(app, ["synth", str(spec_file), "--example", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "--example" in result.stderr
