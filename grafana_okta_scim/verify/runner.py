"""One verify run: resolve URLs and tokens, run the SCIM and Okta checks, collect a report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..facts import Facts
from ..synth import IntegrationPlan
from .credentials import (
    GRAFANA_TOKEN_ENV,
    OKTA_TOKEN_ENV,
    CredentialError,
    expiry_days,
    from_terraform,
)
from .diagnosis import ScimContext
from .http import HttpClient, HttpSettings
from .model import Check, Report
from .okta_checks import OktaChecks
from .phase import PHASES, resolve_phase
from .redact import Redactor
from .registry import names
from .scim_api import ScimApi
from .scim_checks import ScimChecks
from .target import UsageError, resolve_target

OKTA_CHECKS = names("okta")
SCIM_CHECKS = names("scim")
WRITE_CHECKS = names("write")


@dataclass
class VerifyOptions:
    """What the command line passes; defaults are the command's defaults."""

    grafana_url: str | None = None
    okta_url: str | None = None
    terraform_dir: Path | None = None
    write_test: bool = False
    http: HttpSettings = field(default_factory=HttpSettings)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    terraform_binary: str = "terraform"
    expiry_warning_days: float = 14.0
    sleep: Callable[[float], None] | None = None
    phase: int | None = None
    notice: Callable[[str], None] = field(default=lambda text: _to_stderr(text))


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def verify(plan: IntegrationPlan, options: VerifyOptions) -> Report:
    """Every check of one integration (UsageError from target.py for bad URLs, or a --phase
    the spec does not have)."""
    facts = plan.facts
    target = resolve_target(facts, options.grafana_url, options.okta_url)
    _check_phase_flag(facts, options.phase)
    redact = Redactor()
    report = Report(facts.integration_name)
    okta_token = options.environ.get(OKTA_TOKEN_ENV) or None
    redact.add(okta_token)
    grafana_token, app_id, phase_output = _grafana_token(facts, options, redact, report)
    phase = resolve_phase(facts, options.phase, phase_output)
    report.checks.insert(0, phase.check())
    app_id = app_id or facts.adopted_okta_app_id
    if grafana_token:
        report.extend(_scim(facts, options, redact, target.scim_base_url, grafana_token))
    else:
        names = SCIM_CHECKS + (WRITE_CHECKS if options.write_test else ())
        report.extend([Check(n, "skip", "skipped: no Grafana token") for n in names])
    if okta_token:
        with _client(target.okta_url, f"SSWS {okta_token}", options, redact) as http:
            report.extend(OktaChecks(http, facts, app_id, phase).run())
    else:
        report.extend([Check(n, "skip", f"{OKTA_TOKEN_ENV} is not set") for n in OKTA_CHECKS])
    return report


def _check_phase_flag(facts: Facts, flag: int | None) -> None:
    if flag is None:
        return
    latest = facts.last_phase
    if flag not in PHASES or flag > latest:
        why = (
            ""
            if latest == 3
            else (
                " (phase 3 exists only when the spec sets scim.reject_non_provisioned_users and "
                "Terraform manages the SCIM settings)"
            )
        )
        raise UsageError(f"--phase: got {flag}; expected 1 to {latest}{why}")


def _client(base_url: str, authorization: str, options: VerifyOptions, redact: Redactor) -> HttpClient:
    if options.sleep is None:
        return HttpClient(base_url, authorization, options.http, redact)
    return HttpClient(base_url, authorization, options.http, redact, sleep=options.sleep)


def _grafana_token(
    facts: Facts, options: VerifyOptions, redact: Redactor, report: Report
) -> tuple[str | None, str | None, int | None]:
    """The SCIM token, Okta app id and `phase` output, plus the token and expiry checks."""
    if options.terraform_dir is not None:
        try:
            values = from_terraform(
                options.terraform_dir, facts.token_address, redact, options.terraform_binary
            )
        except CredentialError as exc:
            report.add(
                "grafana.token",
                "fail",
                str(exc),
                f"run terraform apply in that directory first, or set {GRAFANA_TOKEN_ENV}.",
            )
            report.add("grafana.token_expiry", "skip", "no Terraform state read")
            return None, None, None
        if not values.token:
            report.add(
                "grafana.token",
                "fail",
                "terraform output has no grafana_scim_token",
                "run terraform apply with the generated configuration first.",
            )
        else:
            report.add("grafana.token", "pass", "from terraform output grafana_scim_token")
        report.checks.append(_expiry(values.expiration, facts, options.expiry_warning_days))
        return values.token, values.okta_app_id, values.phase
    token = options.environ.get(GRAFANA_TOKEN_ENV) or None
    redact.add(token)
    if token:
        report.add("grafana.token", "pass", f"from {GRAFANA_TOKEN_ENV}")
    else:
        report.add(
            "grafana.token",
            "fail",
            f"{GRAFANA_TOKEN_ENV} is not set",
            f"export {GRAFANA_TOKEN_ENV} or pass --terraform-dir.",
        )
    report.add(
        "grafana.token_expiry",
        "skip",
        "a token cannot read its own expiry; pass --terraform-dir to read it from state",
    )
    return token, None, None


def _expiry(expiration: str | None, facts: Facts, warn_days: float) -> Check:
    """Expiry of the token from the Terraform state; a warning in the hint when close."""
    if expiration is None:
        return Check("grafana.token_expiry", "skip", f"{facts.token_address} has no expiration in the state")
    days = expiry_days(expiration)
    if expiration == "" or days is None:
        return Check("grafana.token_expiry", "pass", "the token does not expire")
    replace = f"terraform apply -replace={facts.token_address}"
    if days <= 0:
        return Check(
            "grafana.token_expiry",
            "fail",
            f"expired at {expiration}",
            f"{replace}, then enter the new token in Okta.",
        )
    detail = f"expires {expiration} (in {days:.1f} days)"
    if days < warn_days:
        return Check(
            "grafana.token_expiry",
            "pass",
            "WARNING: " + detail,
            f"rotate soon: {replace}, then enter the new token in Okta.",
        )
    return Check("grafana.token_expiry", "pass", detail)


def _scim(facts: Facts, options: VerifyOptions, redact: Redactor, base_url: str, token: str) -> list[Check]:
    ctx = ScimContext(facts.scim_namespace, facts.token_address, facts.scim_group_sync, options.http.timeout)
    with _client(base_url, f"Bearer {token}", options, redact) as http:
        return ScimChecks(ScimApi(http), ctx, options.notice).run(options.write_test)
