"""The live setup -> one integration of a spec (a plain dict validated through the spec models),
plus the report's findings about what cannot be reproduced or adopted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..spec import DEFAULT_NAME_EXPRESSION, Integration
from ..synth.derive import grafana_list_values
from .compare import dig, unescape
from .live import GrafanaState, OktaState, Unread

SIGNATURES = {"RSA_SHA256": "rsa-sha256", "RSA_SHA512": "rsa-sha512"}
FEATURE_FLAGS = {
    ("to_app", "create_users"): "PUSH_NEW_USERS",
    ("to_app", "update_user_attributes"): "PUSH_PROFILE_UPDATES",
    ("to_app", "deactivate_users"): "PUSH_USER_DEACTIVATION",
    ("actions", "import_new_users_and_profile_updates"): "IMPORT_NEW_USERS",
}
NOT_DISCOVERABLE = (
    "service_account.token (rotation and lifetime): a token's secret cannot be adopted; "
    "Terraform creates a new one",
    "service_account.via: instance",
    "provisioning.mode: manual (Okta answers UNKNOWN for a custom app's connection)",
    "okta_app.delete_pushed_teams_on_destroy: false",
    "terraform (backend, provider versions): defaults",
    "grafana.ini-only settings ([auth.scim] where the provider cannot reach the namespace)",
)
NAME_ID = re.compile(r"^urn:oasis:names:tc:SAML:[0-9.]+:nameid-format:[A-Za-z]+$")


@dataclass
class Finding:
    """One report line that is not a difference: kind, object, text."""

    kind: str
    object: str
    text: str


@dataclass
class Composed:
    """The integration as spec data, where its values came from, and findings."""

    data: dict[str, Any]
    sources: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    phase: int = 1


@dataclass(frozen=True)
class Where:
    """The Grafana target as the flags describe it."""

    name: str
    grafana: dict[str, Any]
    service_account: str
    namespace: str | None
    scim_managed: bool


def compose(where: Where, okta: OktaState, grafana: GrafanaState) -> Composed:
    """Spec data reproducing the live setup wherever the spec's rules allow."""
    out = Composed({"name": where.name, "grafana": where.grafana})
    app = okta.app
    app_id = okta.app_id
    sign_on = dig(app, ("settings", "signOn")) or {}
    out.sources.append(f"okta_app, saml signing and name-id: GET /api/v1/apps/{app_id}")
    sso_settings = grafana.sso.get("settings") if isinstance(grafana.sso, dict) else None
    saml = _saml(out, sign_on, sso_settings, grafana)
    scim = _scim(out, where, grafana)
    account = _account(out, where, grafana)
    okta_app = _okta_app(out, okta, saml, scim, sign_on)
    out.data.update({"service_account": account, "scim": scim, "saml": saml, "okta_app": okta_app})
    provisioning = _provisioning(out, okta, okta_app)
    if provisioning:
        out.data["provisioning"] = provisioning
    adopt: dict[str, Any] = {"okta_app_id": app_id}
    if isinstance(grafana.account, dict):
        adopt["service_account_id"] = f"{grafana.account.get('orgId', 1)}:{grafana.account.get('id')}"
    if isinstance(grafana.sso, dict) and (sso_settings or {}).get("enabled"):
        adopt["grafana_sso_settings"] = "saml"
    if isinstance(grafana.scim, dict) and where.scim_managed:
        adopt["grafana_scim_config"] = "scim-config"
    adopt["okta_group_assignments"] = (
        {
            (a.get("group") or a.get("group_id")): f"{app_id}/{_id_of(a, okta)}"
            for a in okta_app["assignments"]
        }
        if okta_app["assignments"]
        else {}
    )
    pushed = {m["sourceGroupId"]: m for m in okta.mappings or [] if m.get("status") == "ACTIVE"}
    adopt["okta_push_mappings"] = {
        name: f"{app_id}/{pushed[_group_id(name, okta)]['id']}" for name in okta_app["push_groups"]
    }
    out.data["adopt"] = {k: v for k, v in adopt.items() if v}
    if okta_app["push_groups"] or (
        isinstance(grafana.scim, dict) and grafana.scim.get("enableUserSync") and (app.get("features") or [])
    ):
        out.phase = 2
    if scim.get("reject_non_provisioned_users"):
        out.phase = 3
    return out


