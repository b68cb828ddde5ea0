"""verify against the loopback Grafana SCIM mount, including injected failures."""

from __future__ import annotations

import json
import socket

import pytest

from grafana_okta_scim.verify.runner import verify

from .conftest import OKTA_TOKEN, SCIM_TOKEN, fast_options
from .faults import Fault


def checks(report) -> dict[str, tuple[str, str, str]]:
    """name -> (result, detail, hint), after asserting no secret reached the report."""
    text = json.dumps(report.to_json())
    assert SCIM_TOKEN not in text and OKTA_TOKEN not in text
    return {c.name: (c.result, c.detail, c.hint) for c in report.checks}


def scim_only(sleeps, scim_url, **kwargs):
    return fast_options(sleeps, grafana_url=scim_url, environ={"OKTA_API_TOKEN": ""}, **kwargs)


def test_healthy_endpoint_passes_with_okta_calls_and_write_test(
        cloud_doc, scim_app, scim_url, sleeps):
    report = verify(cloud_doc, scim_only(sleeps, scim_url, write_test=True))
    found = checks(report)
    for name in ("scim.test_connector", "scim.user_lookup", "scim.groups", "scim.discovery",
                 "scim.write_user", "scim.write_group", "scim.cleanup"):
        assert found[name][0] == "pass", (name, found[name])
    assert found["scim.write_user"][1] == "create, read, update, deactivate, delete"
    assert found["okta.app"][0] == "skip"
    assert report.ok
    paths = [path for _, path in scim_app.faults.requests]
    prefix = "/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456"
    assert f"{prefix}/Users?startIndex=1&count=2" in paths
    assert any(p.startswith(f"{prefix}/Users?filter=userName+eq+") for p in paths)
    assert list(scim_app.storage.resources) == []


def test_wrong_token_is_401_token_invalid(cloud_doc, scim_url, sleeps):
    options = scim_only(sleeps, scim_url)
    options.environ["GRAFANA_SCIM_TOKEN"] = "glsa_wrongToken_000"
    result, detail, hint = checks(verify(cloud_doc, options))["scim.test_connector"]
    assert result == "fail" and "HTTP 401" in detail
    assert "invalid or expired" in hint and "grafana_service_account_token.prod" in hint
    assert "glsa_wrongToken_000" not in detail + hint


def test_wrong_namespace_is_403_naming_the_expected_namespace(cloud_doc, scim_app, scim_url,
                                                              sleeps):
    scim_app.namespace = "stacks-999"
    report = verify(cloud_doc, scim_only(sleeps, scim_url))
    result, detail, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and "HTTP 403" in detail
    assert "invalid namespace" in hint and "stacks-123456" in hint
    assert checks(report)["scim.user_lookup"][0] == "skip"
    assert not report.ok


def test_wrong_url_is_404_scim_not_enabled(cloud_doc, scim_url, sleeps):
    report = verify(cloud_doc, scim_only(sleeps, scim_url + "/not-grafana"))
    result, _, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and "enableSCIM" in hint and "wrong" in hint


def test_server_down_is_a_connection_failure(cloud_doc, sleeps):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = verify(cloud_doc, scim_only(sleeps, f"http://127.0.0.1:{port}"))
    result, _, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and hint.startswith("connection failed")


def test_stalling_server_times_out(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=200, stall=1.5))
    options = scim_only(sleeps, scim_url)
    options.http = type(options.http)(timeout=0.3, retry=options.http.retry)
    result, detail, hint = checks(verify(cloud_doc, options))["scim.test_connector"]
    assert result == "fail" and detail.split(": ")[1] == "timeout"
    assert hint == "timeout: the Grafana SCIM API did not answer within 0.3 s."


def test_429_with_retry_after_is_retried_after_that_wait(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=429, headers=(("Retry-After", "2"),)))
    found = checks(verify(cloud_doc, scim_only(sleeps, scim_url)))
    assert found["scim.test_connector"][0] == "pass"
    assert sleeps.waits == [2.0]


def test_500_then_success_is_retried_with_backoff(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=500))
    found = checks(verify(cloud_doc, scim_only(sleeps, scim_url)))
    assert found["scim.test_connector"][0] == "pass"
    assert sleeps.waits == [0.05]


def test_persistent_500_fails_after_bounded_retries(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("GET", r"/Users$", status=503, times=10))
    result, detail, hint = checks(verify(cloud_doc, scim_only(sleeps, scim_url)))[
        "scim.test_connector"]
    assert result == "fail" and "HTTP 503" in detail and "server error" in hint
    assert sleeps.waits == [0.05, 0.1]


def test_write_test_failing_half_way_still_cleans_up(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("PUT", r"/Users/[^/]+$", status=500, times=10))
    scim_app.faults.add(Fault("PATCH", r"/Groups/[^/]+$", status=400, times=10))
    found = checks(verify(cloud_doc, scim_only(sleeps, scim_url, write_test=True)))
    result, detail, _ = found["scim.write_user"]
    assert result == "fail" and detail.endswith("(succeeded: create, read)")
    assert found["scim.write_group"][0] == "fail"
    assert found["scim.cleanup"] == ("pass", "nothing left behind", "")
    assert list(scim_app.storage.resources) == []
    deletes = [p for m, p in scim_app.faults.requests if m == "DELETE"]
    assert len(deletes) == 2


def test_cleanup_failure_is_reported_with_the_leftovers(cloud_doc, scim_app, scim_url, sleeps):
    scim_app.faults.add(Fault("PUT", r"/Users/[^/]+$", status=500, times=10))
    scim_app.faults.add(Fault("DELETE", r"/Users/[^/]+$", status=500, times=10))
    found = checks(verify(cloud_doc, scim_only(sleeps, scim_url, write_test=True)))
    result, detail, hint = found["scim.cleanup"]
    assert result == "fail" and detail.startswith("left behind: User ")
    assert "grafana-okta-scim-verify-" in hint


@pytest.mark.parametrize("url", ["http://grafana.example.com", "ftp://127.0.0.1"])
def test_plain_http_is_refused_off_loopback(cloud_doc, sleeps, url):
    from grafana_okta_scim.verify.target import UsageError

    with pytest.raises(UsageError, match="--grafana-url"):
        verify(cloud_doc, fast_options(sleeps, grafana_url=url))


def test_tls_failure_is_named_and_points_at_ca_bundle(cloud_doc, scim_url, sleeps):
    # https to a plain-http port: the TLS handshake fails, verification is never turned off
    report = verify(cloud_doc, scim_only(sleeps, scim_url.replace("http://", "https://")))
    result, detail, hint = checks(report)["scim.test_connector"]
    assert result == "fail" and ": tls: " in detail and "--ca-bundle" in hint
