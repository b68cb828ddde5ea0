"""Checks of Grafana's SCIM endpoint: the calls Okta makes, discovery, the write test.

Every request is one Okta sends (Okta SCIM 2.0 reference) or, for discovery, an informational
RFC 7644 read. Answers are read like Okta reads them (scim_api.py): extension schemas and extra
attributes are fine, only what Okta relies on is checked.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from .diagnosis import ScimContext, status_hint, transport_hint
from .http import TransportError
from .model import Check
from .probe import (
    DISPLAY_NAMES,
    NOTICE,
    PROBE_GROUP,
    PROBE_GROUP_RENAMED,
    PROBE_USER,
    group_body,
    user_body,
)
from .registry import BY_NAME, check, dependents, skip_all
from .scim_api import Answer, GroupView, ScimApi, Unreadable, UserView, group_of, list_of, user_of

CLEANUP = check("scim.cleanup")
DISCOVERY_CHECK = check("scim.discovery")
GROUPS = check("scim.groups")
TEST_CONNECTOR = check("scim.test_connector")
USER_LOOKUP = check("scim.user_lookup")
WRITE_GROUP = check("scim.write_group")
WRITE_USER = check("scim.write_user")

PROBE_PREFIX = "grafana-okta-scim-verify-"
DISCOVERY = ("ServiceProviderConfig", "ResourceTypes", "Schemas")
OKTA_READS = (
    "Okta reads only totalResults, Resources, id, userName, active and a group's "
    "displayName and members; this answer lacks what Okta needs."
)


class StepFailed(Exception):
    """A SCIM call that did not succeed; `hint` explains it."""

    def __init__(self, detail: str, hint: str) -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(detail)


class ScimChecks:
    """Runs the SCIM checks with one client; every failure becomes a check with a hint."""

    def __init__(self, api: ScimApi, ctx: ScimContext, notice: Callable[[str], None] | None = None) -> None:
        self.api = api
        self.ctx = ctx
        self.notice = notice

    # -- one request --------------------------------------------------------------------------
    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> Answer:
        """One request; StepFailed (with a hint) when no HTTP answer came."""
        try:
            answer = self.api.call(method, path, params=params, body=body)
        except TransportError as exc:
            raise StepFailed(
                f"{label or f'{method} /{path}'}: {exc.message}",
                transport_hint(
                    exc, f"the Grafana SCIM API ({self.api.http.client.base_url})", self.ctx.timeout
                ),
            ) from None
        if label:
            answer = Answer(label, answer.status, answer.body, answer.text)
        return answer

    def expect(self, answer: Answer, statuses: tuple[int, ...] = (200,)) -> Answer:
        """The answer if its status is one of `statuses`; StepFailed with a hint otherwise."""
        if answer.status in statuses:
            if answer.body is None and answer.status != 204:
                raise StepFailed(
                    f"{answer.what}: HTTP {answer.status} without a JSON body",
                    "not a SCIM answer: something in front of Grafana (a proxy or "
                    "login page) answers instead of the SCIM API.",
                )
            return answer
        raise self.failure(answer)

    def failure(self, answer: Answer) -> StepFailed:
        """StepFailed describing an unexpected status."""
        text = self.api.http.redact(" ".join(answer.text[:300].split()))
        return StepFailed(
            f"{answer.what}: HTTP {answer.status} {text}".strip(), status_hint(answer.status, text, self.ctx)
        )

    def read(self, answer: Answer, parse: Callable[[Any], Any]) -> Any:
        """Parse an answer like Okta; StepFailed naming what is missing."""
        try:
            return parse(answer.body)
        except Unreadable as exc:
            raise StepFailed(f"{answer.what}: {exc.detail}", OKTA_READS) from None

    def find(self, resource: str, attribute: str, value: str, parse: Callable[[Any], Any]) -> list[Any]:
        """Okta's lookup: GET /<resource>?filter=<attribute> eq "..." with every match read by
        `parse`; a 404 with a SCIM Error body means no match."""
        query = f'{attribute} eq "{value}"'
        answer = self.send(
            "GET",
            resource,
            params={"filter": query, "startIndex": "1", "count": "100"},
            label=f"GET /{resource}?filter={query}",
        )
        if answer.status == 404 and answer.scim_error:
            return []
        page: tuple[int, list[dict[str, Any]]] = self.read(self.expect(answer), list_of)
        return [self.read(Answer(answer.what, 200, r, ""), parse) for r in page[1]]

    def find_users(self, user_name: str) -> list[UserView]:
        """The users whose userName is `user_name`, as Okta looks them up."""
        return self.find("Users", "userName", user_name, user_of)

    # -- the read-only checks -----------------------------------------------------------------
    def run(self, write_test: bool) -> list[Check]:
        """All SCIM checks, in the order Okta would exercise the endpoint."""
        checks = [self.test_connector()]
        if checks[0].result == "fail":
            skipped = [
                name
                for name in dependents(TEST_CONNECTOR.name)
                if write_test or BY_NAME[name].group != "write"
            ]
            return checks + skip_all(skipped, "skipped: the test connector call failed")
        checks += [self.user_lookup(), self.groups(), self.discovery()]
        if write_test:
            if self.notice is not None:
                self.notice(NOTICE)
            checks += WriteTest(self).run()
        return checks

    def first_page(self, resource: str, count: int, parse: Callable[[Any], Any]) -> int:
        """GET the first page of a resource list as Okta does; each item read with `parse`.

        Returns totalResults; StepFailed when the call or any item is unusable.
        """
        query = f"startIndex=1&count={count}"
        answer = self.expect(
            self.send(
                "GET",
                resource,
                params={"startIndex": "1", "count": str(count)},
                label=f"GET /{resource}?{query}",
            )
        )
        page: tuple[int, list[dict[str, Any]]] = self.read(answer, list_of)
        for item in page[1]:
            self.read(Answer(answer.what, 200, item, ""), parse)
        return page[0]

    def test_connector(self) -> Check:
        """Okta's Test Connector: GET /Users?startIndex=1&count=2."""
        try:
            total = self.first_page("Users", 2, user_of)
        except StepFailed as exc:
            return TEST_CONNECTOR.failed(exc.detail, exc.hint)
        return TEST_CONNECTOR.passed(f"200 ListResponse, totalResults={total}")

    def user_lookup(self) -> Check:
        """Okta's lookup before it creates a user, with a userName nobody has."""
        name = PROBE_PREFIX + secrets.token_hex(4)
        try:
            found = self.find_users(name)
        except StepFailed as exc:
            return USER_LOOKUP.failed(exc.detail, exc.hint)
        if found:
            return USER_LOOKUP.failed(
                f"filter on an unused userName matched {len(found)} user(s)",
                "the server ignores the userName filter; Okta would match wrong users.",
            )
        return USER_LOOKUP.passed("filter userName eq answered an empty list")

    def groups(self) -> Check:
        """With group sync: GET /Groups?startIndex=1&count=100, as Okta lists groups."""
        if not self.ctx.group_sync:
            return GROUPS.skipped("group sync is off in the spec")
        try:
            total = self.first_page("Groups", 100, group_of)
        except StepFailed as exc:
            return GROUPS.failed(
                exc.detail,
                exc.hint + " Group sync needs [auth.scim] group_sync_enabled / enable_group_sync = true.",
            )
        return GROUPS.passed(f"200 ListResponse, totalResults={total}")

    def discovery(self) -> Check:
        """ServiceProviderConfig, ResourceTypes, Schemas: reported, never failed.

        Grafana does not document them and Okta does not call them.
        """
        served, missing = [], []
        for name in DISCOVERY:
            try:
                answer = self.send("GET", name)
            except StepFailed as exc:
                missing.append(f"{name} ({exc.detail.partition(': ')[2]})")
                continue
            if answer.status == 200 and isinstance(answer.body, dict):
                served.append(name)
            else:
                missing.append(f"{name} (HTTP {answer.status})")
        note = "informational: Grafana does not document them and Okta does not need them"
        if not served:
            return DISCOVERY_CHECK.skipped(f"none served: {', '.join(missing)}; {note}")
        detail = "served: " + ", ".join(served)
        if missing:
            detail += "; not served: " + ", ".join(missing)
        return DISCOVERY_CHECK.passed(f"{detail}; {note}")


