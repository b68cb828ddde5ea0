"""--live: count the people behind each consequence with GET-only calls.

The only impact module that talks HTTP, through the live-API layer (timeouts, retries,
redaction, paging); every request here is a GET.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..live import (
    GRAFANA_AUTH_ENV,
    OKTA_TOKEN_ENV,
    BadAnswer,
    GrafanaClient,
    HttpSettings,
    OktaClient,
    Reader,
    Redactor,
    StatusError,
    Unreachable,
)
from ..live import (
    LiveError as ReadFailed,
)
from .catalog import Severity
from .changes import Plan
from .consequence import Consequence

PAGE_LIMIT = 200
MAX_PAGES = 500


class LiveError(Exception):
    """A live count could not be made; `problem` is one redacted line."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


@dataclass(frozen=True)
class Targets:
    """Where Okta and Grafana are: from the flags, else the plan's provider configuration."""

    okta_url: str | None
    grafana_url: str | None


def targets(plan: Plan, okta_url: str | None, grafana_url: str | None) -> Targets:
    """The Okta org URL and Grafana URL to count against."""
    if okta_url is None:
        org, base = plan.provider_value("okta", "org_name"), plan.provider_value("okta", "base_url")
        okta_url = f"https://{org}.{base or 'okta.com'}" if org else None
    if grafana_url is None:
        grafana_url = plan.provider_value("grafana", "url")
    return Targets(okta_url, grafana_url)


