"""Okta parts: the SAML app, group look-ups and assignments, the SCIM connection, group push."""

from __future__ import annotations

from ..emit.escaping import hcl_string
from ..spec import Integration
from ..terraform_types import Address, Block, BlockList, Element, Expr, Value
from . import derive
from .collector import Collector
from .fixed_values import (
    OKTA_ACCESS_POLICY_TYPE,
    OKTA_GROUP_TYPES,
    OKTA_PASSWORD_CAPABILITY,
    OKTA_SIGNATURE,
    OKTA_SUBJECT_TEMPLATE,
    OKTA_USER_ID_EXPRESSION,
    PROVISIONING_ENABLED,
    SAML_ATTRIBUTE_NAME_FORMAT,
    SAML_AUTHN_CONTEXT,
)


def saml_app(integration: Integration, out: Collector) -> Element:
    """okta_app_saml: SAML values derived from the Grafana URL, the attribute statements, the tile."""
    saml = integration.saml
    attributes = saml.assertion_attributes
    signature, digest = OKTA_SIGNATURE[saml.signature_algorithm]
    statements: list[dict[str, Value]] = [
        _expression(attributes.login, "user.login"),
        _expression(attributes.email, "user.email"),
        _expression(attributes.name, integration.okta_app.name_expression),
        _expression(attributes.external_uid, OKTA_USER_ID_EXPRESSION),
    ]
    if saml.role_attribute:
        statements.append(_expression(saml.role_attribute, f"user.{saml.role_attribute}"))
    if derive.org_mapping(integration) is not None:
        statements.append(
            _expression(saml.org_attribute, okta_string(derive.org_attribute_value(integration)))
        )
    if attributes.groups:
        statements.append(
            {
                "name": attributes.groups,
                "namespace": SAML_ATTRIBUTE_NAME_FORMAT,
                "type": "GROUP",
                "filter_type": integration.okta_app.groups_filter.type,
                "filter_value": integration.okta_app.groups_filter.value,
            }
        )
    acs = derive.acs_url(integration)
    policy = authentication_policy(integration, out)
    return out.add(
        "resource",
        "okta_app_saml",
        {
            "label": integration.okta_app.label,
            "sso_url": acs,
            "recipient": acs,
            "destination": acs,
            "audience": derive.entity_id(integration),
            "subject_name_id_template": OKTA_SUBJECT_TEMPLATE,
            "subject_name_id_format": saml.name_id_format,
            "signature_algorithm": signature,
            "digest_algorithm": digest,
            "authn_context_class_ref": SAML_AUTHN_CONTEXT,
            "response_signed": True,
            "assertion_signed": True,
            **_tile(integration),
            **kept_settings(integration),
            **({} if policy is None else {"authentication_policy": policy}),
            "attribute_statements": BlockList(tuple(statements)),
        },
    )


def kept_settings(integration: Integration) -> dict[str, Value]:
    """What an okta_app_saml update (a full PUT from configuration plus provider defaults,
    resource_okta_app_saml.go resourceAppSamlUpdate -> buildSamlApp) would otherwise reset on an
    adopted app: written only when they differ from the provider's defaults."""
    app = integration.okta_app
    body: dict[str, Value] = {}
    if app.user_name_template is not None:
        body["user_name_template"] = app.user_name_template
    template_type = derive.user_name_template_type(integration)
    if template_type is not None:
        body["user_name_template_type"] = template_type
    if app.single_logout is not None:
        body["single_logout_url"] = app.single_logout.url
        body["single_logout_issuer"] = app.single_logout.issuer
        if app.single_logout.certificate is not None:
            body["single_logout_certificate"] = app.single_logout.certificate
    if app.acs_endpoints:
        body["acs_endpoints"] = list(app.acs_endpoints)
    for key in ("honor_force_authn", "saml_signed_request_enabled", "accessibility_self_service"):
        if getattr(app, key):
            body[key] = True
    return body


