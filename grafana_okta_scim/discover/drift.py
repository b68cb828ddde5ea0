"""`verify --drift`: the live Okta app, assignments, push mappings, Grafana SSO and SCIM settings
against what the plan sets in the integration's phase, as verify checks named
`drift.<object>.<field>` with result `drift` (GET requests only, verify's HTTP layer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ..document import TerraformDocument
from ..spec import Integration
from ..verify.http import HttpSettings
from ..verify.model import Check
from ..verify.redact import Redactor
from .compare import compare
from .live import ApiFailure, BadInput, Reader, authorization, read_grafana, read_okta

OKTA_TOKEN_ENV = "OKTA_API_TOKEN"
GRAFANA_AUTH_ENV = "GRAFANA_AUTH"


def drift_checks(
    doc: TerraformDocument,
    integration: Integration,
    *,
    okta_url: str,
    grafana_url: str,
    phase: int,
    environ: Mapping[str, str],
    http: HttpSettings | None = None,
    sleep: Callable[[float], None] | None = None,
) -> list[Check]:
    """One `drift.<object>.<field>` check per difference, `drift` (pass) when there is none;
    skipped without OKTA_API_TOKEN, failed when the live objects cannot be read."""
    okta_token = environ.get(OKTA_TOKEN_ENV) or ""
    grafana_auth = environ.get(GRAFANA_AUTH_ENV) or ""
    if not okta_token:
        return [Check("drift", "skip", f"{OKTA_TOKEN_ENV} is not set; drift needs admin reads")]
    redact = Redactor([okta_token, grafana_auth])
    settings = http or HttpSettings()
    app = integration.adopt.okta_app_id or integration.okta_app.label
    okta = Reader(okta_url, f"SSWS {okta_token}", settings, redact, "Okta", sleep=sleep)
    org = integration.grafana.effective_org_id
    grafana = (
        Reader(
            grafana_url,
            authorization(grafana_auth),
            settings,
            redact,
            "Grafana",
            headers={"X-Grafana-Org-Id": str(org)} if org != 1 else None,
            sleep=sleep,
        )
        if grafana_auth
        else None
    )
    try:
        okta_state = read_okta(okta, app)
        grafana_state = (
            read_grafana(grafana, doc.facts.scim_namespace, integration.service_account.name)
            if grafana
            else None
        )
    except (ApiFailure, BadInput) as exc:
        return [Check("drift", "fail", str(exc), "check the credentials and the app (GET only).")]
    finally:
        okta.close()
        if grafana:
            grafana.close()
    checks = [
        Check(f"drift.{d.object}.{d.field}", "drift", d.text, d.impact)
        for d in compare(doc, integration, okta_state, grafana_state, phase)
    ]
    if phase >= 2 and not okta_state.app.get("features"):
        checks.append(
            Check(
                "drift.okta_app.provisioning",
                "drift",
                "the app lists no provisioning "
                f"features in phase {phase}: provisioning was switched off (an okta_app_saml "
                "update is a full PUT of the app and can do this: okta provider issue #655)",
                "removes access",
            )
        )
    if grafana is None:
        checks.append(
            Check(
                "drift.grafana",
                "skip",
                f"{GRAFANA_AUTH_ENV} is not set; Grafana's SSO and SCIM settings not compared",
            )
        )
    return checks or [Check("drift", "pass", f"live setup matches the plan in phase {phase}")]


def drift_phase(
    doc: TerraformDocument, flag: int | None, terraform_dir: Path | None, binary: str = "terraform"
) -> tuple[int, Check | None]:
    """The phase drift compares against, resolved as verify resolves it: `--phase`, else the
    `phase` output of `--terraform-dir`, else the latest the spec allows; plus a `drift.phase`
    note when the output could not be read."""
    from ..verify.credentials import CredentialError, phase_output, terraform_json
    from ..verify.phase import resolve_phase

    output: int | None = None
    note: Check | None = None
    if flag is None and terraform_dir is not None:
        try:
            output = phase_output(terraform_json(terraform_dir, ["output", "-json"], Redactor(), binary))
        except CredentialError as exc:
            note = Check(
                "drift.phase",
                "skip",
                f"phase output not read ({exc}); comparing against "
                f"phase {doc.facts.last_phase}, the latest the spec allows",
            )
    return resolve_phase(doc.facts, flag, output).number, note


def verify_drift(
    spec_path: Path | None,
    example: bool,
    name: str,
    *,
    grafana_url: str | None,
    okta_url: str | None,
    phase: int | None,
    terraform_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    terraform_binary: str = "terraform",
) -> list[Check]:
    """The drift checks for `verify --drift`: the spec's integration `name`, its URLs (or the
    --grafana-url / --okta-url overrides) and its phase as verify takes it (`--phase`, else the
    `phase` output read from `--terraform-dir`, else the latest the spec allows)."""
    import os

    from ..loader import example_spec, load_spec
    from ..synth import build
    from ..verify.target import _checked

    spec = example_spec() if example or spec_path is None else load_spec(spec_path)
    integration = spec.integration(name)
    doc = build(spec, "spec.yaml")[name]
    number, note = drift_phase(doc, phase, terraform_dir, terraform_binary)
    checks = drift_checks(
        doc,
        integration,
        okta_url=doc.facts.okta_org_url if okta_url is None else _checked("--okta-url", okta_url),
        grafana_url=doc.facts.grafana_url if grafana_url is None else _checked("--grafana-url", grafana_url),
        phase=number,
        environ=dict(os.environ) if environ is None else environ,
    )
    return [note, *checks] if note is not None else checks
