"""Checks of Grafana's SCIM endpoint: the calls Okta makes, discovery, the write test."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from scim2_client import SCIMClientException
from scim2_models import (
    Email,
    Group,
    ListResponse,
    PatchOp,
    PatchOperation,
    ResourceType,
    Schema,
    SCIMException,
    SearchRequest,
    ServiceProviderConfig,
    User,
)

from .diagnosis import ScimContext, status_hint, transport_hint
from .http import TransportError
from .model import Check
from .scim_client import ScimClient

PROBE_PREFIX = "grafana-okta-scim-verify-"


class StepFailed(Exception):
    """A SCIM call that did not succeed; `hint` explains it."""

    def __init__(self, detail: str, hint: str) -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(detail)


class ScimChecks:
    """Runs the SCIM checks with one client; every failure becomes a check with a hint."""

    def __init__(self, client: ScimClient, ctx: ScimContext) -> None:
        self.client = client
        self.ctx = ctx
        self.last_status: int | None = None

    def call(self, what: str, action: Callable[[], Any]) -> Any:
        """Run one scim2-client call; raise StepFailed with a diagnosis when it fails."""
        redact = self.client.http.redact
        self.client.last_response = None
        try:
            return action()
        except TransportError as exc:
            raise StepFailed(f"{what}: {exc.message}",
                             transport_hint(exc, "the Grafana SCIM API", self.ctx.timeout)) from None
        except (SCIMClientException, SCIMException) as exc:
            response = self.client.last_response
            status = response.status_code if response is not None else 0
            body = redact(response.text[:300]) if response is not None else ""
            if status and not 200 <= status < 300:
                raise StepFailed(f"{what}: HTTP {status} {body}".strip(),
                                 status_hint(status, body, self.ctx)) from None
            raise StepFailed(f"{what}: {redact(str(exc))}",
                             "the answer is not valid SCIM 2.0 (RFC 7643/7644).") from None

    def run(self, write_test: bool) -> list[Check]:
        """All SCIM checks, in the order Okta would exercise the endpoint."""
        checks = [self.test_connector()]
        if checks[0].result == "fail":
            reason = "skipped: the test connector call failed"
            names = ["scim.user_lookup", "scim.groups", "scim.discovery"]
            if write_test:
                names += ["scim.write_user", "scim.write_group"]
            return checks + [Check(name, "skip", reason) for name in names]
        checks += [self.user_lookup(), self.groups(), self.discovery()]
        if write_test:
            checks += WriteTest(self).run()
        return checks

    def test_connector(self) -> Check:
        """Okta's Test Connector: GET /Users?startIndex=1&count=2."""
        request = SearchRequest(start_index=1, count=2)
        try:
            result = self.call("GET /Users?startIndex=1&count=2",
                               lambda: self.client.query(User, query_parameters=request))
        except StepFailed as exc:
            return Check("scim.test_connector", "fail", exc.detail, exc.hint)
        return Check("scim.test_connector", "pass",
                     f"200 ListResponse, totalResults={_total(result)}")

    def user_lookup(self) -> Check:
        """Okta's lookup before it creates a user: GET /Users?filter=userName eq "..."."""
        name = PROBE_PREFIX + secrets.token_hex(4)
        request = SearchRequest(filter=f'userName eq "{name}"')
        try:
            result = self.call(f'GET /Users?filter=userName eq "{name}"',
                               lambda: self.client.query(User, query_parameters=request))
        except StepFailed as exc:
            return Check("scim.user_lookup", "fail", exc.detail, exc.hint)
        total = _total(result)
        if total:
            return Check("scim.user_lookup", "fail",
                         f"filter on an unused userName matched {total} user(s)",
                         "the server ignores the userName filter; Okta would match wrong users.")
        return Check("scim.user_lookup", "pass", "filter userName eq answered an empty list")

    def groups(self) -> Check:
        """With group sync: GET /Groups, which Okta's group push needs."""
        if not self.ctx.group_sync:
            return Check("scim.groups", "skip", "group sync is off in the spec")
        request = SearchRequest(start_index=1, count=1)
        try:
            result = self.call("GET /Groups?startIndex=1&count=1",
                               lambda: self.client.query(Group, query_parameters=request))
        except StepFailed as exc:
            return Check("scim.groups", "fail", exc.detail,
                         exc.hint + " Group sync needs [auth.scim] group_sync_enabled / "
                         "enable_group_sync = true.")
        return Check("scim.groups", "pass", f"200 ListResponse, totalResults={_total(result)}")

    def discovery(self) -> Check:
        """ServiceProviderConfig, ResourceTypes and Schemas, where the server serves them."""
        served, missing = [], []
        for name, model in (("ServiceProviderConfig", ServiceProviderConfig),
                            ("ResourceTypes", ResourceType), ("Schemas", Schema)):
            try:
                self.call(f"GET /{name}", lambda model=model: self.client.query(model))
            except StepFailed as exc:
                if self.last_http_status() in (404, 501):
                    missing.append(name)
                    continue
                return Check("scim.discovery", "fail", exc.detail, exc.hint)
            served.append(name)
        if not served:
            return Check("scim.discovery", "skip",
                         "no discovery endpoint served (Okta does not need them)")
        detail = "served: " + ", ".join(served)
        if missing:
            detail += "; not served: " + ", ".join(missing)
        return Check("scim.discovery", "pass", detail)

    def last_http_status(self) -> int | None:
        """Status of the last answer, if any."""
        response = self.client.last_response
        return response.status_code if response is not None else None


