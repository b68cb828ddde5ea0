"""Module parts: providers, input variables, outputs, import blocks, backend and versions."""

from __future__ import annotations

from ..emit.escaping import hcl_string
from ..spec import Integration, OktaOrg, TerraformSettings
from ..terraform_types import Element, Expr, Import, Output, Value, Variable
from . import derive
from .collector import Collector
from .fixed_values import (
    DEFAULT_REQUIRED_VERSION,
    GRAFANA_AUTH,
    GRAFANA_CLOUD_ACCESS_POLICY_TOKEN,
    GRAFANA_SOURCE,
    OKTA_API_TOKEN,
    OKTA_SOURCE,
    PROVISIONING_ENABLED,
    REJECT_NON_PROVISIONED,
    S3_LOCKFILE_TERRAFORM,
)

GRAFANA_AUTH_SERVER_ADMIN = (
    "Grafana server admin credential as user:password (basic auth): self-hosted, SAML settings need "
    "fixed:authentication.config:writer, held by default only by the server admin, and objects in "
    "another org need a credential of that org (a service account token works in its own org "
    "only). Default: the GRAFANA_AUTH environment variable."
)
GRAFANA_AUTH_TOKEN = (
    "Grafana instance credential (service account token with Admin, or user:password); default: "
    "the GRAFANA_AUTH environment variable."
)

# name -> description of the sensitive string variables; each defaults to null, so the providers
# fall back to their environment variables.
SECRET_VARIABLES = {
    "grafana_cloud_access_policy_token": "Grafana Cloud access policy token (scopes stacks:read, "
    "stack-service-accounts:write); default: the GRAFANA_CLOUD_ACCESS_POLICY_TOKEN environment "
    "variable.",
    "okta_api_token": "Okta API token (Super or App admin); default: the OKTA_API_TOKEN environment "
    "variable.",
    "grafana_saml_certificate": "Grafana's SAML certificate as base64 of the PEM file (base64 -w0 "
    "cert.pem); set together with grafana_saml_private_key, or neither. Default: none.",
    "grafana_saml_private_key": "Grafana's SAML private key as base64 of a PKCS#8 PEM file (openssl "
    "pkcs8 -topk8 -nocrypt -in key.pem | base64 -w0); set together with grafana_saml_certificate, "
    "or neither. Default: none.",
}
# name -> description of the phase switches (bool, default false, never null).
PHASE_VARIABLES = {
    "provisioning_enabled": "Phase 2: set to true once SCIM provisioning is switched on in Okta and "
    "its connector test passes (see SCIM_SETUP.md); creates the group push mappings.",
    "reject_non_provisioned_users": "Phase 3, last: set to true (with provisioning_enabled) once "
    "verify passes and every existing user is provisioned; Grafana then refuses SAML sign-in to "
    "users SCIM has not provisioned.",
}


def variables(integration: Integration, out: Collector) -> None:
    """Every input variable the module uses, in file order."""
    grafana_auth = GRAFANA_AUTH_SERVER_ADMIN if derive.needs_server_admin(integration) else GRAFANA_AUTH_TOKEN
    secrets = [("grafana_auth", grafana_auth)]
    if integration.service_account.via == "cloud_api":
        secrets.append(_secret("grafana_cloud_access_policy_token"))
    secrets.append(_secret("okta_api_token"))
    if integration.saml.configure_grafana:
        secrets += [_secret("grafana_saml_certificate"), _secret("grafana_saml_private_key")]
    for name, description in secrets:
        out.variables.append(Variable(name, "string", description, None, has_default=True, sensitive=True))
    phases = ["provisioning_enabled"]
    if derive.rejection_phased(integration):
        phases.append("reject_non_provisioned_users")
    for name in phases:
        out.variables.append(
            Variable(name, "bool", PHASE_VARIABLES[name], False, has_default=True, nullable=False)
        )


def _secret(name: str) -> tuple[str, str]:
    return name, SECRET_VARIABLES[name]


def providers(integration: Integration, okta: OktaOrg) -> dict[str, dict[str, Value]]:
    """The grafana and okta provider blocks; credentials only by variable reference."""
    grafana = integration.grafana
    grafana_provider: dict[str, Value] = {"url": grafana.url, "auth": GRAFANA_AUTH}
    if grafana.stack_id is not None:
        grafana_provider["stack_id"] = grafana.stack_id
    if integration.service_account.via == "cloud_api":
        grafana_provider["cloud_access_policy_token"] = GRAFANA_CLOUD_ACCESS_POLICY_TOKEN
    okta_provider: dict[str, Value] = {
        "org_name": okta.org_name,
        "base_url": okta.base_url,
        "api_token": OKTA_API_TOKEN,
    }
    return {"grafana": grafana_provider, "okta": okta_provider}


