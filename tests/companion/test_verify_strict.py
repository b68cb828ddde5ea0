"""verify against the twin Grafana's SCIM mount (tests/twin/scim.py, Grafana's documented rules):
users cannot be deleted, no discovery, user answers with the enterprise extension, externalId and
a work email required."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from scim2_client import SCIMClientException
from scim2_models import Email, User

from grafana_okta_scim.live import HttpClient, HttpSettings, Redactor
from grafana_okta_scim.verify.probe import NOTICE, PROBE_GROUP, PROBE_USER
from grafana_okta_scim.verify.runner import verify
from tests.twin.scim import ENTERPRISE, SCIM_PREFIX

from .conftest import SCIM_TOKEN, fast_options
from .faults import Fault
from .scim2_adapter import ScimClient
from .test_verify_scim import checks, scim_only

AUTH = {"Authorization": f"Bearer {SCIM_TOKEN}"}


def base(url, doc):
    return url + SCIM_PREFIX + doc.facts.scim_namespace


def test_strict_mode_behaves_as_grafana_documents(cloud_plan, strict_url):
    scim = base(strict_url, cloud_plan)
    user = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "a",
        "emails": [{"value": "a@example.com", "type": "work"}],
    }
    assert httpx.post(f"{scim}/Users", json=user, headers=AUTH).status_code == 400
    created = httpx.post(f"{scim}/Users", json={**user, "externalId": "a"}, headers=AUTH)
    assert created.status_code == 201 and ENTERPRISE in created.json()["schemas"]
    assert ENTERPRISE in created.json()
    deleted = httpx.delete(f"{scim}/Users/{created.json()['id']}", headers=AUTH)
    assert deleted.status_code == 405
    for name in ("ServiceProviderConfig", "Schemas", "ResourceTypes"):
        assert httpx.get(f"{scim}/{name}", headers=AUTH).status_code == 404


def test_the_pre_change_client_fails_there_and_leaves_the_user(cloud_plan, strict_app, strict_url):
    # Before: verify created its user through scim2-client, which validates every answer
    # against the core User schema, then deleted it. Against Grafana-like answers the create
    # "fails" although the user exists, and the delete it would have sent is refused.
    with HttpClient(base(strict_url, cloud_plan), f"Bearer {SCIM_TOKEN}", HttpSettings(), Redactor()) as http:
        with pytest.raises(SCIMClientException, match="Server response payload validation"):
            ScimClient(http).create(
                User(
                    user_name="grafana-okta-scim-verify-1a2b3c4d",
                    external_id="x",
                    active=True,
                    emails=[Email(value="x@example.com", type="work")],
                )
            )
        assert strict_app.users() == [("grafana-okta-scim-verify-1a2b3c4d", True)]
        assert http.request("DELETE", "Users/anything").status_code == 405


def test_verify_and_write_test_pass_and_leave_one_deactivated_probe_user(
    cloud_plan, strict_app, strict_url, sleeps
):
    notices: list[str] = []
    for run in range(3):
        report = verify(cloud_plan, scim_only(sleeps, strict_url, write_test=True, notice=notices.append))
        found = checks(report)
        assert report.ok, report.to_json()
        first = "create" if run == 0 else "reactivate"
        assert found["scim.write_user"][1] == f"{first}, read, update, deactivate"
        assert found["scim.write_group"][1] == ("create, read, rename, add member, remove member, delete")
        assert found["scim.discovery"][0] == "skip"
        assert strict_app.users() == [(PROBE_USER, False)] and strict_app.groups() == []
    assert notices == [NOTICE] * 3
    assert "deactivated" in NOTICE and "Import" in NOTICE
    methods = {(m, re.search(r"/namespaces/[^/]+/(\w+)", p).group(1)) for m, p in strict_app.faults.requests}  # type: ignore[union-attr]
    assert ("DELETE", "Users") not in methods and ("PATCH", "Groups") not in methods
    assert ("PUT", "Groups") in methods and ("DELETE", "Groups") in methods


def test_a_run_dying_after_reactivating_deactivates_in_its_cleanup(
    cloud_plan, strict_app, strict_url, sleeps
):
    verify(cloud_plan, scim_only(sleeps, strict_url, write_test=True))
    # the read after the reactivation gets a 503; the retry's wait is interrupted (Ctrl-C)
    strict_app.faults.add(Fault("GET", r"/Users/[^/]+$", status=503))
    interrupted: list[float] = []

    def interrupt(seconds):
        if not interrupted:
            interrupted.append(seconds)
            raise KeyboardInterrupt

    options = fast_options(sleeps, grafana_url=strict_url, write_test=True, environ={"OKTA_API_TOKEN": ""})
    options.sleep = interrupt
    with pytest.raises(KeyboardInterrupt):
        verify(cloud_plan, options)
    puts = [p for m, p in strict_app.faults.requests if m == "PUT" and "/Users/" in p]
    assert len(puts) == 4  # run 1: update, deactivate; run 2: reactivate, then cleanup
    assert strict_app.users() == [(PROBE_USER, False)] and strict_app.groups() == []


def _spawn_verify(url):
    env = {**os.environ, "GRAFANA_SCIM_TOKEN": SCIM_TOKEN, "OKTA_API_TOKEN": ""}
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from grafana_okta_scim.cli import main; main()",
            "verify",
            "--example",
            "--grafana-url",
            url,
            "--write-test",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(app, method, pattern, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(m == method and pattern in p for m, p in app.faults.requests):
            return
        time.sleep(0.05)
    raise AssertionError(f"no {method} {pattern} within {timeout} s")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_run_killed_half_way_leaves_one_deactivated_probe_user(
    cloud_plan, strict_app, strict_url, sleeps, how
):
    # GIVEN a run killed while the probe user is active and the probe group exists
    strict_app.faults.add(Fault("PUT", r"/Groups/[^/]+$", status=500, stall=20.0))
    proc = _spawn_verify(strict_url)
    try:
        _wait_for(strict_app, "PUT", "/Groups/")
        proc.send_signal(how)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert NOTICE.split(".")[0] in " ".join(stderr.split())
    if how == signal.SIGTERM:
        # SIGTERM (a cancelled CI job) lets the cleanup run before the process ends
        assert proc.returncode == 128 + signal.SIGTERM
        assert strict_app.users() == [(PROBE_USER, False)] and strict_app.groups() == []
    else:
        assert strict_app.users() == [(PROBE_USER, True)] and strict_app.groups() == [PROBE_GROUP]
    # WHEN verify runs again
    found = checks(verify(cloud_plan, scim_only(sleeps, strict_url, write_test=True)))
    # THEN it reuses the user, removes any leftover group, and leaves exactly the probe user
    assert found["scim.write_user"][1] == "reactivate, read, update, deactivate"
    leftover = "deleted 1 leftover probe group(s), " if how == signal.SIGKILL else ""
    assert found["scim.write_group"][1].startswith(f"{leftover}create, read, rename")
    assert found["scim.cleanup"][0] == "pass"
    assert strict_app.users() == [(PROBE_USER, False)] and strict_app.groups() == []
