"""impact on plans made by real Terraform (replay providers): the generated examples through
their phases and harmful spec edits, and hand-written configurations in the style of public
examples. GIVEN an applied configuration, WHEN a pull request's plan is judged, THEN the rules
expected (and only those) are reported, with the exit code and the predicted harm."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from grafana_okta_scim.cli import app
from grafana_okta_scim.impact import judge, parse_plan, predicted_harm
from tests.terraform.harness.runner import Terraform, run_parallel

from .handwritten import HANDWRITTEN
from .scenarios import SCENARIOS

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def plans(terraform: Terraform) -> dict[str, Any]:
    """Every scenario's plan JSON (or the exception it raised), two workspaces at a time."""

    def guarded(job: Any) -> Any:
        try:
            return job(terraform)
        except Exception as exc:  # reported by that scenario's test only
            return exc

    jobs = {name: (lambda job=job: guarded(job)) for name, job in {**SCENARIOS, **HANDWRITTEN}.items()}
    return run_parallel(jobs)


def _plan(plans: dict[str, Any], name: str) -> dict[str, Any]:
    found = plans[name]
    if isinstance(found, Exception):
        pytest.fail(f"scenario {name} failed: {found}")
    return found


def _rules(plans: dict[str, Any], name: str) -> list[tuple[str, str, bool]]:
    verdict = judge(parse_plan(json.dumps(_plan(plans, name))))
    return [(c.rule, c.address, c.certain) for c in verdict.consequences]


def _cli(plan: dict[str, Any], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["impact", "-", *args], input=json.dumps(plan))
    return result.exit_code, result.stdout


# -- generated examples through their phases --------------------------------------------------


def test_first_plan_of_phase_1_only_advises_on_the_token(plans: dict[str, Any]) -> None:
    assert _rules(plans, "phase1-first") == [
        ("token-never-expires", "grafana_service_account_token.prod", True)
    ]
    assert _cli(_plan(plans, "phase1-first"))[0] == 0


@pytest.mark.parametrize("step", ["phase2-step", "phase2-clean", "current-push-removed"])
def test_safe_steps_exit_0(plans: dict[str, Any], step: str) -> None:
    """Phase 1 -> 2, a re-plan of phase 2, and back to phase 1 with today's push gate: no harm."""
    assert _rules(plans, step) == []
    code, out = _cli(_plan(plans, step), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"ok": True, "consequences": []}


def test_group_removed_from_the_spec_unassigns_it(plans: dict[str, Any]) -> None:
    plan = _plan(plans, "group-removed")
    assert _rules(plans, "group-removed") == [("group-unassigned", "okta_app_group_assignments.prod", True)]
    verdict = judge(parse_plan(json.dumps(plan)))
    (found,) = verdict.consequences
    assert found.objects[0].startswith("grafana-admins (00g")
    harm = predicted_harm(verdict.consequences)
    assert harm.groups_unassigned == {found.details["group_ids"][0]}
    assert harm.teams_deleted == set()  # the push mapping goes, delete_target_group_on_destroy false
    code, out = _cli(plan, "--format", "markdown")
    assert code == 1
    assert "grafana-admins" in out and "[`group-unassigned`](docs/impact.md#group-unassigned)" in out


def test_rejection_switched_on(plans: dict[str, Any]) -> None:
    assert _rules(plans, "rejection-on") == [("rejection-turned-on", "grafana_scim_config.prod", True)]
    harm = predicted_harm(judge(parse_plan(json.dumps(_plan(plans, "rejection-on")))).consequences)
    assert harm.sign_ins_refused == {"people SCIM has not provisioned"}


def test_authoritative_to_per_group_switch_may_leave_groups_unassigned(plans: dict[str, Any]) -> None:
    found = _rules(plans, "per-group-switch")
    assert found == [("group-reassigned-unordered", "okta_app_group_assignments.prod", False)]
    code, out = _cli(_plan(plans, "per-group-switch"), "--format", "json")
    assert code == 1 and json.loads(out)["consequences"][0]["certain"] is False


def test_push_group_removed_on_a_0_1_0_like_module_deletes_the_team(plans: dict[str, Any]) -> None:
    assert _rules(plans, "legacy-push-removed") == [
        ("team-deleted", 'okta_push_group.prod["grafana-users"]', True)
    ]
    harm = predicted_harm(judge(parse_plan(json.dumps(_plan(plans, "legacy-push-removed")))).consequences)
    assert harm.teams_deleted == {"grafana-users"}


def test_authoritative_assignments_remove_a_group_assigned_by_hand(plans: dict[str, Any]) -> None:
    from tests.terraform.test_lifecycle import OUTSIDE_GROUP_ID

    verdict = judge(parse_plan(json.dumps(_plan(plans, "outside-group"))))
    assert [(c.rule, c.objects) for c in verdict.consequences] == [("group-unassigned", [OUTSIDE_GROUP_ID])]


