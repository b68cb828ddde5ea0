"""verify knows the apply phase (--phase, else the module's `phase` output) and skips the
checks of later phases instead of failing them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from grafana_okta_scim import example_spec
from grafana_okta_scim.cli import app
from grafana_okta_scim.synth import plan
from grafana_okta_scim.verify.runner import verify
from grafana_okta_scim.verify.target import UsageError
from tests.twin import consumers

from .conftest import APP_ID, SCIM_TOKEN, fast_options
from .test_verify_okta import okta_only
from .test_verify_scim import checks

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LATER = ("okta.provisioning", "okta.connection", "okta.user_provisioning", "okta.group_push")


@pytest.fixture
def phase_1_okta_url(world):
    """Phase 1 for real: Terraform made the app; provisioning is off, nothing is pushed."""
    assert consumers.cloud_example(world, phase=1).app_id == APP_ID
    return world.okta_url


def fake_terraform(tmp_path, outputs):
    """A `terraform` stand-in answering `output -json` and `state pull`."""
    (tmp_path / "outputs.json").write_text(json.dumps(outputs))
    (tmp_path / "state.json").write_text(json.dumps({"version": 4, "resources": []}))
    script = tmp_path / "terraform"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = output ]; then cat {tmp_path}/outputs.json; '
        f"else cat {tmp_path}/state.json; fi\n"
    )
    script.chmod(0o755)
    return str(script)


def tf_outputs(phase):
    outputs = {
        "grafana_scim_token": {"value": SCIM_TOKEN, "type": "string", "sensitive": True},
        "okta_app_id": {"value": APP_ID, "type": "string"},
    }
    if phase is not None:
        outputs["phase"] = {"value": phase, "type": "number"}
    return outputs


def rejecting_doc():
    spec = example_spec()
    integration = spec.integrations[0]
    scim = integration.scim.model_copy(update={"reject_non_provisioned_users": True})
    spec = spec.model_copy(update={"integrations": [integration.model_copy(update={"scim": scim})]})
    return plan(spec, "cloud.yaml")["prod"]


def test_phase_1_skips_what_needs_provisioning_naming_the_phase(cloud_plan, phase_1_okta_url, sleeps):
    report = verify(cloud_plan, okta_only(sleeps, phase_1_okta_url, phase=1))
    found = checks(report)
    assert found["verify.phase"] == ("pass", "phase 1 (from --phase)", "")
    for name in LATER:
        assert found[name][0] == "skip" and found[name][1].startswith("skipped in phase 1: "), name
    assert "phase 2" in found["okta.group_push"][1]
    assert found["okta.app"][0] == found["okta.attribute_statement"][0] == "pass"
    assert not [c.name for c in report.checks if c.result == "fail" and c.name.startswith("okta")]


def test_phase_2_checks_provisioning_and_group_push(cloud_plan, phase_1_okta_url, sleeps):
    found = checks(verify(cloud_plan, okta_only(sleeps, phase_1_okta_url, phase=2)))
    assert found["okta.provisioning"][0] == "fail"
    assert found["okta.group_push"][:2] == ("fail", "grafana-users: no push mapping")


def test_phase_from_terraform_output(cloud_plan, phase_1_okta_url, tmp_path, sleeps):
    options = okta_only(
        sleeps,
        phase_1_okta_url,
        terraform_dir=tmp_path,
        terraform_binary=fake_terraform(tmp_path, tf_outputs(1)),
    )
    found = checks(verify(cloud_plan, options))
    assert found["verify.phase"] == ("pass", "phase 1 (from terraform output phase)", "")
    assert found["okta.group_push"][0] == "skip"


def test_the_flag_wins_over_the_output(cloud_plan, phase_1_okta_url, tmp_path, sleeps):
    options = okta_only(
        sleeps,
        phase_1_okta_url,
        terraform_dir=tmp_path,
        phase=2,
        terraform_binary=fake_terraform(tmp_path, tf_outputs(1)),
    )
    found = checks(verify(cloud_plan, options))
    assert found["verify.phase"][1] == "phase 2 (from --phase)"
    assert found["okta.group_push"][0] == "fail"


@pytest.mark.parametrize("phase_value", [None, "two", 7])
def test_without_a_phase_verify_assumes_the_latest_and_says_so(
    cloud_plan, okta_url, tmp_path, sleeps, phase_value
):
    options = okta_only(
        sleeps,
        okta_url,
        terraform_dir=tmp_path,
        terraform_binary=fake_terraform(tmp_path, tf_outputs(phase_value)),
    )
    report = verify(cloud_plan, options)
    result, detail, hint = checks(report)["verify.phase"]
    assert (result, detail) == ("skip", "phase unknown; assuming phase 2, the latest the spec allows")
    assert "--phase" in hint
    assert report.checks[0].name == "verify.phase"
    assert checks(report)["okta.group_push"][0] == "pass"  # as before: the full check


def test_latest_phase_is_3_when_the_spec_asks_for_rejection(okta_url, sleeps):
    found = checks(verify(rejecting_doc(), okta_only(sleeps, okta_url)))
    assert found["verify.phase"][1].startswith("phase unknown; assuming phase 3")
    found = checks(verify(rejecting_doc(), okta_only(sleeps, okta_url, phase=3)))
    assert found["verify.phase"] == ("pass", "phase 3 (from --phase)", "")


def test_a_phase_the_spec_does_not_have_is_a_usage_error(cloud_plan, okta_url, sleeps):
    with pytest.raises(UsageError, match=r"--phase: got 3; expected 1 to 2"):
        verify(cloud_plan, fast_options(sleeps, okta_url=okta_url, phase=3))


@pytest.mark.parametrize(("phase", "message"), [("3", "--phase: got 3"), ("0", "--phase"), ("x", "--phase")])
def test_cli_refuses_bad_phases_with_exit_2(phase, message):
    result = CliRunner().invoke(
        app,
        ["verify", "--example", "--phase", phase],
        env={"GRAFANA_SCIM_TOKEN": SCIM_TOKEN, "OKTA_API_TOKEN": ""},
    )
    assert result.exit_code == 2 and message in result.stderr