class WriteTest:
    """Throw-away user (and group with group sync): create, read, update, deactivate, delete.

    Whatever fails, everything created is deleted again; the cleanup check says so.
    """

    def __init__(self, checks: ScimChecks) -> None:
        self.checks = checks
        self.client = checks.client
        self.created: list[tuple[type[User] | type[Group], str]] = []

    def run(self) -> list[Check]:
        """The write checks and the cleanup check."""
        results: list[Check] = []
        try:
            results.append(self._step("scim.write_user", self._user))
            if self.checks.ctx.group_sync:
                results.append(self._step("scim.write_group", self._group))
            else:
                results.append(Check("scim.write_group", "skip", "group sync is off in the spec"))
        finally:
            results.append(self._cleanup())
        return results

    def _step(self, name: str, body: Callable[[list[str]], None]) -> Check:
        done: list[str] = []
        try:
            body(done)
        except StepFailed as exc:
            steps = ", ".join(done) or "nothing"
            return Check(name, "fail", f"{exc.detail} (succeeded: {steps})", exc.hint)
        return Check(name, "pass", ", ".join(done))

    def _user(self, done: list[str]) -> None:
        call = self.checks.call
        name = PROBE_PREFIX + secrets.token_hex(4)
        user = User(user_name=name, display_name="grafana-okta-scim verify", external_id=name,
                    active=True, emails=[Email(value=f"{name}@example.com", type="work",
                                               primary=True)])
        created = call("POST /Users", lambda: self.client.create(user))
        self.created.append((User, created.id))
        done.append("create")
        read = call(f"GET /Users/{created.id}", lambda: self.client.query(User, created.id))
        if read.user_name != name:
            raise StepFailed(f"read back userName {read.user_name!r}, expected {name!r}",
                             "the server does not keep userName, which Okta matches on.")
        done.append("read")
        read.display_name = "grafana-okta-scim verify (updated)"
        updated = call(f"PUT /Users/{created.id}", lambda: self.client.replace(read))
        done.append("update")
        updated.active = False
        call(f"PUT /Users/{created.id} active=false", lambda: self.client.replace(updated))
        done.append("deactivate")
        call(f"DELETE /Users/{created.id}", lambda: self.client.delete(User, created.id))
        self.created.remove((User, created.id))
        done.append("delete")

    def _group(self, done: list[str]) -> None:
        call = self.checks.call
        name = PROBE_PREFIX + secrets.token_hex(4)
        created = call("POST /Groups", lambda: self.client.create(Group(display_name=name)))
        self.created.append((Group, created.id))
        done.append("create")
        call(f"GET /Groups/{created.id}", lambda: self.client.query(Group, created.id))
        done.append("read")
        patch = PatchOp[Group](operations=[PatchOperation[Group](
            op=PatchOperation.Op.replace_, path="displayName", value=name + "-renamed")])
        call(f"PATCH /Groups/{created.id}",
             lambda: self.client.modify(Group, created.id, patch))
        done.append("update")
        call(f"DELETE /Groups/{created.id}", lambda: self.client.delete(Group, created.id))
        self.created.remove((Group, created.id))
        done.append("delete")

    def _cleanup(self) -> Check:
        leftovers: list[str] = []
        for model, resource_id in list(self.created):
            try:
                self.checks.call(f"DELETE /{model.__name__}s/{resource_id}",
                                 lambda m=model, i=resource_id: self.client.delete(m, i))
            except StepFailed:
                leftovers.append(f"{model.__name__} {resource_id}")
            else:
                self.created.remove((model, resource_id))
        if leftovers:
            return Check("scim.cleanup", "fail", "left behind: " + ", ".join(leftovers),
                         f"delete them by hand (names start with {PROBE_PREFIX}).")
        return Check("scim.cleanup", "pass", "nothing left behind")


def _total(result: Any) -> int:
    if isinstance(result, ListResponse):
        return result.total_results or 0
    return 0
