"""verify against the twin Grafana's SCIM mount (plain SCIM 2.0 here; Grafana's rules in
test_verify_strict.py), including injected failures."""

from __future__ import annotations

import json
import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from grafana_okta_scim.verify.probe import PROBE_GROUP, PROBE_USER
from grafana_okta_scim.verify.runner import verify
from tests.twin.consumers import GRAFANA, Integration, grafana_phase_1, world

from .conftest import OKTA_TOKEN, SCIM_TOKEN, fast_options
from .faults import Fault


def checks(report) -> dict[str, tuple[str, str, str]]:
    """name -> (result, detail, hint), after asserting no secret reached the report."""
    text = json.dumps(report.to_json())
    assert SCIM_TOKEN not in text and OKTA_TOKEN not in text
    return {c.name: (c.result, c.detail, c.hint) for c in report.checks}


def scim_only(sleeps, scim_url, **kwargs):
    return fast_options(sleeps, grafana_url=scim_url, environ={"OKTA_API_TOKEN": ""}, **kwargs)


def test_healthy_endpoint_passes_with_okta_calls_and_write_test(cloud_plan, scim_app, scim_url, sleeps):
    report = verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True))
    found = checks(report)
    for name in (
        "scim.test_connector",
        "scim.user_lookup",
        "scim.groups",
        "scim.discovery",
        "scim.write_user",
        "scim.write_group",
        "scim.cleanup",
    ):
        assert found[name][0] == "pass", (name, found[name])
    assert found["scim.write_user"][1] == "create, read, update, deactivate"
    assert found["scim.write_group"][1] == ("create, read, rename, add member, remove member, delete")
    assert found["scim.cleanup"][1].startswith(
        f"server confirms: nothing left behind but the deactivated probe user '{PROBE_USER}'"
    )
    assert found["okta.app"][0] == "skip"
    assert report.ok
    paths = [path for _, path in scim_app.faults.requests]
    prefix = "/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456"
    assert f"{prefix}/Users?startIndex=1&count=2" in paths
    assert f"{prefix}/Groups?startIndex=1&count=100" in paths
    lookups = [
        parse_qs(urlsplit(p).query).get("filter", [""])[0] for p in paths if p.startswith(f"{prefix}/Users?")
    ]
    assert any(f.startswith("userName eq ") for f in lookups)
    # Okta never deletes users and changes groups with PUT (wizard-built apps), never PATCH
    methods = {(m, p.split("?")[0].removeprefix(prefix).split("/")[1]) for m, p in scim_app.faults.requests}
    assert ("DELETE", "Users") not in methods and ("DELETE", "Groups") in methods
    assert not any(m == "PATCH" for m, _ in methods)
    assert scim_app.users() == [(PROBE_USER, False)] and scim_app.groups() == []


def test_second_run_reuses_the_probe_user(cloud_plan, scim_app, scim_url, sleeps):
    for _ in range(2):
        found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    assert found["scim.write_user"] == ("pass", "reactivate, read, update, deactivate", "")
    assert scim_app.users() == [(PROBE_USER, False)] and scim_app.groups() == []


def test_wrong_token_is_401_token_invalid(cloud_plan, scim_url, sleeps):
    options = scim_only(sleeps, scim_url)
    options.environ["GRAFANA_SCIM_TOKEN"] = "glsa_wrongToken_000"
    result, detail, hint = checks(verify(cloud_plan, options))["scim.test_connector"]
    assert result == "fail" and "HTTP 401" in detail
    assert "invalid or expired" in hint and "grafana_service_account_token.prod" in hint
    assert "glsa_wrongToken_000" not in detail + hint


def test_wrong_namespace_is_403_naming_the_expected_namespace(cloud_plan, sleeps):
    # GIVEN the spec names stack 123456 but the stack at that URL is 999 (its SCIM API serves
    # namespace stacks-999)
    stack = {"url": GRAFANA, "kind": "cloud", "stack_id": 999, "stack_slug": "example"}
    with world(stack) as other:
        token = grafana_phase_1(other, Integration(), namespace="stacks-999").scim_token
        options = scim_only(sleeps, other.grafana_url)
        options.environ["GRAFANA_SCIM_TOKEN"] = token
        report = verify(cloud_plan, options)
    result, detail, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and "HTTP 403" in detail
    assert "invalid namespace" in hint and "stacks-123456" in hint
    assert checks(report)["scim.user_lookup"][0] == "skip"
    assert not report.ok