class WriteTest:
    """The writes Okta makes, with the fixed probe user and probe group (see probe.py).

    User: look it up; create it once, or reactivate it (PUT active=true); read; update (PUT);
    deactivate (PUT active=false). Group (with group sync), while the probe user is active:
    delete leftovers of killed runs, create, read, rename (PUT), add and remove the probe user
    (PUT members), delete. Cleanup runs whatever happened: it deactivates the probe user if a
    run left it active, deletes every probe group, and reads both back: it only says nothing
    is left when the server confirms it.
    """

    def __init__(self, checks: ScimChecks) -> None:
        self.checks = checks
        self.user: UserView | None = None
        self.user_active = False
        self.groups: dict[str, str] = {}
        self.trouble: dict[str, str] = {}
        self.posted: set[str] = set()
        self.deleted: set[str] = set()

    def run(self) -> list[Check]:
        """scim.write_user, scim.write_group and scim.cleanup."""
        user_steps: list[str] = []
        group_steps: list[str] = []
        try:
            user_error = self._attempt(self._user_setup, user_steps)
            if self.checks.ctx.group_sync:
                group_check = self._check(
                    WRITE_GROUP.name, group_steps, self._attempt(self._group, group_steps)
                )
            else:
                group_check = WRITE_GROUP.skipped("group sync is off in the spec")
            if user_error is None:
                user_error = self._attempt(self._user_deactivate, user_steps)
            user_check = self._check(WRITE_USER.name, user_steps, user_error)
        finally:
            cleanup = self._cleanup()
        return [user_check, group_check, cleanup]

    @staticmethod
    def _attempt(body: Callable[[list[str]], None], done: list[str]) -> StepFailed | None:
        try:
            body(done)
        except StepFailed as exc:
            return exc
        return None

    @staticmethod
    def _check(name: str, done: list[str], error: StepFailed | None) -> Check:
        if error is not None:
            steps = ", ".join(done) or "nothing"
            return Check(name, "fail", f"{error.detail} (succeeded: {steps})", error.hint)
        return Check(name, "pass", ", ".join(done))

    # -- user ---------------------------------------------------------------------------------
    def _user_setup(self, done: list[str]) -> None:
        c = self.checks
        found = self._probe_users()
        if len(found) > 1:
            raise StepFailed(
                f"{len(found)} users named {PROBE_USER!r}",
                "Okta expects at most one user per userName; remove the duplicates.",
            )
        if found:
            user = found[0]
            self.user, self.user_active = user, True
            answer = c.expect(
                c.send(
                    "PUT",
                    f"Users/{user.id}",
                    body=user_body(True, user.display_name or DISPLAY_NAMES[0], creating=False),
                    label=f"PUT /Users/{user.id} active=true",
                )
            )
            self._expect_active(c.read(answer, user_of), True, answer.what)
            done.append("reactivate")
        else:
            self.posted.add("user")
            answer = c.expect(
                c.send("POST", "Users", body=user_body(True, DISPLAY_NAMES[0], creating=True)), (201, 200)
            )
            self.user = c.read(answer, user_of)
            self.user_active = True
            done.append("create")
        user_id = self.user.id
        answer = c.expect(c.send("GET", f"Users/{user_id}"))
        read = c.read(answer, user_of)
        if read.user_name.casefold() != PROBE_USER.casefold():
            raise StepFailed(
                f"read back userName {read.user_name!r}, expected {PROBE_USER!r}",
                "the server does not keep userName, which Okta matches on.",
            )
        self._expect_active(read, True, answer.what)
        done.append("read")
        new_name = DISPLAY_NAMES[1] if read.display_name == DISPLAY_NAMES[0] else DISPLAY_NAMES[0]
        answer = c.expect(c.send("PUT", f"Users/{user_id}", body=user_body(True, new_name, creating=False)))
        updated = c.read(answer, user_of)
        if updated.display_name is not None and updated.display_name != new_name:
            raise StepFailed(
                f"{answer.what} answered displayName {updated.display_name!r}, expected {new_name!r}",
                "the server does not apply PUT updates; Okta's profile pushes would be lost.",
            )
        self.user = updated
        done.append("update")

    def _probe_users(self) -> list[UserView]:
        return [
            u for u in self.checks.find_users(PROBE_USER) if u.user_name.casefold() == PROBE_USER.casefold()
        ]

    def _user_deactivate(self, done: list[str]) -> None:
        c = self.checks
        assert self.user is not None
        self._deactivate()
        done.append("deactivate")
        answer = c.expect(c.send("GET", f"Users/{self.user.id}"))
        self._expect_active(c.read(answer, user_of), False, answer.what)

    def _deactivate(self) -> None:
        """PUT active=false, as Okta deactivates; StepFailed if refused or ignored."""
        c = self.checks
        assert self.user is not None
        answer = c.expect(
            c.send(
                "PUT",
                f"Users/{self.user.id}",
                body=user_body(False, self.user.display_name or DISPLAY_NAMES[0], creating=False),
                label=f"PUT /Users/{self.user.id} active=false",
            )
        )
        self._expect_active(c.read(answer, user_of), False, answer.what)
        self.user_active = False

    @staticmethod
    def _expect_active(user: UserView, active: bool, what: str) -> None:
        if user.active is None:
            raise StepFailed(
                f"{what}: the user has no active attribute",
                "Okta reads active to see whether a user is deactivated.",
            )
        if user.active != active:
            raise StepFailed(
                f"{what}: active is {str(user.active).lower()}, expected {str(active).lower()}",
                "the server ignores active in PUT; Okta deactivates users this way.",
            )

    # -- group --------------------------------------------------------------------------------
    def _find_groups(self, name: str) -> list[GroupView]:
        groups: list[GroupView] = self.checks.find("Groups", "displayName", name, group_of)
        return [g for g in groups if g.display_name == name]

    def _group(self, done: list[str]) -> None:
        c = self.checks
        leftovers = self._find_groups(PROBE_GROUP) + self._find_groups(PROBE_GROUP_RENAMED)
        for group in leftovers:
            self.groups[group.id] = group.display_name
            self._delete_group(group.id)
        if leftovers:
            done.append(f"deleted {len(leftovers)} leftover probe group(s)")
        self.posted.add("group")
        answer = c.expect(c.send("POST", "Groups", body=group_body(PROBE_GROUP, None, True)), (201, 200))
        group = c.read(answer, group_of)
        self.groups[group.id] = group.display_name
        done.append("create")
        path = f"Groups/{group.id}"
        read = c.read(c.expect(c.send("GET", path)), group_of)
        if read.display_name != PROBE_GROUP:
            raise StepFailed(
                f"read back displayName {read.display_name!r}, expected {PROBE_GROUP!r}",
                "the server does not keep displayName.",
            )
        done.append("read")
        renamed = self._put_group(group.id, PROBE_GROUP_RENAMED, None, "rename")
        if renamed.display_name != PROBE_GROUP_RENAMED:
            raise StepFailed(
                f"PUT /{path} rename: displayName is {renamed.display_name!r}",
                "the server ignores renames by PUT, which Okta's group push sends.",
            )
        self.groups[group.id] = PROBE_GROUP_RENAMED
        done.append("rename")
        if self.user is not None and self.user_active:
            member = (self.user.id, PROBE_USER)
            added = self._members(group.id, member, "add member")
            if self.user.id not in added:
                raise StepFailed(
                    f"PUT /{path} add member: the probe user is not a member",
                    "the server ignores members in PUT, which Okta's group push "
                    "sends to change team membership.",
                )
            done.append("add member")
            removed = self._members(group.id, None, "remove member")
            if self.user.id in removed:
                raise StepFailed(
                    f"PUT /{path} remove member: the probe user is still a member",
                    "the server ignores members in PUT, which Okta's group push "
                    "sends to change team membership.",
                )
            done.append("remove member")
        else:
            done.append("membership not tested (no active probe user)")
        self._delete_group(group.id)
        done.append("delete")

    def _put_group(self, group_id: str, name: str, member: tuple[str, str] | None, step: str) -> GroupView:
        c = self.checks
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

    def _members(self, group_id: str, member: tuple[str, str] | None, step: str) -> tuple[str, ...]:
        """Member ids after a membership PUT: from its answer, else read back."""
        c = self.checks
        group = self._put_group(group_id, PROBE_GROUP_RENAMED, member, step)
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

    def _delete_group(self, group_id: str) -> None:
        """DELETE (200 or 204), then confirm with a GET answering 404."""
        c = self.checks
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

    # -- cleanup ------------------------------------------------------------------------------
    def _cleanup(self) -> Check:
        remains: list[str] = []
        self._recover_unanswered_creates(remains)
        for group_id, name in list(self.groups.items()):
            try:
                self._delete_group(group_id)
            except StepFailed as exc:
                reason = self.trouble.get(group_id) or exc.detail
                remains.append(f"probe group {name!r} (id {group_id}): {reason}")
        kept = ""
        if self.user is not None:
            kept, problem = self._user_left()
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
        if self.deleted or "group" in self.posted:
            return CLEANUP.passed("server confirms: nothing left behind")
        return CLEANUP.passed("nothing was written")

    def _recover_unanswered_creates(self, remains: list[str]) -> None:
        """A POST sent without a usable answer may still have created: look it up by name."""
        try:
            if "user" in self.posted and self.user is None:
                found = self._probe_users()
                if found:
                    self.user, self.user_active = found[0], found[0].active is not False
            if "group" in self.posted:
                for name in (PROBE_GROUP, PROBE_GROUP_RENAMED):
                    for group in self._find_groups(name):
                        self.groups.setdefault(group.id, group.display_name)
        except StepFailed as exc:
            remains.append(f"unknown: a create was sent but the look-up failed ({exc.detail})")

    def _user_left(self) -> tuple[str, str]:
        """(what is kept by design, what is left that should not be) for the probe user."""
        assert self.user is not None
        c = self.checks
        label = f"probe user {PROBE_USER!r} (id {self.user.id})"
        deactivation_error = ""
        if self.user_active:
            try:
                self._deactivate()
            except StepFailed as exc:
                deactivation_error = exc.detail
        try:
            read = c.read(c.expect(c.send("GET", f"Users/{self.user.id}")), user_of)
        except StepFailed as exc:
            return "", f"{label}: state unconfirmed ({exc.detail})"
        if read.active is False:
            return (
                f"the deactivated {label}, kept on purpose (Grafana cannot delete SCIM "
                "users; the next run reuses it)"
            ), ""
        reason = deactivation_error or "the server reports it active"
        return "", f"ACTIVE {label}: {reason}"
