"""Rules about the Grafana side: SAML settings, SCIM config, the SCIM token and service account."""

from __future__ import annotations

import json
import re

from .catalog import Severity
from .changes import Change, Plan
from .consequence import Consequence

ROLE_KEYS = {
    "role_values_grafana_admin": "Grafana Admin",
    "role_values_admin": "Admin",
    "role_values_editor": "Editor",
    "role_values_viewer": "Viewer",
    "role_values_none": "No basic role",
}
ORG_KEYS = ("org_mapping", "org_attribute_path", "skip_org_role_sync")
ROLE_ORDER = {"Admin": 3, "Editor": 2, "Viewer": 1, "None": 0, "": 0}
TOKEN_TYPES = ("grafana_service_account_token", "grafana_service_account_rotating_token")


def role_groups(value: object) -> set[str]:
    """The groups of one role_values_* setting as Grafana reads it (util.SplitString): a JSON
    list when it starts with `[` (what generated modules write), else split on spaces and commas."""
    if not isinstance(value, str):
        return set()
    if value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return set()
        return {str(v) for v in parsed if str(v)} if isinstance(parsed, list) else set()
    return {part for part in re.split(r"[,\s]+", value) if part}


def _saml(change: Change, key: str, after: bool) -> object:
    return change.new("saml_settings", 0, key) if after else change.old("saml_settings", 0, key)


def _blank(value: object) -> object:
    """Unset, "" and false mean the same to Grafana (the provider omits null keys, Grafana's
    default is empty / false): an imported state's "" planned as null is no change."""
    return None if value in (None, "", False) else value


def _saml_changed(change: Change, key: str) -> bool:
    if not change.changes_anything:
        return False
    if change.unknown("saml_settings", 0, key):
        return True
    return _blank(_saml(change, key, False)) != _blank(_saml(change, key, True))


def _saml_changes(plan: Plan) -> list[Change]:
    return [
        c
        for c in plan.of_type("grafana_sso_settings")
        if (c.new("provider_name") or c.old("provider_name")) == "saml"
    ]


def _user_sync_on(plan: Plan) -> bool | None:
    """enable_user_sync after the plan (None when no grafana_scim_config is in the plan)."""
    values = [c.new("enable_user_sync") for c in plan.of_type("grafana_scim_config") if not c.destroys]
    return any(v is True for v in values) if values else None


def sso_rules(plan: Plan) -> list[Consequence]:
    """saml-sign-in-disabled, sign-up-with-scim, role-mapping-changed, org-mapping-changed and
    the Grafana half of saml-endpoint-changed / user-uid-statement-changed."""
    found: list[Consequence] = []
    user_sync = _user_sync_on(plan)
    sync_changed = any(c.changed("enable_user_sync") for c in plan.of_type("grafana_scim_config"))
    for change in _saml_changes(plan):
        disabled = _sign_in_disabled(change)
        found += disabled
        if (disabled and change.deletes) or not change.changes_anything:
            continue
        found += _sign_up(change, user_sync, sync_changed)
        if change.updates:
            found += _role_mapping(change) + _org_mapping(change) + _endpoint_and_uid(change)
    return found


def _sign_in_disabled(change: Change) -> list[Consequence]:
    was_on = change.old("saml_settings", 0, "enabled") is not False and bool(change.before)
    if not (change.deletes or (was_on and change.new("saml_settings", 0, "enabled") is False)):
        return []
    how = "replaces" if change.replaces else "destroys" if change.deletes else "disables"
    return [
        Consequence(
            "saml-sign-in-disabled",
            change.address,
            f"{how} Grafana's SAML settings: nobody can sign in to Grafana with Okta"
            + (" until the new settings are created" if change.replaces else ""),
            "Keep grafana_sso_settings; to stop managing it, `terraform state rm` it.",
            objects=["saml"],
        )
    ]


