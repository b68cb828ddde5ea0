"""verify's Okta checks against the loopback org (shapes: see okta_server.py)."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from grafana_okta_scim import load_spec
from grafana_okta_scim.build import plan
from grafana_okta_scim.verify.runner import verify

from .conftest import APP_ID, GROUP_ID, ROOT, fast_options
from .faults import Fault
from .okta_server import enabled_connection, unknown_connection, user_provisioning
from .test_verify_scim import checks


def okta_only(sleeps, okta_url, **kwargs):
    return fast_options(sleeps, okta_url=okta_url, environ={"GRAFANA_SCIM_TOKEN": ""}, **kwargs)


def test_hand_finished_manual_app_passes_and_says_what_it_cannot_read(cloud_plan, okta_url, sleeps):
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    for name in (
        "okta.app",
        "okta.sign_on_mode",
        "okta.provisioning",
        "okta.attribute_statement",
        "okta.group_push",
    ):
        assert found[name][0] == "pass", (name, found[name])
    assert found["okta.attribute_statement"][1] == 'userUID = user.getInternalProperty("id")'
    # manual mode: a custom app's connection is 200-with-UNKNOWN, which is not a failure here
    assert found["okta.connection"][0] == "skip" and "UNKNOWN" in found["okta.connection"][1]
    assert found["okta.user_provisioning"][0] == "skip"
    assert found["okta.integration_tab"][0] == "skip"
    assert "unique identifier" in found["okta.integration_tab"][1]


def test_okta_api_mode_fails_on_200_with_unknown(okta_org, okta_url, sleeps):
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    okta_org.connections[APP_ID] = unknown_connection()
    result, detail, hint = checks(verify(doc, okta_only(sleeps, okta_url)))["okta.connection"]
    assert result == "fail" and "status UNKNOWN" in detail
    assert "mode: manual" in hint


def test_okta_api_mode_checks_the_connection_from_phase_2(okta_org, okta_url, sleeps):
    # okta_app_connection is created in phase 2 (after the admin switched provisioning on).
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    okta_org.connections[APP_ID] = unknown_connection()
    result, detail, _ = checks(verify(doc, okta_only(sleeps, okta_url, phase=1)))["okta.connection"]
    assert result == "skip" and "skipped in phase 1" in detail
    assert checks(verify(doc, okta_only(sleeps, okta_url, phase=2)))["okta.connection"][0] == "fail"


def test_okta_api_mode_passes_with_enabled_connection_and_matching_toggles(okta_org, okta_url, sleeps):
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    okta_org.apps[APP_ID]["features"].remove("PUSH_USER_DEACTIVATION")
    okta_org.connections[APP_ID] = enabled_connection(doc.facts.scim_base_url)
    okta_org.features[APP_ID] = user_provisioning(create=True, update=True, deactivate=False)
    found = checks(verify(doc, okta_only(sleeps, okta_url)))
    assert found["okta.connection"][0] == "pass"
    assert found["okta.user_provisioning"][0] == "pass"
    assert found["okta.provisioning"][0] == "pass"


def test_wrong_base_url_and_toggles_fail(okta_org, okta_url, sleeps):
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    okta_org.connections[APP_ID] = enabled_connection("https://other.example.com/scim")
    okta_org.features[APP_ID] = user_provisioning(create=True, update=True, deactivate=True)
    found = checks(verify(doc, okta_only(sleeps, okta_url)))
    assert found["okta.connection"][0] == "fail"
    assert doc.facts.scim_base_url in found["okta.connection"][2]
    assert found["okta.user_provisioning"][0] == "fail"
    assert "deactivate_users=off" in found["okta.user_provisioning"][2]


def test_provisioning_switched_off_missing_uid_and_push_mapping_fail(cloud_plan, okta_org, okta_url, sleeps):
    app = okta_org.apps[APP_ID]
    app["features"] = []
    app["settings"]["signOn"]["attributeStatements"] = app["settings"]["signOn"]["attributeStatements"][:1]
    okta_org.mappings[APP_ID] = []
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.provisioning"][0] == "fail" and "#655" in found["okta.provisioning"][2]
    assert found["okta.attribute_statement"][0] == "fail"
    assert "User sync failed" in found["okta.attribute_statement"][2]
    assert found["okta.group_push"] == (
        "fail",
        "grafana-users: no push mapping",
        "once provisioning is enabled, run `terraform apply -var provisioning_enabled=true`.",
    )


def test_inactive_non_saml_app(cloud_plan, okta_org, okta_url, sleeps):
    okta_org.apps[APP_ID].update(status="INACTIVE", signOnMode="BOOKMARK")
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.app"][0] == "fail" and found["okta.sign_on_mode"][0] == "fail"


def test_missing_app_skips_the_rest(cloud_plan, okta_org, okta_url, sleeps):
    okta_org.apps.clear()
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.app"][0] == "fail" and "0 apps" in found["okta.app"][1]
    assert found["okta.group_push"][0] == "skip"


def test_bad_okta_token_is_401_with_hint(cloud_plan, okta_url, sleeps):
    options = okta_only(sleeps, okta_url)
    options.environ["OKTA_API_TOKEN"] = "00wrongOktaToken"
    result, detail, hint = checks(verify(cloud_plan, options))["okta.app"]
    assert result == "fail" and "E0000011" in detail and "OKTA_API_TOKEN" in hint
    assert "00wrongOktaToken" not in detail


def test_rate_limit_reset_header_is_honoured(cloud_plan, okta_app, okta_url, sleeps):
    reset = int(time.time()) + 3
    okta_app.faults.add(
        Fault("GET", r"^/api/v1/apps$", status=429, headers=(("X-Rate-Limit-Reset", str(reset)),))
    )
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.app"][0] == "pass"
    assert len(sleeps.waits) == 1 and 1.0 < sleeps.waits[0] <= 3.0


@pytest.mark.parametrize("url", ["http://example.okta.com"])
def test_plain_http_okta_url_is_refused(cloud_plan, sleeps, url):
    from grafana_okta_scim.verify.target import UsageError

    with pytest.raises(UsageError, match="--okta-url"):
        verify(cloud_plan, okta_only(sleeps, url))


def _other_mappings(count):
    return [
        {
            "id": f"gpm-other-{n}",
            "sourceGroupId": f"00gother{n}",
            "targetGroupId": f"t{n}",
            "status": "ACTIVE",
        }
        for n in range(count)
    ]


@pytest.mark.parametrize("source_filter", [True, False], ids=["by-source", "paged"])
def test_push_mappings_are_found_on_any_page(cloud_plan, okta_app, okta_org, okta_url, sleeps, source_filter):
    # GIVEN the org lists one mapping per page, ours last (and, "paged", ignores sourceGroupId)
    okta_org.mappings[APP_ID] = _other_mappings(4) + okta_org.mappings[APP_ID]
    okta_org.mapping_page_size = 1
    okta_org.mapping_source_filter = source_filter
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"] == ("pass", "active mappings: grafana-users", "")
    pages = [p for _, p in okta_app.faults.requests if "/group-push/mappings" in p]
    assert all(f"sourceGroupId={GROUP_ID}" in p for p in pages)
    assert len(pages) == (1 if source_filter else 5)


def test_a_same_named_app_group_keeps_the_pushed_group(cloud_plan, okta_app, okta_org, okta_url, sleeps):
    okta_org.groups.append(
        {
            "id": "00gappgroup",
            "type": "APP_GROUP",
            "profile": {"name": "grafana-users", "description": "from AD"},
        }
    )
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"][0] == "pass"
    searches = [p for _, p in okta_app.faults.requests if p.startswith("/api/v1/groups?")]
    queries = [parse_qs(urlsplit(p).query) for p in searches]
    # By name only: a type filter would miss groups mastered in AD or LDAP (finding 6).
    assert queries and all(q["search"][0] == 'profile.name eq "grafana-users"' for q in queries)


def test_an_ad_mastered_push_group_is_found(cloud_plan, okta_app, okta_org, okta_url, sleeps):
    # GIVEN the pushed group is mastered in AD (type APP_GROUP)
    okta_org.groups[0]["type"] = "APP_GROUP"
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"] == ("pass", "active mappings: grafana-users", "")


def test_a_push_mapping_in_error_gets_the_retry_hint(cloud_plan, okta_app, okta_org, okta_url, sleeps):
    okta_org.mappings[APP_ID][0]["status"] = "ERROR"
    result, detail, hint = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))["okta.group_push"]
    assert result == "fail" and "mapping ERROR" in detail
    assert "Push Groups tab" in hint and "terraform state rm" in hint


@pytest.mark.parametrize("status", [400, 404])
def test_push_mappings_api_unavailable_is_a_skip_with_a_reason(
    cloud_plan, okta_org, okta_url, sleeps, status
):
    okta_org.mapping_error = status
    result, detail, hint = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))["okta.group_push"]
    assert result == "skip" and f"HTTP {status}" in detail
    assert "not available" in detail and "Push Groups" in hint


def test_a_next_link_to_another_host_is_not_followed(cloud_plan, okta_app, okta_org, okta_url, sleeps):
    okta_org.mappings[APP_ID] = _other_mappings(2) + okta_org.mappings[APP_ID]
    okta_org.mapping_page_size = 1
    okta_org.mapping_source_filter = False
    okta_app.faults.add(
        Fault(
            "GET",
            r"/group-push/mappings$",
            status=200,
            body=[],
            headers=(("Link", '<https://evil.example.com/next>; rel="next"'),),
        )
    )
    result, detail, _ = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))["okta.group_push"]
    assert result == "fail" and "another host" in detail
