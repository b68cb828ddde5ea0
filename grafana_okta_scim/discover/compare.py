"""Live values against what the generated Terraform sets, field by field.

Shared by `discover` (the report) and `verify --drift` (the checks). Expected values are read
from the built document's elements, so they are exactly what Terraform will write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..document import BlockList, Expr, TerraformDocument
from ..spec import Integration
from ..synth.derive import grafana_list_values
from .live import GrafanaState, OktaState, Unread

Impact = Literal["keeps access", "changes sign-in", "removes access"]

# okta_app_saml argument -> (path in Okta's Application object, impact of a difference).
OKTA_APP_FIELDS: dict[str, tuple[tuple[str, ...], Impact]] = {
    "label": (("label",), "keeps access"),
    "sso_url": (("settings", "signOn", "ssoAcsUrl"), "changes sign-in"),
    "recipient": (("settings", "signOn", "recipient"), "changes sign-in"),
    "destination": (("settings", "signOn", "destination"), "changes sign-in"),
    "audience": (("settings", "signOn", "audience"), "changes sign-in"),
    "subject_name_id_template": (("settings", "signOn", "subjectNameIdTemplate"), "changes sign-in"),
    "subject_name_id_format": (("settings", "signOn", "subjectNameIdFormat"), "changes sign-in"),
    "signature_algorithm": (("settings", "signOn", "signatureAlgorithm"), "changes sign-in"),
    "digest_algorithm": (("settings", "signOn", "digestAlgorithm"), "changes sign-in"),
    "authn_context_class_ref": (("settings", "signOn", "authnContextClassRef"), "changes sign-in"),
    "response_signed": (("settings", "signOn", "responseSigned"), "changes sign-in"),
    "assertion_signed": (("settings", "signOn", "assertionSigned"), "changes sign-in"),
    "hide_web": (("visibility", "hide", "web"), "keeps access"),
    "hide_ios": (("visibility", "hide", "iOS"), "keeps access"),
    "default_relay_state": (("settings", "signOn", "defaultRelayState"), "keeps access"),
}
# Grafana SAML settings Terraform clears when the spec does not set them.
SSO_CLEARED = (
    "assertion_attribute_role",
    "role_values_admin",
    "role_values_editor",
    "role_values_viewer",
    "assertion_attribute_org",
    "org_mapping",
    "allow_idp_initiated",
    "relay_state",
    "assertion_attribute_groups",
)
SSO_COSMETIC = frozenset({"name"})
SECRET_KEYS = frozenset({"certificate", "private_key"})


@dataclass(frozen=True)
class Difference:
    """One live value that the generated Terraform would change (or leave unmanaged)."""

    object: str
    field: str
    live: Any
    expected: Any
    impact: Impact

    @property
    def text(self) -> str:
        return f"{self.object}.{self.field}: live {_show(self.live)}, Terraform sets {_show(self.expected)}"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def camel(name: str) -> str:
    """snake_case -> camelCase, as Grafana's SSO settings API spells setting keys."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def unescape(value: Any) -> Any:
    """An Okta expression as Okta stores it (`$${` -> `${`)."""
    return value.replace("$${", "${") if isinstance(value, str) else value


def element_body(doc: TerraformDocument, type_: str) -> dict[str, Any] | None:
    for element in doc.elements:
        if element.kind == "resource" and element.type == type_:
            return element.body
    return None


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _equal(live: Any, expected: Any) -> bool:
    if _blank(live) and _blank(expected):
        return True
    if isinstance(expected, bool) or isinstance(live, bool):
        return bool(live) == bool(expected)
    return bool(live == expected)


def okta_app(doc: TerraformDocument, integration: Integration, okta: OktaState) -> list[Difference]:
    """The app's SAML fields and attribute statements against okta_app_saml."""
    body = element_body(doc, "okta_app_saml") or {}
    found: list[Difference] = []
    for argument, (path, impact) in OKTA_APP_FIELDS.items():
        expected = unescape(body.get(argument))
        if isinstance(expected, Expr):
            continue
        live = dig(okta.app, path)
        if not _equal(live, expected):
            found.append(Difference("okta_app", argument, live, expected, impact))
    return found + statements(doc, integration, okta)


def _statement(raw: dict[str, Any]) -> dict[str, Any]:
    """A statement in one shape, whether from okta_app_saml (snake) or Okta's API (camel)."""
    kind = raw.get("type", "EXPRESSION")
    if kind == "GROUP":
        return {
            "type": kind,
            "filter_type": raw.get("filter_type", raw.get("filterType")),
            "filter_value": raw.get("filter_value", raw.get("filterValue")),
        }
    return {"type": kind, "values": [unescape(v) for v in raw.get("values") or []]}