def _sign_up(change: Change, user_sync: bool | None, sync_changed: bool) -> list[Consequence]:
    sign_up = change.new("saml_settings", 0, "allow_sign_up")
    if not (
        (sign_up is True or change.unknown("saml_settings", 0, "allow_sign_up"))
        and user_sync is True
        and (_saml_changed(change, "allow_sign_up") or sync_changed)
    ):
        return []
    return [
        Consequence(
            "sign-up-with-scim",
            change.address,
            "allows SAML sign-up while SCIM user sync is on: anyone assigned in Okta gets a Grafana "
            "account at first sign-in, outside SCIM, which SCIM will not deactivate",
            "Set allow_sign_up = false and let SCIM create the users.",
            objects=["allow_sign_up"],
            certain=sign_up is True,
        )
    ]


def _role_mapping(change: Change) -> list[Consequence]:
    roles = [k for k in ROLE_KEYS if _saml_changed(change, k)]
    if not (roles or _saml_changed(change, "assertion_attribute_role")):
        return []
    gained: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    for key in roles:
        before, after = role_groups(_saml(change, key, False)), role_groups(_saml(change, key, True))
        if after - before:
            gained[ROLE_KEYS[key]] = sorted(after - before)
        if before - after:
            lost[ROLE_KEYS[key]] = sorted(before - after)
    parts = [f"{role} gains {', '.join(g)}" for role, g in gained.items()]
    parts += [f"{role} loses {', '.join(g)}" for role, g in lost.items()]
    if _saml_changed(change, "assertion_attribute_role"):
        parts.append("the role attribute changes")
    return [
        Consequence(
            "role-mapping-changed",
            change.address,
            f"changes who gets which role from SAML ({'; '.join(parts)}): roles are re-evaluated "
            "at each sign-in",
            "Check the groups named (count their members with --live) and that someone keeps Admin.",
            objects=[f"{role}: {g}" for role, gs in {**gained, **lost}.items() for g in gs] or roles,
            certain=not any(change.unknown("saml_settings", 0, k) for k in roles),
            details={"gained": gained, "lost": lost},
        )
    ]


def _org_mapping(change: Change) -> list[Consequence]:
    orgs = [k for k in ORG_KEYS if _saml_changed(change, k)]
    if not orgs:
        return []
    return [
        Consequence(
            "org-mapping-changed",
            change.address,
            f"changes {', '.join(orgs)}: people may move between organizations or keep roles "
            "set by hand (skip_org_role_sync), from their next sign-in",
            "Review the mapping with the people it moves; change it in its own pull request.",
            objects=orgs,
        )
    ]


def _endpoint_and_uid(change: Change) -> list[Consequence]:
    found = []
    for key in ("entity_id",):
        if _saml_changed(change, key):
            found.append(
                Consequence(
                    "saml-endpoint-changed",
                    change.address,
                    f"changes Grafana's SAML {key} to "
                    f"{change.show_new('saml_settings', 0, key)}: sign-in "
                    "fails until the Okta app's audience agrees",
                    "Change both sides in one plan and apply it in a quiet hour.",
                    objects=[key],
                    certain=not change.unknown("saml_settings", 0, key),
                )
            )
    if _saml_changed(change, "assertion_attribute_external_uid"):
        found.append(
            Consequence(
                "user-uid-statement-changed",
                change.address,
                "changes assertion_attribute_external_uid: Grafana no longer finds the attribute linking "
                "sign-ins to SCIM users",
                "Keep it equal to the Okta app's userUID statement.",
                objects=["assertion_attribute_external_uid"],
            )
        )
    return found


def scim_config_rules(plan: Plan) -> list[Consequence]:
    """rejection-turned-on and scim-sync-turned-off."""
    found = []
    for change in plan.of_type("grafana_scim_config"):
        if change.creates or change.updates:
            turned_on = (
                change.new("reject_non_provisioned_users") is True
                and change.old("reject_non_provisioned_users") is not True
            )
            may = (
                change.unknown("reject_non_provisioned_users")
                and change.old("reject_non_provisioned_users") is not True
            )
            if turned_on or may:
                found.append(
                    Consequence(
                        "rejection-turned-on",
                        change.address,
                        "turns reject_non_provisioned_users on: Grafana refuses sign-in to everyone SCIM has "
                        "not provisioned (people assigned in Okta but not pushed yet, local users)",
                        "Apply it only after `grafana-okta-scim verify --phase 3` shows every assigned "
                        "person "
                        "provisioned (count them with --live).",
                        objects=["reject_non_provisioned_users"],
                        certain=turned_on,
                    )
                )
        off = []
        for key in ("enable_user_sync", "enable_group_sync"):
            if change.old(key) is True and (
                change.deletes or change.new(key) is False or change.unknown(key)
            ):
                off.append(key)
        if off:
            found.append(
                Consequence(
                    "scim-sync-turned-off",
                    change.address,
                    f"{'destroys the SCIM config, turning off' if change.destroys else 'turns off'} "
                    f"{', '.join(off)}: Okta's SCIM calls fail, so people are no longer created, updated "
                    "or deactivated in Grafana",
                    "Keep SCIM sync on while the Okta app provisions to Grafana.",
                    objects=off,
                    certain=not any(change.unknown(k) for k in off),
                )
            )
    return found


