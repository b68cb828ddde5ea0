"""The live setup -> one integration of a spec (a plain dict validated through the spec models),
plus the report's findings about what cannot be reproduced or adopted."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..live import PROVISIONING_FEATURES
from ..spec import DEFAULT_NAME_EXPRESSION, NAME_ID_FORMAT_PATTERN, AssertionAttributes, Integration, Saml
from ..synth.derive import grafana_list_values
from ..synth.fixed_values import OKTA_GROUP_TYPES, SPEC_SIGNATURE_OF_OKTA
from .compare import dig, unescape
from .live import GrafanaState, OktaState, Unread

# Push Groups follows from the push mappings discover adopts, not from the feature list.
FEATURE_FLAGS = {
    where: name for where, name in PROVISIONING_FEATURES.items() if where != ("actions", "push_groups")
}
ATTRIBUTE_DEFAULTS = AssertionAttributes()
DEFAULT_SIGNATURE = Saml.model_fields["signature_algorithm"].default
DEFAULT_NAME_ID = Saml.model_fields["name_id_format"].default
NOT_DISCOVERABLE = (
    "service_account.token (rotation and lifetime): a token's secret cannot be adopted; "
    "Terraform creates a new one",
    "service_account.via: instance",
    "provisioning.mode: manual (Okta answers UNKNOWN for a custom app's connection)",
    "okta_app.delete_pushed_teams_on_destroy: false",
    "terraform (backend, provider versions): defaults",
    "grafana.ini-only settings ([auth.scim] where the provider cannot reach the namespace)",
)
NAME_ID = re.compile(NAME_ID_FORMAT_PATTERN)


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
    saml = _signing(sign_on, live)
    if not _sso_readable(out, live, grafana):
        return saml
    out.sources.append("saml: GET /api/v1/sso-settings/saml (secrets not read back)")
    assert live is not None
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
    attributes = _attributes(out, live)
    if attributes:
        saml["assertion_attributes"] = attributes
    saml.update(_roles(live))
    saml.update(_sign_in(out, live))
    return saml


def _signing(sign_on: dict[str, Any], live: dict[str, Any] | None) -> dict[str, Any]:
    """The signature algorithm (Okta's) and NameID format (Grafana's, else Okta's) where they
    differ from the spec's defaults."""
    saml: dict[str, Any] = {}
    signature = SPEC_SIGNATURE_OF_OKTA.get(str(sign_on.get("signatureAlgorithm")))
    if signature and signature != DEFAULT_SIGNATURE:
        saml["signature_algorithm"] = signature
    name_id = (live or {}).get("nameIdFormat") or sign_on.get("subjectNameIdFormat")
    if name_id and NAME_ID.match(str(name_id)) and name_id != DEFAULT_NAME_ID:
        saml["name_id_format"] = name_id
    return saml


def _sso_readable(out: Composed, live: dict[str, Any] | None, grafana: GrafanaState) -> bool:
    """True when Grafana's SAML settings were read and are enabled; else a finding says why."""
    if isinstance(grafana.sso, Unread):
        out.findings.append(
            Finding(
                "not read",
                "grafana_sso",
                f"Grafana SAML settings {grafana.sso.why}; the spec takes the defaults there",
            )
        )
        return False
    if live is None or not live.get("enabled"):
        out.findings.append(
            Finding(
                "not found",
                "grafana_sso",
                "Grafana has no enabled SAML settings; Terraform will configure them",
            )
        )
        return False
    return True


def _attributes(out: Composed, live: dict[str, Any]) -> dict[str, Any]:
    """The assertion attribute names that differ from the spec's defaults."""
    attributes: dict[str, Any] = {}
    for spec_key, key in (
        ("login", "assertionAttributeLogin"),
        ("email", "assertionAttributeEmail"),
        ("name", "assertionAttributeName"),
        ("external_uid", "assertionAttributeExternalUid"),
    ):
        value = live.get(key)
        if value and value != getattr(ATTRIBUTE_DEFAULTS, spec_key):
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
    if groups != ATTRIBUTE_DEFAULTS.groups:
        attributes["groups"] = groups
    return attributes


def _roles(live: dict[str, Any]) -> dict[str, Any]:
    """The role attribute (when not the groups attribute) and the role values."""
    found: dict[str, Any] = {}
    groups = live.get("assertionAttributeGroups") or None
    role = live.get("assertionAttributeRole") or None
    values = {
        r: grafana_list_values(live.get(f"roleValues{r.title()}")) for r in ("admin", "editor", "viewer")
    }
    if role and role != groups:
        found["role_attribute"] = role
    if role and any(values.values()):
        found["role_values"] = {k: v for k, v in values.items() if v}
    return found


def _sign_in(out: Composed, live: dict[str, Any]) -> dict[str, Any]:
    """Sign-up, auto-login and org settings."""
    found: dict[str, Any] = {}
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
        found["auto_login"] = True
    if live.get("orgMapping"):
        found["org_mapping"] = grafana_list_values(live["orgMapping"])
    if isinstance(live.get("skipOrgRoleSync"), bool):
        found["skip_org_role_sync"] = live["skipOrgRoleSync"]
    if live.get("assertionAttributeOrg") and live["assertionAttributeOrg"] != "org":
        found["org_attribute"] = live["assertionAttributeOrg"]
    return found


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
        new_name = free_token_name(where.service_account, {str(t.get("name")) for t in grafana.tokens})
        if new_name != f"{where.service_account}-okta":
            account["token"] = {"name": new_name}
        out.findings.append(
            Finding(
                "cannot adopt",
                "service_account_token",
                f"existing tokens: {names}. "
                f"A token's secret cannot be imported: Terraform creates a new token {new_name} "
                "(Grafana refuses a duplicate name), which must be pasted into Okta (Provisioning > "
                "Integration); then revoke the old one in Grafana (SCIM_SETUP.md, Warnings)",
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


def free_token_name(account: str, taken: set[str]) -> str:
    """`<account>-okta`, or `<account>-okta-2`, `-3`, ... when the account already has a token of
    that name (Grafana answers 409 to a duplicate token name)."""
    name, number = f"{account}-okta", 1
    while name in taken:
        number += 1
        name = f"{account}-okta-{number}"
    return name


def _okta_app(
    out: Composed, okta: OktaState, saml: dict[str, Any], scim: dict[str, Any], sign_on: dict[str, Any]
) -> dict[str, Any]:
    app = okta.app
    result: dict[str, Any] = {"label": app.get("label") or "Grafana"}
    result.update(_statement_settings(saml, sign_on))
    if dig(app, ("visibility", "hide", "web")) is False:
        result["tile"] = "idp-initiated"
    result.update(kept_app_settings(app, sign_on))
    push_groups = _push_groups(out, okta, scim)
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


def _statement_settings(saml: dict[str, Any], sign_on: dict[str, Any]) -> dict[str, Any]:
    """name_expression and groups_filter, read from the app's attribute statements."""
    found: dict[str, Any] = {}
    attributes = saml.get("assertion_attributes") or {}
    statements = {s.get("name"): s for s in sign_on.get("attributeStatements") or [] if isinstance(s, dict)}
    name_statement = statements.get(attributes.get("name", ATTRIBUTE_DEFAULTS.name))
    if name_statement and name_statement.get("values"):
        expression = unescape(name_statement["values"][0])
        if expression != DEFAULT_NAME_EXPRESSION:
            found["name_expression"] = expression
    group_statement = statements.get(attributes.get("groups", ATTRIBUTE_DEFAULTS.groups))
    if group_statement and group_statement.get("type") == "GROUP":
        kind, value = group_statement.get("filterType"), group_statement.get("filterValue")
        known = kind in ("STARTS_WITH", "EQUALS", "CONTAINS", "REGEX")
        if known and value and (kind, value) != ("REGEX", ".*"):
            found["groups_filter"] = {"type": kind, "value": value}
    return found


def _push_groups(out: Composed, okta: OktaState, scim: dict[str, Any]) -> list[str]:
    """The assigned groups whose ACTIVE push mapping the spec can adopt; a finding for each
    mapping it leaves alone."""
    pushed = {m.get("sourceGroupId"): m for m in okta.mappings or [] if isinstance(m, dict)}
    names = [a["name"] for a in okta.assignments]
    push_groups = []
    for a in okta.assignments:
        mapping = pushed.get(a["id"])
        if mapping is None:
            continue
        why = _not_adoptable(a, mapping, scim, names.count(a["name"]))
        if why:
            out.findings.append(Finding("not adopted", "okta_push", why))
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
    return push_groups


def _not_adoptable(
    assignment: dict[str, Any], mapping: dict[str, Any], scim: dict[str, Any], same_named: int
) -> str:
    """Why the push mapping of an assigned group cannot be adopted ("" when it can)."""
    name = assignment["name"]
    if mapping.get("status") != "ACTIVE":
        return (
            f"push mapping {mapping.get('id')} of {name} is {mapping.get('status')}: not in use, left alone"
        )
    if not scim.get("group_sync"):
        return f"push mapping of {name}: Grafana's SCIM group sync is off, so the spec cannot push groups"
    if assignment["type"] not in OKTA_GROUP_TYPES or same_named > 1:
        return f"push mapping of {name}: not a uniquely named Okta group, left alone"
    return ""


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
    logout = _single_logout(sign_on)
    if logout:
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


def _single_logout(sign_on: dict[str, Any]) -> dict[str, Any] | None:
    """The app's single logout as spec data, when it is on and complete."""
    slo = sign_on.get("slo") or {}
    if not (isinstance(slo, dict) and slo.get("enabled") and slo.get("logoutUrl") and slo.get("spIssuer")):
        return None
    logout: dict[str, Any] = {"url": slo["logoutUrl"], "issuer": slo["spIssuer"]}
    certificates = dig(sign_on, ("spCertificate", "x5c")) or []
    if isinstance(certificates, list) and certificates:
        logout["certificate"] = str(certificates[0])
    return logout


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
