"""A loopback Grafana HTTP API answering the reads `discover` and `verify --drift` make.

Shapes follow Grafana's published HTTP API reference (grafana.com/docs, "SSO Settings API":
GET /api/v1/sso-settings/{provider} -> {id, provider, settings (camelCase keys, secrets masked
as "*********"), source}; "Service account HTTP API": GET /api/serviceaccounts/search?query= ->
{totalCount, serviceAccounts: [{id, name, login, orgId, isDisabled, role, tokens}], page,
perPage}, GET /api/serviceaccounts/{id}/tokens -> [{id, name, created, lastUsedAt, expiration,
secondsUntilExpiration, hasExpired}]) and the SCIM config object the grafana provider's
grafana_scim_config reads and writes (internal/resources/grafana/resource_scim_config.go:
GET /apis/scim.grafana.app/v0alpha1/namespaces/{ns}/config/default -> {apiVersion, kind,
metadata {name, namespace}, spec {enableUserSync, enableGroupSync, rejectNonProvisionedUsers}}).
Auth: `Authorization: Bearer <token>` or basic auth; 401 otherwise. Every request is logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from tests.companion.faults import Faults, json_response

MASK = "*********"


@dataclass
class GrafanaInstance:
    """The instance's state; tests edit it for each case."""

    authorization: str
    sso: dict[str, Any] | None = None
    sso_status: int | None = None  # e.g. 403 for an org admin on self-hosted
    scim: dict[str, dict[str, Any]] = field(default_factory=dict)  # namespace -> spec
    accounts: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


class FakeGrafanaApi:
    """WSGI app serving GrafanaInstance."""

    def __init__(self, instance: GrafanaInstance) -> None:
        self.instance = instance
        self.faults = Faults()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        if environ.get("HTTP_AUTHORIZATION", "") != self.instance.authorization:
            return json_response(start_response, 401, {"message": "Unauthorized"})
        if environ["REQUEST_METHOD"] != "GET":
            return json_response(start_response, 405, {"message": "read-only fake"})
        path = environ.get("PATH_INFO", "")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        status, body = self.route(path, query)
        return json_response(start_response, status, body)

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        instance = self.instance
        if path == "/api/v1/sso-settings/saml":
            if instance.sso_status:
                return instance.sso_status, {
                    "message": "You'll need additional permissions to "
                    "perform this action. Permissions needed: settings:read"
                }
            if instance.sso is None:
                return 404, {"message": "SSO settings not found"}
            settings = dict(instance.sso)
            for secret in ("certificate", "privateKey"):
                settings[secret] = MASK if settings.get(secret) else ""
            return 200, {"id": "sso1", "provider": "saml", "settings": settings, "source": "database"}
        match = re.fullmatch(r"/apis/scim\.grafana\.app/v0alpha1/namespaces/([^/]+)/config/default", path)
        if match:
            spec = instance.scim.get(match.group(1))
            if spec is None:
                return 404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404}
            return 200, {
                "apiVersion": "scim.grafana.app/v0alpha1",
                "kind": "SCIMConfig",
                "metadata": {"name": "default", "namespace": match.group(1)},
                "spec": spec,
            }
        if path == "/api/serviceaccounts/search":
            q = query.get("query", "").lower()
            found = [a for a in instance.accounts if q in a["name"].lower()]
            return 200, {
                "totalCount": len(found),
                "serviceAccounts": found,
                "page": 1,
                "perPage": int(query.get("perpage", "1000")),
            }
        match = re.fullmatch(r"/api/serviceaccounts/([0-9]+)/tokens", path)
        if match:
            return 200, instance.tokens.get(int(match.group(1)), [])
        return 404, {"message": "Not found"}


def service_account(account_id: int, name: str, role: str, org_id: int = 1) -> dict[str, Any]:
    """A service account as the search answers it."""
    return {
        "id": account_id,
        "name": name,
        "login": f"sa-{org_id}-{name}",
        "orgId": org_id,
        "isDisabled": False,
        "role": role,
        "tokens": 1,
        "avatarUrl": "",
    }