def _group_id(name: str, okta: OktaState) -> str:
    return str(next(a["id"] for a in okta.assignments if a["name"] == name))


def _id_of(assignment: dict[str, Any], okta: OktaState) -> str:
    return assignment.get("group_id") or _group_id(assignment["group"], okta)


def _saml(
    out: Composed, sign_on: dict[str, Any], live: dict[str, Any] | None, grafana: GrafanaState
) -> dict[str, Any]:
    saml: dict[str, Any] = {}
    signature = SIGNATURES.get(str(sign_on.get("signatureAlgorithm")))
    if signature and signature != "rsa-sha256":
        saml["signature_algorithm"] = signature
    name_id = (live or {}).get("nameIdFormat") or sign_on.get("subjectNameIdFormat")
    default_name_id = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    if name_id and NAME_ID.match(str(name_id)) and name_id != default_name_id:
        saml["name_id_format"] = name_id
    if isinstance(grafana.sso, Unread):
        out.findings.append(
            Finding(
                "not read",
                "grafana_sso",
                f"Grafana SAML settings {grafana.sso.why}; the spec takes the defaults there",
            )
        )
        return saml
    if live is None or not live.get("enabled"):
        out.findings.append(
            Finding(
                "not found",
                "grafana_sso",
                "Grafana has no enabled SAML settings; Terraform will configure them",
            )
        )
        return saml
    out.sources.append("saml: GET /api/v1/sso-settings/saml (secrets not read back)")
    if isinstance(grafana.sso, dict) and grafana.sso.get("key_pair_set"):
        out.findings.append(
            Finding(
                "differs",
                "grafana_sso",
                "a SAML key pair is set in Grafana and cannot be read back: set "
                "TF_VAR_grafana_saml_certificate and TF_VAR_grafana_saml_private_key to the same "
                "pair before the first apply, or the update removes it (changes sign-in where Okta "
                "expects signed requests)",
            )
        )
    attributes: dict[str, Any] = {}
    for spec_key, key, default in (
        ("login", "assertionAttributeLogin", "login"),
        ("email", "assertionAttributeEmail", "email"),
        ("name", "assertionAttributeName", "displayName"),
        ("external_uid", "assertionAttributeExternalUid", "userUID"),
    ):
        value = live.get(key)
        if value and value != default:
            attributes[spec_key] = value
        if spec_key == "external_uid" and not value:
            out.findings.append(
                Finding(
                    "differs",
                    "grafana_sso",
                    "no external-uid attribute: the "
                    "spec sets userUID, which SCIM matches users on "
                    "(changes sign-in)",
                )
            )
    groups = live.get("assertionAttributeGroups") or None
    if groups != "groups":
        attributes["groups"] = groups
    if attributes:
        saml["assertion_attributes"] = attributes
    role = live.get("assertionAttributeRole") or None
    values = {
        r: grafana_list_values(live.get(f"roleValues{r.title()}")) for r in ("admin", "editor", "viewer")
    }
    if role and role != groups:
        saml["role_attribute"] = role
    if role and any(values.values()):
        saml["role_values"] = {k: v for k, v in values.items() if v}
    if live.get("allowSignUp") is True:
        out.findings.append(
            Finding(
                "differs",
                "grafana_sso",
                "allow_sign_up: live true; the spec keeps "
                "the default (false while SCIM provisions users) — changes "
                "sign-in; set saml.allow_sign_up: true to keep it",
            )
        )
    if live.get("autoLogin"):
        saml["auto_login"] = True
    if live.get("orgMapping"):
        saml["org_mapping"] = grafana_list_values(live["orgMapping"])
    if isinstance(live.get("skipOrgRoleSync"), bool):
        saml["skip_org_role_sync"] = live["skipOrgRoleSync"]
    if live.get("assertionAttributeOrg") and live["assertionAttributeOrg"] != "org":
        saml["org_attribute"] = live["assertionAttributeOrg"]
    return saml


def _scim(out: Composed, where: Where, grafana: GrafanaState) -> dict[str, Any]:
    if isinstance(grafana.scim, Unread):
        out.findings.append(
            Finding(
                "not read", "grafana_scim", f"SCIM config {grafana.scim.why}; the spec takes the defaults"
            )
        )
        return {}
    if grafana.scim is None:
        out.findings.append(
            Finding(
                "not found",
                "grafana_scim",
                f"no SCIM config in namespace {where.namespace}; the spec takes the defaults",
            )
        )
        return {}
    out.sources.append(
        f"scim: GET /apis/scim.grafana.app/v0alpha1/namespaces/{where.namespace}/config/default"
    )
    return {
        "user_sync": bool(grafana.scim.get("enableUserSync")),
        "group_sync": bool(grafana.scim.get("enableGroupSync")),
        "reject_non_provisioned_users": bool(grafana.scim.get("rejectNonProvisionedUsers")),
    }


