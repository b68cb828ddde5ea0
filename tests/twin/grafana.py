"""The twin's Grafana instance: orgs, users, teams, service accounts, SAML and SCIM settings.

State only; http_grafana.py answers it in Grafana's HTTP API shapes, scim.py writes SCIM
users and groups into it, signin.py applies a SAML sign-in to it.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, stamp
from .errors import TwinError

ROLES = ("None", "Viewer", "Editor", "Admin")


@dataclass
class GrafanaUser:
    """A Grafana user; `provenance` is how it came: "scim", "saml" or "local"."""

    id: int
    login: str
    email: str
    name: str
    provenance: str
    active: bool = True
    orgs: dict[int, str] = field(default_factory=dict)  # org id -> role
    external_uid: str | None = None  # the SCIM externalId / the SAML external uid it matched
    scim_id: str | None = None
    is_grafana_admin: bool = False

    @property
    def role(self) -> str | None:
        """The role in org 1 (or the only org)."""
        if 1 in self.orgs:
            return self.orgs[1]
        return next(iter(self.orgs.values()), None)


@dataclass
class Team:
    id: int
    org_id: int
    name: str
    members: set[int] = field(default_factory=set)
    scim_id: str | None = None
    external_id: str | None = None


@dataclass
class ServiceAccount:
    id: int
    org_id: int
    name: str
    login: str
    role: str
    is_disabled: bool = False
    roles: set[str] = field(default_factory=set)  # RBAC role uids assigned


@dataclass
class Token:
    id: int
    account_id: int
    name: str
    key: str
    created: datetime.datetime
    expiration: datetime.datetime | None


class GrafanaInstance:
    """One Grafana (a Cloud stack or a self-hosted Enterprise)."""

    def __init__(
        self,
        url: str,
        clock: Clock,
        kind: str = "cloud",
        stack_id: int | None = None,
        stack_slug: str | None = None,
        admin_token: str | None = None,
    ) -> None:
        if kind not in ("cloud", "enterprise"):
            raise TwinError(f"grafana kind: got {kind}; expected cloud or enterprise")
        if kind == "cloud" and not stack_id:
            raise TwinError("grafana stack_id: got nothing; expected the Cloud stack's id")
        self.url = url.rstrip("/")
        self.clock, self.kind, self.stack_id = clock, kind, stack_id
        self.stack_slug = stack_slug or re.sub(r"\W", "", url.split("//")[-1].split(".")[0])
        # None: any non-empty bearer token or basic auth is accepted.
        self.admin_token = admin_token
        self.orgs: dict[int, str] = {1: "Main Org."}
        self.users: dict[int, GrafanaUser] = {}
        self.team_objects: dict[int, Team] = {}
        self.accounts: dict[int, ServiceAccount] = {}
        self.tokens: dict[int, Token] = {}
        # Keys of deleted tokens: Grafana answers 401 to them, wherever they are sent.
        self.revoked: set[str] = set()
        self.sso: dict[str, dict[str, Any]] = {}  # provider -> settings (snake_case keys)
        self.scim_config: dict[str, dict[str, bool]] = {}  # namespace -> spec
        self._ids = {k: itertools.count(1) for k in ("user", "team", "account", "token", "org")}
        next(self._ids["org"])  # org 1 exists
        self.scim: Any = None  # scim.ScimEndpoint, attached by the Twin

    # -- namespaces ------------------------------------------------------------------------------
    def namespace(self, org_id: int = 1) -> str:
        """The app platform namespace: stacks-<id> on Cloud, default / org-<N> self-hosted
        (resource_scim_config.go:251-264 for stacks- and default)."""
        if self.kind == "cloud":
            return f"stacks-{self.stack_id}"
        return "default" if org_id == 1 else f"org-{org_id}"

    def org_of_namespace(self, namespace: str) -> int | None:
        if self.kind == "cloud":
            return 1 if namespace == self.namespace() else None
        if namespace == "default":
            return 1
        match = re.fullmatch(r"org-(\d+)", namespace)
        return int(match.group(1)) if match and int(match.group(1)) in self.orgs else None

    # -- orgs and users --------------------------------------------------------------------------
    def add_org(self, name: str) -> int:
        org_id = next(self._ids["org"])
        self.orgs[org_id] = name
        return org_id

    def ensure_org(self, org_id: int) -> None:
        """Orgs are created on demand on self-hosted (an admin made them)."""
        while org_id not in self.orgs:
            new = self.add_org(f"Org {len(self.orgs) + 1}")
            if new > org_id:
                break

    def add_user(
        self,
        login: str,
        email: str | None = None,
        name: str = "",
        provenance: str = "local",
        orgs: dict[int, str] | None = None,
    ) -> GrafanaUser:
        if self.user_by_login(login) is not None:
            raise TwinError(f"grafana user: got {login}; expected a login not taken")
        user = GrafanaUser(
            next(self._ids["user"]), login, email or login, name, provenance, orgs=dict(orgs or {1: "Viewer"})
        )
        self.users[user.id] = user
        return user

    def user_by_login(self, login: str) -> GrafanaUser | None:
        for user in self.users.values():
            if user.login.lower() == login.lower() or user.email.lower() == login.lower():
                return user
        return None

    def active_users(self, org_id: int | None = None) -> dict[str, GrafanaUser]:
        """{login: user} of active users (in org_id when given)."""
        return {u.login: u for u in self.users.values() if u.active and (org_id is None or org_id in u.orgs)}

    # -- teams -----------------------------------------------------------------------------------
    def add_team(self, name: str, org_id: int = 1) -> Team:
        if any(t.name == name and t.org_id == org_id for t in self.team_objects.values()):
            raise TwinError(f"grafana team: got {name}; expected a name not taken in org {org_id}")
        team = Team(next(self._ids["team"]), org_id, name)
        self.team_objects[team.id] = team
        return team

    def teams(self, org_id: int = 1) -> dict[str, list[str]]:
        """{team name: sorted member logins} in an org (what people see)."""
        return self.team_members(org_id)

    def team_members(self, org_id: int = 1) -> dict[str, list[str]]:
        """{team name: sorted member logins} in an org."""
        return {
            t.name: sorted(self.users[m].login for m in t.members if m in self.users)
            for t in sorted(self.team_objects.values(), key=lambda t: t.name)
            if t.org_id == org_id
        }

    # -- service accounts and tokens -------------------------------------------------------------
    def add_account(
        self, name: str, role: str = "Viewer", org_id: int = 1, is_disabled: bool = False
    ) -> ServiceAccount:
        if any(a.name == name and a.org_id == org_id for a in self.accounts.values()):
            raise TwinError(f"grafana service account: got {name}; expected a name not taken")
        if role not in ROLES:
            raise TwinError(f"grafana service account role: got {role}; expected one of {', '.join(ROLES)}")
        account_id = next(self._ids["account"])
        login = f"sa-{org_id}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}"
        account = ServiceAccount(account_id, org_id, name, login, role, is_disabled)
        self.accounts[account_id] = account
        return account

    def add_token(self, account_id: int, name: str, seconds_to_live: int | None = None) -> Token:
        now = self.clock.now()
        expiration = now + datetime.timedelta(seconds=seconds_to_live) if seconds_to_live else None
        token_id = next(self._ids["token"])
        digest = hashlib.sha256(f"{self.url}/{account_id}/{token_id}/{name}".encode()).hexdigest()
        key = f"glsa_twin{token_id:04d}{digest[:24]}_{digest[24:32]}"
        token = Token(token_id, account_id, name, key, now, expiration)
        self.tokens[token_id] = token
        return token

    def revoke(self, token_id: int) -> None:
        """Delete a token (DELETE .../tokens/{id}, or its account deleted); its key stops working."""
        self.revoked.add(self.tokens.pop(token_id).key)

    def token_valid(self, key: str) -> bool:
        """A service account token that exists, is not expired and whose account is enabled."""
        for token in self.tokens.values():
            if token.key == key:
                account = self.accounts.get(token.account_id)
                return (
                    account is not None
                    and not account.is_disabled
                    and (token.expiration is None or token.expiration > self.clock.now())
                )
        return False

    def token_json(self, token: Token) -> dict[str, Any]:
        """A token as GET /api/serviceaccounts/{id}/tokens lists it."""
        now = self.clock.now()
        expired = token.expiration is not None and token.expiration <= now
        return {
            "id": token.id,
            "name": token.name,
            "created": stamp(token.created),
            "lastUsedAt": None,
            "expiration": stamp(token.expiration) if token.expiration else None,
            "secondsUntilExpiration": max(0.0, (token.expiration - now).total_seconds())
            if token.expiration
            else 0,
            "hasExpired": expired,
            "isRevoked": False,
        }

    def account_json(self, account: ServiceAccount) -> dict[str, Any]:
        return {
            "id": account.id,
            "uid": f"sa{account.id:06d}",
            "name": account.name,
            "login": account.login,
            "orgId": account.org_id,
            "isDisabled": account.is_disabled,
            "role": account.role,
            "tokens": sum(1 for t in self.tokens.values() if t.account_id == account.id),
            "avatarUrl": "/avatar/twin",
            "isExternal": False,
            "accessControl": {},
        }