def authentication_policy(integration: Integration, out: Collector) -> Value | None:
    """The app's access policy: an id as given, a name through data.okta_policy (matched exactly
    by the provider, policy.go findPolicyByNameAndType), or None (provider default)."""
    policy = integration.okta_app.authentication_policy
    if policy is None:
        return None
    policy_id = integration.okta_app.authentication_policy_id
    if policy_id is not None:
        return policy_id
    lookup = out.add("data", "okta_policy", {"name": policy, "type": OKTA_ACCESS_POLICY_TYPE})
    return lookup.ref.attr("id")


def _expression(name: str, value: str) -> dict[str, Value]:
    return {"name": name, "namespace": SAML_ATTRIBUTE_NAME_FORMAT, "type": "EXPRESSION", "values": [value]}


def _tile(integration: Integration) -> dict[str, Value]:
    if integration.okta_app.tile == "hidden":
        return {"hide_web": True, "hide_ios": True}
    return {"hide_web": False, "hide_ios": False, "default_relay_state": derive.relay_state(integration)}


def group_lookup(integration: Integration, out: Collector) -> Element | None:
    """data.okta_group for the groups assigned by name, matched exactly (None when there are none).

    No `type` filter: with one, the provider searches `type eq "..."` only
    (data_source_okta_group.go), and groups mastered in AD or LDAP (APP_GROUP) are "not found".
    """
    names: list[Value] = [a.group for a in integration.okta_app.assignments if a.group]
    if not names:
        return None
    local = out.local("assigned_groups", names, "okta.tf")
    return out.add(
        "data",
        "okta_group",
        {
            "for_each": Expr(f"toset({local.ref.text})"),
            "name": Expr("each.key"),
            # Okta's search is a prefix match and the provider keeps a single partial match.
            "lifecycle": Block(
                {
                    "postcondition": BlockList(
                        (
                            {
                                "condition": Expr("self.name == each.key"),
                                "error_message": Expr(
                                    'format("Okta group look-up by name %q (any type: '
                                    f"{' or '.join(OKTA_GROUP_TYPES)} for groups mastered in AD or LDAP) "
                                    "found %q: the names must match exactly; fix the name or assign "
                                    'by group_id.", each.key, self.name)'
                                ),
                            },
                        )
                    )
                }
            ),
        },
    )


def group_assignments(
    integration: Integration, out: Collector, app_id: Value, lookup: Element | None
) -> Element | None:
    """The app's group assignments: authoritative, or one resource per listed group."""
    assignments = integration.okta_app.assignments
    if not assignments:
        return None
    if not derive.assignments_authoritative(integration):
        table: dict[str, Value] = {
            assignment.group or assignment.group_id or "": {
                "group_id": _group_id(assignment.group, assignment.group_id, lookup),
                "priority": assignment.priority,
            }
            for assignment in assignments
        }
        local = out.local("group_assignments", table, "okta.tf")
        return out.add(
            "resource",
            "okta_app_group_assignment",
            {
                "for_each": local.ref,
                "app_id": app_id,
                "group_id": Expr("each.value.group_id"),
                "priority": Expr("each.value.priority"),
            },
        )
    groups: tuple[dict[str, Value], ...] = tuple(
        {"id": _group_id(a.group, a.group_id, lookup), "priority": a.priority} for a in assignments
    )
    return out.add("resource", "okta_app_group_assignments", {"app_id": app_id, "group": BlockList(groups)})


def assignment_group_ids(integration: Integration, lookup: Element | None) -> dict[str, str]:
    """Assignment key -> the group id as HCL expression text (for migration import ids)."""
    found: dict[str, str] = {}
    for assignment in integration.okta_app.assignments:
        value = _group_id(assignment.group, assignment.group_id, lookup)
        key = assignment.group or assignment.group_id or ""
        found[key] = value.text if isinstance(value, Expr) else hcl_string(str(value))
    return found


def _group_id(name: str | None, group_id: str | None, lookup: Element | None) -> Value:
    if name is None:
        return group_id or ""
    if lookup is None:
        raise ValueError("a group assigned by name needs the group look-up")
    return Expr(f"{lookup.address}[{hcl_string(name)}].id")