def _account(out: Composed, where: Where, grafana: GrafanaState) -> dict[str, Any]:
    account: dict[str, Any] = {"name": where.service_account}
    if isinstance(grafana.account, Unread):
        out.findings.append(Finding("not read", "service_account", f"service account {grafana.account.why}"))
        return account
    if grafana.account is None:
        out.findings.append(
            Finding(
                "not found",
                "service_account",
                f"no service account named {where.service_account!r}; Terraform will create it",
            )
        )
        return account
    out.sources.append(f"service_account: GET /api/serviceaccounts/search?query={where.service_account}")
    role = grafana.account.get("role") or "Admin"
    account["role"] = role if role in ("Admin", "Editor", "Viewer", "None") else "Admin"
    if account["role"] == "None":
        account["fixed_roles"] = ["fixed:org.users:writer", "fixed:teams:writer"]
        out.findings.append(
            Finding(
                "not discoverable",
                "service_account",
                "role None: its role "
                "assignments were not read; the spec grants fixed:org.users:writer "
                "and fixed:teams:writer",
            )
        )
    if isinstance(grafana.tokens, list) and grafana.tokens:
        names = ", ".join(f"{t['name']} (expires {t.get('expiration') or 'never'})" for t in grafana.tokens)
        out.findings.append(
            Finding(
                "cannot adopt",
                "service_account_token",
                f"existing tokens: {names}. "
                "A token's secret cannot be imported: Terraform creates a new "
                "token, which must be pasted into Okta (Provisioning > Integration)",
            )
        )
    else:
        out.findings.append(
            Finding(
                "cannot adopt",
                "service_account_token",
                "Terraform creates a new token, which must be pasted into Okta (Provisioning > Integration)",
            )
        )
    return account


def _okta_app(
    out: Composed, okta: OktaState, saml: dict[str, Any], scim: dict[str, Any], sign_on: dict[str, Any]
) -> dict[str, Any]:
    app = okta.app
    result: dict[str, Any] = {"label": app.get("label") or "Grafana"}
    attributes = saml.get("assertion_attributes") or {}
    statements = {s.get("name"): s for s in sign_on.get("attributeStatements") or [] if isinstance(s, dict)}
    name_statement = statements.get(attributes.get("name", "displayName"))
    if name_statement and name_statement.get("values"):
        expression = unescape(name_statement["values"][0])
        if expression != DEFAULT_NAME_EXPRESSION:
            result["name_expression"] = expression
    group_statement = statements.get(attributes.get("groups", "groups"))
    if group_statement and group_statement.get("type") == "GROUP":
        kind, value = group_statement.get("filterType"), group_statement.get("filterValue")
        known = kind in ("STARTS_WITH", "EQUALS", "CONTAINS", "REGEX")
        if known and value and (kind, value) != ("REGEX", ".*"):
            result["groups_filter"] = {"type": kind, "value": value}
    hidden = dig(app, ("visibility", "hide", "web"))
    if hidden is False:
        result["tile"] = "idp-initiated"
    result.update(kept_app_settings(app, sign_on))
    pushed = {m.get("sourceGroupId"): m for m in okta.mappings or [] if isinstance(m, dict)}
    names = [a["name"] for a in okta.assignments]
    push_groups = []
    for a in okta.assignments:
        mapping = pushed.get(a["id"])
        if mapping is None:
            continue
        if mapping.get("status") != "ACTIVE":
            out.findings.append(
                Finding(
                    "not adopted",
                    "okta_push",
                    f"push mapping {mapping.get('id')} of "
                    f"{a['name']} is {mapping.get('status')}: not in use, left alone",
                )
            )
        elif not scim.get("group_sync"):
            out.findings.append(
                Finding(
                    "not adopted",
                    "okta_push",
                    f"push mapping of {a['name']}: "
                    "Grafana's SCIM group sync is off, so the spec cannot push groups",
                )
            )
        elif a["type"] not in ("OKTA_GROUP", "APP_GROUP") or names.count(a["name"]) > 1:
            out.findings.append(
                Finding(
                    "not adopted",
                    "okta_push",
                    f"push mapping of {a['name']}: not a uniquely named Okta group, left alone",
                )
            )
        else:
            push_groups.append(a["name"])
    assigned = {a["id"] for a in okta.assignments}
    for source, mapping in pushed.items():
        if source not in assigned:
            out.findings.append(
                Finding(
                    "not adopted",
                    "okta_push",
                    f"push mapping {mapping.get('id')} of "
                    f"group {source}, which is not assigned to the app: left alone",
                )
            )
    if okta.mappings is None:
        out.findings.append(Finding("not read", "okta_push", okta.mappings_note))
    result["assignments"] = [
        ({"group": a["name"]} if a["name"] in push_groups else {"group_id": a["id"]})
        | ({"priority": a["priority"]} if a["priority"] else {})
        for a in okta.assignments
    ]
    for a in okta.assignments:
        out.findings.append(
            Finding(
                "adopted",
                "okta_assignment",
                f"{a['name']} ({a['id']}) priority {a['priority']}: one okta_app_group_assignment, imported",
            )
        )
    result["assignments_authoritative"] = False
    result["push_groups"] = push_groups
    for user in okta.direct_users:
        out.findings.append(
            Finding(
                "kept",
                "okta_user",
                f"{user['userName']} ({user['id']}) is assigned directly: kept, not managed",
            )
        )
    return result


