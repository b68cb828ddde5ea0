"""The Okta view's answers parse with the official Okta SDK models (`okta` on PyPI), and the
view behaves as Okta does where the providers depend on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from okta import models

from tests.twin import Twin, serve

GRAFANA = "https://example.grafana.net"
SCIM = f"{GRAFANA}/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456"


def app_body(label: str = "Grafana", **sign_on: Any) -> dict[str, Any]:
    """A body shaped like the one okta_app_saml's buildSamlApp sends (resource_okta_app_saml.go:664-765)."""
    return {
        "label": label,
        "signOnMode": "SAML_2_0",
        "accessibility": {"selfService": False},
        "visibility": {"autoSubmitToolbar": False, "hide": {"iOS": True, "web": True}},
        "credentials": {"userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"}},
        "settings": {
            "implicitAssignment": False,
            "signOn": {
                "ssoAcsUrl": f"{GRAFANA}/saml/acs",
                "recipient": f"{GRAFANA}/saml/acs",
                "destination": f"{GRAFANA}/saml/acs",
                "audience": f"{GRAFANA}/saml/metadata",
                "subjectNameIdTemplate": "${user.userName}",
                "subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                "responseSigned": True,
                "assertionSigned": True,
                "signatureAlgorithm": "RSA_SHA256",
                "digestAlgorithm": "SHA256",
                "honorForceAuthn": True,
                "attributeStatements": [
                    {"type": "EXPRESSION", "name": "login", "values": ["user.login"]},
                    {"type": "GROUP", "name": "groups", "filterType": "REGEX", "filterValue": ".*"},
                ],
                **sign_on,
            },
        },
    }


@pytest.fixture
def world() -> Iterator[tuple[Twin, httpx.Client]]:
    twin = Twin()
    twin.add_grafana(GRAFANA, kind="cloud", stack_id=123456)
    with serve(twin) as endpoints:
        client = httpx.Client(base_url=endpoints.okta_url, headers={"Authorization": "SSWS token"})
        yield twin, client
        client.close()


def test_app_answers_parse_as_saml_applications(world: tuple[Twin, httpx.Client]) -> None:
    _twin, okta = world
    created = okta.post("/api/v1/apps?activate=true", json=app_body())
    assert created.status_code == 200
    app = models.SamlApplication.from_dict(created.json())
    assert app is not None and app.label == "Grafana" and app.sign_on_mode == "SAML_2_0"
    assert app.settings.sign_on.attribute_statements[1].actual_instance.filter_type == "REGEX"
    listed = okta.get("/api/v1/apps", params={"q": "graf", "limit": 200}).json()
    assert [models.SamlApplication.from_dict(a).id for a in listed] == [app.id]
    assert okta.get("/api/v1/apps", params={"q": "other"}).json() == []
    metadata = okta.get(f"/api/v1/apps/{app.id}/sso/saml/metadata")
    assert metadata.headers["content-type"] == "application/xml"
    assert b"X509Certificate" in metadata.content