def statements(doc: TerraformDocument, integration: Integration, okta: OktaState) -> list[Difference]:
    """Attribute statements by name: missing, different, or extra on the live app."""
    body = element_body(doc, "okta_app_saml") or {}
    blocks = body.get("attribute_statements")
    wanted: dict[Any, dict[str, Any]] = {
        b["name"]: _statement(b) for b in (blocks.bodies if isinstance(blocks, BlockList) else ())
    }
    live: dict[Any, dict[str, Any]] = {
        s.get("name"): _statement(s)
        for s in dig(okta.app, ("settings", "signOn", "attributeStatements")) or []
        if isinstance(s, dict)
    }
    attributes = integration.saml.assertion_attributes
    cosmetic = {attributes.name}
    found = []
    for name in sorted(set(wanted) | set(live), key=str):
        if wanted.get(name) == live.get(name):
            continue
        impact: Impact = "keeps access" if name in cosmetic or name not in wanted else "changes sign-in"
        found.append(
            Difference(
                "okta_app",
                f"attribute_statements[{name}]",
                _statement_text(live.get(name)),
                _statement_text(wanted.get(name)),
                impact,
            )
        )
    return found


def _statement_text(statement: dict[str, Any] | None) -> str | None:
    if statement is None:
        return None
    if statement["type"] == "GROUP":
        return f"GROUP {statement['filter_type']} {statement['filter_value']}"
    return " ".join(statement["values"])


def sso(doc: TerraformDocument, grafana: GrafanaState, metadata_url: str | None) -> list[Difference]:
    """Grafana's SAML settings against grafana_sso_settings (secrets never compared)."""
    body = element_body(doc, "grafana_sso_settings")
    if body is None or isinstance(grafana.sso, Unread):
        return []
    blocks = body["saml_settings"]
    expected = dict(blocks.bodies[0]) if isinstance(blocks, BlockList) else {}
    live = (grafana.sso or {}).get("settings") or {}
    if grafana.sso is None:
        return [Difference("grafana_sso", "enabled", None, True, "changes sign-in")]
    found = []
    for key in [*expected, *(k for k in SSO_CLEARED if k not in expected)]:
        if key in SECRET_KEYS:
            continue
        want: Any = expected.get(key)
        if key == "idp_metadata_url":
            want = metadata_url
        if isinstance(want, Expr) or (key == "idp_metadata_url" and want is None):
            continue
        have = live.get(camel(key), live.get(key))
        if key.startswith("role_values_") or key == "org_mapping":
            have = grafana_list_values(have)
            want = grafana_list_values(want)
        if not _equal(have, want):
            impact: Impact = "keeps access" if key in SSO_COSMETIC else "changes sign-in"
            found.append(Difference("grafana_sso", key, have, want, impact))
    return found


def scim(doc: TerraformDocument, grafana: GrafanaState, phase: int) -> list[Difference]:
    """Grafana's SCIM config against grafana_scim_config in the given phase."""
    body = element_body(doc, "grafana_scim_config")
    if body is None or isinstance(grafana.scim, Unread):
        return []
    live = grafana.scim or {}
    found = []
    for argument, key in (
        ("enable_user_sync", "enableUserSync"),
        ("enable_group_sync", "enableGroupSync"),
        ("reject_non_provisioned_users", "rejectNonProvisionedUsers"),
    ):
        want = body.get(argument)
        if isinstance(want, Expr):
            want = phase >= 3
        have = live.get(key) if grafana.scim is not None else None
        if grafana.scim is None or not _equal(have, want):
            impact: Impact = (
                "changes sign-in" if argument == "reject_non_provisioned_users" else "keeps access"
            )
            found.append(Difference("grafana_scim", argument, have, want, impact))
    return found


def assignments(integration: Integration, okta: OktaState) -> list[Difference]:
    """Group assignments: missing or re-prioritised, and (authoritative) extra ones removed."""
    live = {a["id"]: a for a in okta.assignments}
    by_name = {a["name"]: a for a in okta.assignments}
    found = []
    listed: set[str] = set()
    for assignment in integration.okta_app.assignments:
        key = assignment.group or assignment.group_id or ""
        have = by_name.get(key) if assignment.group else live.get(key)
        if have is None:
            found.append(
                Difference("okta_assignment", key, None, f"priority {assignment.priority}", "changes sign-in")
            )
            continue
        listed.add(have["id"])
        if have["priority"] != assignment.priority:
            found.append(
                Difference(
                    "okta_assignment",
                    key,
                    f"priority {have['priority']}",
                    f"priority {assignment.priority}",
                    "keeps access",
                )
            )
    from ..synth.derive import assignments_authoritative

    if integration.okta_app.assignments and assignments_authoritative(integration):
        for group_id, have in live.items():
            if group_id not in listed:
                found.append(
                    Difference(
                        "okta_assignment",
                        have["name"],
                        f"priority {have['priority']}",
                        None,
                        "removes access",
                    )
                )
    return found


