"""The Okta Management API view of the twin's Okta org (WSGI, loopback only).

Requests as the pinned okta provider (v6.12.0) sends them, answers in the shapes of Okta's
Management API reference, parsed back by the official SDK models in test_http_okta.py:
- apps: resource_okta_app_saml.go:466 (create, `activate` query), :603 (update: a full PUT),
  app.go (lifecycle, delete after deactivate, list with `q`);
- policies: app_authentication_policy.go:17,46 (PUT /apps/{id}/policies/{policyId}; the
  default ACCESS_POLICY found with GET /policies?type=ACCESS_POLICY);
- assignments: resource_okta_app_group_assignment(s).go (PUT/GET/DELETE /apps/{id}/groups/{gid},
  GET /apps/{id}/groups paged);
- push mappings: resource_okta_push_group.go (create, GET, PATCH status, DELETE after INACTIVE
  with deleteTargetGroup, :250-310);
- features: resource_okta_app_features.go:336 (PUT .../features/{name} with the capabilities
  object as body), :356-470 (what Read copies back);
- connection: resource_okta_app_connection.go:156 (POST .../connections/default),
  :174/:340/:351 (lifecycle), :287-309 (Read: status UNKNOWN -> action "");
- groups: data_source_okta_group.go:97-137 (`q`, `filter=type eq "..."`, `search`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import TwinError, TwinUnsupported
from .faults import Faults
from .http_base import Answer, HttpError, Lock, Request, Router, StartResponse, page, send, unsupported
from .okta import ApiError, OktaApp, OktaGroup, OktaOrg, OktaUser, PushMapping

if TYPE_CHECKING:
    from .twin import Twin

APP = r"/api/v1/apps/(?P<app>[^/]+)"
RATE_HEADERS = [
    ("X-Rate-Limit-Limit", "600"),
    ("X-Rate-Limit-Remaining", "599"),
    ("X-Rate-Limit-Reset", "1900000000"),
]


class OktaView:
    """WSGI app: faults, SSWS auth, then the Management API over the twin's Okta org."""

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.faults = Faults()
        self.router = Router()
        # True: the server drops every connection unanswered (Okta unreachable).
        self.down = False
        # Tokens the org accepts; empty: any non-empty SSWS token.
        self.tokens: set[str] = set()
        # Paths (regex) answered 403, as for an admin without read rights there.
        self.forbidden: list[str] = []
        # Most items per page on the list endpoints (a small value forces paging).
        self.page_size = 200
        # Push mappings: most per page (Okta's default limit is 100); False: the org ignores
        # sourceGroupId (older orgs), clients must page; an HTTP status (400: "group push is not
        # supported for this app", 404) the mappings list answers instead.
        self.mapping_page_size = 100
        self.mapping_source_filter = True
        self.mapping_error: int | None = None
        r = self.router
        r.add("GET", r"/api/v1/apps", self.list_apps)
        r.add("POST", r"/api/v1/apps", self.create_app)
        r.add("GET", APP, self.get_app)
        r.add("PUT", APP, self.put_app)
        r.add("DELETE", APP, self.delete_app)
        r.add("POST", APP + r"/lifecycle/(?P<action>activate|deactivate)", self.app_lifecycle)
        r.add("GET", APP + r"/sso/saml/metadata", self.metadata)
        r.add("PUT", APP + r"/policies/(?P<policy>[^/]+)", self.put_policy)
        r.add("GET", r"/api/v1/policies", self.list_policies)
        r.add("GET", r"/api/v1/policies/(?P<policy>[^/]+)", self.get_policy)
        r.add("GET", APP + r"/groups", self.list_app_groups)
        r.add("GET", APP + r"/groups/(?P<group>[^/]+)", self.get_app_group)
        r.add("PUT", APP + r"/groups/(?P<group>[^/]+)", self.put_app_group)
        r.add("DELETE", APP + r"/groups/(?P<group>[^/]+)", self.delete_app_group)
        r.add("GET", APP + r"/users", self.list_app_users)
        r.add("POST", APP + r"/users", self.assign_app_user)
        r.add("GET", APP + r"/users/(?P<user>[^/]+)", self.get_app_user)
        r.add("DELETE", APP + r"/users/(?P<user>[^/]+)", self.unassign_app_user)
        r.add("GET", APP + r"/credentials/keys", self.app_keys)
        r.add("GET", r"/api/v1/groups", self.list_groups)
        r.add("POST", r"/api/v1/groups", self.create_group)
        r.add("PUT", r"/api/v1/groups/(?P<group>[^/]+)/users/(?P<user>[^/]+)", self.add_member)
        r.add("DELETE", r"/api/v1/groups/(?P<group>[^/]+)/users/(?P<user>[^/]+)", self.remove_member)
        r.add("POST", r"/api/v1/users", self.create_user)
        r.add(
            "POST",
            r"/api/v1/users/(?P<user>[^/]+)/lifecycle/(?P<action>deactivate|activate|reactivate)",
            self.user_lifecycle,
        )
        r.add("GET", r"/api/v1/groups/(?P<group>[^/]+)", self.get_group)
        r.add("GET", r"/api/v1/groups/(?P<group>[^/]+)/users", self.group_users)
        r.add("GET", r"/api/v1/users", self.list_users)
        r.add("GET", r"/api/v1/users/(?P<user>[^/]+)", self.get_user)
        r.add("GET", APP + r"/group-push/mappings", self.list_mappings)
        r.add("POST", APP + r"/group-push/mappings", self.create_mapping)
        r.add("GET", APP + r"/group-push/mappings/(?P<mapping>[^/]+)", self.get_mapping)
        r.add("PATCH", APP + r"/group-push/mappings/(?P<mapping>[^/]+)", self.patch_mapping)
        r.add("DELETE", APP + r"/group-push/mappings/(?P<mapping>[^/]+)", self.delete_mapping)
        r.add("GET", APP + r"/federated-claims", self.list_claims)
        r.add("GET", APP + r"/features", self.list_features)
        r.add("GET", APP + r"/features/(?P<feature>[^/]+)", self.get_feature)
        r.add("PUT", APP + r"/features/(?P<feature>[^/]+)", self.put_feature)
        r.add("GET", APP + r"/connections/default", self.get_connection)
        r.add("POST", APP + r"/connections/default", self.post_connection)
        r.add(
            "POST",
            APP + r"/connections/default/lifecycle/(?P<action>activate|deactivate)",
            self.connection_lifecycle,
        )

    @property
    def org(self) -> OktaOrg:
        return self.twin.okta

    # -- WSGI ------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        request = Request.from_environ(environ)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        issued = self.tokens | self.org.api_tokens
        if scheme != "SSWS" or not token or (issued and token not in issued):
            return send(
                start_response,
                Answer(401, ApiError(401, "E0000011", "Invalid token provided").body(), RATE_HEADERS),
            )
        if any(re.search(p, request.path) for p in self.forbidden):
            error = ApiError(403, "E0000006", "You do not have permission to perform the requested action")
            return send(start_response, Answer(403, error.body(), RATE_HEADERS))
        try:
            with Lock():
                handler = self.router.find(request)
                if handler is None:
                    raise ApiError(404, "E0000007", f"Not found: Resource not found: {request.path} (path)")
                answer = handler(request)
        except ApiError as error:
            answer = Answer(error.status, error.body())
        except HttpError as error:
            answer = error.answer
        except TwinUnsupported as error:
            answer = unsupported(self.twin, request, error)
        answer.headers = [*RATE_HEADERS, *answer.headers]
        return send(start_response, answer)

    # -- apps ------------------------------------------------------------------------------------
    def app_json(self, app: OktaApp) -> dict[str, Any]:
        return app.doc

    def list_apps(self, request: Request) -> Answer:
        q = request.query.get("q", "").lower()
        apps = [
            a.doc
            for a in self.org.apps.values()
            if not q or a.doc["label"].lower().startswith(q) or a.doc["name"].lower().startswith(q)
        ]
        chunk, links = page(request, apps, lambda a: a["id"], self.page_size)
        return Answer(200, chunk, links)

    def create_app(self, request: Request) -> Answer:
        body = request.json()
        activate = request.query.get("activate", "true").lower() != "false"
        return Answer(200, self.org.create_app(body, activate=activate))

    def get_app(self, request: Request) -> Answer:
        return Answer(200, self.org.app(request.params["app"]).doc)

    def put_app(self, request: Request) -> Answer:
        return Answer(200, self.org.replace_app(request.params["app"], request.json()))

    def delete_app(self, request: Request) -> Answer:
        self.org.delete_app(request.params["app"])
        return Answer(204)

    def app_lifecycle(self, request: Request) -> Answer:
        action = request.params["action"]
        self.org.set_app_status(request.params["app"], "ACTIVE" if action == "activate" else "INACTIVE")
        return Answer(200, {})

    def metadata(self, request: Request) -> Answer:
        from .signin import idp_metadata

        app = self.org.app(request.params["app"])
        return Answer(200, idp_metadata(self.org, app).encode(), content_type="application/xml")

    # -- policies --------------------------------------------------------------------------------
    def put_policy(self, request: Request) -> Answer:
        self.org.set_policy(request.params["app"], request.params["policy"])
        return Answer(204)

    def list_policies(self, request: Request) -> Answer:
        wanted = request.query.get("type")
        if not wanted:
            raise ApiError(400, "E0000001", "Api validation failed: type", ["type: The field is required"])
        return Answer(200, [p for p in self.org.policies.values() if p["type"] == wanted])

    def get_policy(self, request: Request) -> Answer:
        policy = self.org.policies.get(request.params["policy"])
        if policy is None:
            raise ApiError(
                404, "E0000007", f"Not found: Resource not found: {request.params['policy']} (Policy)"
            )
        return Answer(200, policy)

    # -- assignments -----------------------------------------------------------------------------
    def assignment_json(self, app: OktaApp, group_id: str) -> dict[str, Any]:
        assignment = app.group_assignments[group_id]
        base = f"{self.org.org_url}/api/v1"
        return {
            "id": group_id,
            "priority": assignment["priority"],
            "profile": assignment["profile"],
            "lastUpdated": assignment["lastUpdated"],
            "_links": {
                "app": {"href": f"{base}/apps/{app.id}"},
                "group": {"href": f"{base}/groups/{group_id}"},
            },
        }

    def list_app_groups(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        items = [self.assignment_json(app, g) for g in app.group_assignments]
        chunk, links = page(request, items, lambda a: a["id"], self.page_size)
        return Answer(200, chunk, links)

    def get_app_group(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        group_id = request.params["group"]
        if group_id not in app.group_assignments:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {group_id} (AppGroupAssignment)")
        return Answer(200, self.assignment_json(app, group_id))

    def put_app_group(self, request: Request) -> Answer:
        body = request.json() or {}
        app_id, group_id = request.params["app"], request.params["group"]
        priority = body.get("priority")
        self.org.assign_group(
            app_id, group_id, int(priority) if priority is not None else None, body.get("profile")
        )
        return Answer(200, self.assignment_json(self.org.app(app_id), group_id))

    def delete_app_group(self, request: Request) -> Answer:
        self.org.unassign_group(request.params["app"], request.params["group"])
        return Answer(204)

    def app_user_json(self, app: OktaApp, user: OktaUser, scope: str) -> dict[str, Any]:
        record = app.app_users.get(user.id)
        return {
            "id": user.id,
            "externalId": record.external_id if record else None,
            "created": user.created,
            "lastUpdated": user.last_updated,
            "scope": scope,
            "status": "PROVISIONED" if record and record.external_id else "ACTIVE",
            "statusChanged": user.last_updated,
            "syncState": record.sync_state if record else "DISABLED",
            "lastSync": record.last_sync if record else None,
            "credentials": {"userName": self.org.user_name(app.id, user.id)},
            "profile": {},
            "_links": {
                "app": {"href": f"{self.org.org_url}/api/v1/apps/{app.id}"},
                "user": {"href": f"{self.org.org_url}/api/v1/users/{user.id}"},
            },
        }

    def list_app_users(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        items = [
            self.app_user_json(app, self.org.users[u], scope)
            for u, scope in self.org.assigned_users(app.id).items()
        ]
        chunk, links = page(request, items, lambda a: a["id"], self.page_size)
        return Answer(200, chunk, links)

    def get_app_user(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        scopes = self.org.assigned_users(app.id)
        user_id = request.params["user"]
        if user_id not in scopes:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {user_id} (AppUser)")
        return Answer(200, self.app_user_json(app, self.org.users[user_id], scopes[user_id]))

    def assign_app_user(self, request: Request) -> Answer:
        """POST /api/v1/apps/{id}/users {id, scope, credentials}: a direct assignment."""
        body = request.json()
        app = self.org.app(request.params["app"])
        user = self._user(str(body.get("id") or ""))
        self.org.assign_user(app.id, user.id)
        return Answer(200, self.app_user_json(app, user, "USER"))

    def unassign_app_user(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        user = self._user(request.params["user"])
        if user.id not in app.user_assignments:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {user.id} (AppUser)")
        self.org.unassign_user(app.id, user.id)
        return Answer(204)

    def app_keys(self, request: Request) -> Answer:
        """The app's signing key credential (JSON Web Key with its x5c certificate)."""
        from .signin import app_key

        app = self.org.app(request.params["app"])
        key = app_key(app)
        numbers = key.public_numbers()
        kid = app.doc["credentials"]["signing"]["kid"]
        return Answer(
            200,
            [
                {
                    "kid": kid,
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "e": numbers[0],
                    "n": numbers[1],
                    "x5c": [key.cert_b64],
                    "x5t#S256": key.thumbprint,
                    "created": app.doc["created"],
                    "lastUpdated": app.doc["created"],
                    "expiresAt": "2100-01-01T00:00:00.000Z",
                }
            ],
        )

    # -- groups and users ------------------------------------------------------------------------
    def _user(self, ref: str) -> OktaUser:
        user = self.org.users.get(ref)
        if user is None:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {ref} (User)")
        return user

    def _group(self, ref: str) -> OktaGroup:
        group = self.org.groups.get(ref)
        if group is None:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {ref} (UserGroup)")
        return group

    def create_group(self, request: Request) -> Answer:
        """POST /api/v1/groups {profile {name, description}}: an OKTA_GROUP."""
        profile = request.json().get("profile") or {}
        if not profile.get("name"):
            raise ApiError(
                400, "E0000001", "Api validation failed: name", ["name: The field cannot be left blank"]
            )
        group_id = self.org.add_group(
            str(profile["name"]), "OKTA_GROUP", str(profile.get("description") or "")
        )
        return Answer(200, self.group_json(self.org.groups[group_id]))

    def add_member(self, request: Request) -> Answer:
        group, user = self._group(request.params["group"]), self._user(request.params["user"])
        if group.type != "OKTA_GROUP":
            raise ApiError(403, "E0000006", "You do not have permission to perform the requested action")
        self.org.add_member(group.id, user.id)
        return Answer(204)

    def remove_member(self, request: Request) -> Answer:
        group, user = self._group(request.params["group"]), self._user(request.params["user"])
        if group.type != "OKTA_GROUP":
            raise ApiError(403, "E0000006", "You do not have permission to perform the requested action")
        self.org.remove_member(group.id, user.id)
        return Answer(204)

    def create_user(self, request: Request) -> Answer:
        """POST /api/v1/users?activate=true {profile {login, email, firstName, lastName}}."""
        profile = dict(request.json().get("profile") or {})
        login = str(profile.pop("login", "") or "")
        if not login:
            raise ApiError(
                400, "E0000001", "Api validation failed: login", ["login: The field cannot be left blank"]
            )
        missing = [k for k in ("firstName", "lastName") if not profile.get(k)]
        if missing:
            causes = [f"{k}: The field cannot be left blank" for k in missing]
            raise ApiError(400, "E0000001", "Api validation failed: profile", causes)
        status = "ACTIVE" if request.query.get("activate", "true").lower() != "false" else "STAGED"
        try:
            user_id = self.org.add_user(
                login,
                str(profile.pop("firstName", "") or ""),
                str(profile.pop("lastName", "") or ""),
                profile.pop("email", None),
                status,
                **profile,
            )
        except TwinError as error:
            raise ApiError(400, "E0000001", "Api validation failed: login", [str(error)]) from error
        return Answer(200, self.user_json(self.org.users[user_id]))

    def user_lifecycle(self, request: Request) -> Answer:
        user = self._user(request.params["user"])
        if request.params["action"] == "deactivate":
            self.org.deactivate_user(user.id)
        else:
            self.org.reactivate_user(user.id)
        return Answer(200, {})

    def group_json(self, group: OktaGroup) -> dict[str, Any]:
        object_class = "okta:user_group" if group.type == "OKTA_GROUP" else "okta:windows_security_principal"
        profile: dict[str, Any] = {"name": group.name, "description": group.description}
        if group.type == "APP_GROUP":
            profile.update(samAccountName=group.name, windowsDomainQualifiedName=f"EXAMPLE\\{group.name}")
        return {
            "id": group.id,
            "created": group.created,
            "lastUpdated": group.created,
            "lastMembershipUpdated": group.created,
            "objectClass": [object_class],
            "type": group.type,
            "profile": profile,
            "_links": {"users": {"href": f"{self.org.org_url}/api/v1/groups/{group.id}/users"}},
        }

    def list_groups(self, request: Request) -> Answer:
        groups = list(self.org.groups.values())
        if "q" in request.query:
            q = request.query["q"].lower()
            groups = [g for g in groups if g.name.lower().startswith(q)]
        for key in ("search", "filter"):
            if request.query.get(key):
                predicate = search_predicate(request.query[key])
                groups = [g for g in groups if predicate(group_fields(g))]
        items = [self.group_json(g) for g in groups]
        chunk, links = page(request, items, lambda g: g["id"], self.page_size)
        return Answer(200, chunk, links)

    def get_group(self, request: Request) -> Answer:
        group = self.org.groups.get(request.params["group"])
        if group is None:
            raise ApiError(
                404, "E0000007", f"Not found: Resource not found: {request.params['group']} (UserGroup)"
            )
        return Answer(200, self.group_json(group))

    def group_users(self, request: Request) -> Answer:
        group = self.org.groups.get(request.params["group"])
        if group is None:
            raise ApiError(
                404, "E0000007", f"Not found: Resource not found: {request.params['group']} (UserGroup)"
            )
        items = [self.user_json(self.org.users[u]) for u in group.members]
        chunk, links = page(request, items, lambda u: u["id"], self.page_size)
        return Answer(200, chunk, links)

    def user_json(self, user: OktaUser) -> dict[str, Any]:
        return {
            "id": user.id,
            "status": user.status,
            "created": user.created,
            "activated": user.created,
            "statusChanged": user.last_updated,
            "lastLogin": None,
            "lastUpdated": user.last_updated,
            "passwordChanged": None,
            "type": {"id": "otytwin0000000000001"},
            # Okta's user schema has no empty strings (firstName/lastName are at least 1 character).
            "profile": {k: v for k, v in user.profile.items() if v != ""},
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
            "_links": {"self": {"href": f"{self.org.org_url}/api/v1/users/{user.id}"}},
        }

    def list_users(self, request: Request) -> Answer:
        users = list(self.org.users.values())
        if "q" in request.query:
            q = request.query["q"].lower()
            users = [
                u
                for u in users
                if any(
                    str(u.profile.get(k, "")).lower().startswith(q)
                    for k in ("login", "email", "firstName", "lastName")
                )
            ]
        for key in ("search", "filter"):
            if request.query.get(key):
                predicate = search_predicate(request.query[key])
                users = [
                    u
                    for u in users
                    if predicate(
                        {"id": u.id, "status": u.status, **{f"profile.{k}": v for k, v in u.profile.items()}}
                    )
                ]
        items = [self.user_json(u) for u in users]
        chunk, links = page(request, items, lambda u: u["id"], self.page_size)
        return Answer(200, chunk, links)

    def get_user(self, request: Request) -> Answer:
        try:
            user = self.org.user(request.params["user"])
        except Exception as error:
            raise ApiError(
                404, "E0000007", f"Not found: Resource not found: {request.params['user']} (User)"
            ) from error
        return Answer(200, self.user_json(user))

    # -- push mappings ---------------------------------------------------------------------------
    def mapping_json(self, mapping: PushMapping) -> dict[str, Any]:
        base = f"{self.org.org_url}/api/v1"
        return {
            "id": mapping.id,
            "sourceGroupId": mapping.source_group_id,
            "targetGroupId": mapping.target_group_id,
            "status": mapping.status,
            "created": mapping.created,
            "lastUpdated": mapping.last_updated,
            "lastPush": mapping.last_push,
            "errorSummary": mapping.error_summary,
            "_links": {
                "app": {"href": f"{base}/apps/{mapping.app_id}"},
                "sourceGroup": {"href": f"{base}/groups/{mapping.source_group_id}"},
                "targetGroup": {"href": f"{base}/groups/{mapping.target_group_id}"},
            },
        }

    def list_mappings(self, request: Request) -> Answer:
        mappings = self.org.app_mappings(request.params["app"])
        if self.mapping_error == 400:
            raise ApiError(400, "E0000001", "Api validation failed: group push is not supported for this app")
        if self.mapping_error is not None:
            raise ApiError(self.mapping_error, "E0000007", f"Not found: Resource not found: {request.path}")
        if self.mapping_source_filter and request.query.get("sourceGroupId"):
            mappings = [m for m in mappings if m.source_group_id == request.query["sourceGroupId"]]
        if request.query.get("status"):
            mappings = [m for m in mappings if m.status == request.query["status"]]
        items = [self.mapping_json(m) for m in mappings]
        limit = min(int(request.query.get("limit") or 100), self.mapping_page_size)
        request.query = {**request.query, "limit": str(limit)}
        chunk, links = page(request, items, lambda m: m["id"], limit)
        return Answer(200, chunk, links)

    def create_mapping(self, request: Request) -> Answer:
        body = request.json()
        if not body.get("sourceGroupId"):
            raise ApiError(
                400, "E0000001", "Api validation failed: sourceGroupId", ["sourceGroupId: required"]
            )
        mapping = self.org.create_mapping(
            request.params["app"],
            body["sourceGroupId"],
            body.get("targetGroupName"),
            body.get("targetGroupId"),
            body.get("status") or "ACTIVE",
        )
        return Answer(200, self.mapping_json(mapping))

    def get_mapping(self, request: Request) -> Answer:
        return Answer(
            200, self.mapping_json(self.org.mapping(request.params["app"], request.params["mapping"]))
        )

    def patch_mapping(self, request: Request) -> Answer:
        status = str(request.json().get("status") or "")
        mapping = self.org.update_mapping(request.params["app"], request.params["mapping"], status)
        return Answer(200, self.mapping_json(mapping))

    def delete_mapping(self, request: Request) -> Answer:
        delete_target = request.query.get("deleteTargetGroup", "false").lower() == "true"
        self.org.delete_mapping(request.params["app"], request.params["mapping"], delete_target)
        return Answer(204)

    # -- features and connection -----------------------------------------------------------------
    def feature_json(self, app: OktaApp) -> dict[str, Any]:
        def status(on: bool) -> dict[str, str]:
            return {"status": "ENABLED" if on else "DISABLED"}

        base = f"{self.org.org_url}/api/v1/apps/{app.id}/features/USER_PROVISIONING"
        return {
            "name": "USER_PROVISIONING",
            "status": "ENABLED" if any(app.to_app.values()) else "DISABLED",
            "description": "User provisioning settings from Okta to a downstream application",
            "capabilities": {
                "create": {"lifecycleCreate": status(app.to_app["create"])},
                "update": {
                    "lifecycleDeactivate": status(app.to_app["deactivate"]),
                    "profile": status(app.to_app["update"]),
                    "password": dict(app.password_sync),
                },
            },
            "_links": {"self": {"href": base, "hints": {"allow": ["GET", "PUT"]}}},
        }

    def _provisioned_app(self, request: Request) -> OktaApp:
        app = self.org.app(request.params["app"])
        feature = request.params.get("feature")
        if not app.provisioning_enabled or (feature and feature != "USER_PROVISIONING"):
            # Model choice: a custom app whose provisioning is off has no feature to read or set.
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {request.path}")
        return app

    def list_claims(self, request: Request) -> Answer:
        """Federated claims ({id, name, expression}); `twin.okta.app(id).federated_claims`."""
        return Answer(200, list(self.org.app(request.params["app"]).federated_claims))

    def list_features(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        return Answer(200, [self.feature_json(app)] if app.provisioning_enabled else [])

    def get_feature(self, request: Request) -> Answer:
        return Answer(200, self.feature_json(self._provisioned_app(request)))

    def put_feature(self, request: Request) -> Answer:
        """The body is the capabilities object (resource_okta_app_features.go:495-531); what it
        omits takes Okta's default (update.password: DISABLED / RANDOM / KEEP_EXISTING)."""
        app = self._provisioned_app(request)
        body = request.json()
        create = (body.get("create") or {}).get("lifecycleCreate") or {}
        update = body.get("update") or {}
        self.org.set_to_app(
            app.id,
            create=create.get("status") == "ENABLED",
            update=(update.get("profile") or {}).get("status") == "ENABLED",
            deactivate=(update.get("lifecycleDeactivate") or {}).get("status") == "ENABLED",
        )
        password = update.get("password") or {}
        app.password_sync = {
            "status": password.get("status") or "DISABLED",
            "seed": password.get("seed") or "RANDOM",
            "change": password.get("change") or "KEEP_EXISTING",
        }
        return Answer(200, self.feature_json(app))

    def connection_json(self, app: OktaApp) -> dict[str, Any]:
        base = f"{self.org.org_url}/api/v1/apps/{app.id}/connections/default"
        if not app.provisioning_enabled or app.connection is None:
            # A custom app without SCIM switched on: Okta answers 200 with nothing known. The SDK's
            # ProvisioningConnectionResponse allows UNKNOWN only in profile.authScheme (the
            # top-level authScheme is TOKEN or absent).
            return {"status": "UNKNOWN", "profile": {"authScheme": "UNKNOWN"}, "_links": {}}
        status = app.connection["status"]
        action = "deactivate" if status == "ENABLED" else "activate"
        scheme = app.connection["authScheme"]
        return {
            **({"authScheme": scheme} if scheme == "TOKEN" else {}),
            "baseUrl": app.connection["baseUrl"],
            "status": status,
            "profile": {"authScheme": app.connection["authScheme"]},
            "_links": {action: {"href": f"{base}/lifecycle/{action}", "hints": {"allow": ["POST"]}}},
        }

    def get_connection(self, request: Request) -> Answer:
        return Answer(200, self.connection_json(self.org.app(request.params["app"])))

    def post_connection(self, request: Request) -> Answer:
        body = request.json()
        profile = body.get("profile") or {}
        if profile.get("authScheme") not in ("TOKEN", "HEADER", "BASIC", "OAUTH2"):
            raise ApiError(400, "E0000001", "Api validation failed: profile.authScheme")
        app = self.org.app(request.params["app"])
        self.org.set_connection(app.id, str(body.get("baseUrl") or ""), str(profile.get("token") or ""))
        if app.connection is not None:
            app.connection["authScheme"] = profile["authScheme"]
        if request.query.get("activate", "").lower() == "true" and app.connection is not None:
            app.connection["status"] = "ENABLED"
        return Answer(201, self.connection_json(app))

    def connection_lifecycle(self, request: Request) -> Answer:
        app = self.org.app(request.params["app"])
        if app.connection is not None:
            app.connection["status"] = "ENABLED" if request.params["action"] == "activate" else "DISABLED"
        return Answer(204)


def group_fields(group: OktaGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "type": group.type,
        "profile.name": group.name,
        "profile.description": group.description,
    }


def search_predicate(expression: str) -> Any:
    """Okta's search/filter expressions: `attr eq|sw|co "value"` terms joined with `and` / `or`
    (no parentheses). Anything else answers 400 E0000031."""
    alternatives = []
    for alternative in re.split(r"\s+or\s+", expression.strip()):
        terms = []
        for term in re.split(r"\s+and\s+", alternative):
            match = re.fullmatch(r'\s*([A-Za-z.]+)\s+(eq|sw|co)\s+"([^"]*)"\s*', term)
            if not match:
                raise ApiError(400, "E0000031", f"Invalid search criteria: {expression}")
            terms.append(match.groups())
        alternatives.append(terms)

    def matches(fields: dict[str, Any]) -> bool:
        def one(attribute: str, op: str, value: str) -> bool:
            actual = str(fields.get(attribute, ""))
            if op == "eq":
                return actual == value
            if op == "sw":
                return actual.lower().startswith(value.lower())
            return value.lower() in actual.lower()

        return any(all(one(*t) for t in terms) for terms in alternatives)

    return matches
