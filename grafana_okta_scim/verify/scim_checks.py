"""Checks of Grafana's SCIM endpoint: the calls Okta makes, discovery, then the write test.

Every request is one Okta sends (Okta SCIM 2.0 reference) or, for discovery, an informational
RFC 7644 read. Answers are read like Okta reads them (scim_api.py): extension schemas and extra
attributes are fine, only what Okta relies on is checked. The write test is write_test.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from ..live import ScimAnswer, ScimClient
from .diagnosis import ScimContext
from .model import Check
from .probe import NOTICE
from .registry import BY_NAME, check, dependents, skip_all
from .scim_api import group_of, list_of, user_of
from .scim_calls import ScimCalls, StepFailed
from .write_test import WriteTest

DISCOVERY_CHECK = check("scim.discovery")
GROUPS = check("scim.groups")
TEST_CONNECTOR = check("scim.test_connector")
USER_LOOKUP = check("scim.user_lookup")

PROBE_PREFIX = "grafana-okta-scim-verify-"
DISCOVERY = ("ServiceProviderConfig", "ResourceTypes", "Schemas")


class ScimChecks(ScimCalls):
    """Runs the SCIM checks with one client; every failure becomes a check with a hint."""

    def __init__(
        self, api: ScimClient, ctx: ScimContext, notice: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(api, ctx)
        self.notice = notice

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
            self.read(ScimAnswer(answer.what, 200, item, ""), parse)
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
