"""Safety checks on a saved plan as `terraform show -json` prints it.

They read only Terraform's plan JSON (`resource_changes[].change.before/after/actions`), so they
work on any plan of a generated module, offline or against the real providers (e.g. in a CI
step: `terraform show -json tfplan > plan.json`).
"""

from __future__ import annotations

from typing import Any

REMOVING = ("delete",)
MODIFYING = ("delete", "update")


def _managed_changes(plan: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    return [
        change
        for change in plan.get("resource_changes", [])
        if change.get("mode") == "managed" and change.get("type") == type_name
    ]


def push_groups_deleting_teams(plan: dict[str, Any]) -> list[str]:
    """Addresses of `okta_push_group` instances the plan deletes (or replaces) while their prior
    state has `delete_target_group_on_destroy` anything but false: Okta would then delete the
    pushed group in Grafana, i.e. the Grafana team and its memberships.

    An empty list is the safe answer. Output of grafana-okta-scim 0.1.0 (which left the attribute
    to the provider's default, true) is flagged on its first push-group removal.
    """
    flagged = []
    for change in _managed_changes(plan, "okta_push_group"):
        body = change["change"]
        if not any(action in REMOVING for action in body["actions"]):
            continue
        before = body.get("before") or {}
        if before.get("delete_target_group_on_destroy") is not False:
            flagged.append(change["address"])
    return sorted(flagged)


def _assigned(value: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Group id -> assignment of an okta_app_group_assignments value."""
    return {group["id"]: group for group in (value or {}).get("group") or []}


def touched_group_assignments(plan: dict[str, Any]) -> dict[str, list[str]]:
    """Okta group id -> addresses of the resources whose plan unassigns that group from the app
    or changes its assignment (priority, profile).

    `okta_app_group_assignment` (one group each): a delete, replace or update of the instance
    touches its `group_id`. `okta_app_group_assignments` (every group of the app): a group in
    the prior state that is missing or different after the change is touched.
    """
    touched: dict[str, list[str]] = {}
    for change in _managed_changes(plan, "okta_app_group_assignment"):
        body = change["change"]
        if any(action in MODIFYING for action in body["actions"]):
            group_id = (body.get("before") or {}).get("group_id")
            touched.setdefault(str(group_id), []).append(change["address"])
    for change in _managed_changes(plan, "okta_app_group_assignments"):
        body = change["change"]
        if not any(action in MODIFYING for action in body["actions"]):
            continue
        before = _assigned(body.get("before"))
        after = {} if "delete" in body["actions"] else _assigned(body.get("after"))
        for group_id, group in before.items():
            if after.get(group_id) != group:
                touched.setdefault(group_id, []).append(change["address"])
    return touched


def touched_outside(plan: dict[str, Any], managed_group_ids: set[str]) -> dict[str, list[str]]:
    """`touched_group_assignments` restricted to groups the configuration does not list."""
    return {
        group_id: addresses
        for group_id, addresses in touched_group_assignments(plan).items()
        if group_id not in managed_group_ids
    }
