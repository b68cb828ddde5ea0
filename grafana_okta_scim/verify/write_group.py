"""The write test's group steps, as Okta's group push writes a team (with group sync): delete
leftovers of killed runs, create the probe group, read it back, rename it (PUT), add and remove
the probe user (PUT members) while it is active, delete it and confirm the delete."""

from __future__ import annotations

from .probe import PROBE_GROUP, PROBE_GROUP_RENAMED, PROBE_USER, group_body
from .scim_api import GroupView, group_of
from .scim_calls import ScimCalls, StepFailed
from .write_user import ProbeUser

MEMBERS_IGNORED = (
    "the server ignores members in PUT, which Okta's group push sends to change team membership."
)


class ProbeGroup:
    """The probe groups this run knows of (id -> displayName) and how their deletes went."""

    def __init__(self, calls: ScimCalls, user: ProbeUser) -> None:
        self.calls = calls
        self.user = user
        self.groups: dict[str, str] = {}
        self.trouble: dict[str, str] = {}  # group id -> why it could not be deleted
        self.posted = False  # a POST /Groups was sent
        self.deleted: set[str] = set()

    def find(self, name: str) -> list[GroupView]:
        """The groups whose displayName is `name`, as Okta looks them up."""
        groups: list[GroupView] = self.calls.find("Groups", "displayName", name, group_of)
        return [g for g in groups if g.display_name == name]

    # -- steps ----------------------------------------------------------------------------------
    def run(self, done: list[str]) -> None:
        """Every group step in order; each step done is appended to `done`."""
        self.delete_leftovers(done)
        group_id = self.create(done)
        self.read_back(group_id, done)
        self.rename(group_id, done)
        self.membership(group_id, done)
        self.delete(group_id)
        done.append("delete")

    def delete_leftovers(self, done: list[str]) -> None:
        """Delete probe groups a killed run left, found by name."""
        leftovers = self.find(PROBE_GROUP) + self.find(PROBE_GROUP_RENAMED)
        for group in leftovers:
            self.groups[group.id] = group.display_name
            self.delete(group.id)
        if leftovers:
            done.append(f"deleted {len(leftovers)} leftover probe group(s)")

    def create(self, done: list[str]) -> str:
        """POST the probe group; its id."""
        c = self.calls
        self.posted = True
        answer = c.expect(c.send("POST", "Groups", body=group_body(PROBE_GROUP, None, True)), (201, 200))
        group: GroupView = c.read(answer, group_of)
        self.groups[group.id] = group.display_name
        done.append("create")
        return group.id

    def read_back(self, group_id: str, done: list[str]) -> None:
        """GET the probe group: it keeps its displayName."""
        c = self.calls
        read = c.read(c.expect(c.send("GET", f"Groups/{group_id}")), group_of)
        if read.display_name != PROBE_GROUP:
            raise StepFailed(
                f"read back displayName {read.display_name!r}, expected {PROBE_GROUP!r}",
                "the server does not keep displayName.",
            )
        done.append("read")

    def rename(self, group_id: str, done: list[str]) -> None:
        """PUT a new displayName, as Okta's group push renames a team."""
        renamed = self.put(group_id, PROBE_GROUP_RENAMED, None, "rename")
        if renamed.display_name != PROBE_GROUP_RENAMED:
            raise StepFailed(
                f"PUT /Groups/{group_id} rename: displayName is {renamed.display_name!r}",
                "the server ignores renames by PUT, which Okta's group push sends.",
            )
        self.groups[group_id] = PROBE_GROUP_RENAMED
        done.append("rename")

    def membership(self, group_id: str, done: list[str]) -> None:
        """PUT the probe user in, then out (only while it is active)."""
        user = self.user
        if user.view is None or not user.active:
            done.append("membership not tested (no active probe user)")
            return
        path = f"Groups/{group_id}"
        added = self.members(group_id, (user.view.id, PROBE_USER), "add member")
        if user.view.id not in added:
            raise StepFailed(f"PUT /{path} add member: the probe user is not a member", MEMBERS_IGNORED)
        done.append("add member")
        removed = self.members(group_id, None, "remove member")
        if user.view.id in removed:
            raise StepFailed(f"PUT /{path} remove member: the probe user is still a member", MEMBERS_IGNORED)
        done.append("remove member")

    # -- requests -------------------------------------------------------------------------------
    def put(self, group_id: str, name: str, member: tuple[str, str] | None, step: str) -> GroupView:
        """PUT the group with `name` and `member` (or none); the answer read."""
        c = self.calls
        answer = c.expect(
            c.send(
                "PUT",
                f"Groups/{group_id}",
                body=group_body(name, member, creating=False),
                label=f"PUT /Groups/{group_id} {step}",
            )
        )
        view: GroupView = c.read(answer, group_of)
        return view

    def members(self, group_id: str, member: tuple[str, str] | None, step: str) -> tuple[str, ...]:
        """Member ids after a membership PUT: from its answer, else read back."""
        c = self.calls
        group = self.put(group_id, PROBE_GROUP_RENAMED, member, step)
        if group.members is None:
            group = c.read(c.expect(c.send("GET", f"Groups/{group_id}")), group_of)
        if group.members is None:
            if member is None:
                return ()
            raise StepFailed(
                f"GET /Groups/{group_id}: the group lists no members",
                "Okta reads members to confirm team membership.",
            )
        return group.members

    def delete(self, group_id: str) -> None:
        """DELETE (200 or 204), then confirm with a GET answering 404."""
        c = self.calls
        answer = c.send("DELETE", f"Groups/{group_id}")
        if answer.status not in (200, 204, 404):
            self.trouble[group_id] = f"DELETE answered HTTP {answer.status}"
            raise c.failure(answer)
        check = c.send("GET", f"Groups/{group_id}")
        if check.status == 404:
            self.deleted.add(group_id)
            self.groups.pop(group_id, None)
            self.trouble.pop(group_id, None)
            return
        self.trouble[group_id] = (
            f"DELETE answered HTTP {answer.status} but GET still answers HTTP {check.status}"
        )
        raise StepFailed(
            f"DELETE /Groups/{group_id}: the group is still there (GET answers HTTP {check.status})",
            "the server does not delete teams; Okta unlinks pushed groups this way.",
        )
