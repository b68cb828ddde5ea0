"""Grafana's SCIM API read the way Okta reads it: only what Okta relies on is checked.

Requests are built with scim2-models (so what verify sends is RFC 7643/7644 conformant);
answers are plain JSON (sent and received by the live layer's ScimClient). A real server may
add extension schemas (Grafana's user answers carry the enterprise extension) or attributes
of its own: they are ignored, never called invalid.
What is checked is what Okta's SCIM client uses: `totalResults` and `Resources` of a list,
`id`, `userName` and `active` of a user, `id`, `displayName` and `members` of a group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Unreadable(Exception):
    """An answer lacking something Okta relies on; `detail` names it."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class UserView:
    """The user attributes Okta relies on."""

    id: str
    user_name: str
    active: bool | None
    display_name: str | None


@dataclass(frozen=True)
class GroupView:
    """The group attributes Okta relies on; `members` is None when the answer has none."""

    id: str
    display_name: str
    members: tuple[str, ...] | None


def list_of(body: Any) -> tuple[int, list[dict[str, Any]]]:
    """(totalResults, Resources) of a ListResponse; extra attributes and schemas are ignored."""
    if not isinstance(body, dict):
        raise Unreadable("the answer is not a JSON object")
    total = body.get("totalResults")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise Unreadable(f"totalResults is {total!r}, not a count")
    resources = body.get("Resources")
    if resources is None:
        if total:
            raise Unreadable(f"totalResults={total} but no Resources")
        return total, []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise Unreadable("Resources is not a list of objects")
    return total, resources


def user_of(body: Any) -> UserView:
    """id, userName, active and displayName of a user answer."""
    if not isinstance(body, dict):
        raise Unreadable("the user answer is not a JSON object")
    user_id, user_name = body.get("id"), body.get("userName")
    if not isinstance(user_id, str) or not user_id:
        raise Unreadable("the user has no id")
    if not isinstance(user_name, str) or not user_name:
        raise Unreadable(f"user {user_id} has no userName")
    active = body.get("active")
    if active is not None and not isinstance(active, bool):
        raise Unreadable(f"user {user_id}: active is {active!r}, not a boolean")
    display = body.get("displayName")
    return UserView(user_id, user_name, active, display if isinstance(display, str) else None)


def group_of(body: Any) -> GroupView:
    """id, displayName and member ids of a group answer."""
    if not isinstance(body, dict):
        raise Unreadable("the group answer is not a JSON object")
    group_id, name = body.get("id"), body.get("displayName")
    if not isinstance(group_id, str) or not group_id:
        raise Unreadable("the group has no id")
    if not isinstance(name, str) or not name:
        raise Unreadable(f"group {group_id} has no displayName")
    members = body.get("members")
    if members is None:
        return GroupView(group_id, name, None)
    if not isinstance(members, list):
        raise Unreadable(f"group {group_id}: members is not a list")
    ids = tuple(str(m.get("value")) for m in members if isinstance(m, dict) and m.get("value"))
    return GroupView(group_id, name, ids)
