"""Adapter: the objects the twin holds (read through its Okta and Grafana APIs) -> a replay-harness
fixture answering ImportResourceState (and so the read after it) and the okta_group data source
the way the pinned providers' importers would, so real Terraform plans the adopted configuration
against the same live setup `discover` read.

What each importer leaves in state, from the providers' source at the pinned tags:
- okta_app_saml (okta v6.12.0, okta/services/idaas/resource_okta_app_saml.go resourceAppSamlRead,
  app.go setSamlSettings / appRead / appImporter): every sign-on field, label, status, visibility,
  attribute statements, metadata_url, the access policy's id; `skip_authentication_policy` is
  never set.
- okta_app_group_assignment (resource_okta_app_group_assignment.go): app_id, group_id and
  retain_assignment=false from the importer, priority and profile from the read. The profile
  ("{}") is left out here: the provider's DiffSuppressFunc (utils.NoChangeInObjectFromUnmarshaledJSON)
  suppresses it against an unset config, which the replay provider cannot know.
- okta_push_group (resource_okta_push_group.go ImportState / mapPushGroupResourceToState): app_id
  and id from the importer; source_group_id, target_group_id and status from the read. Neither
  target_group_name nor delete_target_group_on_destroy is ever read.
- grafana_sso_settings (grafana v4.45.1, internal/resources/grafana/resource_sso_settings.go
  ReadSSOSettings): every setting the API returns, secrets from the (empty) state.
- grafana_scim_config, grafana_service_account (resource_scim_config.go,
  resource_service_account.go): every attribute read back.
SDKv2 treats "" as unset, so empty strings from Okta are left null here.
"""

from __future__ import annotations

import json
from typing import Any

from grafana_okta_scim.discover.compare import dig
from tests.terraform.harness.launcher import vendored_schema_dir

from .conftest import Live

# okta_app_saml arguments -> the Application object's settings.signOn keys.
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

SCHEMAS = vendored_schema_dir()