def test_wrong_url_is_404_scim_not_enabled(cloud_plan, scim_url, sleeps):
    report = verify(cloud_plan, scim_only(sleeps, scim_url + "/not-grafana"))
    result, _, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and "enableSCIM" in hint and "wrong" in hint


def test_server_down_is_a_connection_failure(cloud_plan, sleeps):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = verify(cloud_plan, scim_only(sleeps, f"http://127.0.0.1:{port}"))
    result, _, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and hint.startswith("connection failed")


def test_stalling_server_times_out(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=200, stall=1.5))
    options = scim_only(sleeps, scim_url)
    options.http = type(options.http)(timeout=0.3, retry=options.http.retry)
    result, detail, hint = checks(verify(cloud_plan, options))["scim.test_connector"]
    assert result == "fail" and detail.split(": ")[1] == "timeout"
    assert hint.startswith(f"timeout: the Grafana SCIM API ({scim_url}/apis/scim.grafana.app/")
    assert hint.endswith(") did not answer within 0.3 s.")


def test_429_with_retry_after_is_retried_after_that_wait(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=429, headers=(("Retry-After", "2"),)))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))
    assert found["scim.test_connector"][0] == "pass"
    assert sleeps.waits == [2.0]


def test_500_then_success_is_retried_with_backoff(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=500))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))
    assert found["scim.test_connector"][0] == "pass"
    assert sleeps.waits == [0.05]


def test_persistent_500_fails_after_bounded_retries(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=503, times=10))
    result, detail, hint = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))["scim.test_connector"]
    assert result == "fail" and "HTTP 503" in detail and "server error" in hint
    assert sleeps.waits == [0.05, 0.1]


def test_write_test_failing_half_way_still_cleans_up(cloud_plan, scim_app, scim_url, sleeps):
    # the update PUT fails (3 tries), the rename PUT is refused: the cleanup still deactivates
    # the probe user and deletes the probe group, and says so only after reading them back
    scim_app.faults.add(Fault("PUT", r"/Users/[^/]+$", status=500, times=3))
    scim_app.faults.add(Fault("PUT", r"/Groups/[^/]+$", status=400, times=1))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    result, detail, _ = found["scim.write_user"]
    assert result == "fail" and detail.endswith("(succeeded: create, read)")
    assert found["scim.write_group"][0] == "fail"
    assert found["scim.write_group"][1].endswith("(succeeded: create, read)")
    assert found["scim.cleanup"][0] == "pass"
    assert found["scim.cleanup"][1].startswith("server confirms: nothing left behind but")
    assert scim_app.users() == [(PROBE_USER, False)] and scim_app.groups() == []
    assert not [p for m, p in scim_app.faults.requests if m == "DELETE" and "/Users/" in p]


def test_cleanup_names_an_active_probe_user_it_could_not_deactivate(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("PUT", r"/Users/[^/]+$", status=500, times=100))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    result, detail, hint = found["scim.cleanup"]
    assert result == "fail"
    assert detail.startswith(f"left behind: ACTIVE probe user '{PROBE_USER}' (id ")
    assert "active=false: HTTP 500" in detail
    assert "nothing left behind" not in detail and "verify --write-test again" in hint
    assert scim_app.users() == [(PROBE_USER, True)]


def test_cleanup_names_a_probe_group_it_could_not_delete(cloud_plan, scim_app, scim_url, sleeps):
    # 3 tries in the group step, 3 in the cleanup
    scim_app.faults.add(Fault("DELETE", r"/Groups/[^/]+$", status=500, times=6))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    assert found["scim.write_group"][0] == "fail"
    result, detail, _ = found["scim.cleanup"]
    assert result == "fail" and "nothing left behind" not in detail
    assert f"probe group '{PROBE_GROUP}-renamed'" in detail
    assert "DELETE answered HTTP 500" in detail
    assert scim_app.groups() == [f"{PROBE_GROUP}-renamed"]
    # the next run finds the leftover by name and deletes it
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    assert found["scim.write_group"][1].startswith("deleted 1 leftover probe group(s), create")
    assert found["scim.cleanup"][0] == "pass" and scim_app.groups() == []


def test_a_delete_the_server_does_not_carry_out_is_not_called_clean(cloud_plan, scim_app, scim_url, sleeps):
    # 204 without deleting: only the read-back tells, and the report says what remains
    scim_app.faults.add(Fault("DELETE", r"/Groups/[^/]+$", status=204, times=100, body=""))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    result, detail, _ = found["scim.cleanup"]
    assert result == "fail"
    assert "DELETE answered HTTP 204 but GET still answers HTTP 200" in detail