class Counter:
    """GET-only counts against one Okta org and one Grafana instance."""

    def __init__(self, okta: OktaClient | None, grafana: GrafanaClient | None, redact: Redactor) -> None:
        self.okta = okta
        self.grafana = grafana
        self.redact = redact

    def _get(self, client: Reader | None, what: str, path: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON body of one GET answered 200."""
        return self._read(client, what, path, lambda c: c.get(path, params).body)

    def _okta_pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every object of a paged Okta list (up to MAX_PAGES pages)."""
        items = self._read(
            self.okta, "Okta", path, lambda c: c.get_all(path, params, max_pages=MAX_PAGES).body
        )
        yield from (item for item in items if isinstance(item, dict))

    def _read(self, client: Reader | None, what: str, path: str, read: Any) -> Any:
        if client is None:
            raise LiveError(
                f"--live: {what}: no URL; expected it in the plan's provider configuration or a flag"
            )
        try:
            return read(client)
        except Unreachable as exc:
            raise LiveError(f"--live: GET {what} {path}: {exc.error.message}") from None
        except StatusError as exc:
            raise LiveError(
                self.redact(f"--live: GET {what} {exc.url_path}: got HTTP {exc.status}; expected 200")
            ) from None
        except BadAnswer as exc:
            if exc.kind == "other-host":
                raise LiveError(
                    "--live: Okta's next page is on another host; expected the same org"
                ) from None
            raise LiveError(f"--live: GET {what} {path}: {exc.kind}; expected a JSON list") from None
        except ReadFailed as exc:
            raise LiveError(self.redact(f"--live: GET {what} {path}: {exc}")) from None

    def group_members(self, group_id: str) -> set[str]:
        """The user ids in one Okta group."""
        return {
            str(u.get("id"))
            for u in self._okta_pages(f"api/v1/groups/{group_id}/users", {"limit": PAGE_LIMIT})
        }

    def group_name(self, group_id: str) -> str | None:
        """The name of one Okta group (None when Okta does not know it)."""
        body = self._get(self.okta, "Okta", f"api/v1/groups/{group_id}")
        return ((body if isinstance(body, dict) else {}).get("profile") or {}).get("name")

    def group_id(self, name: str) -> str | None:
        """The id of the Okta group with exactly this name."""
        for group in self._okta_pages("api/v1/groups", {"q": name, "limit": PAGE_LIMIT}):
            if (group.get("profile") or {}).get("name") == name:
                return str(group.get("id"))
        return None

    def unprovisioned(self, app_id: str) -> int:
        """Assigned app users Okta has not provisioned yet (no externalId from Grafana)."""
        users = self._okta_pages(f"api/v1/apps/{app_id}/users", {"limit": PAGE_LIMIT})
        return sum(1 for user in users if not user.get("externalId"))

    def team_members(self, name: str) -> int:
        """Members of the Grafana team with this name (0 when there is none)."""
        body = self._get(self.grafana, "Grafana", "api/teams/search", {"name": name}) or {}
        teams = [t for t in (body.get("teams") or []) if t.get("name") == name]
        return int(teams[0].get("memberCount") or 0) if teams else 0


def _app_id(plan: Plan) -> str | None:
    for change in plan.of_type("okta_app_saml"):
        if change.old("id"):
            return str(change.old("id"))
    for change in plan.of_type("okta_app_group_assignments", "okta_app_group_assignment"):
        if change.old("app_id"):
            return str(change.old("app_id"))
    return None


def count(plan: Plan, consequences: list[Consequence], counter: Counter) -> None:
    """Fill `people` of the consequences that concern countable people (in place)."""
    for found in consequences:
        counted = COUNTS.get(found.rule)
        if counted is not None:
            counted(plan, found, counter)
            found.advice = _COUNT_HINT.sub("", found.advice)


# The advice's "(count them with --live)" is moot once --live has counted.
_COUNT_HINT = re.compile(r"\s*\(count[^()]*with --live\)")


def _unassigned(plan: Plan, found: Consequence, counter: Counter) -> None:
    people: set[str] = set()
    for group_id in found.details.get("group_ids", []):
        people |= counter.group_members(group_id)
    found.people = len(people)
    named = {label: _named(counter, label) for label in found.objects}
    for label in sorted(named, key=len, reverse=True):
        found.summary = found.summary.replace(f"{label} ", f"{named[label]} ").replace(
            f"{label},", f"{named[label]},"
        )
    found.objects = [named[label] for label in found.objects]


def _reassigned(plan: Plan, found: Consequence, counter: Counter) -> None:
    found.people = len(counter.group_members(found.details["group_id"]))


def _team_deleted(plan: Plan, found: Consequence, counter: Counter) -> None:
    if found.details.get("team"):
        found.people = counter.team_members(str(found.details["team"]))


def _role_mapping(plan: Plan, found: Consequence, counter: Counter) -> None:
    people: set[str] = set()
    for groups in [*found.details.get("gained", {}).values(), *found.details.get("lost", {}).values()]:
        for name in groups:
            group_id = counter.group_id(name)
            if group_id:
                people |= counter.group_members(group_id)
    found.people = len(people)


def _rejection(plan: Plan, found: Consequence, counter: Counter) -> None:
    app_id = _app_id(plan)
    if not app_id:
        return
    found.people = counter.unprovisioned(app_id)
    if found.people:
        found.severity = Severity.BLOCKER
        found.summary += f" ({found.people} assigned people not provisioned yet)"
    else:  # nobody assigned loses sign-in now: advisory (people assigned later must be pushed)
        found.severity = Severity.MINOR
        found.summary += " (every assigned person is provisioned)"


COUNTS: dict[str, Callable[[Plan, Consequence, Counter], None]] = {
    "group-unassigned": _unassigned,
    "group-reassigned-unordered": _reassigned,
    "team-deleted": _team_deleted,
    "role-mapping-changed": _role_mapping,
    "rejection-turned-on": _rejection,
}


def _named(counter: Counter, label: str) -> str:
    """A bare group id as `name (id)`, asking Okta; labels with a name stay as they are."""
    if " " in label or not label.startswith("00g"):
        return label
    name = counter.group_name(label)
    return f"{name} ({label})" if name else label


def open_counter(
    found: Targets, env: Mapping[str, str] | None = None, settings: HttpSettings | None = None
) -> Counter:
    """A Counter with the credentials of the environment (never argv)."""
    env = os.environ if env is None else env
    settings = settings or HttpSettings()
    redact = Redactor()
    okta_token, grafana_auth = env.get(OKTA_TOKEN_ENV), env.get(GRAFANA_AUTH_ENV)
    if not okta_token:
        raise LiveError(
            f"--live: {OKTA_TOKEN_ENV}: missing; expected an Okta API token (read-only is enough)"
        )
    redact.add(okta_token)
    redact.add(grafana_auth)
    if not found.okta_url:
        raise LiveError(
            "--okta-url: missing; expected the Okta org URL (the plan's provider configuration has none)"
        )
    okta = OktaClient.open(found.okta_url, okta_token, settings, redact)
    grafana = None
    if found.grafana_url and grafana_auth:
        grafana = GrafanaClient.open(found.grafana_url, grafana_auth, settings, redact)
    return Counter(okta, grafana, redact)
