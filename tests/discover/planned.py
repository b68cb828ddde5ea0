"""The changes a saved plan (`terraform show -json`) makes, field by field, to compare with what
discover's report announced."""

from __future__ import annotations

from typing import Any

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
