"""Parts of one integration's Terraform: the core's elements for one concern, decided by the core.

Each function runs the build functions the assembler runs for that concern, so a part holds
exactly what the native output holds for it. Values another part provides (the Okta app id, the
token key, ...) are arguments: the assembler passes references and derived URLs, a caller such as
a CDKTF construct passes its own. Elements are named after the integration; references between
elements of one part use those names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..spec import Integration
from ..terraform_types import Element, Local, Value
from . import grafana, okta
from .collector import Collector
from .fixed_values import SAML_CERTIFICATE, SAML_PRIVATE_KEY


@dataclass(frozen=True)
class Part:
    """Elements (in file order), the locals they use, and warnings, of one concern."""

    elements: list[Element]
    locals: list[Local]
    warnings: list[str]


def _part(out: Collector) -> Part:
    return Part(list(out.elements), list(out.locals), list(out.warnings))


def service_account_part(integration: Integration) -> Part:
    """The service account, its token, and the fixed roles looked up and assigned to it."""
    out = Collector(integration.name)
    account, _ = grafana.service_account(integration, out)
    grafana.fixed_roles(integration, out, account)
    grafana.role_warning(integration, out)
    return _part(out)


def okta_app_part(integration: Integration) -> Part:
    """The Okta SAML app, the groups looked up by name, and the group assignments."""
    out = Collector(integration.name)
    app = okta.saml_app(integration, out)
    okta.group_assignments(integration, out, app.ref.attr("id"), okta.group_lookup(integration, out))
    return _part(out)


def scim_config_part(integration: Integration, managed: bool | None = None) -> Part:
    """grafana_scim_config (or only a warning where the provider cannot reach the namespace).

    `managed` None derives the reach from the integration's Grafana; a caller that knows it
    targets the provider's own namespace (e.g. a construct without a Grafana URL) passes True.
    """
    out = Collector(integration.name)
    grafana.scim_config(integration, out, managed)
    return _part(out)


def saml_settings_part(
    integration: Integration,
    idp_metadata_url: Value,
    entity_id: Value,
    certificate: Value | None = SAML_CERTIFICATE,
    private_key: Value | None = SAML_PRIVATE_KEY,
) -> Part:
    """grafana_sso_settings; a None certificate/private key is left out (and not checked as a pair)."""
    out = Collector(integration.name)
    grafana.sso_settings(integration, out, idp_metadata_url, entity_id, certificate, private_key)
    return _part(out)


def provisioning_part(integration: Integration, app_id: Value, token_key: Value, base_url: Value) -> Part:
    """okta_app_connection and okta_app_features (mode okta-api; nothing for manual), ungated:
    a standalone part has no phase variable, so its user adds it once provisioning is on."""
    out = Collector(integration.name)
    okta.connection(integration, out, app_id, token_key, base_url, gated=False)
    return _part(out)
