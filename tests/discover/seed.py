"""Seed the loopback fakes with the state an example's Terraform would create (latest phase)."""

from __future__ import annotations

import hashlib
from typing import Any

from grafana_okta_scim.derive import rejection_phased
from grafana_okta_scim.discover.compare import camel, element_body, unescape
from grafana_okta_scim.document import BlockList, Expr, TerraformDocument
from grafana_okta_scim.spec import Integration
from tests.companion.okta_server import OktaOrg, user_provisioning

from .grafana_api_server import GrafanaInstance, service_account

OKTA_FIELDS = {
    "sso_url": "ssoAcsUrl",
    "recipient": "recipient",
    "destination": "destination",
    "audience": "audience",
    "subject_name_id_template": "subjectNameIdTemplate",
    "subject_name_id_format": "subjectNameIdFormat",
    "signature_algorithm": "signatureAlgorithm",
    "digest_algorithm": "digestAlgorithm",
    "authn_context_class_ref": "authnContextClassRef",
    "response_signed": "responseSigned",
    "assertion_signed": "assertionSigned",
    "default_relay_state": "defaultRelayState",
}


def _id(prefix: str, text: str) -> str:
    return prefix + hashlib.sha256(text.encode()).hexdigest()[:17]


def app_id(doc: TerraformDocument, integration: Integration) -> str:
    return _id("0oa", doc.integration_name + integration.okta_app.label)


def group_id(name: str) -> str:
    return _id("00g", name)


def statement(body: dict[str, Any]) -> dict[str, Any]:
    out = {"type": body["type"], "name": body["name"], "namespace": body["namespace"]}
    if body["type"] == "GROUP":
        out.update(filterType=body["filter_type"], filterValue=body["filter_value"])
    else:
        out["values"] = [unescape(v) for v in body["values"]]
    return out


def seed_okta(org: OktaOrg, doc: TerraformDocument, integration: Integration) -> str:
    """The Okta app, groups, assignments and (phase 2) push mappings; returns the app id."""
    body = element_body(doc, "okta_app_saml") or {}
    ident = app_id(doc, integration)
    sign_on = {api: unescape(body[arg]) for arg, api in OKTA_FIELDS.items() if arg in body}
    blocks = body["attribute_statements"]
    sign_on["attributeStatements"] = (
        [statement(b) for b in blocks.bodies] if isinstance(blocks, BlockList) else []
    )
    provisioning = integration.provisioning
    actions = provisioning.actions
    features = [
        f
        for f, on in (
            ("IMPORT_NEW_USERS", actions.import_new_users_and_profile_updates),
            ("PUSH_NEW_USERS", provisioning.to_app.create_users),
            ("PUSH_PROFILE_UPDATES", provisioning.to_app.update_user_attributes),
            ("PUSH_USER_DEACTIVATION", provisioning.to_app.deactivate_users),
            ("GROUP_PUSH", actions.push_groups),
        )
        if on
    ]
    org.apps[ident] = {
        "id": ident,
        "name": "example_grafana_1",
        "label": body["label"],
        "status": "ACTIVE",
        "signOnMode": "SAML_2_0",
        "features": features,
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"web": body["hide_web"], "iOS": body["hide_ios"]},
        },
        "settings": {"app": {}, "signOn": sign_on},
        "_links": {"metadata": {"href": f"{org_url()}/api/v1/apps/{ident}/sso/saml/metadata"}},
    }
    org.features[ident] = user_provisioning(
        provisioning.to_app.create_users,
        provisioning.to_app.update_user_attributes,
        provisioning.to_app.deactivate_users,
    )
    groups = org.app_groups.setdefault(ident, [])
    known = {g["id"] for g in org.groups}
    for assignment in integration.okta_app.assignments:
        gid = assignment.group_id or group_id(assignment.group or "")
        name = assignment.group or f"group-{gid[-6:]}"
        if gid not in known:
            org.groups.append({"id": gid, "type": "OKTA_GROUP", "profile": {"name": name, "description": ""}})
            known.add(gid)
        groups.append({"id": gid, "priority": assignment.priority})
    mappings = org.mappings.setdefault(ident, [])
    for index, name in enumerate(integration.okta_app.push_groups):
        mappings.append(
            {
                "id": f"gpm{index}{ident[-8:]}",
                "sourceGroupId": group_id(name),
                "targetGroupId": f"00t{index}",
                "status": "ACTIVE",
            }
        )
    org.app_users.setdefault(ident, [])
    return ident


def org_url() -> str:
    return "https://example.okta.com"


def seed_grafana(
    instance: GrafanaInstance, doc: TerraformDocument, integration: Integration, ident: str
) -> None:
    """SAML settings, SCIM config (at the latest phase) and the service account."""
    sso = element_body(doc, "grafana_sso_settings")
    if sso is not None:
        settings = sso["saml_settings"].bodies[0]
        live = {camel(k): v for k, v in settings.items() if not isinstance(v, Expr)}
        live["idpMetadataUrl"] = f"{org_url()}/api/v1/apps/{ident}/sso/saml/metadata"
        instance.sso = live
    scim = integration.scim
    instance.scim[doc.derived.scim_namespace] = {
        "enableUserSync": scim.user_sync,
        "enableGroupSync": scim.group_sync,
        "rejectNonProvisionedUsers": scim.reject_non_provisioned_users and rejection_phased(integration),
    }
    account = integration.service_account
    number = len(instance.accounts) + 40
    instance.accounts.append(
        service_account(number, account.name, account.role, integration.grafana.effective_org_id)
    )
    instance.tokens[number] = [
        {
            "id": 1,
            "name": f"{account.name}-okta",
            "created": "2026-01-01T00:00:00Z",
            "expiration": None,
            "hasExpired": False,
        }
    ]