def test_put_replaces_the_app_and_omitted_fields_take_okta_defaults(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    twin.okta.enable_provisioning(app_id)
    body = app_body()
    del body["settings"]["signOn"]["honorForceAuthn"]
    body["credentials"] = {}
    put = okta.put(f"/api/v1/apps/{app_id}", json=body).json()
    assert put["settings"]["signOn"]["honorForceAuthn"] is False
    assert put["credentials"]["userNameTemplate"]["template"] == "${source.login}"
    # features are read-only through the API: kept.
    assert "GROUP_PUSH" in put["features"]
    assert models.SamlApplication.from_dict(put) is not None


def test_delete_needs_an_inactive_app(world: tuple[Twin, httpx.Client]) -> None:
    _twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    refused = okta.delete(f"/api/v1/apps/{app_id}")
    assert refused.status_code == 403
    assert models.Error.from_dict(refused.json()).error_code == "E0000056"
    assert okta.post(f"/api/v1/apps/{app_id}/lifecycle/deactivate").status_code == 200
    assert okta.delete(f"/api/v1/apps/{app_id}").status_code == 204
    assert okta.get(f"/api/v1/apps/{app_id}").status_code == 404


def test_default_access_policy_and_assignment(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    policies = okta.get("/api/v1/policies", params={"type": "ACCESS_POLICY"}).json()
    assert [p["system"] for p in policies] == [True]
    assert models.AccessPolicy.from_dict(policies[0]).name == "Default Policy"
    own = twin.okta.add_policy("Grafana MFA")
    assert okta.put(f"/api/v1/apps/{app_id}/policies/{own}").status_code == 204
    assert okta.get(f"/api/v1/apps/{app_id}").json()["_links"]["accessPolicy"]["href"].endswith(own)


def test_groups_users_and_assignments_parse(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    ada = twin.okta.add_user("ada@example.com", "Ada", "Lovelace")
    okta_group = twin.okta.add_group("grafana-users")
    ad_group = twin.okta.add_group("grafana-users", type="APP_GROUP", description="from AD")
    twin.okta.add_member(okta_group, ada)
    put = okta.put(f"/api/v1/apps/{app_id}/groups/{okta_group}", json={"priority": 0})
    assert models.ApplicationGroupAssignment.from_dict(put.json()).priority == 0
    listed = okta.get(f"/api/v1/apps/{app_id}/groups").json()
    assert [models.ApplicationGroupAssignment.from_dict(a).id for a in listed] == [okta_group]
    users = okta.get(f"/api/v1/apps/{app_id}/users").json()
    app_user = models.AppUser.from_dict(users[0])
    assert (app_user.id, app_user.scope, app_user.credentials.user_name) == (ada, "GROUP", "ada@example.com")
    found = okta.get("/api/v1/groups", params={"q": "grafana-users", "filter": 'type eq "OKTA_GROUP"'}).json()
    assert [models.Group.from_dict(g).id for g in found] == [okta_group]
    searched = okta.get("/api/v1/groups", params={"search": 'profile.name eq "grafana-users"'}).json()
    assert {g["type"] for g in searched} == {"OKTA_GROUP", "APP_GROUP"}
    assert models.Group.from_dict(okta.get(f"/api/v1/groups/{ad_group}").json()).type == "APP_GROUP"
    assert models.User.from_dict(okta.get(f"/api/v1/users/{ada}").json()).profile.login == "ada@example.com"
    assert okta.get("/api/v1/groups", params={"search": "name = x"}).status_code == 400
    assert okta.delete(f"/api/v1/apps/{app_id}/groups/{okta_group}").status_code == 204
    assert okta.get(f"/api/v1/apps/{app_id}/users").json() == []


def test_lists_are_paged_with_link_next(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    groups = [twin.okta.add_group(f"g{i}") for i in range(3)]
    for group in groups:
        twin.okta.assign_group(app_id, group)
    first = okta.get(f"/api/v1/apps/{app_id}/groups", params={"limit": 2})
    assert [a["id"] for a in first.json()] == groups[:2]
    assert first.links["next"]["url"].startswith(str(okta.base_url))
    second = okta.get(first.links["next"]["url"])
    assert [a["id"] for a in second.json()] == groups[2:]
    assert "next" not in second.links


def test_features_and_connection_of_a_custom_app(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    unknown = okta.get(f"/api/v1/apps/{app_id}/connections/default").json()
    assert models.ProvisioningConnectionResponse.from_dict(unknown).status == "UNKNOWN"
    assert okta.get(f"/api/v1/apps/{app_id}/features").json() == []
    assert okta.get(f"/api/v1/apps/{app_id}/features/USER_PROVISIONING").status_code == 404
    twin.okta.enable_provisioning(app_id)
    posted = okta.post(
        f"/api/v1/apps/{app_id}/connections/default?activate=true",
        json={"baseUrl": SCIM, "profile": {"authScheme": "TOKEN", "token": "glsa_x"}},
    )
    connection = models.ProvisioningConnectionResponse.from_dict(posted.json())
    assert (connection.status, connection.base_url) == ("ENABLED", SCIM)
    # The body omits update.password (as a configuration without it sends): Okta's default answers.
    capabilities = {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {"profile": {"status": "ENABLED"}, "lifecycleDeactivate": {"status": "ENABLED"}},
    }
    feature = okta.put(f"/api/v1/apps/{app_id}/features/USER_PROVISIONING", json=capabilities).json()
    parsed = models.ApplicationFeature.from_dict(feature)
    assert parsed.name == "USER_PROVISIONING"
    assert feature["capabilities"]["update"]["password"] == {
        "status": "DISABLED",
        "seed": "RANDOM",
        "change": "KEEP_EXISTING",
    }
    listed = okta.get(f"/api/v1/apps/{app_id}/features").json()
    assert [models.ApplicationFeature.from_dict(f).name for f in listed] == ["USER_PROVISIONING"]
    assert twin.okta.app(app_id).to_app == {"create": True, "update": True, "deactivate": True}


def test_push_mapping_must_be_inactive_before_delete(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    group = twin.okta.add_group("grafana-users")
    before = okta.post(f"/api/v1/apps/{app_id}/group-push/mappings", json={"sourceGroupId": group})
    assert before.status_code == 400  # group push is off until the admin switches SCIM on
    twin.okta.enable_provisioning(app_id)
    created = okta.post(
        f"/api/v1/apps/{app_id}/group-push/mappings",
        json={"sourceGroupId": group, "targetGroupName": "grafana-users", "status": "ACTIVE"},
    ).json()
    mapping = models.GroupPushMapping.from_dict(created)
    assert mapping.status == "ACTIVE"
    path = f"/api/v1/apps/{app_id}/group-push/mappings/{mapping.id}"
    assert okta.delete(path, params={"deleteTargetGroup": "true"}).status_code == 400
    assert okta.patch(path, json={"status": "INACTIVE"}).json()["status"] == "INACTIVE"
    assert okta.delete(path, params={"deleteTargetGroup": "true"}).status_code == 204
    assert twin.okta.pending_group_deletes == [(app_id, mapping.target_group_id)]
    assert okta.get(f"/api/v1/apps/{app_id}/group-push/mappings").json() == []


def test_an_error_mapping_cannot_be_reactivated(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    twin.okta.enable_provisioning(app_id)
    mapping = twin.okta.create_mapping(app_id, twin.okta.add_group("grafana-users"), None, None, "ACTIVE")
    twin.okta.set_mapping_status(mapping.id, "ERROR", "push failed")
    path = f"/api/v1/apps/{app_id}/group-push/mappings/{mapping.id}"
    answer = okta.get(path).json()
    assert models.GroupPushMapping.from_dict(answer).status == "ERROR"
    assert okta.patch(path, json={"status": "ACTIVE"}).status_code == 400


def test_auth_and_errors_are_okta_shaped(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    twin.okta.api_tokens.add("00issued")
    refused = httpx.get(f"{okta.base_url}/api/v1/apps", headers={"Authorization": "SSWS other"})
    assert refused.status_code == 401
    assert models.Error.from_dict(refused.json()).error_code == "E0000011"
    assert refused.headers["X-Rate-Limit-Reset"]
    ok = httpx.get(f"{okta.base_url}/api/v1/apps", headers={"Authorization": "SSWS 00issued"})
    assert ok.status_code == 200


def test_admin_write_endpoints_and_signing_keys(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    user = models.User.from_dict(
        okta.post(
            "/api/v1/users",
            json={"profile": {"login": "ann@example.com", "firstName": "Ann", "lastName": "A"}},
        ).json()
    )
    assert (
        okta.post("/api/v1/users", json={"profile": {"login": "x@example.com", "firstName": "X"}}).status_code
        == 400
    )
    group = models.Group.from_dict(
        okta.post("/api/v1/groups", json={"profile": {"name": "contractors"}}).json()
    )
    assert okta.put(f"/api/v1/groups/{group.id}/users/{user.id}").status_code == 204
    assert twin.okta.groups[group.id].members == [user.id]
    assigned = okta.post(f"/api/v1/apps/{app_id}/users", json={"id": user.id, "scope": "USER"}).json()
    assert models.AppUser.from_dict(assigned).scope == "USER"
    assert okta.delete(f"/api/v1/apps/{app_id}/users/{user.id}").status_code == 204
    keys = okta.get(f"/api/v1/apps/{app_id}/credentials/keys").json()
    key = models.JsonWebKey.from_dict(keys[0])
    assert key.kid == twin.okta.app(app_id).doc["credentials"]["signing"]["kid"]


def test_push_mapping_paging_knobs(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    app_id = okta.post("/api/v1/apps", json=app_body()).json()["id"]
    twin.okta.enable_provisioning(app_id)
    groups = [twin.okta.add_group(f"g{i}") for i in range(3)]
    for group in groups:
        twin.okta.create_mapping(app_id, group, None, None, "ACTIVE")
    path = f"/api/v1/apps/{app_id}/group-push/mappings"
    twin.okta_view.mapping_page_size = 1
    first = okta.get(path, params={"sourceGroupId": groups[2]})
    assert [m["sourceGroupId"] for m in first.json()] == [groups[2]] and "next" not in first.links
    twin.okta_view.mapping_source_filter = False  # an org that ignores sourceGroupId
    seen, url = [], path  # type: ignore[var-annotated]
    while url:
        answer = okta.get(url, params=None if seen else {"sourceGroupId": groups[2]})
        seen += [m["sourceGroupId"] for m in answer.json()]
        url = answer.links.get("next", {}).get("url")  # type: ignore[assignment]
    assert seen == groups
    twin.okta_view.mapping_error = 400
    assert (
        okta.get(path).json()["errorSummary"]
        == "Api validation failed: group push is not supported for this app"
    )


def test_what_the_twin_cannot_model_is_answered_501_and_recorded(world: tuple[Twin, httpx.Client]) -> None:
    twin, okta = world
    answer = okta.post("/api/v1/apps", json={"label": "Grafana", "signOnMode": "OPENID_CONNECT"})
    assert answer.status_code == 501
    assert twin.unsupported == [
        "POST /api/v1/apps: okta app signOnMode: got OPENID_CONNECT; the twin models SAML_2_0"
    ]


ORACLE: list[tuple[str, str, Any]] = [
    (r"/api/v1/apps(/[^/]+)?", "apps", models.SamlApplication),
    (r"/api/v1/apps/[^/]+/groups(/[^/]+)?", "assignments", models.ApplicationGroupAssignment),
    (r"/api/v1/apps/[^/]+/users(/[^/]+)?", "app users", models.AppUser),
    (r"/api/v1/groups(/[^/]+)?", "groups", models.Group),
    (r"/api/v1/users(/[^/]+)?|/api/v1/groups/[^/]+/users", "users", models.User),
    (r"/api/v1/apps/[^/]+/features(/[^/]+)?", "features", models.ApplicationFeature),
    (r"/api/v1/apps/[^/]+/connections/default", "connections", models.ProvisioningConnectionResponse),
    (r"/api/v1/apps/[^/]+/group-push/mappings(/[^/]+)?", "mappings", models.GroupPushMapping),
    (r"/api/v1/policies(/[^/]+)?", "policies", models.AccessPolicy),
]


def test_every_answer_of_a_whole_set_up_parses_with_the_sdk(world: tuple[Twin, httpx.Client]) -> None:
    """Every 2xx JSON answer of a full set-up (as Terraform and an admin send it) is checked."""
    import re

    twin, okta = world
    seen: dict[str, int] = {}

    def check(response: httpx.Response) -> None:
        response.read()
        if response.status_code >= 300 or not response.content:
            return
        path = response.request.url.path
        for pattern, kind, model in ORACLE:
            if re.fullmatch(pattern, path):
                body = response.json()
                for item in body if isinstance(body, list) else [body]:
                    assert model.from_dict(item) is not None, (path, item)
                seen[kind] = seen.get(kind, 0) + 1
                return

    okta.event_hooks["response"] = [check]
    app_id = okta.post("/api/v1/apps?activate=true", json=app_body()).json()["id"]
    policy = okta.get("/api/v1/policies", params={"type": "ACCESS_POLICY"}).json()[0]["id"]
    okta.put(f"/api/v1/apps/{app_id}/policies/{policy}")
    okta.get(f"/api/v1/policies/{policy}")
    ada = okta.post(
        "/api/v1/users", json={"profile": {"login": "ada@example.com", "firstName": "Ada", "lastName": "L"}}
    ).json()
    group = okta.post("/api/v1/groups", json={"profile": {"name": "grafana-users"}}).json()
    okta.put(f"/api/v1/groups/{group['id']}/users/{ada['id']}")
    okta.get(f"/api/v1/groups/{group['id']}/users")
    okta.get("/api/v1/groups", params={"q": "grafana", "filter": 'type eq "OKTA_GROUP"'})
    okta.get(f"/api/v1/groups/{group['id']}")
    okta.get(f"/api/v1/users/{ada['id']}")
    okta.put(f"/api/v1/apps/{app_id}/groups/{group['id']}", json={"priority": 0})
    okta.get(f"/api/v1/apps/{app_id}/groups/{group['id']}")
    okta.get(f"/api/v1/apps/{app_id}/groups")
    okta.get(f"/api/v1/apps/{app_id}/users")
    okta.get(f"/api/v1/apps/{app_id}/users/{ada['id']}")
    okta.get(f"/api/v1/apps/{app_id}/connections/default")
    twin.okta.enable_provisioning(app_id)
    okta.post(
        f"/api/v1/apps/{app_id}/connections/default?activate=true",
        json={"baseUrl": SCIM, "profile": {"authScheme": "TOKEN", "token": "glsa_x"}},
    )
    okta.get(f"/api/v1/apps/{app_id}/connections/default")
    capabilities = {
        "create": {"lifecycleCreate": {"status": "ENABLED"}},
        "update": {
            "profile": {"status": "ENABLED"},
            "lifecycleDeactivate": {"status": "ENABLED"},
            "password": {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"},
        },
    }
    okta.put(f"/api/v1/apps/{app_id}/features/USER_PROVISIONING", json=capabilities)
    okta.get(f"/api/v1/apps/{app_id}/features")
    mapping = okta.post(
        f"/api/v1/apps/{app_id}/group-push/mappings", json={"sourceGroupId": group["id"]}
    ).json()
    okta.get(f"/api/v1/apps/{app_id}/group-push/mappings")
    okta.patch(f"/api/v1/apps/{app_id}/group-push/mappings/{mapping['id']}", json={"status": "INACTIVE"})
    okta.put(f"/api/v1/apps/{app_id}", json=app_body())
    okta.get(f"/api/v1/apps/{app_id}")
    okta.get("/api/v1/apps", params={"q": "Grafana"})
    assert sorted(seen) == sorted(kind for _, kind, _ in ORACLE)
