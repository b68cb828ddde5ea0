"""The probe user and probe group `verify --write-test` writes, and their request bodies.

One fixed, clearly named probe user is reused by every run: Grafana cannot delete a user SCIM
provisioned (only deactivate it) and Okta never sends DELETE /Users, so the write test creates
it once, then reactivates, updates and deactivates it again. The probe group is deleted at the
end, as Okta does when a pushed group is unlinked. Bodies are built with scim2-models, so what
verify sends is RFC 7643 conformant, and carry `externalId` (Grafana requires it).
"""

from __future__ import annotations

from typing import Any

from scim2_models import Context, Email, Group, GroupMember, Name, User

PROBE_USER = "grafana-okta-scim-verify-probe"
PROBE_EMAIL = f"{PROBE_USER}@example.com"
PROBE_GROUP = "grafana-okta-scim-verify-probe-group"
PROBE_GROUP_RENAMED = f"{PROBE_GROUP}-renamed"
DISPLAY_NAMES = ("grafana-okta-scim verify probe", "grafana-okta-scim verify probe (updated)")

NOTICE = (
    "verify --write-test writes to Grafana's SCIM API as Okta does. It leaves one deactivated "
    f"probe user behind, {PROBE_USER!r} (Grafana cannot delete users SCIM provisioned; every "
    "run reuses it, and Okta's Import lists it as an unassigned user). The probe group "
    f"{PROBE_GROUP!r} is deleted at the end."
)


def user_body(active: bool, display_name: str, creating: bool) -> dict[str, Any]:
    """The probe user as Okta sends it: POST (creating) or the full PUT representation."""
    user: User[Any] = User(
        user_name=PROBE_USER,
        external_id=PROBE_USER,
        display_name=display_name,
        name=Name(given_name="grafana-okta-scim", family_name="verify probe"),
        emails=[Email(value=PROBE_EMAIL, type="work", primary=True)],
        active=active,
    )
    context = Context.RESOURCE_CREATION_REQUEST if creating else Context.RESOURCE_REPLACEMENT_REQUEST
    return user.model_dump(scim_ctx=context)


def group_body(name: str, member: tuple[str, str] | None, creating: bool) -> dict[str, Any]:
    """The probe group as Okta pushes it: displayName, externalId and the full member list.

    `member` is (user id, userName) or None for no member; PUT always states `members`, so an
    empty list removes the member (a PUT replaces the group).
    """
    members = [GroupMember(value=member[0], display=member[1])] if member else []
    group = Group(display_name=name, external_id=PROBE_GROUP, members=members or None)
    context = Context.RESOURCE_CREATION_REQUEST if creating else Context.RESOURCE_REPLACEMENT_REQUEST
    body = group.model_dump(scim_ctx=context)
    body["members"] = body.get("members") or []
    return body
