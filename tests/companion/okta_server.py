"""A loopback Okta org answering the read endpoints verify uses, in Okta's documented shapes.

Shapes follow Okta's published Management API reference (developer.okta.com, "Okta Admin
Management API"): Applications (the Application object: id, name, label, status, signOnMode,
features, settings.signOn.attributeStatements; list with `q`), Application Connections (GET
/api/v1/apps/{appId}/connections/default: authScheme, status, baseUrl, _links; for apps the
endpoint does not support Okta answers 200 with status/authScheme UNKNOWN), Application
Features (GET .../features/{featureName}: name, status, description, capabilities.create.
lifecycleCreate / update.profile / update.lifecycleDeactivate, _links), Group Push Mappings
(GET .../group-push/mappings: id, sourceGroupId, targetGroupId, status; query parameters
`after` (cursor), `limit`, `sourceGroupId`; paged with a `Link: <...>; rel="next"` header as
Okta's pagination guide describes), Groups (GET /api/v1/groups?search=: id, type (OKTA_GROUP,
APP_GROUP, BUILT_IN), profile.name; the search expression joins `attribute eq "value"` terms
with `and`), the Error object (errorCode, errorSummary, errorLink, errorId, errorCauses) and
the rate-limit guide (429 with X-Rate-Limit-Limit, -Remaining, -Reset in UTC epoch seconds).
API tokens are sent as `Authorization: SSWS <token>`.

For `discover` (tests/discover): Application Groups (GET /api/v1/apps/{appId}/groups: id,
priority, lastUpdated, _links), Application Users (GET /api/v1/apps/{appId}/users: id, scope
USER for a direct assignment or GROUP, credentials.userName, status), Groups (GET
/api/v1/groups/{groupId}), Application Features (GET /api/v1/apps/{appId}/features: a list of
feature objects), and the Application object's settings.signOn (ssoAcsUrl, recipient,
destination, audience, subjectNameIdTemplate, subjectNameIdFormat, signatureAlgorithm,
digestAlgorithm, attributeStatements with filterType/filterValue for GROUP statements),
visibility.hide.web/iOS and _links.metadata. App lists (groups, users) are paged like mappings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from .faults import Faults, json_response

USER_ID_EXPRESSION = 'user.getInternalProperty("id")'


def okta_error(code: str, summary: str) -> dict[str, Any]:
    """Okta's Error object."""
    return {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae-loopback",
        "errorCauses": [],
    }


def saml_app(app_id: str, label: str, features: list[str], uid_values: list[str]) -> dict[str, Any]:
    """An Application object for a custom SAML 2.0 app."""
    statements = [
        {
            "type": "EXPRESSION",
            "name": "login",
            "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
            "values": ["user.login"],
        }
    ]
    if uid_values:
        statements.append(
            {
                "type": "EXPRESSION",
                "name": "userUID",
                "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
                "values": uid_values,
            }
        )
    return {
        "id": app_id,
        "name": "example_grafana_1",
        "label": label,
        "status": "ACTIVE",
        "signOnMode": "SAML_2_0",
        "features": features,
        "created": "2026-01-01T00:00:00.000Z",
        "settings": {"signOn": {"attributeStatements": statements}},
        "_links": {"self": {"href": f"/api/v1/apps/{app_id}"}},
    }


@dataclass
class OktaOrg:
    """The org's state; tests edit it to produce each case."""

    token: str
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)
    connections: dict[str, dict[str, Any]] = field(default_factory=dict)
    features: dict[str, dict[str, Any]] = field(default_factory=dict)
    mappings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    groups: list[dict[str, Any]] = field(default_factory=list)
    # Most mappings per page (Okta's default limit is 100); a small value forces paging.
    mapping_page_size: int = 100
    # False: ignore the sourceGroupId filter (list every mapping), so clients must page.
    mapping_source_filter: bool = True
    # An HTTP status the mappings API answers with instead (e.g. 400 or 404).
    mapping_error: int | None = None
    # app id -> Application Group assignments ({id, priority}) and Application Users.
    app_groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    app_users: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Paths (regex) answered 403 as for a token whose admin lacks read rights there.
    forbidden: list[str] = field(default_factory=list)