def connection(
    integration: Integration,
    out: Collector,
    app_id: Value,
    token_key: Value,
    base_url: Value,
    gated: bool = True,
) -> list[Element]:
    """okta-api mode: okta_app_connection and okta_app_features, created in phase 2 only (after
    the admin switched SCIM provisioning on in Okta's General tab); nothing in manual mode.

    `gated` False (the standalone construct, which has no phase variable): no count; the caller
    adds them once provisioning is switched on.
    """
    if integration.provisioning.mode != "okta-api":
        return []
    gate: dict[str, Value] = {"count": Expr(f"{PROVISIONING_ENABLED.text} ? 1 : 0")} if gated else {}
    out.warn(
        "provisioning mode okta-api: Okta documents the connection and feature endpoints only for "
        "some catalog apps and answers status UNKNOWN for a custom SAML app; run "
        "`grafana-okta-scim verify` after apply"
    )
    app_connection = out.add(
        "resource",
        "okta_app_connection",
        {
            **gate,
            "id": app_id,
            "base_url": base_url,
            "action": "activate",
            "profile": Block({"auth_scheme": "TOKEN", "token": token_key}),
            # Read sets action to "" for a status other than ENABLED or DISABLED (a custom app
            # answers UNKNOWN; resource_okta_app_connection.go setStatus): without this every
            # plan would show a diff and re-POST the connection.
            "lifecycle": Block({"ignore_changes": [Address("action")]}),
        },
    )
    to_app = integration.provisioning.to_app
    features = out.add(
        "resource",
        "okta_app_features",
        {
            **gate,
            "app_id": app_id,
            "name": "USER_PROVISIONING",
            "status": "ENABLED",
            "capabilities": Block(
                {
                    "create": Block({"lifecycle_create": _status(to_app.create_users)}),
                    "update": Block(
                        {
                            "profile": _status(to_app.update_user_attributes),
                            "lifecycle_deactivate": _status(to_app.deactivate_users),
                            # Create copies Okta's answer into state, update.password included
                            # (resource_okta_app_features.go updateUserProvisioningFeature): the
                            # values Okta returns for USER_PROVISIONING, no password sync (Grafana
                            # has no passwords for SCIM users).
                            "password": Block(dict(OKTA_PASSWORD_CAPABILITY)),
                        }
                    ),
                }
            ),
            "depends_on": [Address(app_connection.address)],
        },
    )
    # An existing single instance moves to index 0 by itself (Terraform does this when count is
    # added), so a module applied before this gate keeps its connection and features.
    return [app_connection, features]


def _status(enabled: bool) -> Block:
    return Block({"status": "ENABLED" if enabled else "DISABLED"})


def push_groups(
    integration: Integration, out: Collector, app_id: Value, lookup: Element | None, after: list[Element]
) -> None:
    """okta_push_group per push group, waiting for phase 2; removing one keeps its team by default."""
    groups = integration.okta_app.push_groups
    if not groups:
        return
    if lookup is None:
        raise ValueError("push groups are assigned by name and need the group look-up")
    local = out.local("push_groups", list(groups), "okta.tf")
    delete_teams = integration.okta_app.delete_pushed_teams_on_destroy
    if delete_teams:
        out.warn(
            "okta_app.delete_pushed_teams_on_destroy is true: removing a push group from the spec "
            "(or destroying the module) deletes its Grafana team, with the team's permissions"
        )
    out.add(
        "resource",
        "okta_push_group",
        {
            "for_each": Expr(f"{PROVISIONING_ENABLED.text} ? toset({local.ref.text}) : toset([])"),
            "app_id": app_id,
            "source_group_id": Expr(f"{lookup.address}[each.key].id"),
            "target_group_name": Expr("each.key"),
            "delete_target_group_on_destroy": delete_teams,
            # The name only matters when the mapping is created, and an import does not read it
            # back: without this an adopted mapping would be deleted and pushed again.
            "lifecycle": Block({"ignore_changes": [Address("target_group_name")]}),
            "depends_on": [Address(element.address) for element in after],
        },
    )


def okta_string(text: str) -> str:
    """A string literal in Okta's expression language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
