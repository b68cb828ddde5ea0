"""Messy live states: each gives the right report line or error, and nothing is written on error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from grafana_okta_scim import build, load_spec

from .conftest import OKTA_TOKEN, Fakes
from .seed import seed_grafana, seed_okta

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cloud.yaml"


@pytest.fixture
def seeded(fakes: Fakes) -> tuple[Fakes, str]:
    spec = load_spec(EXAMPLE)
    doc = build(spec, "cloud.yaml")["prod"]
    ident = seed_okta(fakes.okta, doc, spec.integration("prod"))
    seed_grafana(fakes.grafana, doc, spec.integration("prod"), ident)
    return fakes, ident


def _sign_on(fakes: Fakes, ident: str) -> dict[str, Any]:
    return fakes.okta.apps[ident]["settings"]["signOn"]


def _diff(result: Any, field: str) -> dict[str, Any]:
    return next(d for d in result.report["differences"] if d["field"] == field)


def _finding(result: Any, kind: str) -> list[str]:
    return [f["text"] for f in result.report["findings"] if f["kind"] == kind]


def test_extra_attribute_statement_is_cosmetic(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    _sign_on(fakes, ident)["attributeStatements"].append(
        {"type": "EXPRESSION", "name": "department", "namespace": "x", "values": ["user.department"]}
    )
    result = fakes.run()
    assert result.code == 0
    assert _diff(result, "attribute_statements[department]")["impact"] == "keeps access"


def test_wrong_acs_url_changes_sign_in(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    _sign_on(fakes, ident)["ssoAcsUrl"] = "https://old.example.com/saml/acs"
    result = fakes.run()
    assert result.code == 0
    found = _diff(result, "sso_url")
    assert (found["live"], found["terraform"], found["impact"]) == (
        "https://old.example.com/saml/acs",
        "https://example.grafana.net/saml/acs",
        "changes sign-in",
    )


def test_missing_user_uid_statement_changes_sign_in(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    statements = _sign_on(fakes, ident)["attributeStatements"]
    statements[:] = [s for s in statements if s["name"] != "userUID"]
    result = fakes.run()
    assert _diff(result, "attribute_statements[userUID]")["impact"] == "changes sign-in"


def test_extra_assigned_group_is_adopted_by_id(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    fakes.okta.groups.append(
        {"id": "00gextra000000000000", "type": "OKTA_GROUP", "profile": {"name": "contractors"}}
    )
    fakes.okta.app_groups[ident].append({"id": "00gextra000000000000", "priority": 5})
    result = fakes.run()
    assert result.code == 0
    assert any("contractors (00gextra000000000000) priority 5" in t for t in _finding(result, "adopted"))
    spec = yaml.safe_load((fakes.tmp / "scim.yaml").read_text())["integrations"][0]
    assert {"group_id": "00gextra000000000000", "priority": 5} in spec["okta_app"]["assignments"]
    assert spec["adopt"]["okta_group_assignments"]["00gextra000000000000"] == f"{ident}/00gextra000000000000"


def test_directly_assigned_user_is_kept(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    fakes.okta.app_users[ident] = [
        {"id": "00u1", "scope": "USER", "status": "ACTIVE", "credentials": {"userName": "ann@example.com"}},
        {"id": "00u2", "scope": "GROUP", "credentials": {"userName": "bo"}},
    ]
    result = fakes.run()
    assert _finding(result, "kept") == ["ann@example.com (00u1) is assigned directly: kept, not managed"]


def test_push_mapping_not_in_use_is_left_alone(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    fakes.okta.mappings[ident][0]["status"] = "INACTIVE"
    result = fakes.run()
    assert result.code == 0
    assert any("INACTIVE: not in use, left alone" in t for t in _finding(result, "not adopted"))


def test_a_hand_set_saml_key_pair_is_announced(seeded: tuple[Fakes, str]) -> None:
    # GIVEN Grafana signs SAML requests with a key pair set by hand (masked in the API's answer)
    fakes, _ = seeded
    assert fakes.grafana.sso is not None
    fakes.grafana.sso.update(certificate="LS0tLS1CRUdJTg==", privateKey="LS0tLS1CRUdJTg==")
    # WHEN discover reads it
    result = fakes.run()
    # THEN the report says the pair must be passed in, and the secret is nowhere in the output
    assert result.code == 0
    assert any("SAML key pair is set in Grafana" in t for t in _finding(result, "differs"))
    assert "LS0tLS1CRUdJTg" not in (fakes.tmp / "scim.yaml").read_text()


def test_no_key_pair_no_key_pair_line(seeded: tuple[Fakes, str]) -> None:
    fakes, _ = seeded
    result = fakes.run()
    assert not any("SAML key pair" in t for t in _finding(result, "differs"))


def test_no_scim_config_takes_defaults(seeded: tuple[Fakes, str]) -> None:
    fakes, _ = seeded
    fakes.grafana.scim.clear()
    result = fakes.run()
    assert result.code == 0
    assert any("no SCIM config in namespace stacks-123456" in t for t in _finding(result, "not found"))
    assert (
        "grafana_scim_config"
        not in yaml.safe_load((fakes.tmp / "scim.yaml").read_text())["integrations"][0]["adopt"]
    )


def test_sso_settings_403_needs_a_server_admin(seeded: tuple[Fakes, str]) -> None:
    fakes, _ = seeded
    fakes.grafana.sso_status = 403
    result = fakes.run()
    assert result.code == 0
    assert any("not read (403): needs a server admin" in t for t in _finding(result, "not read"))
    assert "not read (403): needs a server admin" in (fakes.tmp / "scim.yaml").read_text()


def test_two_apps_with_the_same_label_is_an_error(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    twin = dict(fakes.okta.apps[ident], id="0oatwin0000000000000")
    fakes.okta.apps[twin["id"]] = twin
    result = fakes.run()
    assert result.code == 2
    assert "found 2 SAML 2.0 apps with that label" in result.problems[0]
    assert ident in result.problems[0] and "0oatwin0000000000000" in result.problems[0]
    assert not (fakes.tmp / "scim.yaml").exists()


def test_not_a_saml_app_is_an_error(seeded: tuple[Fakes, str]) -> None:
    fakes, ident = seeded
    fakes.okta.apps[ident]["signOnMode"] = "OPENID_CONNECT"
    result = fakes.run(okta_app=ident)
    assert result.code == 2 and "expected a SAML 2.0 app" in result.problems[0]


def test_token_without_read_scope_fails_with_1(seeded: tuple[Fakes, str]) -> None:
    fakes, _ = seeded
    fakes.okta.forbidden.append(r"^/api/v1/apps")
    result = fakes.run()
    assert result.code == 1
    assert "HTTP 403" in result.problems[0] and OKTA_TOKEN not in result.problems[0]
    assert not (fakes.tmp / "scim.yaml").exists()


def test_existing_file_needs_force(seeded: tuple[Fakes, str]) -> None:
    fakes, _ = seeded
    (fakes.tmp / "scim.yaml").write_text("keep me\n")
    result = fakes.run()
    assert result.code == 2 and result.problems[0].startswith("-o: ")
    assert (fakes.tmp / "scim.yaml").read_text() == "keep me\n"
    assert fakes.run(force=True).code == 0


def test_bad_flags_name_the_flag(fakes: Fakes) -> None:
    result = fakes.run(grafana="http://example.grafana.net", environ={})
    assert result.code == 2
    assert [p.split(":")[0] for p in result.problems] == ["OKTA_API_TOKEN", "GRAFANA_AUTH"]


def test_rate_limit_is_retried_after_reset(seeded: tuple[Fakes, str]) -> None:
    from tests.companion.faults import Fault

    fakes, _ = seeded
    fakes.okta_app.faults.add(Fault("GET", r"^/api/v1/apps$", 429, (("X-Rate-Limit-Reset", "1"),)))
    assert fakes.run().code == 0
    assert fakes.methods() == {"GET"}


def test_cli_json_report_and_exit_code(seeded: tuple[Fakes, str], monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_import_caused_updates_are_their_own_class(seeded: tuple[Fakes, str]) -> None:
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


def test_import_updates_in_the_table(seeded: tuple[Fakes, str]) -> None:
    import io

    from grafana_okta_scim.discover.command import render_table

    fakes, _ = seeded
    result = fakes.run()
    stream = io.StringIO()
    render_table(result.report, stream, width=400)
    text = stream.getvalue()
    assert "changed by the imports alone" in text and "skip_authentication_policy" in text
