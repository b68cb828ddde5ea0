"""Fixtures for discover and verify --drift: the twin's loopback Okta and Grafana (tests/twin), in
the state examples/cloud.yaml's Terraform leaves (tests/twin/consumers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim.discover.runner import DiscoverOptions, DiscoverResult, run
from grafana_okta_scim.live import HttpSettings, RetryPolicy
from tests.twin import consumers
from tests.twin.consumers import GRAFANA_TOKEN, OKTA_TOKEN, Integration, World

__all__ = ["GRAFANA_TOKEN", "OKTA_TOKEN", "Live"]


@dataclass
class Live:
    """The twin as discover meets it: its URLs, the people's and Terraform's steps, discover."""

    world: World
    tmp: Path
    setup: Integration | None = None

    @property
    def okta_url(self) -> str:
        return self.world.okta_url

    @property
    def grafana_url(self) -> str:
        return self.world.grafana_url

    @property
    def okta(self) -> Any:
        """The twin's Okta org (the model: test steps)."""
        return self.world.twin.okta

    @property
    def grafana(self) -> Any:
        """The twin's Grafana instance."""
        return self.world.twin.grafana_at(self.world.grafana_public)

    @property
    def app_id(self) -> str:
        assert self.setup is not None
        return self.setup.app_id

    @property
    def mapping_id(self) -> str:
        """The push mapping the set-up made (phase 2)."""
        assert self.setup is not None and self.setup.mapping_id
        return self.setup.mapping_id

    def seed(self, phase: int = 2) -> Integration:
        """examples/cloud.yaml's prod integration as its Terraform creates it (the latest phase)."""
        self.setup = consumers.cloud_example(self.world, phase=phase)
        return self.setup

    def run(self, out: Path | None = None, **kwargs: Any) -> DiscoverResult:
        """discover against the twin (tokens from a fake environment, fast retries)."""
        settings = HttpSettings(timeout=10.0, retry=RetryPolicy(attempts=3, backoff=0.01, max_wait=1.0))
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
        """Every HTTP method either view saw after the set-up."""
        return self.world.methods()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """A fresh twin, served, nothing in it yet but the Okta org and Grafana Cloud stack 123456."""
    with consumers.world() as world:
        yield Live(world, tmp_path)


from tests.terraform.conftest import terraform  # noqa: E402,F401  (the session harness, reused)
