"""verify's Okta checks against the twin's Okta org (tests/twin/http_okta.py), set up as
SCIM_SETUP.md says (conftest `integration`) and then changed by the steps a person takes."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from grafana_okta_scim import load_spec
from grafana_okta_scim.synth import plan
from grafana_okta_scim.verify.runner import verify
from tests.twin import consumers

from .conftest import APP_ID, GROUP_ID, ROOT, SCIM_TOKEN, fast_options
from .faults import Fault
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
    # once SCIM is switched on, Okta answers USER_PROVISIONING (its Features API "returns an
    # error if provisioning isn't enabled for the app"): the To App toggles are read and match
    assert found["okta.user_provisioning"] == (
        "pass",
        "status ENABLED; create_users=ENABLED, update_user_attributes=ENABLED, deactivate_users=ENABLED",
        "",
    )
    assert found["okta.integration_tab"][0] == "skip"
    assert "unique identifier" in found["okta.integration_tab"][1]


def test_okta_api_mode_fails_on_200_with_unknown(okta_url, sleeps):
    # a custom app's connection answers 200 with UNKNOWN (the twin's default, as Okta's)
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    result, detail, hint = checks(verify(doc, okta_only(sleeps, okta_url)))["okta.connection"]
    assert result == "fail" and "status UNKNOWN" in detail
    assert "mode: manual" in hint


def connection(world, base_url):
    """okta_app_connection's create (POST .../connections/default?activate=true)."""
    body = {"baseUrl": base_url, "profile": {"authScheme": "TOKEN", "token": SCIM_TOKEN}}
    world.okta_api("POST", f"/api/v1/apps/{APP_ID}/connections/default", body, activate="true")


def to_app(world, deactivate):
    """okta_app_features' update (PUT .../features/USER_PROVISIONING with the capabilities)."""
    on = {"status": "ENABLED"}
    update = {"profile": on, "lifecycleDeactivate": on if deactivate else {"status": "DISABLED"}}
    body = {"create": {"lifecycleCreate": on}, "update": update}
    world.okta_api("PUT", f"/api/v1/apps/{APP_ID}/features/USER_PROVISIONING", body)


def test_okta_api_mode_checks_the_connection_from_phase_2(world, integration, okta_url, sleeps):
    # okta_app_connection is created in phase 2 (after the admin switched provisioning on); a
    # custom app without a connection answers UNKNOWN.
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    world.twin.okta.app(APP_ID).connection = None
    result, detail, _ = checks(verify(doc, okta_only(sleeps, okta_url, phase=1)))["okta.connection"]
    assert result == "skip" and "skipped in phase 1" in detail
    assert checks(verify(doc, okta_only(sleeps, okta_url, phase=2)))["okta.connection"][0] == "fail"


def test_okta_api_mode_passes_with_enabled_connection_and_matching_toggles(world, okta_url, sleeps):
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    connection(world, consumers.SCIM_BASE_URL)
    to_app(world, deactivate=False)
    found = checks(verify(doc, okta_only(sleeps, okta_url)))
    assert found["okta.connection"][0] == "pass"
    assert found["okta.user_provisioning"][0] == "pass"
    assert found["okta.provisioning"][0] == "pass"


def test_wrong_base_url_and_toggles_fail(world, okta_url, sleeps):
    doc = plan(load_spec(ROOT / "examples" / "okta-api.yaml"), "okta-api.yaml")["prod"]
    connection(world, "https://other.example.com/scim")
    to_app(world, deactivate=True)
    found = checks(verify(doc, okta_only(sleeps, okta_url)))
    assert found["okta.connection"][0] == "fail"
    assert doc.facts.scim_base_url in found["okta.connection"][2]
    assert found["okta.user_provisioning"][0] == "fail"
    assert "deactivate_users=off" in found["okta.user_provisioning"][2]


def unpush(world, mapping_id):
    """An admin unlinks the pushed group (deactivate, then delete the mapping; team kept)."""
    consumers.unpush(world, APP_ID, mapping_id)


def test_provisioning_switched_off_missing_uid_and_push_mapping_fail(
    cloud_plan, world, integration, okta_url, sleeps
):
    # GIVEN an app update (a full PUT) that dropped the userUID statement and, as okta provider
    # issue #655 shows on older releases, switched provisioning off; and no push mapping
    world.twin.okta.put_resets_provisioning = True
    body = consumers.saml_app_body()
    body["settings"]["signOn"]["attributeStatements"] = consumers.statements(user_uid=False)
    world.okta_api("PUT", f"/api/v1/apps/{APP_ID}", body)
    unpush(world, integration.mapping_id)
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.provisioning"][0] == "fail" and "#655" in found["okta.provisioning"][2]
    assert found["okta.attribute_statement"][0] == "fail"
    assert "User sync failed" in found["okta.attribute_statement"][2]
    assert found["okta.group_push"] == (
        "fail",
        "grafana-users: no push mapping",
        "once provisioning is enabled, run `terraform apply -var provisioning_enabled=true`.",
    )


