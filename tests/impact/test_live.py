"""--live against a loopback Okta and Grafana: the counts are right and every request is a GET."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from grafana_okta_scim.cli import app
from grafana_okta_scim.impact import parse_plan
from grafana_okta_scim.impact.live import targets

from .live_server import World, serving
from .plan_json import change, plan, saml, text

OKTA_TOKEN = "00okta-token-value-never-printed"
GRAFANA_AUTH = "glsa_grafana_token_never_printed"
ENV = {"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_AUTH}


@pytest.fixture
def world() -> World:
    return World(
        groups={"00gENG": "eng", "00gOPS": "ops", "00gADM": "grafana-admins"},
        members={"00gENG": ["u1", "u2", "u3"], "00gOPS": ["u3", "u4", "u5", "u6", "u7"], "00gADM": ["u1"]},
        app_users={"0oaAPP": {"u1": "g1", "u2": None, "u3": "", "u4": "g4"}},
        teams={"eng": 7},
    )


@pytest.fixture
def url(world: World) -> Iterator[str]:
    with serving(world) as base:
        yield base


def _run(document: dict[str, Any], url: str, *extra: str, env: dict[str, str] | None = None) -> Any:
    args = ["impact", "-", "--format", "json", "--live", "--okta-url", url, "--grafana-url", url, *extra]
    return CliRunner().invoke(app, args, input=text(document), env=env if env is not None else ENV)


def _harmful() -> dict[str, Any]:
    return plan(
        change(
            "okta_app_group_assignments.prod",
            ["update"],
            {"app_id": "0oaAPP", "group": [{"id": "00gENG"}, {"id": "00gOPS"}, {"id": "00gADM"}]},
            {"app_id": "0oaAPP", "group": [{"id": "00gADM"}]},
        ),
        change(
            'okta_push_group.prod["eng"]',
            ["delete"],
            {"target_group_name": "eng", "source_group_id": "00gENG", "delete_target_group_on_destroy": True},
            None,
        ),
        change(
            "grafana_sso_settings.prod",
            ["update"],
            saml(role_values_admin="grafana-admins"),
            saml(role_values_admin="grafana-admins ops"),
        ),
        change(
            "grafana_scim_config.prod",
            ["update"],
            {"reject_non_provisioned_users": False},
            {"reject_non_provisioned_users": True},
        ),
        change("okta_app_saml.prod", ["no-op"], {"id": "0oaAPP"}, {"id": "0oaAPP"}),
    )


def test_live_counts_people_with_gets_only(world: World, url: str) -> None:
    result = _run(_harmful(), url)
    assert result.exit_code == 1, result.output
    people = {c["rule"]: c["people"] for c in json.loads(result.stdout)["consequences"]}
    assert people == {
        "group-unassigned": 7,  # eng and ops share u3; paged two at a time
        "team-deleted": 7,
        "role-mapping-changed": 5,  # ops gains Admin
        "rejection-turned-on": 2,  # u2 and u3 have no externalId yet
    }
    objects = {c["rule"]: c["objects"] for c in json.loads(result.stdout)["consequences"]}
    assert objects["group-unassigned"] == ["eng (00gENG)", "ops (00gOPS)"]  # names asked of Okta
    summaries = {c["rule"]: c["summary"] for c in json.loads(result.stdout)["consequences"]}
    assert summaries["group-unassigned"].startswith("unassigns eng (00gENG), ops (00gOPS) from")
    severities = {c["rule"]: c["severity"] for c in json.loads(result.stdout)["consequences"]}
    assert severities["rejection-turned-on"] == "blocker"
    advice = " ".join(c["advice"] for c in json.loads(result.stdout)["consequences"])
    assert "with --live" not in advice  # counted already: no "count them with --live"
    assert world.requests and {method for method, _, _ in world.requests} == {"GET"}
    assert any("after=" in path for _, path, _ in world.requests)  # the Link cursor was followed
    assert OKTA_TOKEN not in result.output and GRAFANA_AUTH not in result.output


def test_rejection_with_everyone_provisioned_is_advisory(world: World, url: str) -> None:
    """Nobody assigned loses sign-in: minor, so it no longer fails the run by itself."""
    world.app_users["0oaAPP"] = {"u1": "g1"}
    result = _run(
        _harmful(),
        url,
        "--accept",
        "group-unassigned",
        "--accept",
        "team-deleted",
        "--accept",
        "role-mapping-changed",
    )
    found = {c["rule"]: c for c in json.loads(result.stdout)["consequences"]}
    assert found["rejection-turned-on"]["people"] == 0 and found["rejection-turned-on"]["severity"] == "minor"
    assert result.exit_code == 0


def test_live_without_a_token_is_bad_input(url: str) -> None:
    result = _run(_harmful(), url, env={"OKTA_API_TOKEN": ""})
    assert result.exit_code == 2 and result.stderr.startswith("error: --live: OKTA_API_TOKEN: missing")


def test_live_http_error_is_one_redacted_line(world: World, url: str) -> None:
    result = _run(_harmful(), url + "/nowhere")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "got HTTP 404" in result.stderr
    assert OKTA_TOKEN not in result.stderr


def test_urls_come_from_the_plans_provider_configuration() -> None:
    config = {
        "provider_config": {
            "okta": {
                "name": "okta",
                "expressions": {
                    "org_name": {"constant_value": "acme"},
                    "base_url": {"constant_value": "oktapreview.com"},
                },
            },
            "grafana": {
                "name": "grafana",
                "expressions": {"url": {"constant_value": "https://acme.grafana.net"}},
            },
        }
    }
    found = targets(parse_plan(text(plan(configuration=config))), None, None)
    assert (found.okta_url, found.grafana_url) == ("https://acme.oktapreview.com", "https://acme.grafana.net")
    assert targets(parse_plan(text(plan(configuration=config))), "https://x", None).okta_url == "https://x"
