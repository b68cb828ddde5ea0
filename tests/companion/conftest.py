"""Fixtures for the companion tests: loopback SCIM and Okta servers and fast verify options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grafana_okta_scim import example_spec
from grafana_okta_scim.build import IntegrationPlan, plan
from grafana_okta_scim.verify.http import HttpSettings, RetryPolicy
from grafana_okta_scim.verify.runner import VerifyOptions

from .grafana_scim_server import GrafanaLikeScim, serve
from .okta_server import (
    USER_ID_EXPRESSION,
    FakeOkta,
    OktaOrg,
    saml_app,
)

ROOT = Path(__file__).resolve().parents[2]
SCIM_TOKEN = "glsa_loopbackScimToken_0123456789abcdef"
OKTA_TOKEN = "00loopbackOktaApiToken-abcdefghijklmnop"
APP_ID = "0oa1loopbackapp"
GROUP_ID = "00g1loopbackgrp"
FULL_FEATURES = [
    "IMPORT_NEW_USERS",
    "PUSH_NEW_USERS",
    "PUSH_PROFILE_UPDATES",
    "PUSH_USER_DEACTIVATION",
    "GROUP_PUSH",
]


@pytest.fixture(scope="session")
def cloud_plan() -> IntegrationPlan:
    """The example integration: Cloud stack 123456, group sync, push group grafana-users."""
    return plan(example_spec(), "cloud.yaml")["prod"]


@pytest.fixture
def scim_app(cloud_plan: IntegrationPlan) -> GrafanaLikeScim:
    return GrafanaLikeScim(cloud_plan.facts.scim_namespace, SCIM_TOKEN)


@pytest.fixture
def scim_url(scim_app: GrafanaLikeScim) -> Iterator[str]:
    with serve(scim_app) as url:
        yield url


@pytest.fixture
def strict_app(cloud_plan: IntegrationPlan) -> GrafanaLikeScim:
    """The Grafana-like server narrowed to Grafana's documented behaviour (see its module)."""
    return GrafanaLikeScim(cloud_plan.facts.scim_namespace, SCIM_TOKEN, strict=True)


@pytest.fixture
def strict_url(strict_app: GrafanaLikeScim) -> Iterator[str]:
    with serve(strict_app) as url:
        yield url


@pytest.fixture
def okta_org() -> OktaOrg:
    """An org where the example integration is fully set up by hand (manual mode)."""
    org = OktaOrg(token=OKTA_TOKEN)
    org.apps[APP_ID] = saml_app(APP_ID, "Grafana", FULL_FEATURES, [USER_ID_EXPRESSION])
    org.groups.append(
        {"id": GROUP_ID, "type": "OKTA_GROUP", "profile": {"name": "grafana-users", "description": ""}}
    )
    org.mappings[APP_ID] = [
        {"id": "gpm1", "sourceGroupId": GROUP_ID, "targetGroupId": "00gtarget", "status": "ACTIVE"}
    ]
    return org


@pytest.fixture
def okta_app(okta_org: OktaOrg) -> FakeOkta:
    return FakeOkta(okta_org)


@pytest.fixture
def okta_url(okta_app: FakeOkta) -> Iterator[str]:
    with serve(okta_app) as url:
        yield url


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
    """Options with a short timeout and recorded (not slept) retry waits."""
    settings = HttpSettings(timeout=1.0, retry=RetryPolicy(attempts=3, backoff=0.05, max_wait=5.0))
    env = {"GRAFANA_SCIM_TOKEN": SCIM_TOKEN, "OKTA_API_TOKEN": OKTA_TOKEN}
    env.update(kwargs.pop("environ", {}))  # type: ignore[arg-type]
    return VerifyOptions(http=settings, environ=env, sleep=sleeps, **kwargs)  # type: ignore[arg-type]
