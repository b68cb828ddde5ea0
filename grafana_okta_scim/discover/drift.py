"""`verify --drift`: the live Okta app, assignments, push mappings, Grafana SSO and SCIM settings
against what the plan sets in the integration's phase, as checks named `drift.<object>.<field>`
with result `drift` (GET requests only, through the live-API layer).

The plan and the phase are the ones `verify` already has (cli/companion.py passes them); the
results are DriftCheck records, which the CLI adds to verify's report (verify and discover never
import each other).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from ..facts import phase_expects
from ..live import (
    GRAFANA_AUTH_ENV,
    OKTA_TOKEN_ENV,
    GrafanaClient,
    HttpSettings,
    OktaClient,
    Redactor,
)
from ..spec import Integration
from ..synth import IntegrationPlan
from .compare import compare
from .live import ApiFailure, BadInput, read_grafana, read_okta


@dataclass(frozen=True)
class DriftCheck:
    """One drift result, shaped like a verify check: name, result, detail, hint."""

    name: str
    result: Literal["pass", "fail", "skip", "drift"]
    detail: str
    hint: str = ""


def phase_unread(why: str, latest: int) -> DriftCheck:
    """The `drift.phase` note: the phase output could not be read, so the latest phase is used."""
    return DriftCheck(
        "drift.phase",
        "skip",
        f"phase output not read ({why}); comparing against phase {latest}, the latest the spec allows",
    )


def drift_checks(
    plan: IntegrationPlan,
    integration: Integration,
    phase: int,
    *,
    okta_url: str,
    grafana_url: str,
    environ: Mapping[str, str],
    http: HttpSettings | None = None,
    sleep: Callable[[float], None] | None = None,
) -> list[DriftCheck]:
    """One `drift.<object>.<field>` check per difference, `drift` (pass) when there is none;
    skipped without OKTA_API_TOKEN, failed when the live objects cannot be read."""
    okta_token = environ.get(OKTA_TOKEN_ENV) or ""
    grafana_auth = environ.get(GRAFANA_AUTH_ENV) or ""
    if not okta_token:
        return [DriftCheck("drift", "skip", f"{OKTA_TOKEN_ENV} is not set; drift needs admin reads")]
    facts = plan.facts
    redact = Redactor([okta_token, grafana_auth])
    settings = http or HttpSettings()
    okta = OktaClient.open(okta_url, okta_token, settings, redact, sleep=sleep)
    org = facts.org_id
    grafana = (
        GrafanaClient.open(
            grafana_url, grafana_auth, settings, redact, org_id=None if org == 1 else org, sleep=sleep
        )
        if grafana_auth
        else None
    )
    try:
        okta_state = read_okta(okta, facts.adopted_okta_app_id or facts.okta_app_label)
        grafana_state = (
            read_grafana(grafana, facts.scim_namespace, facts.service_account_name) if grafana else None
        )
    except (ApiFailure, BadInput) as exc:
        return [DriftCheck("drift", "fail", str(exc), "check the credentials and the app (GET only).")]
    finally:
        okta.close()
        if grafana:
            grafana.close()
    checks = [
        DriftCheck(f"drift.{d.object}.{d.field}", "drift", d.text, d.impact)
        for d in compare(plan.document, integration, okta_state, grafana_state, phase)
    ]
    if phase_expects(phase).provisioning and not okta_state.app.get("features"):
        checks.append(
            DriftCheck(
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
            DriftCheck(
                "drift.grafana",
                "skip",
                f"{GRAFANA_AUTH_ENV} is not set; Grafana's SSO and SCIM settings not compared",
            )
        )
    return checks or [DriftCheck("drift", "pass", f"live setup matches the plan in phase {phase}")]
