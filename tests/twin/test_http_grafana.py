"""The Grafana and Grafana Cloud views: what the grafana provider sends and reads back, the
SCIM mount's Grafana rules, and the fault injection verify's tests use."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.companion.faults import Fault
from tests.twin import Endpoints, Twin, serve

GRAFANA = "https://example.grafana.net"
SCIM = "/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456"
CONFIG = f"{SCIM}/config/default"


@pytest.fixture
def world() -> Iterator[tuple[Twin, Endpoints, httpx.Client]]:
    twin = Twin()
    twin.add_grafana(GRAFANA, kind="cloud", stack_id=123456, stack_slug="example")
    with serve(twin) as endpoints:
        client = httpx.Client(
            base_url=endpoints.grafana_urls[GRAFANA], headers={"Authorization": "Bearer admin"}
        )
        yield twin, endpoints, client
        client.close()


def scim_user(name: str, external_id: str | None = "00u1", email_type: str = "work") -> dict[str, object]:
    body: dict[str, object] = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"primary": True, "value": name, "type": email_type}],
        "active": True,
    }
    if external_id:
        body["externalId"] = external_id
    return body


def test_sso_settings_round_trip_camel_case_and_masked(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, _, grafana = world
    assert grafana.get("/api/v1/sso-settings/saml").status_code == 404
    settings = {
        "allow_sign_up": False,
        "private_key": "key",
        "certificate": "",
        "role_values_admin": '["A B"]',
    }
    assert (
        grafana.put("/api/v1/sso-settings/saml", json={"provider": "saml", "settings": settings}).status_code
        == 204
    )
    read = grafana.get("/api/v1/sso-settings/saml").json()
    assert read["source"] == "database"
    assert read["settings"]["allowSignUp"] is False
    assert read["settings"]["privateKey"] == "*********"
    assert read["settings"]["certificate"] == ""
    assert read["settings"]["roleValuesAdmin"] == '["A B"]'
    # The mask sent back keeps the secret.
    assert (
        grafana.put(
            "/api/v1/sso-settings/saml", json={"settings": {**settings, "private_key": "*********"}}
        ).status_code
        == 204
    )
    assert twin.grafana_at(GRAFANA).sso["saml"]["private_key"] == "key"
    assert grafana.delete("/api/v1/sso-settings/saml").status_code == 204
    assert grafana.get("/api/v1/sso-settings/saml").status_code == 404


def test_scim_config_lives_in_the_stack_namespace(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    _twin, _, grafana = world
    assert grafana.get(CONFIG).status_code == 404
    body = {
        "apiVersion": "scim.grafana.app/v0alpha1",
        "kind": "SCIMConfig",
        "metadata": {"name": "default", "namespace": "stacks-123456"},
        "spec": {"enableUserSync": True, "enableGroupSync": False, "rejectNonProvisionedUsers": True},
    }
    assert grafana.put(CONFIG, json=body).status_code == 201
    assert grafana.put(CONFIG, json=body).status_code == 200
    assert grafana.get(CONFIG).json()["spec"] == body["spec"]
    other = grafana.put("/apis/scim.grafana.app/v0alpha1/namespaces/stacks-999/config/default", json=body)
    assert other.status_code == 403
    assert grafana.delete(CONFIG).status_code == 200
    assert grafana.delete(CONFIG).status_code == 404


def test_service_account_tokens_expire_with_the_twin_clock(
    world: tuple[Twin, Endpoints, httpx.Client],
) -> None:
    twin, _, grafana = world
    account = grafana.post(
        "/api/serviceaccounts", json={"name": "okta-scim", "role": "None", "isDisabled": False}
    )
    assert account.status_code == 201
    account_id = account.json()["id"]
    assert grafana.post("/api/serviceaccounts", json={"name": "okta-scim", "role": "None"}).status_code == 409
    token = grafana.post(
        f"/api/serviceaccounts/{account_id}/tokens", json={"name": "okta", "secondsToLive": 86400}
    ).json()
    assert set(token) == {"id", "name", "key"}
    listed = grafana.get(f"/api/serviceaccounts/{account_id}/tokens").json()
    assert (listed[0]["hasExpired"], listed[0]["expiration"]) == (False, "2026-01-02T00:00:00.000Z")
    as_token = {"Authorization": f"Bearer {token['key']}"}
    assert grafana.get("/api/health", headers=as_token).status_code == 200
    twin.clock.advance(days=1)
    assert grafana.get(f"/api/serviceaccounts/{account_id}/tokens").json()[0]["hasExpired"] is True
    assert grafana.get("/api/health", headers=as_token).status_code == 401
    patched = grafana.patch(f"/api/serviceaccounts/{account_id}", json={"role": "Viewer"}).json()
    assert patched["serviceaccount"]["role"] == "Viewer"
    assert grafana.delete(f"/api/serviceaccounts/{account_id}/tokens/{token['id']}").status_code == 200
    assert grafana.delete(f"/api/serviceaccounts/{account_id}").status_code == 200
    assert grafana.get(f"/api/serviceaccounts/{account_id}").status_code == 404


def test_role_lookup_and_assignment(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, _, grafana = world
    account_id = grafana.post("/api/serviceaccounts", json={"name": "okta-scim", "role": "None"}).json()["id"]
    roles = grafana.get("/api/access-control/roles", params={"includeHidden": "true"}).json()
    uid = next(r["uid"] for r in roles if r["name"] == "fixed:org.users:writer")
    assert grafana.get(f"/api/access-control/roles/{uid}").json()["name"] == "fixed:org.users:writer"
    put = grafana.put(
        f"/api/access-control/roles/{uid}/assignments",
        json={"users": [], "teams": [], "serviceAccounts": [account_id]},
    )
    assert put.json()["serviceAccounts"] == [account_id]
    assert grafana.get(f"/api/access-control/roles/{uid}/assignments").json()["serviceAccounts"] == [
        account_id
    ]
    assert twin.grafana_at(GRAFANA).accounts[account_id].roles == {uid}


def test_cloud_api_stack_service_accounts(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, endpoints, _ = world
    cloud = httpx.Client(base_url=endpoints.grafana_cloud_url, headers={"Authorization": "Bearer cloud"})
    assert cloud.get("/api/instances/example").json()["url"] == GRAFANA
    account = cloud.post(
        "/api/instances/example/api/serviceaccounts", json={"name": "scim", "role": "Admin"}
    ).json()
    token = cloud.post(
        f"/api/instances/example/api/serviceaccounts/{account['id']}/tokens", json={"name": "t"}
    ).json()
    assert twin.grafana_at(GRAFANA).token_valid(token["key"])
    assert cloud.get("/api/instances/other").status_code == 404


def test_scim_mount_applies_grafanas_rules_and_writes_through(
    world: tuple[Twin, Endpoints, httpx.Client],
) -> None:
    twin, _, grafana = world
    instance = twin.grafana_at(GRAFANA)
    assert grafana.get(f"{SCIM}/Users").status_code == 403  # user sync off
    instance.scim_config["stacks-123456"] = {"enableUserSync": True, "enableGroupSync": True}
    assert (
        grafana.post(f"{SCIM}/Users", json=scim_user("ada@example.com", external_id=None)).status_code == 400
    )
    assert (
        grafana.post(f"{SCIM}/Users", json=scim_user("ada@example.com", email_type="home")).status_code == 400
    )
    created = grafana.post(f"{SCIM}/Users", json=scim_user("ada@example.com"))
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" in created.json()["schemas"]
    assert grafana.post(f"{SCIM}/Users", json=scim_user("ADA@example.com", "00u2")).status_code == 409
    assert grafana.delete(f"{SCIM}/Users/{user_id}").status_code == 405
    assert grafana.get(f"{SCIM}/Schemas").status_code == 404
    assert grafana.get("/apis/scim.grafana.app/v0alpha1/namespaces/stacks-1/Users").status_code == 403
    group = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "grafana-users",
        "externalId": "00g1",
        "members": [{"value": user_id}],
    }
    assert grafana.post(f"{SCIM}/Groups", json=group).status_code == 201
    ada = instance.active_users()["ada@example.com"]
    assert (ada.provenance, ada.external_uid, ada.orgs) == ("scim", "00u1", {1: "Viewer"})
    assert instance.teams(1) == {"grafana-users": ["ada@example.com"]}
    deactivated = grafana.put(
        f"{SCIM}/Users/{user_id}", json={**scim_user("ada@example.com"), "active": False}
    )
    assert deactivated.status_code == 200
    assert instance.active_users() == {}
    assert instance.scim.users() == [("ada@example.com", False)]


def test_scim_mount_checks_the_token(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, _, grafana = world
    view = twin.grafana_view(GRAFANA)
    view.scim_auth.tokens = {"glsa_scim"}
    twin.grafana_at(GRAFANA).scim_config["stacks-123456"] = {"enableUserSync": True}
    assert grafana.get(f"{SCIM}/Users").status_code == 401
    assert grafana.get(f"{SCIM}/Users", headers={"Authorization": "Bearer glsa_scim"}).status_code == 200


def test_faults_are_applied_before_auth_and_logged(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, endpoints, grafana = world
    view = twin.grafana_view(GRAFANA)
    view.faults.add(Fault("GET", r"/Users$", status=429, headers=(("Retry-After", "3"),)))
    view.faults.add(Fault("GET", r"/api/health", status=500, times=2))
    answer = httpx.get(f"{endpoints.grafana_urls[GRAFANA]}{SCIM}/Users")
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "3")
    assert [grafana.get("/api/health").status_code for _ in range(3)] == [500, 500, 200]
    okta = httpx.Client(base_url=endpoints.okta_url, headers={"Authorization": "SSWS t"})
    twin.okta_view.faults.add(
        Fault("GET", r"^/api/v1/apps$", status=429, headers=(("X-Rate-Limit-Reset", "1767225600"),))
    )
    assert okta.get("/api/v1/apps").status_code == 429
    assert okta.get("/api/v1/apps").status_code == 200
    assert twin.okta_view.faults.requests == [("GET", "/api/v1/apps"), ("GET", "/api/v1/apps")]


def test_a_view_that_is_down_drops_the_connection(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    twin, _, grafana = world
    twin.grafana_view(GRAFANA).down = True
    with pytest.raises(httpx.RemoteProtocolError):
        grafana.get("/api/health")
    twin.grafana_view(GRAFANA).down = False
    assert grafana.get("/api/health").status_code == 200


def test_a_deleted_token_is_refused_on_the_scim_mount(world: tuple[Twin, Endpoints, httpx.Client]) -> None:
    # GIVEN a service account token Okta holds, and SCIM on (every token accepted otherwise)
    twin, _, grafana = world
    twin.grafana_at(GRAFANA).scim_config["stacks-123456"] = {"enableUserSync": True}
    account = grafana.post("/api/serviceaccounts", json={"name": "okta-scim", "role": "Admin"})
    account_id = account.json()["id"]
    token = grafana.post(f"/api/serviceaccounts/{account_id}/tokens", json={"name": "okta"}).json()
    as_token = {"Authorization": f"Bearer {token['key']}"}
    assert grafana.get(f"{SCIM}/Users", headers=as_token).status_code == 200
    # WHEN the token is deleted (Terraform replacing it, or an admin revoking it)
    assert grafana.delete(f"/api/serviceaccounts/{account_id}/tokens/{token['id']}").status_code == 200
    # THEN Okta's calls with it are refused, as Grafana refuses them
    assert grafana.get(f"{SCIM}/Users", headers=as_token).status_code == 401
