"""Grafana parts: the service account and its token, its RBAC roles, SCIM settings, SAML settings."""

from __future__ import annotations

import re

from ..emit.escaping import hcl_string
from ..spec import Integration
from ..terraform_types import Block, BlockList, Element, Expr, Value
from . import derive
from .collector import Collector
from .fixed_values import PROVISIONING_ENABLED, REJECT_NON_PROVISIONED, SAML_CERTIFICATE, SAML_PRIVATE_KEY


def org_scope(integration: Integration) -> dict[str, Value]:
    """`org_id` for objects of an org other than 1 (nothing for org 1)."""
    org_id = integration.grafana.effective_org_id
    return {} if org_id == 1 else {"org_id": str(org_id)}


def service_account(integration: Integration, out: Collector) -> tuple[Element, Element]:
    """The service account Okta authenticates as, and its (possibly rotating) token."""
    account = integration.service_account
    grafana = integration.grafana
    rotation = account.token.rotation
    scope: dict[str, Value]
    if account.via == "cloud_api":
        scope = {"stack_slug": grafana.stack_slug or ""}
        account_type = "grafana_cloud_stack_service_account"
        sa = out.add("resource", account_type, {**scope, "name": account.name, "role": account.role})
    else:
        scope = {}
        account_type = "grafana_service_account"
        sa = out.add(
            "resource",
            account_type,
            {**org_scope(integration), "name": account.name, "role": account.role},
        )
    if rotation is None:
        body: dict[str, Value] = {
            **scope,
            "name": f"{account.name}-okta",
            "service_account_id": sa.ref.attr("id"),
        }
        if account.token.seconds_to_live:
            body["seconds_to_live"] = account.token.seconds_to_live
        token = out.add("resource", f"{account_type}_token", body)
    else:
        token = out.add(
            "resource",
            f"{account_type}_rotating_token",
            {
                **scope,
                "name_prefix": f"{account.name}-okta",
                "service_account_id": sa.ref.attr("id"),
                "seconds_to_live": rotation.seconds_to_live,
                "early_rotation_window_seconds": rotation.early_rotation_window_seconds,
            },
        )
    return sa, token


def fixed_roles(integration: Integration, out: Collector, account: Element) -> None:
    """Fixed roles looked up by name and granted one by one (never the authoritative form)."""
    roles = integration.service_account.fixed_roles
    if not roles:
        return
    names = out.local("fixed_roles", list(roles), "grafana.tf")
    lookup = out.add(
        "data",
        "grafana_role",
        {"for_each": Expr(f"toset({names.ref.text})"), "name": Expr("each.key")},
    )
    out.add(
        "resource",
        "grafana_role_assignment_item",
        {
            "for_each": lookup.ref,
            **org_scope(integration),
            "role_uid": Expr("each.value.uid"),
            "service_account_id": account.ref.attr("id"),
        },
    )


def role_warning(integration: Integration, out: Collector) -> None:
    """Warn when the account's role very likely cannot call the SCIM API."""
    if not derive.role_sufficient(integration):
        out.warn(
            f"service_account.role {integration.service_account.role} without fixed_roles is very "
            "likely not enough for SCIM (needs fixed:org.users:writer)"
        )


def credential_warning(integration: Integration, out: Collector) -> None:
    """Warn when the Grafana credential must be a server admin's."""
    if derive.needs_server_admin(integration):
        out.warn(
            "grafana_auth must be a Grafana server admin's user:password (basic auth): self-hosted "
            "SAML settings and objects in another org are out of a service account token's reach "
            "(or grant an admin user fixed:authentication.config:writer)"
        )


def scim_config(integration: Integration, out: Collector, managed: bool | None = None) -> None:
    """grafana_scim_config, or a warning where the provider cannot reach the namespace.

    `managed` None: derived from the integration's Grafana (see derive.scim_config_managed).
    """
    scim = integration.scim
    if managed is None:
        managed = derive.scim_config_managed(integration)
    if not managed:
        why = " or ".join(str(blocker) for blocker in derive.scim_config_blockers(integration))
        out.warn(
            "grafana_scim_config not generated: the grafana provider only reaches namespace "
            f"'default' at the URL's host, not {why}; set [auth.scim] in grafana.ini instead "
            "(see SCIM_SETUP.md)"
        )
        return
    body: dict[str, Value] = {
        "enable_user_sync": scim.user_sync,
        "enable_group_sync": scim.group_sync,
        "reject_non_provisioned_users": False,
    }
    if derive.rejection_phased(integration):
        body["reject_non_provisioned_users"] = REJECT_NON_PROVISIONED
        body["lifecycle"] = Block(
            {
                "precondition": BlockList(
                    (
                        {
                            "condition": Expr(
                                f"!{REJECT_NON_PROVISIONED.text} || {PROVISIONING_ENABLED.text}"
                            ),
                            "error_message": "Set reject_non_provisioned_users only with "
                            "provisioning_enabled, after verify passes: before provisioning, "
                            "rejection refuses SAML sign-in to every user.",
                        },
                    )
                )
            }
        )
    out.add("resource", "grafana_scim_config", body)


