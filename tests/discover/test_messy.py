"""Messy live states, each made by a person's step on the twin after examples/cloud.yaml's
Terraform ran: each gives the right report line or error, and nothing is written on error."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from grafana_okta_scim import load_spec
from tests.twin import consumers

from .conftest import OKTA_TOKEN, Live

UNSPECIFIED = consumers.UNSPECIFIED


@pytest.fixture
def seeded(live: Live) -> tuple[Live, str]:
    ident = live.seed().app_id
    return live, ident


def _diff(result: Any, field: str) -> dict[str, Any]:
    return next(d for d in result.report["differences"] if d["field"] == field)


def _finding(result: Any, kind: str) -> list[str]:
    return [f["text"] for f in result.report["findings"] if f["kind"] == kind]


def test_extra_attribute_statement_is_cosmetic(seeded: tuple[Live, str]) -> None:
    fakes, ident = seeded
    extra = {"type": "EXPRESSION", "name": "department", "namespace": "x", "values": ["user.department"]}
    consumers.update_app(fakes.world, ident, attributeStatements=consumers.statements(extra=[extra]))
    result = fakes.run()
    assert result.code == 0
    assert _diff(result, "attribute_statements[department]")["impact"] == "keeps access"


def test_wrong_acs_url_changes_sign_in(seeded: tuple[Live, str]) -> None:
    fakes, ident = seeded
    consumers.update_app(fakes.world, ident, ssoAcsUrl="https://old.example.com/saml/acs")
    result = fakes.run()
    assert result.code == 0
    found = _diff(result, "sso_url")
    assert (found["live"], found["terraform"], found["impact"]) == (
        "https://old.example.com/saml/acs",
        "https://example.grafana.net/saml/acs",
        "changes sign-in",
    )


def test_missing_user_uid_statement_changes_sign_in(seeded: tuple[Live, str]) -> None:
    fakes, ident = seeded
    consumers.update_app(fakes.world, ident, attributeStatements=consumers.statements(user_uid=False))
    result = fakes.run()
    assert _diff(result, "attribute_statements[userUID]")["impact"] == "changes sign-in"


def test_extra_assigned_group_is_adopted_by_id(seeded: tuple[Live, str]) -> None:
    fakes, ident = seeded
    extra = fakes.okta.add_group("contractors")
    fakes.world.okta_api("PUT", f"/api/v1/apps/{ident}/groups/{extra}", {"priority": 5})
    result = fakes.run()
    assert result.code == 0
    assert any(f"contractors ({extra}) priority 5" in t for t in _finding(result, "adopted"))
    spec = yaml.safe_load((fakes.tmp / "scim.yaml").read_text())["integrations"][0]
    assert {"group_id": extra, "priority": 5} in spec["okta_app"]["assignments"]
    assert spec["adopt"]["okta_group_assignments"][extra] == f"{ident}/{extra}"


def test_directly_assigned_user_is_kept(seeded: tuple[Live, str]) -> None:
    # GIVEN Ann assigned to the app directly, and Bo through the assigned group
    fakes, ident = seeded
    okta = fakes.okta
    ann = okta.add_user("ann@example.com", first_name="Ann", last_name="Example")
    okta.assign_user(ident, ann)
    bo = okta.add_user("bo@example.com", first_name="Bo", last_name="Example")
    okta.add_member(fakes.setup.group_id, bo)
    result = fakes.run()
    assert _finding(result, "kept") == [f"ann@example.com ({ann}) is assigned directly: kept, not managed"]


def test_push_mapping_not_in_use_is_left_alone(seeded: tuple[Live, str]) -> None:
    fakes, ident = seeded
    mapping = fakes.setup.mapping_id
    fakes.world.okta_api(
        "PATCH", f"/api/v1/apps/{ident}/group-push/mappings/{mapping}", {"status": "INACTIVE"}
    )
    result = fakes.run()
    assert result.code == 0
    assert any("INACTIVE: not in use, left alone" in t for t in _finding(result, "not adopted"))


def test_a_hand_set_saml_key_pair_is_announced(seeded: tuple[Live, str]) -> None:
    # GIVEN Grafana signs SAML requests with a key pair set by hand (masked in the API's answer)
    fakes, ident = seeded
    consumers.update_saml(fakes.world, ident, certificate="LS0tLS1CRUdJTg==", private_key="LS0tLS1CRUdJTg==")
    # WHEN discover reads it
    result = fakes.run()
    # THEN the report says the pair must be passed in, and the secret is nowhere in the output
    assert result.code == 0
    assert any("SAML key pair is set in Grafana" in t for t in _finding(result, "differs"))
    assert "LS0tLS1CRUdJTg" not in (fakes.tmp / "scim.yaml").read_text()


def test_no_key_pair_no_key_pair_line(seeded: tuple[Live, str]) -> None:
    fakes, _ = seeded
    result = fakes.run()
    assert not any("SAML key pair" in t for t in _finding(result, "differs"))


def test_no_scim_config_takes_defaults(seeded: tuple[Live, str]) -> None:
    fakes, _ = seeded
    fakes.world.grafana_api(
        "DELETE", f"/apis/scim.grafana.app/v0alpha1/namespaces/{consumers.NAMESPACE}/config/default"
    )
    result = fakes.run()
    assert result.code == 0
    assert any("no SCIM config in namespace stacks-123456" in t for t in _finding(result, "not found"))
    assert (
        "grafana_scim_config"
        not in yaml.safe_load((fakes.tmp / "scim.yaml").read_text())["integrations"][0]["adopt"]
    )


def test_sso_settings_403_needs_a_server_admin(seeded: tuple[Live, str]) -> None:
    # GIVEN a credential without settings:read (an org admin on self-hosted)
    fakes, _ = seeded
    fakes.world.twin.grafana_view(consumers.GRAFANA).sso_status = 403
    result = fakes.run()
    assert result.code == 0
    assert any("not read (403): needs a server admin" in t for t in _finding(result, "not read"))
    assert "not read (403): needs a server admin" in (fakes.tmp / "scim.yaml").read_text()


def test_two_apps_with_the_same_label_is_an_error(seeded: tuple[Live, str]) -> None:
    # GIVEN a second SAML app labelled Grafana (made by hand, or by another Terraform)
    fakes, ident = seeded
    second = fakes.world.okta_api("POST", "/api/v1/apps", consumers.saml_app_body(), activate="true")["id"]
    result = fakes.run()
    assert result.code == 2
    assert "found 2 SAML 2.0 apps with that label" in result.problems[0]
    assert ident in result.problems[0] and second in result.problems[0]
    assert not (fakes.tmp / "scim.yaml").exists()


def test_not_a_saml_app_is_an_error(seeded: tuple[Live, str]) -> None:
    fakes, _ = seeded
    oidc = fakes.okta.add_app("Grafana OIDC", "OPENID_CONNECT")
    result = fakes.run(okta_app=oidc)
    assert result.code == 2 and "expected a SAML 2.0 app" in result.problems[0]


def test_token_without_read_scope_fails_with_1(seeded: tuple[Live, str]) -> None:
    # GIVEN an API token whose admin cannot read apps
    fakes, _ = seeded
    fakes.world.twin.okta_view.forbidden.append(r"^/api/v1/apps")
    result = fakes.run()
    assert result.code == 1
    assert "HTTP 403" in result.problems[0] and OKTA_TOKEN not in result.problems[0]
    assert not (fakes.tmp / "scim.yaml").exists()


def test_existing_file_needs_force(seeded: tuple[Live, str]) -> None:
    fakes, _ = seeded
    (fakes.tmp / "scim.yaml").write_text("keep me\n")
    result = fakes.run()
    assert result.code == 2 and result.problems[0].startswith("-o: ")
    assert (fakes.tmp / "scim.yaml").read_text() == "keep me\n"
    assert fakes.run(force=True).code == 0


def test_bad_flags_name_the_flag(live: Live) -> None:
    fakes = live
    result = fakes.run(grafana="http://example.grafana.net", environ={})
    assert result.code == 2
    assert [p.split(":")[0] for p in result.problems] == ["OKTA_API_TOKEN", "GRAFANA_AUTH"]


def test_rate_limit_is_retried_after_reset(seeded: tuple[Live, str]) -> None:
    from tests.companion.faults import Fault

    fakes, _ = seeded
    fakes.world.okta_faults.add(Fault("GET", r"^/api/v1/apps$", 429, (("X-Rate-Limit-Reset", "1"),)))
    assert fakes.run().code == 0
    assert fakes.methods() == {"GET"}


def test_cli_json_report_and_exit_code(seeded: tuple[Live, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    from .conftest import GRAFANA_TOKEN

    fakes, _ = seeded
    monkeypatch.setenv("OKTA_API_TOKEN", OKTA_TOKEN)
    monkeypatch.setenv("GRAFANA_AUTH", GRAFANA_TOKEN)
    out = fakes.tmp / "cli.yaml"
    result = CliRunner().invoke(
        app,
        [
            "discover",
            "--okta-app",
            "Grafana",
            "--okta-org",
            "example",
            "--grafana",
            "https://example.grafana.net",
            "--stack-id",
            "123456",
            "-o",
            str(out),
            "--json",
            "--grafana-url",
            fakes.grafana_url,
            "--okta-url",
            fakes.okta_url,
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["integration"] == "example" and report["differences"] == []
    assert OKTA_TOKEN not in result.output and GRAFANA_TOKEN not in out.read_text()
    assert load_spec(out).integrations[0].adopt.grafana_sso_settings == "saml"


def test_import_caused_updates_are_their_own_class(seeded: tuple[Live, str]) -> None:
    """Attributes the pinned providers' importers leave unset although the configuration sets
    them: reported apart from the live differences, never as a difference."""
    fakes, _ = seeded
    result = fakes.run()
    assert result.code == 0 and result.report["differences"] == []
    rows = {(u["object"], u["key"], u["field"]): u for u in result.report["import_updates"]}
    assert set(rows) == {
        ("okta_app", "", "skip_authentication_policy"),
        ("okta_push", "grafana-users", "delete_target_group_on_destroy"),
    }
    assert (
        rows[("okta_app", "", "skip_authentication_policy")]["impact"]
        == "update on first apply, no effect on access"
    )
    # the name is not read back either, but the configuration ignores its changes: no replacement
    assert not any(u["field"] == "target_group_name" for u in result.report["import_updates"])
    assert not any(u["field"] == "retain_assignment" for u in result.report["import_updates"])


def test_import_updates_in_the_table(seeded: tuple[Live, str]) -> None:
    import io

    from grafana_okta_scim.cli.discover import render_table

    fakes, _ = seeded
    result = fakes.run()
    stream = io.StringIO()
    render_table(result.report, stream, width=400)
    text = stream.getvalue()
    assert "changed by the imports alone" in text and "skip_authentication_policy" in text
