"""verify --drift's checks: live values against the plan, field by field."""

from __future__ import annotations

from pathlib import Path

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.discover.drift import drift_checks
from grafana_okta_scim.verify.http import HttpSettings, RetryPolicy
from grafana_okta_scim.verify.model import Report

from .conftest import GRAFANA_TOKEN, OKTA_TOKEN, Fakes
from .seed import seed_grafana, seed_okta

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cloud.yaml"


def _drift(fakes: Fakes, phase: int = 2) -> tuple[list, str]:
    spec = load_spec(EXAMPLE)
    doc = build(spec, "cloud.yaml")["prod"]
    integration = spec.integration("prod")
    if not fakes.okta.apps:
        ident = seed_okta(fakes.okta, doc, integration)
        seed_grafana(fakes.grafana, doc, integration, ident)
    settings = HttpSettings(timeout=2.0, retry=RetryPolicy(attempts=2, backoff=0.01, max_wait=1.0))
    checks = drift_checks(doc, integration, okta_url=fakes.okta_url, grafana_url=fakes.grafana_url,
                          phase=phase, http=settings, sleep=lambda _s: None,
                          environ={"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_TOKEN})
    return checks, next(iter(fakes.okta.apps))


def test_no_drift_passes(fakes: Fakes) -> None:
    checks, _ = _drift(fakes)
    assert [(c.name, c.result) for c in checks] == [("drift", "pass")]
    assert fakes.methods() == {"GET"}


def test_each_drifted_field_is_a_check_and_fails_the_report(fakes: Fakes) -> None:
    _, ident = _drift(fakes)
    fakes.okta.apps[ident]["visibility"]["hide"]["web"] = False
    fakes.okta.apps[ident]["features"] = []
    fakes.grafana.sso["allowSignUp"] = True
    fakes.grafana.scim["stacks-123456"]["enableGroupSync"] = False
    checks, _ = _drift(fakes)
    names = {c.name: c for c in checks}
    assert {"drift.okta_app.hide_web", "drift.okta_app.provisioning", "drift.grafana_sso.allow_sign_up",
            "drift.grafana_scim.enable_group_sync"} <= set(names)
    assert all(c.result == "drift" for c in checks)
    assert names["drift.grafana_sso.allow_sign_up"].hint == "changes sign-in"
    report = Report("prod", checks)
    assert not report.ok and report.to_json()["checks"][0]["result"] == "drift"


def test_push_mapping_missing_in_phase_2(fakes: Fakes) -> None:
    _, ident = _drift(fakes)
    fakes.okta.mappings[ident].clear()
    checks, _ = _drift(fakes)
    assert [c.name for c in checks] == ["drift.okta_push.grafana-users"]
    checks, _ = _drift(fakes, phase=1)
    assert [c.result for c in checks] == ["pass"]


def test_verify_drift_option_adds_the_checks(fakes: Fakes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    _, ident = _drift(fakes)
    fakes.okta.apps[ident]["settings"]["signOn"]["audience"] = "https://old.example.com"
    monkeypatch.setenv("OKTA_API_TOKEN", OKTA_TOKEN)
    monkeypatch.setenv("GRAFANA_AUTH", GRAFANA_TOKEN)
    monkeypatch.delenv("GRAFANA_SCIM_TOKEN", raising=False)
    spec = fakes.tmp / "spec.yaml"
    spec.write_text(EXAMPLE.read_text().replace("label: Grafana", "label: Grafana\n      "
                                                "assignments_authoritative: true"), encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(EXAMPLE), "--drift", "--json", "--phase", "2",
                                      "--grafana-url", fakes.grafana_url, "--okta-url", fakes.okta_url])
    report = json.loads(result.stdout)
    drifted = [c["name"] for c in report["checks"] if c["result"] == "drift"]
    assert drifted == ["drift.okta_app.audience"]
    assert result.exit_code == 1 and report["ok"] is False