def sso_settings(
    integration: Integration,
    out: Collector,
    idp_metadata_url: Value,
    entity_id: Value,
    certificate: Value | None = SAML_CERTIFICATE,
    private_key: Value | None = SAML_PRIVATE_KEY,
) -> None:
    """Grafana's SAML settings; a None certificate or private key is left out."""
    saml = integration.saml
    if not saml.configure_grafana:
        return
    attributes = saml.assertion_attributes
    settings: dict[str, Value] = {
        "enabled": True,
        "name": "Okta",
        "idp_metadata_url": idp_metadata_url,
        "entity_id": entity_id,
        **({} if certificate is None else {"certificate": certificate}),
        **({} if private_key is None else {"private_key": private_key}),
        **request_signing(saml.signature_algorithm, private_key),
        "name_id_format": saml.name_id_format,
        "assertion_attribute_login": attributes.login,
        "assertion_attribute_email": attributes.email,
        "assertion_attribute_name": attributes.name,
        "assertion_attribute_external_uid": attributes.external_uid,
    }
    if attributes.groups:
        settings["assertion_attribute_groups"] = attributes.groups
    role_source = saml.role_source
    if role_source:
        settings["assertion_attribute_role"] = role_source
        values = saml.role_values
        if values is not None:
            for role in ("admin", "editor", "viewer"):
                if getattr(values, role):
                    settings[f"role_values_{role}"] = derive.grafana_list(getattr(values, role))
    org_mapping = derive.org_mapping(integration)
    if org_mapping is not None:
        settings["assertion_attribute_org"] = saml.org_attribute
        settings["org_mapping"] = derive.grafana_list(org_mapping)
    settings["skip_org_role_sync"] = derive.skip_org_role_sync(integration)
    settings["allow_sign_up"] = derive.allow_sign_up(integration)
    settings["auto_login"] = saml.auto_login
    if integration.okta_app.tile == "idp-initiated":
        settings["allow_idp_initiated"] = True
        settings["relay_state"] = derive.relay_state(integration)
    body: dict[str, Value] = {"provider_name": "saml", "saml_settings": BlockList((settings,))}
    precondition = saml_key_pair_precondition(certificate, private_key)
    if precondition:
        body["lifecycle"] = Block({"precondition": BlockList((precondition,))})
    out.add("resource", "grafana_sso_settings", body)


def request_signing(algorithm: str, private_key: Value | None) -> dict[str, Value]:
    """Grafana's signature_algorithm, only where a key can sign (null while no key is set)."""
    if private_key is None:
        return {}
    if isinstance(private_key, Expr):
        return {"signature_algorithm": Expr(f'{private_key.text} == null ? null : "{algorithm}"')}
    return {"signature_algorithm": algorithm}


def saml_key_pair_precondition(certificate: Value | None, private_key: Value | None) -> dict[str, Value]:
    """The precondition keeping the SAML key pair together; {} when neither is an expression.

    Only an expression (a variable, an attribute) can be null at plan time: for literals or
    absent values (None, written as null) there is nothing to check, and no precondition.
    """
    if not isinstance(certificate, Expr) and not isinstance(private_key, Expr):
        return {}
    cert, key = _operand(certificate), _operand(private_key)
    names = [
        value.text.removeprefix("var.")
        for value in (certificate, private_key)
        if isinstance(value, Expr) and re.fullmatch(r"var\.\w+", value.text)
    ]
    pair = " and ".join(names) if len(names) == 2 else "the SAML certificate and private key"
    return {
        "condition": Expr(f"({cert} == null) == ({key} == null)"),
        "error_message": f"Set {pair} together, or neither.",
    }


def _operand(value: Value | None) -> str:
    """A key pair half inside the condition: expressions as written, literals quoted."""
    if value is None:
        return "null"
    if isinstance(value, Expr):
        return value.text
    if not isinstance(value, str):
        raise TypeError(f"a SAML key pair half is a string or an expression, not {type(value).__name__}")
    return hcl_string(value)