def remove_app(world):
    """An admin deletes the app (deactivate first, as Okta requires)."""
    world.okta_api("POST", f"/api/v1/apps/{APP_ID}/lifecycle/deactivate")
    world.okta_api("DELETE", f"/api/v1/apps/{APP_ID}")


def test_inactive_non_saml_app(cloud_plan, world, okta_url, sleeps):
    # GIVEN the app labelled Grafana is an inactive bookmark app
    remove_app(world)
    world.twin.okta.add_app("Grafana", "BOOKMARK", status="INACTIVE")
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.app"][0] == "fail" and found["okta.sign_on_mode"][0] == "fail"


def test_missing_app_skips_the_rest(cloud_plan, world, okta_url, sleeps):
    remove_app(world)
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


def push_others_first(world, integration, count):
    """`count` other groups pushed before grafana-users (whose mapping is made again, last)."""
    okta = world.twin.okta
    unpush(world, integration.mapping_id)
    for n in range(count):
        group = okta.add_group(f"other-{n}")
        world.okta_api(
            "POST",
            f"/api/v1/apps/{APP_ID}/group-push/mappings",
            {"sourceGroupId": group, "targetGroupName": f"other-{n}", "status": "ACTIVE"},
        )
    consumers.okta_phase_2(world, integration)
    world.mark_setup_done()


@pytest.mark.parametrize("source_filter", [True, False], ids=["by-source", "paged"])
def test_push_mappings_are_found_on_any_page(
    cloud_plan, world, integration, okta_app, okta_url, sleeps, source_filter
):
    # GIVEN the org lists one mapping per page, ours last (and, "paged", ignores sourceGroupId)
    push_others_first(world, integration, 4)
    okta_app.mapping_page_size = 1
    okta_app.mapping_source_filter = source_filter
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"] == ("pass", "active mappings: grafana-users", "")
    pages = [p for m, p in world.okta_requests() if "/group-push/mappings" in p]
    assert all(f"sourceGroupId={GROUP_ID}" in p for p in pages)
    assert len(pages) == (1 if source_filter else 5)


def test_a_same_named_app_group_keeps_the_pushed_group(cloud_plan, world, okta_url, sleeps):
    # GIVEN a group of the same name imported from AD (APP_GROUP)
    world.twin.okta.add_group("grafana-users", type="APP_GROUP", description="from AD")
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"][0] == "pass"
    searches = [p for _, p in world.okta_requests() if p.startswith("/api/v1/groups?")]
    queries = [parse_qs(urlsplit(p).query) for p in searches]
    # By name only: a type filter would miss groups mastered in AD or LDAP (finding 6).
    assert queries and all(q["search"][0] == 'profile.name eq "grafana-users"' for q in queries)


def test_an_ad_mastered_push_group_is_found(cloud_plan, world, integration, okta_url, sleeps):
    # GIVEN the pushed group is mastered in AD (type APP_GROUP)
    world.twin.okta.group(integration.group_id).type = "APP_GROUP"
    found = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))
    assert found["okta.group_push"] == ("pass", "active mappings: grafana-users", "")


def test_a_push_mapping_in_error_gets_the_retry_hint(cloud_plan, world, integration, okta_url, sleeps):
    world.twin.okta.set_mapping_status(integration.mapping_id, "ERROR", error="Grafana answered 500")
    result, detail, hint = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))["okta.group_push"]
    assert result == "fail" and "mapping ERROR" in detail
    assert "Push Groups tab" in hint and "terraform state rm" in hint


@pytest.mark.parametrize("status", [400, 404])
def test_push_mappings_api_unavailable_is_a_skip_with_a_reason(
    cloud_plan, okta_app, okta_url, sleeps, status
):
    okta_app.mapping_error = status
    result, detail, hint = checks(verify(cloud_plan, okta_only(sleeps, okta_url)))["okta.group_push"]
    assert result == "skip" and f"HTTP {status}" in detail
    assert "not available" in detail and "Push Groups" in hint


def test_a_next_link_to_another_host_is_not_followed(
    cloud_plan, world, integration, okta_app, okta_url, sleeps
):
    push_others_first(world, integration, 2)
    okta_app.mapping_page_size = 1
    okta_app.mapping_source_filter = False
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
