"""Grafana's SCIM endpoint: scim2-server as the engine, Grafana's rules on top, written through
into the Grafana model (SCIM users become Grafana users of the namespace's org, SCIM groups
become its teams).

Grafana's SCIM server is closed source; the rules come from Grafana's docs ("Configure SCIM
provisioning", "Manage users and teams with SCIM"), as tests/companion/grafana_scim_server.py's
strict mode had them:
- the path `/apis/scim.grafana.app/v0alpha1/namespaces/<namespace>/...`; another instance's
  namespace answers 403 "invalid namespace";
- a user or group written without externalId is refused (400): it links the SCIM user to the
  SAML user;
- a user needs a work email (`emails[type eq "work"]`), and userName is unique;
- "they cannot be deleted from Grafana - they can only be deactivated": DELETE /Users/{id} 405;
- discovery endpoints are not part of Grafana's documented API: 404;
- user answers carry the enterprise extension;
- user sync / group sync off in the namespace's SCIM config: 403 (docs: the SCIM config
  switches each sync on).
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any

from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_provider

from .grafana import GrafanaInstance, GrafanaUser, Team

SCIM_PREFIX = "/apis/scim.grafana.app/v0alpha1/namespaces/"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
DISCOVERY = ("ServiceProviderConfig", "Schemas", "ResourceTypes")

StartResponse = Callable[..., Any]


def scim_error(status: int, detail: str, scim_type: str | None = None) -> dict[str, Any]:
    """An RFC 7644 Error body."""
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def respond(
    start_response: StartResponse, status: int, body: Any, headers: Iterable[tuple[str, str]] = ()
) -> list[bytes]:
    raw = json.dumps(body).encode()
    start_response(
        f"{status} X",
        [("Content-Type", "application/scim+json"), ("Content-Length", str(len(raw))), *headers],
    )
    return [raw]


class _Storage(InMemoryStorage):
    """Predictable ids and dates (the twin's clock)."""

    def __init__(self, clock: Callable[[], datetime.datetime], ids: Iterable[int], id_format: str) -> None:
        super().__init__(clock=clock)
        self._ids = iter(ids)
        self.id_format = id_format

    def generate_id(self, resource_type: Any, resource: Any) -> str:
        return self.id_format.format(next(self._ids))


class ScimEndpoint:
    """WSGI app for one Grafana instance's SCIM API (every namespace of it)."""

    def __init__(self, grafana: GrafanaInstance, strict: bool = True, id_format: str = "{:08d}-twin") -> None:
        self.grafana = grafana
        # strict=False: scim2-server as it is (discovery served, DELETE allowed, no externalId /
        # work email / sync switch rules), for tests of a client against any RFC 7644 server.
        self.strict = strict
        # "{}" gives ids 1, 2, ... (golden reports).
        self.id_format = id_format
        self._ids = itertools.count(1)
        self.engines: dict[str, tuple[_Storage, BearerTokenApplication]] = {}

    def engine(self, namespace: str) -> tuple[_Storage, BearerTokenApplication]:
        if namespace not in self.engines:
            storage = _Storage(self.grafana.clock.now, self._ids, self.id_format)
            # No bearer tokens: authentication is checked here, against the Grafana model.
            self.engines[namespace] = (storage, BearerTokenApplication(storage, load_default_provider()))
        return self.engines[namespace]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        namespace, _, rest = path[len(SCIM_PREFIX) :].partition("/")
        org_id = self.grafana.org_of_namespace(namespace)
        if org_id is None:
            return respond(start_response, 403, {"message": "invalid namespace"})
        segments = rest.split("/")
        resource = segments[0]
        method = environ["REQUEST_METHOD"]
        if not self.strict:
            storage, app = self.engine(namespace)
            environ = {**environ, "SCRIPT_NAME": SCIM_PREFIX + namespace, "PATH_INFO": "/" + rest}
            status, headers, answer = self._call(app, environ)
            if method in ("POST", "PUT", "PATCH", "DELETE") and status < 300:
                project(self.grafana, storage, org_id)
            raw_plain = json.dumps(answer).encode() if answer is not None else b""
            kept_plain = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(f"{status} X", [*kept_plain, ("Content-Length", str(len(raw_plain)))])
            return [raw_plain]
        if resource in DISCOVERY:
            return respond(
                start_response,
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "message": "the server could not find the requested resource",
                },
            )
        if resource not in ("Users", "Groups"):
            return respond(start_response, 404, scim_error(404, f"unknown resource {resource}"))
        config = self.grafana.scim_config.get(namespace) or {}
        switch = "enableUserSync" if resource == "Users" else "enableGroupSync"
        if not config.get(switch):
            return respond(start_response, 403, scim_error(403, f"SCIM {resource.lower()} sync is disabled"))
        if method == "DELETE" and resource == "Users" and len(segments) == 2:
            return respond(
                start_response,
                405,
                scim_error(405, "users provisioned by SCIM cannot be deleted, only deactivated"),
                (("Allow", "GET, PUT, PATCH"),),
            )
        storage, app = self.engine(namespace)
        if method in ("POST", "PUT"):
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size) if size else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            environ["CONTENT_LENGTH"] = str(len(raw))
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {}
            refused = self._refuse(resource, body, storage, segments)
            if refused is not None:
                return respond(
                    start_response,
                    400 if "uniqueness" not in refused else 409,
                    scim_error(
                        400 if "uniqueness" not in refused else 409,
                        refused.split("|")[0],
                        "uniqueness" if "uniqueness" in refused else "invalidValue",
                    ),
                )
        environ = {**environ, "SCRIPT_NAME": SCIM_PREFIX + namespace, "PATH_INFO": "/" + rest}
        status, headers, answer = self._call(app, environ)
        if method in ("POST", "PUT", "PATCH", "DELETE") and status < 300:
            project(self.grafana, storage, org_id)
        if resource == "Users" and isinstance(answer, dict):
            for user in [answer, *(answer.get("Resources") or [])]:
                if isinstance(user, dict) and USER_SCHEMA in (user.get("schemas") or []):
                    user["schemas"] = [*user["schemas"], ENTERPRISE]
                    user[ENTERPRISE] = {"employeeNumber": f"E{user.get('id')}", "organization": "twin"}
        raw_out = json.dumps(answer).encode() if answer is not None else b""
        kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(f"{status} X", [*kept, ("Content-Length", str(len(raw_out)))])
        return [raw_out]

    def _refuse(self, resource: str, body: Any, storage: _Storage, segments: list[str]) -> str | None:
        if not isinstance(body, dict) or not body.get("externalId"):
            return "externalId is required"
        if resource != "Users":
            return None
        emails = body.get("emails") or []
        if not any(isinstance(e, dict) and e.get("type") == "work" and e.get("value") for e in emails):
            return 'a work email (emails[type eq "work"]) is required'
        name = str(body.get("userName") or "").lower()
        own = segments[1] if len(segments) > 1 else None
        for stored in _resources(storage):
            if (
                USER_SCHEMA in stored.schemas
                and (stored.user_name or "").lower() == name
                and stored.id != own
            ):
                return "userName is already taken|uniqueness"
        return None

    @staticmethod
    def _call(app: Any, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], Any]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        raw = b"".join(app(environ, capture))
        try:
            answer = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            answer = None
        return int(captured["status"].split()[0]), captured["headers"], answer

    # -- for assertions --------------------------------------------------------------------------
    def users(self, namespace: str | None = None) -> list[tuple[str, bool | None]]:
        """(userName, active) of every SCIM user (of a namespace)."""
        return sorted(
            (r.user_name, r.active)
            for ns, (storage, _) in self.engines.items()
            if namespace in (None, ns)
            for r in _resources(storage)
            if USER_SCHEMA in r.schemas
        )

    def groups(self, namespace: str | None = None) -> list[str]:
        """displayName of every SCIM group (of a namespace)."""
        return sorted(
            r.display_name
            for ns, (storage, _) in self.engines.items()
            if namespace in (None, ns)
            for r in _resources(storage)
            if GROUP_SCHEMA in r.schemas
        )


