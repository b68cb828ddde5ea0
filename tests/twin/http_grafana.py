"""The Grafana HTTP API view of one twin Grafana instance, and the Grafana Cloud API view.

Requests as the pinned grafana provider (v4.45.1) sends them; answers in the shapes of
Grafana's HTTP API reference:
- SSO settings (resource_sso_settings.go:791-846: PUT {provider, settings} with snake_case keys
  from the schema, GET read back through toSnake, :705-789; DELETE): Grafana answers camelCase
  keys and masks secrets;
- SCIM config (resource_scim_config.go:223-345: PUT/GET/DELETE
  /apis/scim.grafana.app/v0alpha1/namespaces/{ns}/config/default, 200/201 accepted, 404 on
  delete tolerated);
- service accounts and tokens (resource_service_account*.go: POST /api/serviceaccounts,
  GET|PATCH|DELETE /api/serviceaccounts/{id}, GET|POST .../tokens, DELETE .../tokens/{id});
- RBAC (data_source_role.go:43 lists roles with includeHidden; resource_role_assignment_item.go
  :150-214,:261-300 GET/PUT /api/access-control/roles/{uid}/assignments);
- Cloud (resource_cloud_stack_service_account*.go:98-213: /api/instances/{slug}/api/serviceaccounts...).
The SCIM API itself is scim.py's.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import TwinUnsupported
from .faults import Faults
from .grafana import ROLES, GrafanaInstance
from .http_base import Answer, HttpError, Lock, Request, Router, StartResponse, send, unsupported
from .scim import SCIM_PREFIX

if TYPE_CHECKING:
    from .twin import Twin

MASK = "*********"
SA = r"/api/serviceaccounts/(?P<account>\d+)"
SCIM_CONFIG = r"/apis/scim\.grafana\.app/v0alpha1/namespaces/(?P<ns>[^/]+)/config/default"
# Fixed roles the twin's RBAC knows (Grafana's role reference; uids are the twin's own).
FIXED_ROLES = (
    "fixed:authentication.config:writer",
    "fixed:org.users:writer",
    "fixed:org.users:reader",
    "fixed:teams:writer",
    "fixed:teams:reader",
    "fixed:users:writer",
    "fixed:users:reader",
    "fixed:serviceaccounts:writer",
)


def snake(key: str) -> str:
    """camelCase -> snake_case (Grafana accepts both; the provider reads toSnake)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def is_secret(key: str) -> bool:
    return any(word in key.lower() for word in ("secret", "certificate", "private"))


def role_uid(name: str) -> str:
    return name.replace(":", "_").replace(".", "_")


class Auth:
    """Tokens a view accepts: a service account token is checked against the instance (valid,
    not expired, account enabled); other tokens only if `tokens` is None (any) or lists them."""

    def __init__(self) -> None:
        self.tokens: set[str] | None = None

    def ok(self, grafana: GrafanaInstance, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value).decode().partition(":")
            except ValueError:
                return False
            return bool(user and password) and (self.tokens is None or f"{user}:{password}" in self.tokens)
        if scheme.lower() != "bearer" or not value:
            return False
        if value in grafana.revoked:
            return False
        if any(t.key == value for t in grafana.tokens.values()):
            return grafana.token_valid(value)
        return self.tokens is None or value in self.tokens


