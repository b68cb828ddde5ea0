"""A scim2-client engine over verify's HttpClient: for scim2-tester, and to show the strict
parsing verify used before (scim2-client validates every answer against the core schemas)."""

from __future__ import annotations

from typing import Any

import httpx
from scim2_client import BaseSyncSCIMClient
from scim2_models import Group, ScimProvider, User

from grafana_okta_scim.live import HttpClient


class ScimClient(BaseSyncSCIMClient):
    """scim2-client over httpx, with verify's timeouts, retries and redaction.

    It serves the standard User and Group resources, without the enterprise extension.
    """

    def __init__(self, http: HttpClient, **kwargs: Any) -> None:
        super().__init__(provider=ScimProvider(models=[User, Group]), **kwargs)
        self.http = http
        self.last_response: httpx.Response | None = None

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base = self.http.client.base_url
        try:
            url = self.http.client.build_request("GET", endpoint.lstrip("/")).url
        except httpx.InvalidURL:
            return False
        return (
            url.scheme == base.scheme
            and url.host == base.host
            and url.port == base.port
            and url.raw_path.startswith(base.raw_path)
        )

    def _parse_json(self, response: Any) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send through HttpClient (relative to the SCIM base URL)."""
        self.last_response = self.http.request(method, url, **kwargs)
        return self.last_response