def _resources(storage: InMemoryStorage) -> list[Any]:
    """The stored resources, users and groups alike (told apart by `schemas`)."""
    return list(storage.resources)


def _work_email(resource: Any) -> str | None:
    for email in resource.emails or []:
        if email.type == "work" and email.value:
            return str(email.value)
    return None


def project(grafana: GrafanaInstance, storage: InMemoryStorage, org_id: int) -> None:
    """Write the SCIM resources of one namespace into Grafana's users and teams.

    A SCIM user is linked to an existing Grafana user with its login or email (docs: SCIM
    "matches users by login or email"); new SCIM users join the org with the Viewer role
    (docs only: Grafana assigns the org's default role to provisioned users).
    """
    by_scim: dict[str, GrafanaUser] = {}
    for resource in _resources(storage):
        if USER_SCHEMA not in resource.schemas:
            continue
        user = next((u for u in grafana.users.values() if u.scim_id == resource.id), None)
        email = _work_email(resource) or resource.user_name
        if user is None:
            user = grafana.user_by_login(resource.user_name) or grafana.user_by_login(email)
        name = resource.display_name or " ".join(
            p for p in ((resource.name.given_name, resource.name.family_name) if resource.name else ()) if p
        )
        if user is None:
            user = grafana.add_user(resource.user_name, email, name or "", "scim", {})
        user.login, user.email, user.name = resource.user_name, email, name or user.name
        user.provenance, user.scim_id = "scim", resource.id
        user.external_uid = resource.external_id
        user.active = resource.active is not False
        user.orgs.setdefault(org_id, "Viewer")
        by_scim[resource.id] = user
    seen: set[int] = set()
    for resource in _resources(storage):
        if GROUP_SCHEMA not in resource.schemas:
            continue
        team: Team | None = next((t for t in grafana.team_objects.values() if t.scim_id == resource.id), None)
        if team is None:
            team = next(
                (
                    t
                    for t in grafana.team_objects.values()
                    if t.org_id == org_id and t.name == resource.display_name
                ),
                None,
            ) or grafana.add_team(resource.display_name, org_id)
        team.name, team.scim_id, team.external_id = resource.display_name, resource.id, resource.external_id
        team.members = {by_scim[m.value].id for m in resource.members or [] if m.value in by_scim}
        seen.add(team.id)
    for team in list(grafana.team_objects.values()):
        if team.org_id == org_id and team.scim_id is not None and team.id not in seen:
            del grafana.team_objects[team.id]
