"""The Grafana clients: the instance HTTP API (an admin credential, GET reads) and the SCIM API
(a service account token, the requests Okta sends).

Instance API (grafana.com/docs: "SSO Settings API", "Service account HTTP API", "Team HTTP
API", and the SCIMConfig object grafana_scim_config writes). SCIM API: the base URL
`.../apis/scim.grafana.app/v0alpha1/namespaces/<ns>` with `application/scim+json` bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .credentials import grafana_authorization
from .http import HttpClient, HttpSettings
from .reader import Reader
from .redact import Redactor

SCIM_MEDIA = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_HEADERS = {"Accept": f"{SCIM_MEDIA}, application/json"}
SCIM_CONFIG_PATH = "apis/scim.grafana.app/v0alpha1/namespaces/{namespace}/config/default"


class GrafanaClient(Reader):
    """GET reads of one Grafana instance's HTTP API, in one org."""

    @classmethod
    def open(
        cls,
        url: str,
        grafana_auth: str,
        settings: HttpSettings,
        redact: Redactor,
        org_id: int | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> GrafanaClient:
        """A client of the instance at `url`; GRAFANA_AUTH as the grafana provider reads it;
        `X-Grafana-Org-Id` when `org_id` is given."""
        kwargs: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        headers = None if org_id is None else {"X-Grafana-Org-Id": str(org_id)}
        authorization = grafana_authorization(grafana_auth)
        return cls(HttpClient(url, authorization, settings, redact, extra_headers=headers, **kwargs))


@dataclass(frozen=True)
class ScimAnswer:
    """One HTTP answer of the SCIM API: status, parsed JSON (None if none) and raw text."""

    what: str
    status: int
    body: Any
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def scim_error(self) -> bool:
        """True for an RFC 7644 Error body (`schemas` lists the Error message URN)."""
        return isinstance(self.body, dict) and ERROR_SCHEMA in (self.body.get("schemas") or [])


class ScimClient:
    """Requests relative to the SCIM base URL, as Okta's SCIM client sends them."""

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> ScimAnswer:
        """Send one request; TransportError propagates (no HTTP answer)."""
        what = f"{method} /{path}"
        headers = dict(SCIM_HEADERS)
        content = None
        if body is not None:
            headers["Content-Type"] = SCIM_MEDIA
            content = json.dumps(body).encode()
        response = self.http.request(method, path, params=params, headers=headers, content=content)
        return ScimAnswer(what, response.status_code, _json(response), response.text)


def _json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