class GrafanaView:
    """WSGI app for one instance: faults, auth, then the HTTP API (and SCIM, by scim.py)."""

    def __init__(self, twin: Twin, grafana: GrafanaInstance) -> None:
        self.twin, self.grafana = twin, grafana
        self.faults = Faults()
        # True: the server drops every connection unanswered (Grafana unreachable).
        self.down = False
        self.auth = Auth()
        self.scim_auth = Auth()
        # An HTTP status the SSO settings API answers with (e.g. 403 for an org admin).
        self.sso_status: int | None = None
        # A provider never saved: 404 "SSO settings not found" (what verify/discover were built
        # against); True: 200 with the built-in defaults, source "system", as Grafana answers
        # when the provider is registered but not saved.
        self.sso_system_defaults = False
        r = self.router = Router()
        r.add("GET", r"/api/health", lambda q: Answer(200, {"database": "ok", "version": "12.3.0"}))
        r.add("GET", r"/api/org", self.get_org)
        r.add("GET", r"/api/v1/sso-settings", self.list_sso)
        r.add("GET", r"/api/v1/sso-settings/(?P<provider>[a-z_]+)", self.get_sso)
        r.add("PUT", r"/api/v1/sso-settings/(?P<provider>[a-z_]+)", self.put_sso)
        r.add("DELETE", r"/api/v1/sso-settings/(?P<provider>[a-z_]+)", self.delete_sso)
        r.add("GET", SCIM_CONFIG, self.get_scim_config)
        r.add("PUT", SCIM_CONFIG, self.put_scim_config)
        r.add("DELETE", SCIM_CONFIG, self.delete_scim_config)
        add_account_routes(r, "", lambda request: self.grafana)
        r.add("GET", r"/api/access-control/roles", self.list_roles)
        r.add("GET", r"/api/access-control/roles/(?P<uid>[^/]+)", self.get_role)
        r.add("GET", r"/api/access-control/roles/(?P<uid>[^/]+)/assignments", self.get_assignments)
        r.add("PUT", r"/api/access-control/roles/(?P<uid>[^/]+)/assignments", self.put_assignments)
        r.add("GET", r"/api/access-control/serviceaccounts/(?P<account>\d+)/roles", self.account_roles)
        r.add("POST", r"/api/access-control/serviceaccounts/(?P<account>\d+)/roles", self.add_account_role)
        r.add(
            "DELETE",
            r"/api/access-control/serviceaccounts/(?P<account>\d+)/roles/(?P<uid>[^/]+)",
            self.remove_account_role,
        )
        r.add("GET", r"/api/teams/search", self.search_teams)
        r.add("GET", r"/api/users/search", self.search_users)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        path = environ.get("PATH_INFO", "")
        header = environ.get("HTTP_AUTHORIZATION", "")
        if path.startswith(SCIM_PREFIX) and "/config/" not in path:
            if not self.scim_auth.ok(self.grafana, header):
                return send(start_response, Answer(401, {"message": "Unauthorized"}))
            with Lock():
                return list(self.grafana.scim(environ, start_response))
        if not self.auth.ok(self.grafana, header):
            return send(start_response, Answer(401, {"message": "Unauthorized"}))
        request = Request.from_environ(environ)
        try:
            with Lock():
                handler = self.router.find(request)
                if handler is None:
                    raise HttpError(404, {"message": "Not found"})
                answer = handler(request)
        except HttpError as error:
            answer = error.answer
        except TwinUnsupported as error:
            answer = unsupported(self.twin, request, error)
        return send(start_response, answer)

    def get_org(self, request: Request) -> Answer:
        org_id = int(request.headers.get("x-grafana-org-id") or 1)
        return Answer(200, {"id": org_id, "name": self.grafana.orgs.get(org_id, ""), "address": {}})

    # -- SSO settings ----------------------------------------------------------------------------
    def sso_json(self, provider: str) -> dict[str, Any]:
        stored = self.grafana.sso.get(provider)
        if stored is None and not self.sso_system_defaults:
            raise HttpError(404, {"message": "SSO settings not found"})
        if stored is None:
            # Grafana answers the built-in (ini) defaults, source "system", when none is saved.
            return {"id": "", "provider": provider, "settings": {"enabled": False}, "source": "system"}
        settings = {camel(k): (MASK if is_secret(k) and v else v) for k, v in stored.items()}
        return {"id": f"sso-{provider}", "provider": provider, "settings": settings, "source": "database"}

    def _sso_refused(self) -> None:
        if self.sso_status:
            raise HttpError(
                self.sso_status,
                {
                    "message": "You'll need additional permissions to perform this action. "
                    "Permissions needed: settings:read"
                },
            )

    def list_sso(self, request: Request) -> Answer:
        self._sso_refused()
        return Answer(200, [self.sso_json(p) for p in sorted(self.grafana.sso)])

    def get_sso(self, request: Request) -> Answer:
        self._sso_refused()
        return Answer(200, self.sso_json(request.params["provider"]))

    def put_sso(self, request: Request) -> Answer:
        self._sso_refused()
        body = request.json()
        settings = body.get("settings")
        if not isinstance(settings, dict):
            raise HttpError(400, {"message": "settings: got nothing; expected an object"})
        provider = request.params["provider"]
        previous = self.grafana.sso.get(provider, {})
        stored = {}
        for key, value in settings.items():
            key = snake(key)
            # A masked secret sent back keeps the stored one (Grafana's SSO settings API).
            stored[key] = previous.get(key, "") if value == MASK else value
        stored.setdefault("enabled", True)
        self.grafana.sso[provider] = stored
        return Answer(204)

    def delete_sso(self, request: Request) -> Answer:
        self._sso_refused()
        self.grafana.sso.pop(request.params["provider"], None)
        return Answer(204)

    # -- SCIM config -----------------------------------------------------------------------------
    def _namespace(self, request: Request) -> str:
        namespace = request.params["ns"]
        if self.grafana.org_of_namespace(namespace) is None:
            raise HttpError(
                403,
                {
                    "kind": "Status",
                    "status": "Failure",
                    "reason": "Forbidden",
                    "code": 403,
                    "message": "invalid namespace",
                },
            )
        return namespace

    def get_scim_config(self, request: Request) -> Answer:
        namespace = self._namespace(request)
        spec = self.grafana.scim_config.get(namespace)
        if spec is None:
            raise HttpError(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "message": 'scimconfigs "default" not found',
                },
            )
        return Answer(200, scim_config_json(namespace, spec))

    def put_scim_config(self, request: Request) -> Answer:
        namespace = self._namespace(request)
        body = request.json()
        spec = body.get("spec") or {}
        created = namespace not in self.grafana.scim_config
        self.grafana.scim_config[namespace] = {
            "enableUserSync": bool(spec.get("enableUserSync", False)),
            "enableGroupSync": bool(spec.get("enableGroupSync", False)),
            "rejectNonProvisionedUsers": bool(spec.get("rejectNonProvisionedUsers", False)),
        }
        return Answer(
            201 if created else 200, scim_config_json(namespace, self.grafana.scim_config[namespace])
        )

    def delete_scim_config(self, request: Request) -> Answer:
        namespace = self._namespace(request)
        if self.grafana.scim_config.pop(namespace, None) is None:
            raise HttpError(404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404})
        return Answer(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})

    # -- RBAC ------------------------------------------------------------------------------------
    def role_json(self, name: str) -> dict[str, Any]:
        return {
            "uid": role_uid(name),
            "name": name,
            "displayName": name.split(":")[1].replace(".", " ").title() + " " + name.split(":")[-1],
            "description": f"Fixed role {name}",
            "group": name.split(":")[1],
            "global": False,
            "hidden": False,
            "version": 1,
            "orgId": 0,
            "created": "2026-01-01T00:00:00Z",
            "updated": "2026-01-01T00:00:00Z",
        }

    def _role(self, uid: str) -> str:
        for name in FIXED_ROLES:
            if role_uid(name) == uid:
                return name
        raise HttpError(404, {"message": "Role not found"})

    def list_roles(self, request: Request) -> Answer:
        return Answer(200, [self.role_json(n) for n in FIXED_ROLES])

    def get_role(self, request: Request) -> Answer:
        return Answer(200, self.role_json(self._role(request.params["uid"])))

    def _assignments(self, uid: str) -> dict[str, Any]:
        return {
            "roleUid": uid,
            "users": [],
            "teams": [],
            "serviceAccounts": sorted(a.id for a in self.grafana.accounts.values() if uid in a.roles),
        }

    def get_assignments(self, request: Request) -> Answer:
        uid = request.params["uid"]
        self._role(uid)
        return Answer(200, self._assignments(uid))

    def put_assignments(self, request: Request) -> Answer:
        uid = request.params["uid"]
        self._role(uid)
        wanted = {int(i) for i in request.json().get("serviceAccounts") or []}
        for account in self.grafana.accounts.values():
            if account.id in wanted:
                account.roles.add(uid)
            else:
                account.roles.discard(uid)
        return Answer(200, self._assignments(uid))

    def _account(self, request: Request) -> Any:
        account = self.grafana.accounts.get(int(request.params["account"]))
        if account is None:
            raise HttpError(404, {"message": "service account not found"})
        return account

    def account_roles(self, request: Request) -> Answer:
        account = self._account(request)
        return Answer(200, [self.role_json(self._role(uid)) for uid in sorted(account.roles)])

    def add_account_role(self, request: Request) -> Answer:
        account = self._account(request)
        uid = str(request.json().get("roleUid") or "")
        self._role(uid)
        account.roles.add(uid)
        return Answer(200, {"message": "Role added to the service account"})

    def remove_account_role(self, request: Request) -> Answer:
        account = self._account(request)
        account.roles.discard(request.params["uid"])
        return Answer(200, {"message": "Role removed from the service account"})

    # -- people (read) ---------------------------------------------------------------------------
    def search_teams(self, request: Request) -> Answer:
        org_id = int(request.headers.get("x-grafana-org-id") or 1)
        query = request.query.get("query", "").lower()
        teams = [
            t for t in self.grafana.team_objects.values() if t.org_id == org_id and query in t.name.lower()
        ]
        return Answer(
            200,
            {
                "totalCount": len(teams),
                "teams": [
                    {
                        "id": t.id,
                        "orgId": t.org_id,
                        "name": t.name,
                        "email": "",
                        "memberCount": len(t.members),
                    }
                    for t in teams
                ],
                "page": 1,
                "perPage": 1000,
            },
        )

    def search_users(self, request: Request) -> Answer:
        query = request.query.get("query", "").lower()
        users = [
            u for u in self.grafana.users.values() if query in u.login.lower() or query in u.email.lower()
        ]
        return Answer(
            200,
            {
                "totalCount": len(users),
                "users": [
                    {
                        "id": u.id,
                        "login": u.login,
                        "email": u.email,
                        "name": u.name,
                        "isDisabled": not u.active,
                        "authLabels": [{"scim": "SCIM", "saml": "SAML"}[u.provenance]]
                        if u.provenance != "local"
                        else [],
                    }
                    for u in users
                ],
                "page": 1,
                "perPage": 1000,
            },
        )


