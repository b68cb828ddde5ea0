"""verify --write-test: the writes Okta makes, with the fixed probe user and probe group (see
probe.py), as three checks: scim.write_user (write_user.py), scim.write_group (write_group.py,
with group sync, while the probe user is active) and scim.cleanup (write_cleanup.py, always)."""

from __future__ import annotations

from collections.abc import Callable

from .model import Check
from .registry import check
from .scim_calls import ScimCalls, StepFailed
from .write_cleanup import clean_up
from .write_group import ProbeGroup
from .write_user import ProbeUser

WRITE_GROUP = check("scim.write_group")
WRITE_USER = check("scim.write_user")


class WriteTest:
    """User set-up, the group steps, the user's deactivation, then the cleanup."""

    def __init__(self, calls: ScimCalls) -> None:
        self.calls = calls
        self.user = ProbeUser(calls)
        self.group = ProbeGroup(calls, self.user)

    def run(self) -> list[Check]:
        """scim.write_user, scim.write_group and scim.cleanup."""
        user_steps: list[str] = []
        group_steps: list[str] = []
        try:
            user_error = _attempt(self.user.set_up, user_steps)
            if self.calls.ctx.group_sync:
                group_check = _check(WRITE_GROUP.name, group_steps, _attempt(self.group.run, group_steps))
            else:
                group_check = WRITE_GROUP.skipped("group sync is off in the spec")
            if user_error is None:
                user_error = _attempt(self.user.deactivate_step, user_steps)
            user_check = _check(WRITE_USER.name, user_steps, user_error)
        finally:
            cleanup = clean_up(self.user, self.group)
        return [user_check, group_check, cleanup]


def _attempt(body: Callable[[list[str]], None], done: list[str]) -> StepFailed | None:
    try:
        body(done)
    except StepFailed as exc:
        return exc
    return None


def _check(name: str, done: list[str], error: StepFailed | None) -> Check:
    if error is not None:
        steps = ", ".join(done) or "nothing"
        return Check(name, "fail", f"{error.detail} (succeeded: {steps})", error.hint)
    return Check(name, "pass", ", ".join(done))
