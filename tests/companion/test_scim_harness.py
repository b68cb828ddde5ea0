"""The twin Grafana's plain SCIM 2.0 mount (scim2-server under Grafana's path) passes scim2-tester
through verify's client, and refuses another namespace and a wrong token like Grafana."""

from __future__ import annotations

import httpx
from scim2_tester import Status, check_server

from grafana_okta_scim.live import HttpClient, HttpSettings, Redactor
from tests.twin.scim import SCIM_PREFIX

from .conftest import SCIM_TOKEN
from .scim2_adapter import ScimClient


def test_scim2_tester_passes_against_the_grafana_mount(scim_url, cloud_plan):
    # GIVEN the scim2-server mounted under Grafana's path, reached over the network
    base = scim_url + SCIM_PREFIX + cloud_plan.facts.scim_namespace
    with HttpClient(base, f"Bearer {SCIM_TOKEN}", HttpSettings(), Redactor()) as http:
        # WHEN scim2-tester runs its discovery and CRUD checks through verify's client
        results = check_server(ScimClient(http), resource_types=["User", "Group"])
    # THEN nothing errors
    errors = [(r.title, r.reason) for r in results if r.status == Status.ERROR]
    assert results and not errors


def test_wrong_namespace_is_403_and_wrong_token_401_like_grafana(scim_url):
    users = scim_url + SCIM_PREFIX + "stacks-1/Users"
    assert httpx.get(users, headers={"Authorization": f"Bearer {SCIM_TOKEN}"}).status_code == 403
    assert httpx.get(users, headers={"Authorization": "Bearer nope"}).status_code == 401
