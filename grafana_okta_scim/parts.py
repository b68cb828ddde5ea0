"""Parts of one integration's Terraform: the core's elements for one concern, decided by the core.

Each function runs the `_IntegrationBuilder` methods `document()` runs for that concern, so a part
holds exactly what the native output holds for it. Values another part provides (the Okta app id,
the token key, ...) are arguments: `document()` passes references and derived URLs, a caller such
as a CDKTF construct passes its own. Elements are named after the integration; references between
elements of one part use those names.
"""

from __future__ import annotations

from dataclasses import dataclass

from .build import SAML_CERTIFICATE, SAML_PRIVATE_KEY, _IntegrationBuilder
from .document import Element, Local, Value
from .spec import Integration


@dataclass(frozen=True)
class Part:
    """Elements (in file order), the locals they use, and warnings, of one concern."""

    elements: list[Element]
    locals: list[Local]
    warnings: list[str]


def _builder(integration: Integration) -> _IntegrationBuilder:
    return _IntegrationBuilder(integration, okta=None, terraform=None, spec_name="")


def _part(builder: _IntegrationBuilder) -> Part:
    return Part(list(builder.elements), list(builder.locals), list(builder.warnings))


def service_account_part(integration: Integration) -> Part:
    """The service account, its token, and the fixed roles looked up and assigned to it."""
    builder = _builder(integration)
    account, _ = builder._service_account()
    builder._fixed_roles(account)
    builder._role_warning()
    return _part(builder)


def okta_app_part(integration: Integration) -> Part:
    """The Okta SAML app, the groups looked up by name, and the group assignments."""
    builder = _builder(integration)
    app = builder._okta_app()
    builder._group_assignments(app.ref.attr("id"), builder._group_lookup())
    return _part(builder)


def scim_config_part(integration: Integration, managed: bool | None = None) -> Part:
    """grafana_scim_config (or only a warning where the provider cannot reach the namespace).

    `managed` None derives the reach from the integration's Grafana; a caller that knows it
    targets the provider's own namespace (e.g. a construct without a Grafana URL) passes True.
    """
    builder = _builder(integration)
    builder._scim_config(managed)
    return _part(builder)


def saml_settings_part(
    integration: Integration,
    idp_metadata_url: Value,
    entity_id: Value,
    certificate: Value | None = SAML_CERTIFICATE,
    private_key: Value | None = SAML_PRIVATE_KEY,
) -> Part:
    """grafana_sso_settings; a None certificate/private key is left out (and not checked as a pair)."""
    builder = _builder(integration)
    builder._sso_settings(idp_metadata_url, entity_id, certificate, private_key)
    return _part(builder)


def provisioning_part(integration: Integration, app_id: Value, token_key: Value, base_url: Value) -> Part:
    """okta_app_connection and okta_app_features (mode okta-api; nothing for manual)."""
    builder = _builder(integration)
    builder._connection(app_id, token_key, base_url)
    return _part(builder)