def test_frozen_regression_outputs(plans: dict[str, Any]) -> None:
    """tests/twin/regressions: the authoritative -> per-group switch and a 0.1.0-like push gate."""
    switch = _rules(plans, "frozen-per-group-switch")
    assert {rule for rule, _, _ in switch} == {"group-reassigned-unordered"}
    assert all(certain is False for _, _, certain in switch)
    assert _rules(plans, "frozen-legacy-push-removed") == [
        ("team-deleted", 'okta_push_group.prod["grafana-users"]', True)
    ]


def test_spec_names_the_phase_and_the_keys(plans: dict[str, Any], tmp_path: Any) -> None:
    from pathlib import Path

    spec = Path(__file__).resolve().parents[2] / "examples" / "cloud.yaml"
    code, out = _cli(
        _plan(plans, "rejection-on"), "--format", "json", "--spec", str(spec), "--integration", "prod"
    )
    document = json.loads(out)
    assert code == 1 and document["integration"] == "prod" and document["phase"] == 3
    assert document["consequences"][0]["spec_keys"] == [
        "integrations[prod].scim.reject_non_provisioned_users"
    ]


# -- hand-written configurations -------------------------------------------------------------


def test_for_each_assignment_removed(plans: dict[str, Any]) -> None:
    assert _rules(plans, "for-each-removed") == [
        ("group-unassigned", 'okta_app_group_assignment.grafana["ops"]', True)
    ]


def test_for_each_over_authoritative_assignments(plans: dict[str, Any]) -> None:
    verdict = judge(parse_plan(json.dumps(_plan(plans, "for-each-authoritative-removed"))))
    assert [(c.rule, c.address) for c in verdict.consequences] == [
        ("group-unassigned", 'okta_app_group_assignments.this["grafana"]')
    ]
    assert verdict.consequences[0].objects[0].startswith("00g")  # ops: its data source is gone


def test_push_group_without_the_delete_flag_removed(plans: dict[str, Any]) -> None:
    assert _rules(plans, "push-no-flag-removed") == [("team-deleted", "okta_push_group.engineering", True)]


def test_sign_up_on_with_scim_user_sync(plans: dict[str, Any]) -> None:
    assert _rules(plans, "sign-up-first") == [("sign-up-with-scim", "grafana_sso_settings.saml", True)]


def test_rejection_switched_on_with_sign_up_already_on(plans: dict[str, Any]) -> None:
    """Sign-up was on before this plan and stays on: not this plan's consequence."""
    assert _rules(plans, "sign-up-reject-on") == [("rejection-turned-on", "grafana_scim_config.this", True)]


def test_token_without_rotation(plans: dict[str, Any]) -> None:
    assert _rules(plans, "token-first") == [
        ("token-never-expires", "grafana_service_account_token.scim", True)
    ]
    assert _cli(_plan(plans, "token-first"))[0] == 0  # minor: below the default --fail-on major
    assert _cli(_plan(plans, "token-first"), "--fail-on", "minor")[0] == 1


def test_token_replaced(plans: dict[str, Any]) -> None:
    assert _rules(plans, "token-replaced") == [
        ("scim-token-replaced", "grafana_service_account_token.scim", True)
    ]


def test_app_replaced_is_a_blocker(plans: dict[str, Any]) -> None:
    assert _rules(plans, "app-replaced") == [("app-destroyed", "okta_app_saml.grafana", True)]
    harm = predicted_harm(judge(parse_plan(json.dumps(_plan(plans, "app-replaced")))).consequences)
    assert harm.sign_ins_refused == {"everyone"} and harm.provisioning_stopped


def test_app_updated_in_place_is_advisory(plans: dict[str, Any]) -> None:
    assert _rules(plans, "app-relabelled") == [("app-full-update", "okta_app_saml.grafana", True)]
    assert _cli(_plan(plans, "app-relabelled"))[0] == 0


def test_okta_api_provisioning_created_is_advisory(plans: dict[str, Any]) -> None:
    rules = {rule for rule, _, _ in _rules(plans, "okta-api-first")}
    assert "provisioning-settings-changed" in rules


def test_accept_lets_the_run_pass_and_keeps_the_row(plans: dict[str, Any]) -> None:
    plan = _plan(plans, "group-removed")
    code, out = _cli(plan, "--format", "json", "--accept", "group-unassigned:okta_app_group_assignments.prod")
    document = json.loads(out)
    assert code == 0 and document["ok"] is True and document["consequences"][0]["accepted"] is True
    assert _cli(plan, "--accept", "group-unassigned:okta_app_group_assignments.other")[0] == 1
    assert _cli(plan, "--fail-on", "blocker")[0] == 0
    assert _cli(plan, "--fail-on", "none")[0] == 0