def scim_config_json(namespace: str, spec: dict[str, bool]) -> dict[str, Any]:
    return {
        "apiVersion": "scim.grafana.app/v0alpha1",
        "kind": "SCIMConfig",
        "metadata": {"name": "default", "namespace": namespace, "resourceVersion": "1"},
        "spec": dict(spec),
    }


def add_account_routes(router: Router, prefix: str, instance: Any) -> None:
    """Service account and token routes under a prefix ("" for the instance's own API,
    /api/instances/{slug} for the Cloud API)."""

    def account(request: Request) -> Any:
        grafana = instance(request)
        found = grafana.accounts.get(int(request.params["account"]))
        if found is None:
            raise HttpError(404, {"message": "service account not found"})
        return grafana, found

    def create(request: Request) -> Answer:
        grafana = instance(request)
        body = request.json()
        name, role = str(body.get("name") or ""), str(body.get("role") or "Viewer")
        if not name:
            raise HttpError(400, {"message": "name is required"})
        if role not in ROLES:
            raise HttpError(400, {"message": f"invalid role {role}"})
        if any(a.name == name for a in grafana.accounts.values()):
            raise HttpError(
                409,
                {
                    "message": "service account already exists",
                    "messageId": "serviceaccounts.ErrAlreadyExists",
                },
            )
        created = grafana.add_account(
            name, role, int(request.headers.get("x-grafana-org-id") or 1), bool(body.get("isDisabled"))
        )
        return Answer(201, grafana.account_json(created))

    def search(request: Request) -> Answer:
        grafana = instance(request)
        query = request.query.get("query", "").lower()
        found = [grafana.account_json(a) for a in grafana.accounts.values() if query in a.name.lower()]
        per_page = int(request.query.get("perpage") or 1000)
        return Answer(
            200, {"totalCount": len(found), "serviceAccounts": found, "page": 1, "perPage": per_page}
        )

    def get(request: Request) -> Answer:
        grafana, found = account(request)
        return Answer(200, grafana.account_json(found))

    def patch(request: Request) -> Answer:
        grafana, found = account(request)
        body = request.json()
        if "role" in body:
            if body["role"] not in ROLES:
                raise HttpError(400, {"message": f"invalid role {body['role']}"})
            found.role = body["role"]
        if body.get("name"):
            found.name = body["name"]
        if "isDisabled" in body:
            found.is_disabled = bool(body["isDisabled"])
        return Answer(
            200,
            {
                "id": found.id,
                "name": found.name,
                "message": "Service account updated",
                "serviceaccount": grafana.account_json(found),
            },
        )

    def delete(request: Request) -> Answer:
        grafana, found = account(request)
        del grafana.accounts[found.id]
        for token_id in [t.id for t in grafana.tokens.values() if t.account_id == found.id]:
            grafana.revoke(token_id)
        return Answer(200, {"message": "Service account deleted"})

    def tokens(request: Request) -> Answer:
        grafana, found = account(request)
        return Answer(
            200, [grafana.token_json(t) for t in grafana.tokens.values() if t.account_id == found.id]
        )

    def add_token(request: Request) -> Answer:
        grafana, found = account(request)
        body = request.json()
        name = str(body.get("name") or "")
        if not name:
            raise HttpError(400, {"message": "name is required"})
        if any(t.name == name and t.account_id == found.id for t in grafana.tokens.values()):
            raise HttpError(
                409, {"message": "service account token with given name already exists in the organization"}
            )
        seconds = body.get("secondsToLive")
        token = grafana.add_token(found.id, name, int(seconds) if seconds else None)
        return Answer(200, {"id": token.id, "name": token.name, "key": token.key})

    def delete_token(request: Request) -> Answer:
        grafana, found = account(request)
        token_id = int(request.params["token"])
        token = grafana.tokens.get(token_id)
        if token is None or token.account_id != found.id:
            raise HttpError(404, {"message": "service account token not found"})
        grafana.revoke(token_id)
        return Answer(200, {"message": "Service account token deleted"})

    base = prefix + r"/api/serviceaccounts"
    one = base + r"/(?P<account>\d+)"
    router.add("POST", base, create)
    router.add("GET", base + r"/search", search)
    router.add("GET", one, get)
    router.add("PATCH", one, patch)
    router.add("DELETE", one, delete)
    router.add("GET", one + r"/tokens", tokens)
    router.add("POST", one + r"/tokens", add_token)
    router.add("DELETE", one + r"/tokens/(?P<token>\d+)", delete_token)


