"""The replay plugins' HTTP client for a workspace bound to the twin (`TWIN_ENDPOINTS`).

`TWIN_ENDPOINTS` (JSON, in the plugins' environment) names the twin's loopback views:
`okta` (the Management API's loopback URL), `grafana` (public Grafana URL -> loopback URL), `grafana_cloud`
(Grafana Cloud API) and `clock_file` (a file holding the twin's current time, ISO 8601, written
by the test before each Terraform run: the providers' `time.Now()`). A provider block's Okta
org (`https://<org_name>.<base_url>`) or Grafana `url` is mapped onto these; nothing ever
leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ENV_VAR = "TWIN_ENDPOINTS"
TIMEOUT_SECONDS = 30


class ApiError(Exception):
    """An answer the provider turns into an error diagnostic."""

    def __init__(self, summary: str, detail: str = "", status: int = 0) -> None:
        super().__init__(f"{summary}: {detail}")
        self.summary = summary
        self.detail = detail
        self.status = status


@dataclass
class Answer:
    """One HTTP answer: status, decoded JSON (or text) body, headers."""

    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class Client:
    """JSON over HTTP to one loopback view, with the credential header the provider sends."""

    def __init__(self, base_url: str, headers: dict[str, str], path_prefix: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.path_prefix = path_prefix.rstrip("/")

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, Any] | None = None,
        ok: tuple[int, ...] = (),
    ) -> Answer:
        """Send one request; a status outside 2xx and `ok` raises ApiError."""
        url = self.base_url + self.path_prefix + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return self._send(method, url, body, ok)

    def _send(self, method: str, url: str, body: Any, ok: tuple[int, ...]) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers, Accept="application/json")
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status, raw, answer_headers = response.status, response.read(), _headers(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), _headers(error.headers)
        text = raw.decode("utf-8", errors="replace")
        try:
            decoded: Any = json.loads(text) if text else None
        except json.JSONDecodeError:
            decoded = text
        answer = Answer(status, decoded, answer_headers)
        if not answer.ok and status not in ok:
            raise ApiError(
                f"{method} {urllib.parse.urlsplit(url).path} answered {status}", text[:500], status
            )
        return answer

    def pages(self, path: str, query: dict[str, Any] | None = None) -> list[Any]:
        """Every element of a paged list, following `Link: <...>; rel="next"` as Okta's SDK does."""
        answer = self.call("GET", path, query=query)
        found = list(answer.body or [])
        while (next_url := _next_link(answer.headers)) is not None:
            parts = urllib.parse.urlsplit(next_url)
            local = urllib.parse.urlsplit(self.base_url)
            url = urllib.parse.urlunsplit((local.scheme, local.netloc, parts.path, parts.query, ""))
            answer = self._send("GET", url, None, ())
            found += list(answer.body or [])
        return found


def _headers(message: Any) -> dict[str, str]:
    """The answer's headers; a repeated one (Okta sends one `Link` per relation) joined by commas,
    as RFC 9110 allows for list-valued fields."""
    merged: dict[str, str] = {}
    for name, value in message.items():
        merged[name] = f"{merged[name]}, {value}" if name in merged else value
    return merged


def _next_link(headers: dict[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() != "link":
            continue
        for part in value.split(","):
            if 'rel="next"' in part:
                return part.split(";")[0].strip().strip("<>")
    return None


class TwinEndpoints:
    """What `TWIN_ENDPOINTS` says, and the clients a provider block maps onto."""

    def __init__(self, document: dict[str, Any]) -> None:
        okta = document.get("okta") or document.get("okta_url") or {}
        # {"https://<org>.<base_url>": loopback} (one org), or a bare loopback URL
        self.okta_urls: dict[str, str] = okta if isinstance(okta, dict) else {"": okta}
        self.grafana_urls: dict[str, str] = document.get("grafana") or document.get("grafana_urls") or {}
        self.cloud_url: str = document.get("grafana_cloud") or document.get("grafana_cloud_url") or ""
        self.clock_file: str | None = document.get("clock_file")

    @classmethod
    def from_environment(cls) -> TwinEndpoints | None:
        """None when the workspace is not bound to a twin (schema replay)."""
        raw = os.environ.get(ENV_VAR)
        return cls(json.loads(raw)) if raw else None

    def now(self) -> datetime:
        """The twin's clock (the providers' time.Now()); the wall clock when no file is given."""
        if self.clock_file and os.path.exists(self.clock_file):
            with open(self.clock_file, encoding="utf-8") as handle:
                return datetime.fromisoformat(handle.read().strip())
        return datetime.now(UTC)

    def okta(self, config: dict[str, Any]) -> Client:
        """The Okta org of a provider block (org_name, base_url, api_token or OKTA_API_TOKEN)."""
        token = config.get("api_token") or os.environ.get("OKTA_API_TOKEN") or ""
        if not token:
            raise ApiError("Okta API token missing", "the twin's Okta needs an api_token (SSWS)")
        org_url = f"https://{config.get('org_name') or ''}.{config.get('base_url') or 'okta.com'}"
        loopback = self.okta_urls.get(org_url) or self.okta_urls.get("")
        if not loopback:
            raise ApiError("twin", f"no Okta view for {org_url} in TWIN_ENDPOINTS")
        return Client(loopback, {"Authorization": f"SSWS {token}"})

    def grafana(self, config: dict[str, Any], org_header: bool = True) -> Client:
        """The Grafana instance of a provider block (url; auth: token or user:password)."""
        url = (config.get("url") or os.environ.get("GRAFANA_URL") or "").rstrip("/")
        parts = urllib.parse.urlsplit(url)
        public_root = f"{parts.scheme}://{parts.netloc}"
        loopback = self.grafana_urls.get(url) or self.grafana_urls.get(public_root)
        if loopback is None:
            raise ApiError("twin", f"no Grafana view for {url!r} in TWIN_ENDPOINTS")
        prefix = "" if url in self.grafana_urls else parts.path
        auth = config.get("auth") or os.environ.get("GRAFANA_AUTH") or ""
        headers = {}
        if ":" in auth:
            headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        elif auth:
            headers["Authorization"] = f"Bearer {auth}"
        if org_header and config.get("org_id"):
            headers["X-Grafana-Org-Id"] = str(int(config["org_id"]))
        return Client(loopback, headers, prefix)

    def grafana_root(self, config: dict[str, Any]) -> Client:
        """Scheme and host of the provider's url only (grafana_scim_config builds its URL so)."""
        url = (config.get("url") or "").rstrip("/")
        parts = urllib.parse.urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        loopback = self.grafana_urls.get(root)
        if loopback is None:
            # served from a sub-path only: the host root is a different (absent) server
            raise ApiError("twin", f"no Grafana answers at {root} (the provider drops the path of {url})")
        client = self.grafana(dict(config, url=root))
        return client

    def cloud(self, config: dict[str, Any]) -> Client:
        """The Grafana Cloud API (cloud_access_policy_token)."""
        token = (
            config.get("cloud_access_policy_token")
            or os.environ.get("GRAFANA_CLOUD_ACCESS_POLICY_TOKEN")
            or ""
        )
        if not token:
            raise ApiError("Grafana Cloud token missing", "cloud_access_policy_token is not set")
        return Client(self.cloud_url, {"Authorization": f"Bearer {token}"})
