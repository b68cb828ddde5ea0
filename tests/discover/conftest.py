"""Loopback Okta and Grafana API fakes for discover and verify --drift."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim.discover.command import DiscoverOptions, DiscoverResult, run
from grafana_okta_scim.verify.http import HttpSettings, RetryPolicy
from tests.companion.okta_server import FakeOkta, OktaOrg
from tests.twin.server import serve_app as serve

from .grafana_api_server import FakeGrafanaApi, GrafanaInstance

OKTA_TOKEN = "00discoverOktaToken-abcdefghijklmnop"
GRAFANA_TOKEN = "glsa_discoverGrafanaToken_0123456789"


@dataclass
class Fakes:
    okta: OktaOrg
    grafana: GrafanaInstance
    okta_app: FakeOkta
    grafana_app: FakeGrafanaApi
    okta_url: str
    grafana_url: str
    tmp: Path

    def run(self, out: Path | None = None, **kwargs: Any) -> DiscoverResult:
        """discover against the fakes (tokens from a fake environment, fast retries)."""
        settings = HttpSettings(timeout=2.0, retry=RetryPolicy(attempts=3, backoff=0.01, max_wait=1.0))
        defaults: dict[str, Any] = dict(
            okta_app="Grafana",
            okta_org="example",
            grafana="https://example.grafana.net",
            stack_id=123456,
            out=out or self.tmp / "scim.yaml",
            grafana_url=self.grafana_url,
            okta_url=self.okta_url,
            http=settings,
            sleep=lambda _s: None,
            environ={"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_TOKEN},
        )
        defaults.update(kwargs)
        return run(DiscoverOptions(**defaults))

    def methods(self) -> set[str]:
        """Every HTTP method either fake saw."""
        return {m for m, _ in self.okta_app.faults.requests + self.grafana_app.faults.requests}


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[Fakes]:
    org = OktaOrg(token=OKTA_TOKEN)
    instance = GrafanaInstance(authorization=f"Bearer {GRAFANA_TOKEN}")
    okta_app, grafana_app = FakeOkta(org), FakeGrafanaApi(instance)
    with serve(okta_app) as okta_url, serve(grafana_app) as grafana_url:
        yield Fakes(org, instance, okta_app, grafana_app, okta_url, grafana_url, tmp_path)


from tests.terraform.conftest import terraform  # noqa: E402,F401  (the session harness, reused)