class CloudView:
    """The Grafana Cloud API: stacks (instances) and their service accounts."""

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.faults = Faults()
        self.down = False
        self.auth = Auth()
        r = self.router = Router()
        r.add("GET", r"/api/instances/(?P<slug>[^/]+)", self.get_instance)
        add_account_routes(r, r"/api/instances/(?P<slug>[^/]+)", self.instance)

    def instance(self, request: Request) -> GrafanaInstance:
        slug = request.params["slug"]
        for grafana in self.twin.grafanas.values():
            if grafana.kind == "cloud" and (grafana.stack_slug == slug or str(grafana.stack_id) == slug):
                return grafana
        raise HttpError(404, {"code": "NotFound", "message": f"instance {slug} not found"})

    def get_instance(self, request: Request) -> Answer:
        grafana = self.instance(request)
        return Answer(
            200,
            {
                "id": grafana.stack_id,
                "slug": grafana.stack_slug,
                "name": grafana.stack_slug,
                "url": grafana.url,
                "status": "active",
                "regionSlug": "prod-us-east-0",
                "orgId": 1,
            },
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, value = header.partition(" ")
        if (
            scheme.lower() != "bearer"
            or not value
            or (self.auth.tokens is not None and value not in self.auth.tokens)
        ):
            return send(start_response, Answer(401, {"code": "Unauthorized", "message": "Unauthorized"}))
        request = Request.from_environ(environ)
        try:
            with Lock():
                handler = self.router.find(request)
                if handler is None:
                    raise HttpError(404, {"message": "Not found"})
                answer = handler(request)
        except HttpError as error:
            answer = error.answer
        except TwinUnsupported as error:
            answer = unsupported(self.twin, request, error)
        return send(start_response, answer)
