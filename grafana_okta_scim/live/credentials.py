"""Where the credentials come from: environment variables or `terraform output -json`.

Tokens are never taken from argv and never printed; every value read is handed to the
Redactor before any message can mention it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .redact import Redactor

GRAFANA_TOKEN_ENV = "GRAFANA_SCIM_TOKEN"  # the SCIM token verify tests with
OKTA_TOKEN_ENV = "OKTA_API_TOKEN"
GRAFANA_AUTH_ENV = "GRAFANA_AUTH"  # an admin credential, as the grafana provider reads it
TERRAFORM_TIMEOUT = 120.0


class CredentialError(Exception):
    """Terraform could not give the values asked for (message already redacted)."""


@dataclass
class Credentials:
    """The tokens and ids verify works with, and where the Grafana token came from."""

    grafana_token: str | None
    grafana_source: str
    okta_token: str | None
    okta_app_id: str | None
    token_expiration: str | None


def terraform_json(
    terraform_dir: Path, args: list[str], redact: Redactor, binary: str = "terraform"
) -> dict[str, Any]:
    """Run `terraform <args>` in terraform_dir and parse its JSON output."""
    try:
        proc = subprocess.run(
            [binary, *args],
            cwd=terraform_dir,
            capture_output=True,
            text=True,
            timeout=TERRAFORM_TIMEOUT,
            check=False,
            env={**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"},
        )
    except FileNotFoundError:
        raise CredentialError(f"{binary} not found on PATH") from None
    except subprocess.TimeoutExpired:
        raise CredentialError(f"terraform {' '.join(args)} took over {TERRAFORM_TIMEOUT:g} s") from None
    if proc.returncode != 0:
        last = [line for line in proc.stderr.splitlines() if line.strip()][-3:]
        raise CredentialError(redact(f"terraform {' '.join(args)} failed: {' '.join(last)}"))
    try:
        data = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        raise CredentialError(f"terraform {' '.join(args)} printed no JSON") from None
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class TerraformValues:
    """What verify reads from a Terraform directory (token already handed to the Redactor)."""

    token: str | None
    okta_app_id: str | None
    expiration: str | None
    phase: int | None


def from_terraform(
    terraform_dir: Path, token_address: str, redact: Redactor, binary: str = "terraform"
) -> TerraformValues:
    """The SCIM token, Okta app id, token expiration and `phase` output of the directory."""
    outputs = terraform_json(terraform_dir, ["output", "-json"], redact, binary)
    token = _output(outputs, "grafana_scim_token")
    redact.add(token)
    app_id = _output(outputs, "okta_app_id")
    state = terraform_json(terraform_dir, ["state", "pull"], redact, binary)
    return TerraformValues(token, app_id, state_expiration(state, token_address), phase_output(outputs))


def phase_output(outputs: dict[str, Any]) -> int | None:
    """The generated module's `phase` output (1, 2 or 3), None when absent or not a phase."""
    value = (outputs.get("phase") or {}).get("value")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in (1, 2, 3):
        return None
    return value


def _output(outputs: dict[str, Any], name: str) -> str | None:
    value = (outputs.get(name) or {}).get("value")
    return value if isinstance(value, str) and value else None


def state_expiration(state: dict[str, Any], address: str) -> str | None:
    """The `expiration` attribute of the resource at `address` in raw state (v4) JSON."""
    for resource in state.get("resources") or []:
        prefix = "data." if resource.get("mode") == "data" else ""
        if f"{prefix}{resource.get('type')}.{resource.get('name')}" != address:
            continue
        for instance in resource.get("instances") or []:
            value = (instance.get("attributes") or {}).get("expiration")
            if isinstance(value, str):
                return value
    return None


def expiry_days(expiration: str | None, now: datetime | None = None) -> float | None:
    """Days until an RFC 3339 expiration; None for no expiry (empty) or unparseable text."""
    if not expiration:
        return None
    try:
        when = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - (now or datetime.now(UTC))).total_seconds() / 86400


def grafana_authorization(grafana_auth: str) -> str:
    """GRAFANA_AUTH as the grafana provider reads it: `user:password` is basic auth, else a
    token (service account `glsa_`, Cloud `glc_`)."""
    if ":" in grafana_auth and not grafana_auth.startswith(("glsa_", "glc_")):
        return "Basic " + base64.b64encode(grafana_auth.encode()).decode()
    return f"Bearer {grafana_auth}"