def _saml_keys() -> set[str]:
    document = json.loads((SCHEMAS / "grafana-4.45.1.json").read_text(encoding="utf-8"))
    ((_, schemas),) = document["provider_schemas"].items()
    block = schemas["resource_schemas"]["grafana_sso_settings"]["block"]
    return set(block["block_types"]["saml_settings"]["block"]["attributes"])


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _set(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "":
        out[key] = value


def okta_app_state(app: dict[str, Any]) -> dict[str, Any]:
    sign_on = dig(app, ("settings", "signOn")) or {}
    state: dict[str, Any] = {
        "label": app["label"],
        "status": app.get("status"),
        "sign_on_mode": app.get("signOnMode"),
        "hide_web": dig(app, ("visibility", "hide", "web")),
        "hide_ios": dig(app, ("visibility", "hide", "iOS")),
        "auto_submit_toolbar": dig(app, ("visibility", "autoSubmitToolbar")),
        "metadata_url": dig(app, ("_links", "metadata", "href")),
        "name": app.get("name"),
        "saml_version": "1.1" if app.get("signOnMode") == "SAML_1_1" else "2.0",
        "honor_force_authn": bool(sign_on.get("honorForceAuthn")),
        "saml_signed_request_enabled": bool(sign_on.get("samlSignedRequestEnabled")),
        "accessibility_self_service": bool(dig(app, ("accessibility", "selfService"))),
        # resourceAppSamlRead (resource_okta_app_saml.go:504-505): unless skip_authentication_policy,
        # the policy id from the app's _links.accessPolicy
        "authentication_policy": str(dig(app, ("_links", "accessPolicy", "href")) or "").rsplit("/", 1)[-1]
        or None,
        # Okta answers every app with credentials.userNameTemplate (its documented default
        # if it were missing)
        "user_name_template": dig(app, ("credentials", "userNameTemplate", "template")) or "${source.login}",
        "user_name_template_type": dig(app, ("credentials", "userNameTemplate", "type")) or "BUILT_IN",
    }
    for argument, key in OKTA_FIELDS.items():
        _set(state, argument, sign_on.get(key))
    statements = []
    for raw in sign_on.get("attributeStatements") or []:
        entry: dict[str, Any] = {
            "name": raw["name"],
            "namespace": raw.get("namespace"),
            "type": raw.get("type"),
        }
        _set(entry, "values", raw.get("values") or None)
        _set(entry, "filter_type", raw.get("filterType"))
        _set(entry, "filter_value", raw.get("filterValue"))
        statements.append(entry)
    state["attribute_statements"] = statements
    return state


def fixture(live: Live, spec: dict[str, Any]) -> dict[str, Any]:
    """Import and data-source answers for the discovered integration `spec` (YAML data)."""
    adopt = spec["adopt"]
    app_id = adopt["okta_app_id"]
    okta, grafana = live.world.okta_api, live.world.grafana_api
    imports: list[dict[str, Any]] = [
        {
            "type": "okta_app_saml",
            "id": app_id,
            "values": okta_app_state(okta("GET", f"/api/v1/apps/{app_id}")),
        }
    ]
    assigned = okta("GET", f"/api/v1/apps/{app_id}/groups", limit="200")
    priorities = {g["id"]: g.get("priority", 0) for g in assigned}
    for import_id in (adopt.get("okta_group_assignments") or {}).values():
        _, group = import_id.split("/")
        imports.append(
            {
                "type": "okta_app_group_assignment",
                "id": import_id,
                "values": {
                    "app_id": app_id,
                    "group_id": group,
                    "retain_assignment": False,
                    "priority": priorities[group],
                },
            }
        )
    mappings = {m["id"]: m for m in okta("GET", f"/api/v1/apps/{app_id}/group-push/mappings", limit="100")}
    for import_id in (adopt.get("okta_push_mappings") or {}).values():
        _, mapping_id = import_id.split("/")
        mapping = mappings[mapping_id]
        imports.append(
            {
                "type": "okta_push_group",
                "id": import_id,
                "values": {
                    "app_id": app_id,
                    "source_group_id": mapping["sourceGroupId"],
                    "target_group_id": mapping["targetGroupId"],
                    "status": mapping["status"],
                },
            }
        )
    sso = grafana("GET", "/api/v1/sso-settings/saml")["settings"]
    if "grafana_sso_settings" in adopt:
        keys = _saml_keys()
        settings = {
            _snake(k): v
            for k, v in sso.items()
            if _snake(k) in keys and _snake(k) not in ("certificate", "private_key")
        }
        imports.append(
            {
                "type": "grafana_sso_settings",
                "id": adopt["grafana_sso_settings"],
                "values": {"provider_name": "saml", "saml_settings": [settings]},
            }
        )
    if "grafana_scim_config" in adopt:
        namespace = (
            adopt["grafana_scim_config"].split(":")[-1]
            if ":" in adopt["grafana_scim_config"]
            else "stacks-123456"
        )
        live_spec = grafana("GET", f"/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}/config/default")[
            "spec"
        ]
        imports.append(
            {
                "type": "grafana_scim_config",
                "id": adopt["grafana_scim_config"],
                "values": {
                    "org_id": "1",
                    "enable_user_sync": live_spec["enableUserSync"],
                    "enable_group_sync": live_spec["enableGroupSync"],
                    "reject_non_provisioned_users": live_spec["rejectNonProvisionedUsers"],
                },
            }
        )
    if "service_account_id" in adopt:
        org_id, number = adopt["service_account_id"].split(":")
        (account,) = [
            a
            for a in grafana("GET", "/api/serviceaccounts/search")["serviceAccounts"]
            if str(a["id"]) == number
        ]
        imports.append(
            {
                "type": "grafana_service_account",
                "id": adopt["service_account_id"],
                "values": {
                    "org_id": org_id,
                    "name": account["name"],
                    "role": account["role"],
                    "is_disabled": account["isDisabled"],
                },
            }
        )
    groups = [
        {"type": "okta_group", "match": {"name": g["profile"]["name"]}, "values": {"id": g["id"]}}
        for g in okta("GET", "/api/v1/groups", limit="200")
    ]
    return {"import": imports, "data_sources": groups}


# SDKv2 `Default`s of attributes the generated configuration leaves unset (okta v6.12.0: app.go
# buildAppSchema, resource_okta_app_saml.go, resource_okta_app_group_assignment.go). The replay
# provider plans such an attribute as null; the real one plans its default.
SDK_DEFAULTS: dict[str, dict[str, Any]] = {
    "okta_app_saml": {
        "status": "ACTIVE",
        "auto_submit_toolbar": False,
        "hide_ios": False,
        "hide_web": False,
        "honor_force_authn": False,
        "saml_version": "2.0",
        "saml_signed_request_enabled": False,
        "skip_authentication_policy": False,
        "accessibility_self_service": False,
        "user_name_template": "${source.login}",
        "user_name_template_type": "BUILT_IN",
    },
    "okta_app_group_assignment": {"retain_assignment": False},
}


def planned_fields(plan: dict[str, Any]) -> dict[tuple[str, str, str], list[str]]:
    """(resource type, instance key or "", field) -> the actions Terraform planned for it, from
    `terraform show -json` of a plan; a create or delete is one entry with field ""."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for change in plan.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        actions = change["change"]["actions"]
        key = str(change.get("index") or "")
        if actions == ["no-op"]:
            continue
        if actions != ["update"]:
            found[(change["type"], key, "")] = actions
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        unknown = change["change"].get("after_unknown") or {}
        defaults = SDK_DEFAULTS.get(change["type"], {})
        for name in sorted(set(before) | set(after)):
            old, new = before.get(name), after.get(name)
            if new is None and name in defaults:
                new = defaults[name]
            if unknown.get(name) is True or old == new:
                continue
            if name == "saml_settings":
                (old_settings,), (new_settings,) = old, new  # type: ignore[misc]
                for setting in sorted(set(old_settings) | set(new_settings)):
                    if old_settings.get(setting) != new_settings.get(setting) and not (
                        unknown.get(name) or [{}]
                    )[0].get(setting):
                        found[(change["type"], key, setting)] = actions
            elif name == "attribute_statements":
                old_by = {s["name"]: s for s in old or []}
                new_by = {s["name"]: s for s in new or []}
                for statement in sorted(set(old_by) | set(new_by)):
                    if old_by.get(statement) != new_by.get(statement):
                        found[(change["type"], key, f"attribute_statements[{statement}]")] = actions
            else:
                found[(change["type"], key, name)] = actions
    return found