def token_rules(plan: Plan) -> list[Consequence]:
    """scim-token-replaced and token-never-expires."""
    found = []
    okta_gets_token = any(c.type == "okta_app_connection" and (c.updates or c.creates) for c in plan)
    for change in plan.of_type(*TOKEN_TYPES):
        name = change.show(change.old("name") or change.new("name"), "name")
        if change.deletes:
            how = "replaces" if change.replaces else "destroys"
            summary = (
                f"{how} the SCIM token {name}: Okta keeps calling with the old one, so provisioning fails"
            )
            if okta_gets_token:
                summary += " unless okta_app_connection, updated in this plan, hands Okta the new one"
            found.append(
                Consequence(
                    "scim-token-replaced",
                    change.address,
                    summary + " until it is entered again",
                    "Enter the new token in the Okta app's Provisioning tab right after apply "
                    "(SCIM_SETUP.md), "
                    "or use a rotating token with an early rotation window.",
                    objects=[name],
                    severity=Severity.MINOR if okta_gets_token else None,
                    certain=not okta_gets_token,
                )
            )
        if change.creates and change.type == "grafana_service_account_token":
            ttl = change.new("seconds_to_live")
            already = change.replaces and not change.old("seconds_to_live")
            if not change.unknown("seconds_to_live") and not ttl and not already:
                found.append(
                    Consequence(
                        "token-never-expires",
                        change.address,
                        f"creates the SCIM token {name} without expiry and without rotation",
                        "Use grafana_service_account_rotating_token (spec: service_account.token.rotation).",
                        objects=[name],
                    )
                )
    return found


def service_account_rules(plan: Plan) -> list[Consequence]:
    """service-account-weakened: destroyed, role lowered, or a fixed role removed."""
    found = []
    fixed_roles_added = any(c.creates for c in plan.of_type("grafana_role_assignment_item"))
    for change in plan.of_type("grafana_service_account"):
        name = change.show(change.old("name"), "name")
        old_role, new_role = str(change.old("role") or ""), str(change.new("role") or "")
        if change.deletes:
            how = "replaces" if change.replaces else "destroys"
            summary = f"{how} the SCIM service account {name} and with it its tokens: SCIM answers 401"
        elif change.updates and ROLE_ORDER.get(new_role, 0) < ROLE_ORDER.get(old_role, 0):
            summary = (
                f"lowers the SCIM service account {name} from {old_role} to {new_role}: SCIM answers 403"
            )
            if fixed_roles_added:
                summary += " unless the fixed roles this plan assigns cover users and teams"
        else:
            continue
        found.append(
            Consequence(
                "service-account-weakened",
                change.address,
                summary + " and provisioning stops",
                "Keep the role (or the fixed roles fixed:org.users:writer and fixed:teams:writer) in place.",
                objects=[name],
                certain=change.deletes or not fixed_roles_added,
            )
        )
    for change in plan.of_type("grafana_role_assignment_item"):
        if change.destroys:
            role = change.show(change.old("role_uid"), "role_uid")
            found.append(
                Consequence(
                    "service-account-weakened",
                    change.address,
                    f"removes the fixed role {role} from the SCIM service account: SCIM answers 403 for what "
                    "it needed",
                    "Keep fixed:org.users:writer and fixed:teams:writer assigned.",
                    objects=[role],
                )
            )
    return found
