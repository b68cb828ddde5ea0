"""Fixtures for the companion tests: the twin's loopback Okta and Grafana (tests/twin) in the
states verify meets, and fast verify options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from grafana_okta_scim import example_spec
from grafana_okta_scim.live import HttpSettings, RetryPolicy
from grafana_okta_scim.synth import IntegrationPlan, plan
from grafana_okta_scim.verify.runner import VerifyOptions
from tests.companion.faults import Fault
from tests.twin import consumers
from tests.twin.consumers import NAMESPACE, OKTA_TOKEN, Integration, World
from tests.twin.scim import SCIM_PREFIX, ScimEndpoint

ROOT = Path(__file__).resolve().parents[2]
# What the twin issues, deterministically, for the set-up below: the SCIM service account's
# token and the ids of the app and the group (the fixture checks them).
SCIM_TOKEN = "glsa_twin000161160f6bf13edf8ad9f8cdf4_b2ba5906"
APP_ID = "0oatwin0000000000001"
GROUP_ID = "00gtwin0000000000001"
__all__ = ["APP_ID", "GROUP_ID", "OKTA_TOKEN", "ROOT", "SCIM_TOKEN"]


@pytest.fixture(scope="session")
def cloud_plan() -> IntegrationPlan:
    """The example integration: Cloud stack 123456, group sync, push group grafana-users."""
    return plan(example_spec(), "cloud.yaml")["prod"]


@pytest.fixture
def world() -> Iterator[World]:
    """A fresh twin (Okta org example, Grafana Cloud stack 123456), served on 127.0.0.1."""
    with consumers.world() as served:
        yield served


@pytest.fixture
def integration(world: World) -> Integration:
    """examples/cloud.yaml's prod integration set up as SCIM_SETUP.md says, manual mode:
    Terraform's first apply, the admin's SCIM switch, the second apply (the push mapping)."""
    done = consumers.cloud_example(world)
    assert (done.app_id, done.group_id, done.scim_token) == (APP_ID, GROUP_ID, SCIM_TOKEN)
    return done


@pytest.fixture
def okta_url(world: World, integration: Integration) -> str:
    return world.okta_url


@pytest.fixture
def strict_url(world: World, integration: Integration) -> str:
    """The Grafana instance's base URL (its HTTP API and its SCIM mount, Grafana's rules)."""
    return world.grafana_url


@pytest.fixture
def scim_url(world: World, plain: None) -> str:
    """The Grafana instance's base URL, its SCIM mount a plain SCIM 2.0 server (scim_app)."""
    return world.grafana_url


@dataclass
class ScimFaults:
    """Faults of the Grafana view; `requests` lists the SCIM requests after the set-up."""

    world: World

    def add(self, fault: Fault) -> None:
        self.world.grafana_faults.add(fault)

    @property
    def requests(self) -> list[tuple[str, str]]:
        _, start = self.world.setup_requests
        seen = self.world.grafana_faults.requests[start:]
        return [(m, p) for m, p in seen if p.startswith(SCIM_PREFIX)]


@dataclass
class ScimState:
    """The twin Grafana's SCIM mount, as tests observe it: requests seen, users and groups."""

    world: World
    namespace: str = NAMESPACE

    @property
    def faults(self) -> ScimFaults:
        return ScimFaults(self.world)

    def users(self) -> list[tuple[str, bool | None]]:
        """(userName, active) of every SCIM user of the namespace."""
        return list(self._scim().users(self.namespace))

    def groups(self) -> list[str]:
        """displayName of every SCIM group of the namespace."""
        return list(self._scim().groups(self.namespace))

    def _scim(self) -> Any:
        return self.world.twin.grafana_at(self.world.grafana_public).scim


@pytest.fixture
def plain(world: World, integration: Integration) -> None:
    """Grafana's SCIM mount replaced by scim2-server as it is (discovery served, DELETE
    allowed): verify against any RFC 7644 server, not only Grafana's."""
    grafana = world.twin.grafana_at(world.grafana_public)
    grafana.scim = ScimEndpoint(grafana, strict=False)


@pytest.fixture
def scim_app(world: World, plain: None) -> ScimState:
    """The plain SCIM 2.0 mount (see `plain`)."""
    return ScimState(world)


@pytest.fixture
def strict_app(world: World, integration: Integration) -> ScimState:
    """The twin Grafana's own SCIM mount: Grafana's documented rules (tests/twin/scim.py)."""
    return ScimState(world)


@pytest.fixture
def okta_app(world: World, integration: Integration) -> Any:
    """The twin's Okta view (its `faults` and knobs)."""
    return world.twin.okta_view


@dataclass
class Sleeps:
    """Records the waits verify asks for instead of sleeping."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def fast_options(sleeps: Sleeps, **kwargs: object) -> VerifyOptions:
    """Options with recorded (not slept) retry waits. The timeout is generous: the twin answers on
    127.0.0.1 at once, but a loaded machine (the suite runs on two workers) can stall a thread for a
    second; the tests of timeouts set their own (test_stalling_server_times_out)."""
    settings = HttpSettings(timeout=10.0, retry=RetryPolicy(attempts=3, backoff=0.05, max_wait=5.0))
    env = {"GRAFANA_SCIM_TOKEN": SCIM_TOKEN, "OKTA_API_TOKEN": OKTA_TOKEN}
    env.update(cast(dict[str, str], kwargs.pop("environ", {})))
    return VerifyOptions(http=settings, environ=env, sleep=sleeps, **kwargs)  # type: ignore[arg-type]