class FakeOkta:
    """WSGI app serving OktaOrg."""

    def __init__(self, org: OktaOrg) -> None:
        self.org = org
        self.faults = Faults()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        if environ.get("HTTP_AUTHORIZATION", "") != f"SSWS {self.org.token}":
            return json_response(start_response, 401, okta_error("E0000011", "Invalid token provided"))
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if any(re.search(pattern, path) for pattern in self.org.forbidden):
            return json_response(
                start_response,
                403,
                okta_error("E0000006", "You do not have permission to perform the requested action"),
            )
        status, body, links = self.route(path, query)
        headers = [
            ("X-Rate-Limit-Limit", "100"),
            ("X-Rate-Limit-Remaining", "99"),
            ("X-Rate-Limit-Reset", "1900000000"),
        ]
        origin = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}"
        headers += [("Link", f'<{origin}{target}>; rel="{rel}"') for rel, target in links]
        return json_response(start_response, status, body, tuple(headers))

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any, list[tuple[str, str]]]:
        """(status, body, [(link rel, path?query)])."""
        match = re.fullmatch(r"/api/v1/apps/([^/]+)/group-push/mappings", path)
        if match and match.group(1) in self.org.apps:
            return self.mappings(match.group(1), path, query)
        status, body = self.simple_route(path, query)
        return status, body, []

    def mappings(
        self, app_id: str, path: str, query: dict[str, str]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        org = self.org
        if org.mapping_error is not None:
            return (
                org.mapping_error,
                okta_error(
                    "E0000001" if org.mapping_error == 400 else "E0000007",
                    "Api validation failed: group push is not supported for this app"
                    if org.mapping_error == 400
                    else f"Not found: Resource not found: {path}",
                ),
                [],
            )
        mappings = org.mappings.get(app_id, [])
        if org.mapping_source_filter and "sourceGroupId" in query:
            mappings = [m for m in mappings if m["sourceGroupId"] == query["sourceGroupId"]]
        start = 0
        if "after" in query:
            ids = [m["id"] for m in mappings]
            start = ids.index(query["after"]) + 1 if query["after"] in ids else len(ids)
        limit = min(int(query.get("limit", "100")), org.mapping_page_size)
        page = mappings[start : start + limit]
        kept = {k: v for k, v in query.items() if k != "after"}
        links = [("self", f"{path}?{urlencode(query)}" if query else path)]
        if page and start + limit < len(mappings):
            links.append(("next", f"{path}?{urlencode({**kept, 'after': page[-1]['id']})}"))
        return 200, page, links

    def simple_route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        org = self.org
        if path == "/api/v1/apps":
            q = query.get("q", "").lower()
            return 200, [
                a for a in org.apps.values() if a["label"].lower().startswith(q) or a["name"].startswith(q)
            ]
        if path == "/api/v1/groups":
            terms = search_terms(query.get("search", ""))
            if terms is None:
                return 400, okta_error("E0000031", "Invalid search")
            return 200, [
                g
                for g in org.groups
                if all(
                    (g["profile"].get(k.removeprefix("profile.")) if k.startswith("profile.") else g.get(k))
                    == v
                    for k, v in terms.items()
                )
            ]
        match = re.fullmatch(r"/api/v1/groups/([^/]+)", path)
        if match:
            found = [g for g in org.groups if g["id"] == match.group(1)]
            if found:
                return 200, found[0]
            return 404, okta_error("E0000007", f"Not found: Resource not found: {path}")
        match = re.fullmatch(r"/api/v1/apps/([^/]+)(/.*)?", path)
        if not match or match.group(1) not in org.apps:
            return 404, okta_error("E0000007", f"Not found: Resource not found: {path}")
        app_id, rest = match.group(1), match.group(2) or ""
        if rest == "":
            return 200, org.apps[app_id]
        if rest == "/connections/default":
            return 200, org.connections.get(app_id, unknown_connection())
        if rest == "/features/USER_PROVISIONING" and app_id in org.features:
            return 200, org.features[app_id]
        if rest == "/features":
            return 200, [org.features[app_id]] if app_id in org.features else []
        if rest == "/groups":
            return 200, [
                {"lastUpdated": "2026-01-01T00:00:00.000Z", "_links": {}, **g}
                for g in org.app_groups.get(app_id, [])
            ]
        if rest == "/users":
            return 200, org.app_users.get(app_id, [])
        return 404, okta_error("E0000007", f"Not found: Resource not found: {path}")


def search_terms(expression: str) -> dict[str, str] | None:
    """{attribute: value} of `a eq "x" and b eq "y"`; None when it is not such an expression."""
    terms = {}
    for term in expression.split(" and "):
        match = re.fullmatch(r'\s*([A-Za-z.]+) eq "([^"]*)"\s*', term)
        if not match:
            return None
        terms[match.group(1)] = match.group(2)
    return terms


def unknown_connection() -> dict[str, Any]:
    """What Okta answers for a custom SAML app: 200, but nothing known."""
    return {"authScheme": "UNKNOWN", "status": "UNKNOWN", "_links": {}}


def enabled_connection(base_url: str) -> dict[str, Any]:
    """A working token connection."""
    return {
        "authScheme": "TOKEN",
        "status": "ENABLED",
        "baseUrl": base_url,
        "_links": {"deactivate": {"href": "/lifecycle/deactivate"}},
    }


def user_provisioning(create: bool, update: bool, deactivate: bool) -> dict[str, Any]:
    """The USER_PROVISIONING feature."""

    def status(on: bool) -> dict[str, str]:
        return {"status": "ENABLED" if on else "DISABLED"}

    return {
        "name": "USER_PROVISIONING",
        "status": "ENABLED",
        "description": "User provisioning settings from Okta to a downstream app",
        "capabilities": {
            "create": {"lifecycleCreate": status(create)},
            "update": {
                "profile": status(update),
                "lifecycleDeactivate": status(deactivate),
                "password": {"status": "DISABLED", "seed": "RANDOM", "change": "CHANGE"},
            },
        },
        "_links": {},
    }