def push_mappings(integration: Integration, okta: OktaState, phase: int) -> list[Difference]:
    """Push mappings of the spec's push groups (phase 2 and later): missing or not ACTIVE."""
    groups = integration.okta_app.push_groups
    if not groups or okta.mappings is None:
        return []
    ids = {a["name"]: a["id"] for a in okta.assignments}
    by_source = {m.get("sourceGroupId"): m for m in okta.mappings if isinstance(m, dict)}
    found = []
    for name in groups:
        mapping = by_source.get(ids.get(name))
        status = None if mapping is None else mapping.get("status")
        want = "ACTIVE" if phase >= 2 else None
        if want is None and mapping is not None:
            found.append(Difference("okta_push", name, status, None, "keeps access"))
        elif want is not None and status != want:
            found.append(Difference("okta_push", name, status, want, "keeps access"))
    return found


def service_account(doc: TerraformDocument, grafana: GrafanaState) -> list[Difference]:
    """The service account's role."""
    body = element_body(doc, "grafana_service_account")
    if body is None or not isinstance(grafana.account, dict):
        return []
    if grafana.account.get("role") != body.get("role"):
        return [
            Difference(
                "service_account", "role", grafana.account.get("role"), body.get("role"), "keeps access"
            )
        ]
    return []


ImportImpact = Literal["update on first apply, no effect on access"]


@dataclass(frozen=True)
class ImportUpdate:
    """An attribute an import leaves at a value the generated configuration changes: Terraform
    plans it on the first apply although nothing differs live."""

    object: str
    key: str
    field: str
    imported: Any
    expected: Any
    impact: ImportImpact
    why: str


# From the providers' importers and reads at the pinned versions (okta v6.12.0, grafana v4.45.1):
# - okta_app_saml: appImporter (okta/services/idaas/app.go) keeps only the id and
#   resourceAppSamlRead never sets skip_authentication_policy, whose SDK default is false; the
#   update it causes is a full PUT of the app (resourceAppSamlUpdate -> buildSamlApp).
# - okta_push_group: ImportState (resource_okta_push_group.go) sets app_id and id, the read maps
#   source/target group ids and status only; target_group_name (RequiresReplace; the generated
#   configuration ignores its changes) and delete_target_group_on_destroy (default true; the
#   configuration sets false) stay null.
# - okta_app_group_assignment: the importer sets retain_assignment=false, the default: no update.
# - grafana_sso_settings, grafana_scim_config, grafana_service_account: every configured
#   attribute is read back (secrets stay null, as the configuration leaves them by default).
SKIP_POLICY_WHY = (
    "the importer never sets this provider-side flag, so the first apply updates okta_app_saml: a "
    "full PUT of the app built from the configuration plus the provider's defaults "
    "(resource_okta_app_saml.go, resourceAppSamlUpdate), then the app's access policy is set "
    "again; the spec carries the app's settings and policy so the PUT keeps them. Re-check the "
    "Provisioning tab afterwards (okta provider issue #655)"
)
PUSH_FLAG_WHY = (
    "the import does not read this provider-side flag; Terraform records false, so a "
    "later destroy keeps the Grafana team"
)


def import_updates(doc: TerraformDocument) -> list[ImportUpdate]:
    """What the document's import blocks leave for the first apply to change."""
    found: list[ImportUpdate] = []
    for block in doc.imports:
        type_, _, rest = block.to.partition(".")
        key = rest.partition("[")[2].rstrip("]").strip('"')
        if type_ == "okta_app_saml":
            found.append(
                ImportUpdate(
                    "okta_app",
                    "",
                    "skip_authentication_policy",
                    None,
                    False,
                    "update on first apply, no effect on access",
                    SKIP_POLICY_WHY,
                )
            )
        elif type_ == "okta_push_group":
            body = element_body(doc, "okta_push_group") or {}
            flag = body.get("delete_target_group_on_destroy")
            if flag is not None:
                found.append(
                    ImportUpdate(
                        "okta_push",
                        key,
                        "delete_target_group_on_destroy",
                        None,
                        flag,
                        "update on first apply, no effect on access",
                        PUSH_FLAG_WHY,
                    )
                )
    return found


def compare(
    doc: TerraformDocument,
    integration: Integration,
    okta: OktaState,
    grafana: GrafanaState | None,
    phase: int,
) -> list[Difference]:
    """Every difference between the live setup and the document in `phase`."""
    metadata = dig(okta.app, ("_links", "metadata", "href"))
    found = okta_app(doc, integration, okta) + assignments(integration, okta)
    found += push_mappings(integration, okta, phase)
    if grafana is not None:
        found += sso(doc, grafana, metadata) + scim(doc, grafana, phase) + service_account(doc, grafana)
    return found