def required_providers(settings: TerraformSettings) -> dict[str, dict[str, str]]:
    """required_providers: sources and the spec's version constraints."""
    return {
        "grafana": {"source": GRAFANA_SOURCE, "version": settings.providers.grafana},
        "okta": {"source": OKTA_SOURCE, "version": settings.providers.okta},
    }


def imports(integration: Integration, out: Collector, account: Element, app: Element) -> None:
    """Import blocks adopting existing objects: the service account, the Okta app, Grafana's
    SSO and SCIM settings, group assignments and push mappings (instances of the `for_each`
    resources by key). An adopt entry whose resource is not generated is left out, with a warning."""
    adopt = integration.adopt
    if adopt.service_account_id:
        out.imports.append(Import(account.address, adopt.service_account_id))
    if adopt.okta_app_id:
        out.imports.append(Import(app.address, adopt.okta_app_id))
    generated = {element.type: element for element in out.elements if element.kind == "resource"}
    for key, type_ in (
        ("grafana_sso_settings", "grafana_sso_settings"),
        ("grafana_scim_config", "grafana_scim_config"),
    ):
        import_id = getattr(adopt, key)
        if not import_id:
            continue
        if type_ in generated:
            out.imports.append(Import(generated[type_].address, import_id))
        else:
            out.warn(f"adopt.{key}: {type_} is not generated for this integration; not imported")
    for key, type_, keys in (
        (
            "okta_group_assignments",
            "okta_app_group_assignment",
            [a.group or a.group_id for a in integration.okta_app.assignments],
        ),
        ("okta_push_mappings", "okta_push_group", list(integration.okta_app.push_groups)),
    ):
        for instance, import_id in getattr(adopt, key).items():
            if type_ in generated and instance in keys:
                out.imports.append(Import(f"{generated[type_].address}[{hcl_string(instance)}]", import_id))
            else:
                out.warn(
                    f"adopt.{key}[{instance!r}]: no {type_} instance with that key is generated "
                    "(assignments need assignments_authoritative: false; push mappings a push "
                    "group); not imported"
                )


def outputs(integration: Integration, app: Element, token: Element) -> list[Output]:
    """The module's outputs (names are contract)."""
    return [
        Output(
            "scim_base_url",
            derive.scim_base_url(integration),
            "SCIM connector base URL to enter in Okta (Provisioning > Integration).",
        ),
        Output("okta_app_id", app.ref.attr("id"), "Id of the Okta SAML app."),
        Output(
            "okta_metadata_url",
            app.ref.attr("metadata_url"),
            "SAML metadata URL of the Okta app (Grafana reads it).",
        ),
        Output(
            "grafana_scim_token",
            token.ref.attr("key"),
            "Bearer token Okta uses for SCIM calls to Grafana.",
            sensitive=True,
        ),
        Output(
            "phase",
            phase_expression(integration),
            "Set-up phase applied: 1 first apply, 2 provisioning on (push groups), 3 "
            "non-provisioned users rejected. `verify` reads it.",
        ),
    ]


def phase_expression(integration: Integration) -> Expr:
    """The phase (1, 2 or 3) from the phase variables the module declares."""
    phase = f"{PROVISIONING_ENABLED.text} ? 2 : 1"
    if derive.rejection_phased(integration):
        phase = f"{REJECT_NON_PROVISIONED.text} ? 3 : ({phase})"
    return Expr(phase)


def backend(
    settings: TerraformSettings, integration_name: str
) -> tuple[tuple[str, dict[str, str | int | bool]] | None, str]:
    """The backend block and the required_version it needs.

    An s3 state holds the SCIM token and the SAML private key: it is always encrypted and locked
    (with the spec's DynamoDB table, else S3-native locking, which needs Terraform 1.10).
    """
    spec_backend = settings.backend
    required_version = settings.required_version
    if spec_backend is None:
        return None, required_version
    config = spec_backend.config_for(integration_name)
    if spec_backend.type == "s3":
        config = {**config, "encrypt": True}
        if spec_backend.locks_with_lockfile:
            config["use_lockfile"] = True
            required_version = (
                S3_LOCKFILE_TERRAFORM
                if required_version == DEFAULT_REQUIRED_VERSION
                else f"{required_version}, {S3_LOCKFILE_TERRAFORM}"
            )
    return (spec_backend.type, config), required_version


def at_least(required_version: str, minimum: str) -> str:
    """`required_version` raised to `minimum`: replaced when it is the default, else joined."""
    if required_version == DEFAULT_REQUIRED_VERSION:
        return minimum
    if minimum in required_version:
        return required_version
    return f"{required_version}, {minimum}"
