"""verify --drift's checks: live values against the plan, field by field."""

from __future__ import annotations

from pathlib import Path

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.discover.drift import drift_checks
from grafana_okta_scim.live import HttpSettings, RetryPolicy
from grafana_okta_scim.synth import IntegrationPlan
from grafana_okta_scim.verify.model import Check, Report
from tests.twin import consumers

from .conftest import GRAFANA_TOKEN, OKTA_TOKEN, Live

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cloud.yaml"


def _drift(fakes: Live, phase: int = 2) -> tuple[list, str]:
    spec = load_spec(EXAMPLE)
    doc = build(spec, "cloud.yaml")["prod"]
    integration = spec.integration("prod")
    if fakes.setup is None:
        fakes.seed()
    settings = HttpSettings(timeout=10.0, retry=RetryPolicy(attempts=2, backoff=0.01, max_wait=1.0))
    checks = drift_checks(
        IntegrationPlan.of(doc),
        integration,
        phase,
        okta_url=fakes.okta_url,
        grafana_url=fakes.grafana_url,
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
    report = Report("prod", [Check(c.name, c.result, c.detail, c.hint) for c in checks])
    assert not report.ok and report.to_json()["checks"][0]["result"] == "drift"


def test_push_mapping_missing_in_phase_2(live: Live) -> None:
    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.mapping_id)
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


def _verify_drift(fakes: Live, monkeypatch, outputs: dict | None, *flags: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def,type-arg]
    """`verify --drift --terraform-dir` with a stand-in `terraform` on PATH answering `outputs`
    (None: a terraform that fails); the drift checks as (name, result, detail)."""
    import json
    import os

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    bin_dir = fakes.tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    if outputs is None:
        (bin_dir / "terraform").write_text("#!/bin/sh\necho 'Error: no state' >&2\nexit 1\n")
        (bin_dir / "terraform").chmod(0o755)
    else:
        _fake_terraform(bin_dir, outputs)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("OKTA_API_TOKEN", OKTA_TOKEN)
    monkeypatch.setenv("GRAFANA_AUTH", GRAFANA_TOKEN)
    args = ["verify", str(EXAMPLE), "--drift", "--json", "--terraform-dir", str(fakes.tmp), *flags]
    args += ["--grafana-url", fakes.grafana_url, "--okta-url", fakes.okta_url]
    report = json.loads(CliRunner().invoke(app, args).stdout)
    return [(c["name"], c["result"], c["detail"]) for c in report["checks"] if c["name"].startswith("drift")]


def test_drift_takes_the_phase_output_of_the_terraform_dir(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No --phase: the `phase` output read from --terraform-dir, like verify; --phase wins."""
    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.mapping_id)  # drift in phase 2 only
    phase_1 = {"phase": {"value": 1, "type": "number"}}
    checks = _verify_drift(fakes, monkeypatch, phase_1)
    assert [(name, result) for name, result, _ in checks] == [("drift", "pass")]
    assert "phase 1" in checks[0][2]
    checks = _verify_drift(fakes, monkeypatch, phase_1, "--phase", "2")
    assert [name for name, _, _ in checks] == ["drift.okta_push.grafana-users"]
    checks = _verify_drift(fakes, monkeypatch, {"phase": {"value": 2, "type": "number"}})
    assert [name for name, _, _ in checks] == ["drift.okta_push.grafana-users"]


def test_drift_without_a_readable_phase_output_says_so(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fakes = live
    _drift(fakes)
    checks = _verify_drift(fakes, monkeypatch, None)
    assert [(name, result) for name, result, _ in checks] == [("drift.phase", "skip"), ("drift", "pass")]
    assert "phase 2, the latest" in checks[0][2]


def test_verify_cli_drift_reads_the_phase_from_terraform_dir(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`verify --drift --terraform-dir D` (no --phase): the phase output of D, for both verify
    and the drift checks."""
    import json
    import os

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app

    fakes = live
    _, ident = _drift(fakes)
    consumers.unpush(fakes.world, ident, fakes.mapping_id)
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
