"""The write test's cleanup, run whatever happened before: find what a POST without an answer may
have created, delete every probe group, deactivate the probe user if it is still active, and read
both back. It says nothing is left only when the server confirms it."""

from __future__ import annotations

from .model import Check
from .probe import PROBE_GROUP, PROBE_GROUP_RENAMED, PROBE_USER
from .registry import check
from .scim_api import user_of
from .scim_calls import StepFailed
from .write_group import ProbeGroup
from .write_user import ProbeUser

CLEANUP = check("scim.cleanup")


def clean_up(user: ProbeUser, group: ProbeGroup) -> Check:
    """scim.cleanup: what is left behind, as the server answers it."""
    remains: list[str] = []
    _recover_unanswered_creates(user, group, remains)
    for group_id, name in list(group.groups.items()):
        try:
            group.delete(group_id)
        except StepFailed as exc:
            reason = group.trouble.get(group_id) or exc.detail
            remains.append(f"probe group {name!r} (id {group_id}): {reason}")
    kept = ""
    if user.view is not None:
        kept, problem = _user_left(user)
        if problem:
            remains.append(problem)
    if remains:
        return CLEANUP.failed(
            "left behind: " + "; ".join(remains),
            "run verify --write-test again once the server answers: it finds the "
            f"probe user and groups by name ({PROBE_USER}, {PROBE_GROUP}*) and "
            "deactivates / deletes them.",
        )
    if kept:
        return CLEANUP.passed(f"server confirms: nothing left behind but {kept}")
    if group.deleted or group.posted:
        return CLEANUP.passed("server confirms: nothing left behind")
    return CLEANUP.passed("nothing was written")


def _recover_unanswered_creates(user: ProbeUser, group: ProbeGroup, remains: list[str]) -> None:
    """A POST sent without a usable answer may still have created: look it up by name."""
    try:
        if user.posted and user.view is None:
            found = user.find()
            if found:
                user.view, user.active = found[0], found[0].active is not False
        if group.posted:
            for name in (PROBE_GROUP, PROBE_GROUP_RENAMED):
                for view in group.find(name):
                    group.groups.setdefault(view.id, view.display_name)
    except StepFailed as exc:
        remains.append(f"unknown: a create was sent but the look-up failed ({exc.detail})")


def _user_left(user: ProbeUser) -> tuple[str, str]:
    """(what is kept by design, what is left that should not be) for the probe user."""
    assert user.view is not None
    c = user.calls
    label = f"probe user {PROBE_USER!r} (id {user.view.id})"
    deactivation_error = ""
    if user.active:
        try:
            user.deactivate()
        except StepFailed as exc:
            deactivation_error = exc.detail
    try:
        read = c.read(c.expect(c.send("GET", f"Users/{user.view.id}")), user_of)
    except StepFailed as exc:
        return "", f"{label}: state unconfirmed ({exc.detail})"
    if read.active is False:
        return (
            f"the deactivated {label}, kept on purpose (Grafana cannot delete SCIM "
            "users; the next run reuses it)"
        ), ""
    reason = deactivation_error or "the server reports it active"
    return "", f"ACTIVE {label}: {reason}"