DEFAULT_USER_NAME_TEMPLATE = ("${source.login}", "BUILT_IN")


def kept_app_settings(app: dict[str, Any], sign_on: dict[str, Any]) -> dict[str, Any]:
    """The adopted app's settings an okta_app_saml update (a full PUT from configuration plus
    provider defaults) would reset, as spec keys; only those that differ from the defaults.
    Also its access policy (from the app's accessPolicy link), so it keeps the one it has."""
    found: dict[str, Any] = {}
    template = dig(app, ("credentials", "userNameTemplate")) or {}
    if isinstance(template, dict) and template.get("template"):
        pair = (str(template["template"]), str(template.get("type") or "BUILT_IN"))
        if pair != DEFAULT_USER_NAME_TEMPLATE:
            found["user_name_template"] = pair[0]
            if pair[1] != "CUSTOM":
                found["user_name_template_type"] = pair[1]
    slo = sign_on.get("slo") or {}
    if isinstance(slo, dict) and slo.get("enabled") and slo.get("logoutUrl") and slo.get("spIssuer"):
        logout: dict[str, Any] = {"url": slo["logoutUrl"], "issuer": slo["spIssuer"]}
        certificates = dig(sign_on, ("spCertificate", "x5c")) or []
        if isinstance(certificates, list) and certificates:
            logout["certificate"] = str(certificates[0])
        found["single_logout"] = logout
    endpoints = [e for e in sign_on.get("acsEndpoints") or [] if isinstance(e, dict) and e.get("url")]
    if endpoints:
        found["acs_endpoints"] = [e["url"] for e in sorted(endpoints, key=lambda e: e.get("index") or 0)]
    for key, field_name in (
        ("honorForceAuthn", "honor_force_authn"),
        ("samlSignedRequestEnabled", "saml_signed_request_enabled"),
    ):
        if sign_on.get(key) is True:
            found[field_name] = True
    if dig(app, ("accessibility", "selfService")) is True:
        found["accessibility_self_service"] = True
    policy = dig(app, ("_links", "accessPolicy", "href"))
    if isinstance(policy, str) and policy.rstrip("/"):
        found["authentication_policy"] = policy.rstrip("/").rsplit("/", 1)[-1]
    return found


def _provisioning(out: Composed, okta: OktaState, okta_app: dict[str, Any]) -> dict[str, Any]:
    features = set(okta.app.get("features") or [])
    result: dict[str, Any] = {}
    if features:
        for (section, key), name in FEATURE_FLAGS.items():
            if name not in features:
                result.setdefault(section, {})[key] = False
    if okta_app["push_groups"]:
        result.setdefault("actions", {})["push_groups"] = True
    return result


def validate(spec_data: dict[str, Any]) -> Integration:
    """The integration through the spec models (ValueError lines on a rule it breaks)."""
    return Integration.model_validate(spec_data)
