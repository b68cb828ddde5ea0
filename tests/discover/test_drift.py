"""verify --drift's checks: live values against the plan, field by field."""

from __future__ import annotations

from pathlib import Path

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.discover.drift import drift_checks
from grafana_okta_scim.live import HttpSettings, RetryPolicy
from grafana_okta_scim.verify.model import Report
from tests.twin import consumers

from .conftest import GRAFANA_TOKEN, OKTA_TOKEN, Live

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cloud.yaml"


def _drift(fakes: Live, phase: int = 2) -> tuple[list, str]:
    spec = load_spec(EXAMPLE)
    doc = build(spec, "cloud.yaml")["prod"]
    integration = spec.integration("prod")
    if fakes.setup is None:
        fakes.seed()
    settings = HttpSettings(timeout=2.0, retry=RetryPolicy(attempts=2, backoff=0.01, max_wait=1.0))
    checks = drift_checks(
        doc,
        integration,
        okta_url=fakes.okta_url,
        grafana_url=fakes.grafana_url,
        phase=phase,
        http=settings,
        sleep=lambda _s: None,
        environ={"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_TOKEN},
    )
    return checks, fakes.app_id


def test_no_drift_passes(live: Live) -> None:
    fakes = live
    checks, _ = _drift(fakes)
    assert [(c.name, c.result) for c in checks] == [("drift", "pass")]
    assert fakes.methods() == {"GET"}


def test_each_drifted_field_is_a_check_and_fails_the_report(live: Live) -> None:
    fakes = live
    _, ident = _drift(fakes)
    # GIVEN a full PUT of the app showing the Okta tile, which (okta provider issue #655, older
    # releases) switched provisioning off; sign-up on in Grafana; group sync off
    fakes.okta.put_resets_provisioning = True
    consumers.update_app(fakes.world, ident, hide_web=False)
    consumers.update_saml(fakes.world, ident, allow_sign_up=True)
    consumers.update_scim_config(fakes.world, enableGroupSync=False)
    checks, _ = _drift(fakes)
    names = {c.name: c for c in checks}
    assert {
        "drift.okta_app.hide_web",
        "drift.okta_app.provisioning",
        "drift.grafana_sso.allow_sign_up",
        "drift.grafana_scim.enable_group_sync",
    } <= set(names)
    assert all(c.result == "drift" for c in checks)
    assert names["drift.grafana_sso.allow_sign_up"].hint == "changes sign-in"
    report = Report("prod", checks)
    assert not report.ok and report.to_json()["checks"][0]["result"] == "drift"


def test_push_mapping_missing_in_phase_2(live: Live) -> None:
    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.setup.mapping_id)
    checks, _ = _drift(fakes)
    assert [c.name for c in checks] == ["drift.okta_push.grafana-users"]
    checks, _ = _drift(fakes, phase=1)
    assert [c.result for c in checks] == ["pass"]


def test_verify_drift_option_adds_the_checks(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    fakes = live
    _, ident = _drift(fakes)
    consumers.update_app(fakes.world, ident, audience="https://old.example.com")
    monkeypatch.setenv("OKTA_API_TOKEN", OKTA_TOKEN)
    monkeypatch.setenv("GRAFANA_AUTH", GRAFANA_TOKEN)
    monkeypatch.delenv("GRAFANA_SCIM_TOKEN", raising=False)
    spec = fakes.tmp / "spec.yaml"
    spec.write_text(
        EXAMPLE.read_text().replace(
            "label: Grafana", "label: Grafana\n      assignments_authoritative: true"
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        [
            "verify",
            str(EXAMPLE),
            "--drift",
            "--json",
            "--phase",
            "2",
            "--grafana-url",
            fakes.grafana_url,
            "--okta-url",
            fakes.okta_url,
        ],
    )
    report = json.loads(result.stdout)
    drifted = [c["name"] for c in report["checks"] if c["result"] == "drift"]
    assert drifted == ["drift.okta_app.audience"]
    assert result.exit_code == 1 and report["ok"] is False


def _fake_terraform(tmp: Path, outputs: dict) -> str:  # type: ignore[type-arg]
    """A `terraform` stand-in answering `output -json` (and `state pull`)."""
    import json

    (tmp / "outputs.json").write_text(json.dumps(outputs))
    script = tmp / "terraform"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = output ]; then cat {tmp}/outputs.json; '
        'else echo \'{"version": 4, "resources": []}\'; fi\n'
    )
    script.chmod(0o755)
    return str(script)


