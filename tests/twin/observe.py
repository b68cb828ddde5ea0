"""What the twin shows about people, before and after an apply, and the harm in between.

Read only from the twin's state and its HTTP views (never from `impact`): which groups each Okta
app has assigned, which Grafana users are active (and how they came: SCIM or SAML), which teams
exist, who can sign in with which roles (`twin.sign_in`, an IdP-initiated SAML flow through the
twin's Okta and Grafana), and whether Okta's SCIM connection still works ("Test API
Credentials" in the Provisioning tab: a GET of `Users` with the token Okta holds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from .twin import Twin

Roles = dict[int, str]


@dataclass(frozen=True)
class Snapshot:
    """The twin at one moment, as far as people are concerned."""

    assigned: frozenset[tuple[str, str]]  # (app id, group id)
    members: dict[str, frozenset[str]]  # group id -> member logins (Okta)
    group_names: dict[str, str]  # group id -> name
    active: frozenset[tuple[str, str]]  # (grafana url, login) active in Grafana
    scim_users: frozenset[tuple[str, str]]  # (grafana url, login) provisioned by SCIM
    teams: frozenset[tuple[str, int, str]]  # (grafana url, org id, team name)
    sign_ins: dict[tuple[str, str], Roles | None]  # (grafana url, login) -> roles, None: refused
    provisioning: dict[str, bool]  # app id -> Okta's SCIM connection answers 200
    team_sizes: dict[str, int]  # team name -> members (the first Grafana, any org)
    unprovisioned: dict[str, int]  # app id -> assigned people Okta has not provisioned


def _connection_works(twin: Twin, app: Any) -> bool:
    """Okta's "Test API Credentials": GET Users with the connection's token (read only)."""
    if not twin.okta.provisioning_active(app) or twin.endpoints is None or app.connection is None:
        return False
    base = twin.endpoints.loopback(str(app.connection["baseUrl"]).rstrip("/"))
    answer = httpx.get(
        f"{base}/Users",
        params={"startIndex": "1", "count": "1"},
        headers={"Authorization": f"Bearer {app.connection['token']}"},
        timeout=5.0,
    )
    # The twin's Grafana view accepts any bearer on the SCIM mount once a token is deleted
    # (http_grafana.Auth.ok finds no such token and falls back to "any"), against CONTRACT.md
    # ("deleted -> 401"): so the token must also still be one the twin's Grafana holds, valid.
    key = str(app.connection.get("token") or "")
    issued = any(grafana.token_valid(key) for grafana in twin.grafanas.values())
    return answer.status_code == 200 and issued


def snapshot(twin: Twin, grafana_urls: list[str], logins: list[str]) -> Snapshot:
    """The twin now: Okta assignments and groups, Grafana users and teams, sign-ins of `logins`."""
    okta = twin.okta
    assigned = frozenset((app.id, g) for app in okta.apps.values() for g in app.group_assignments)
    members = {
        gid: frozenset(okta.users[u].profile["login"] for u in group.members if u in okta.users)
        for gid, group in okta.groups.items()
    }
    names = {gid: group.name for gid, group in okta.groups.items()}
    active, scim, teams = set(), set(), set()
    sign_ins: dict[tuple[str, str], Roles | None] = {}
    for url in grafana_urls:
        grafana = twin.grafana_at(url)
        for login, user in grafana.active_users().items():
            active.add((url, login))
            if user.provenance == "scim":
                scim.add((url, login))
        for team in grafana.team_objects.values():
            teams.add((url, team.org_id, team.name))
        for login in logins:
            result = twin.sign_in(login, url)
            sign_ins[(url, login)] = dict(result.roles) if result.ok else None
    provisioning = {app.id: _connection_works(twin, app) for app in okta.apps.values()}
    sizes: dict[str, int] = {}
    for team in twin.grafana_at(grafana_urls[0]).team_objects.values():
        sizes[team.name] = sizes.get(team.name, 0) + len(team.members)
    unprovisioned = {
        app.id: sum(
            1
            for user in okta.assigned_users(app.id)
            if not (app.app_users.get(user) and app.app_users[user].external_id)
        )
        for app in okta.apps.values()
    }
    return Snapshot(
        frozenset(assigned),
        members,
        names,
        frozenset(active),
        frozenset(scim),
        frozenset(teams),
        sign_ins,
        provisioning,
        sizes,
        unprovisioned,
    )


@dataclass
class Observed:
    """The harm the twin showed between two snapshots."""

    groups_unassigned: set[str] = field(default_factory=set)  # group ids
    users_deactivated: set[str] = field(default_factory=set)  # logins
    teams_deleted: set[str] = field(default_factory=set)  # team names
    sign_ins_refused: set[str] = field(default_factory=set)  # logins who could sign in before
    roles_changed: set[str] = field(default_factory=set)  # logins whose roles differ
    provisioning_stopped: bool = False

    @property
    def none(self) -> bool:
        """Nobody lost anything."""
        return not (
            self.groups_unassigned
            or self.users_deactivated
            or self.teams_deleted
            or self.sign_ins_refused
            or self.roles_changed
            or self.provisioning_stopped
        )


def unassigned_during(requests: list[tuple[str, str]], before: Snapshot) -> set[str]:
    """Groups the Okta view was asked to unassign (`DELETE /api/v1/apps/{app}/groups/{group}`)
    among the requests of one apply: an unassignment counts even when a later request of the same
    apply assigned the group again (Okta deprovisions at once; the twin settles after the apply)."""
    found = set()
    for method, path in requests:
        parts = path.split("?")[0].strip("/").split("/")
        if (
            method == "DELETE"
            and len(parts) == 6
            and parts[:3] == ["api", "v1", "apps"]
            and parts[4] == "groups"
            and (parts[3], parts[5]) in before.assigned
        ):
            found.add(parts[5])
    return found


def observed(before: Snapshot, after: Snapshot, requests: list[tuple[str, str]] | None = None) -> Observed:
    """What changed for people from `before` to `after` (`requests`: the Okta view's log of
    the apply in between)."""
    found = Observed()
    kept_apps = {app for (app, _) in after.assigned} | set(after.provisioning)
    found.groups_unassigned = {g for (app, g) in before.assigned - after.assigned if app in kept_apps}
    found.groups_unassigned |= unassigned_during(requests or [], before)
    found.users_deactivated = {login for (_, login) in before.active - after.active}
    found.teams_deleted = {name for (url, org, name) in before.teams - after.teams}
    for key, roles in before.sign_ins.items():
        now = after.sign_ins.get(key)
        if roles is not None and now is None:
            found.sign_ins_refused.add(key[1])
        elif roles is not None and now is not None and roles != now:
            found.roles_changed.add(key[1])
    found.provisioning_stopped = any(
        works and not after.provisioning.get(app, False) for app, works in before.provisioning.items()
    )
    return found