def test_lookup_answering_404_with_a_scim_error_means_no_match(cloud_plan, scim_app, scim_url, sleeps):
    error = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "404",
        "detail": "no user matches",
    }
    scim_app.faults.add(Fault("GET", r"/Users$", status=404, times=2, body=error, query=r"^filter="))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))
    assert found["scim.user_lookup"][0] == "pass"
    assert found["scim.write_user"] == ("pass", "create, read, update, deactivate", "")


def test_lookup_answering_a_plain_404_still_fails(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=404, query=r"^filter="))
    result, detail, hint = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))["scim.user_lookup"]
    assert result == "fail" and "HTTP 404" in detail and "enableSCIM" in hint


def test_discovery_is_informational_and_never_fails(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/ServiceProviderConfig$", status=500, times=10))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))
    result, detail, _ = found["scim.discovery"]
    assert result == "pass"
    assert detail.startswith("served: ResourceTypes, Schemas; not served: ServiceProviderConfig (HTTP 500)")


def test_answers_with_extension_schemas_and_extra_attributes_are_read_like_okta(
    cloud_plan, scim_app, scim_url, sleeps
):
    listing = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 1,
        "itemsPerPage": 1,
        "startIndex": 1,
        "grafanaExtra": True,
        "Resources": [
            {
                "schemas": [
                    "urn:ietf:params:scim:schemas:core:2.0:User",
                    "urn:example:params:scim:schemas:extension:grafana",
                ],
                "id": "u1",
                "userName": "someone",
                "active": True,
                "urn:example:params:scim:schemas:extension:grafana": {"x": 1},
                "roles": "not-a-list",
            }
        ],
    }
    scim_app.faults.add(Fault("GET", r"/Users$", status=200, body=listing, query=r"^startIndex=1"))
    found = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))
    assert found["scim.test_connector"] == ("pass", "200 ListResponse, totalResults=1", "")


def test_an_answer_without_what_okta_needs_fails_naming_it(cloud_plan, scim_app, scim_url, sleeps):
    listing = {"totalResults": 1, "Resources": [{"id": "u1"}]}
    scim_app.faults.add(Fault("GET", r"/Users$", status=200, body=listing, query=r"^startIndex=1"))
    result, detail, hint = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))["scim.test_connector"]
    assert result == "fail" and detail.endswith("user u1 has no userName")
    assert "Okta reads only" in hint


def test_403_names_other_stack_tokens_actions_and_fixed_roles(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=403, body={"message": "forbidden"}))
    result, detail, hint = checks(verify(cloud_plan, scim_only(sleeps, scim_url)))["scim.test_connector"]
    assert result == "fail" and "HTTP 403" in detail
    assert "another stack or org" in hint and "stacks-123456" in hint
    for name in (
        "org.users:read",
        "org.users:write",
        "org.users:add",
        "org.users:remove",
        "teams:read",
        "teams:create",
        "teams:write",
        "teams:delete",
        "fixed:org.users:writer",
        "fixed:teams:writer",
    ):
        assert name in hint, name


@pytest.mark.parametrize("url", ["http://grafana.example.com", "ftp://127.0.0.1"])
def test_plain_http_is_refused_off_loopback(cloud_plan, sleeps, url):
    from grafana_okta_scim.verify.target import UsageError

    with pytest.raises(UsageError, match="--grafana-url"):
        verify(cloud_plan, fast_options(sleeps, grafana_url=url))


def test_https_to_a_plain_http_port_names_the_scheme_not_the_certificate(cloud_plan, scim_url, sleeps):
    # https to a plain-http port: the TLS handshake fails, verification is never turned off
    report = verify(cloud_plan, scim_only(sleeps, scim_url.replace("http://", "https://")))
    result, detail, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and ": plain-http: " in detail
    assert "plain HTTP, not HTTPS" in hint and "certificate" not in hint and "--ca-bundle" not in hint


def test_a_conflict_on_create_is_explained(cloud_plan, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("POST", r"/Users$", status=409))
    result, detail, hint = checks(verify(cloud_plan, scim_only(sleeps, scim_url, write_test=True)))[
        "scim.write_user"
    ]
    assert result == "fail" and "POST /Users: HTTP 409" in detail
    assert hint.startswith("409 Conflict") and "look-up by name" in hint