def test_drift_takes_the_phase_output_of_the_terraform_dir(live: Live) -> None:
    """No --phase: the `phase` output read from --terraform-dir, like verify; --phase wins."""
    from grafana_okta_scim.discover.drift import verify_drift

    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.setup.mapping_id)  # drift in phase 2 only
    environ = {"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_TOKEN}
    kwargs = dict(
        grafana_url=fakes.grafana_url, okta_url=fakes.okta_url, environ=environ, terraform_dir=fakes.tmp
    )
    binary = _fake_terraform(fakes.tmp, {"phase": {"value": 1, "type": "number"}})
    checks = verify_drift(EXAMPLE, False, "prod", phase=None, terraform_binary=binary, **kwargs)
    assert [(c.name, c.result) for c in checks] == [("drift", "pass")]
    assert "phase 1" in checks[0].detail
    checks = verify_drift(EXAMPLE, False, "prod", phase=2, terraform_binary=binary, **kwargs)
    assert [c.name for c in checks] == ["drift.okta_push.grafana-users"]
    binary = _fake_terraform(fakes.tmp, {"phase": {"value": 2, "type": "number"}})
    checks = verify_drift(EXAMPLE, False, "prod", phase=None, terraform_binary=binary, **kwargs)
    assert [c.name for c in checks] == ["drift.okta_push.grafana-users"]


def test_drift_without_a_readable_phase_output_says_so(live: Live) -> None:
    from grafana_okta_scim.discover.drift import verify_drift

    fakes = live
    _drift(fakes)
    environ = {"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_TOKEN}
    checks = verify_drift(
        EXAMPLE,
        False,
        "prod",
        phase=None,
        grafana_url=fakes.grafana_url,
        okta_url=fakes.okta_url,
        environ=environ,
        terraform_dir=fakes.tmp,
        terraform_binary=str(fakes.tmp / "no-terraform"),
    )
    assert [(c.name, c.result) for c in checks] == [("drift.phase", "skip"), ("drift", "pass")]
    assert "phase 2, the latest" in checks[0].detail


def test_verify_cli_drift_reads_the_phase_from_terraform_dir(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`verify --drift --terraform-dir D` (no --phase): the phase output of D, for both verify
    and the drift checks."""
    import json
    import os

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.setup.mapping_id)
    bin_dir = fakes.tmp / "bin"
    bin_dir.mkdir()
    _fake_terraform(
        bin_dir,
        {
            "phase": {"value": 1, "type": "number"},
            "grafana_scim_token": {"value": "glsa_x", "type": "string"},
        },
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("OKTA_API_TOKEN", OKTA_TOKEN)
    monkeypatch.setenv("GRAFANA_AUTH", GRAFANA_TOKEN)
    result = CliRunner().invoke(
        app,
        [
            "verify",
            str(EXAMPLE),
            "--drift",
            "--json",
            "--terraform-dir",
            str(fakes.tmp),
            "--grafana-url",
            fakes.grafana_url,
            "--okta-url",
            fakes.okta_url,
        ],
    )
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert "phase 1" in checks["verify.phase"]["detail"]
    assert checks["drift"]["result"] == "pass" and "phase 1" in checks["drift"]["detail"]
    assert not any(name.startswith("drift.okta_push") for name in checks)
