"""The `verify` and `runbook` commands: exit codes, --json shape, tokens never on screen."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from grafana_okta_scim.cli import app
from grafana_okta_scim.verify.probe import NOTICE

from .conftest import APP_ID, OKTA_TOKEN, ROOT, SCIM_TOKEN

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def run(args, env):
    result = CliRunner().invoke(app, args, env=env)
    assert SCIM_TOKEN not in result.stdout + result.stderr
    assert OKTA_TOKEN not in result.stdout + result.stderr
    return result


def test_all_passing_exits_0_with_the_json_contract(scim_url, okta_url):
    result = run(
        [
            "verify",
            "--example",
            "--integration",
            "prod",
            "--grafana-url",
            scim_url,
            "--okta-url",
            okta_url,
            "--json",
            "--write-test",
        ],
        {"GRAFANA_SCIM_TOKEN": SCIM_TOKEN, "OKTA_API_TOKEN": OKTA_TOKEN},
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report
    assert set(report) == {"integration", "ok", "checks"}
    assert report["integration"] == "prod" and report["ok"] is True
    assert all(set(c) == {"name", "result", "detail", "hint"} for c in report["checks"])
    assert {c["result"] for c in report["checks"]} <= {"pass", "skip"}
    # the write test announces what it leaves behind, on stderr (no prompt: it runs in CI)
    assert NOTICE in result.stderr and NOTICE not in result.stdout


def test_write_test_help_promises_no_deletion_of_users():
    result = CliRunner().invoke(app, ["verify", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert "--write-test" in text and "--phase" in text
    assert "throw-away" not in text and "stays deactivated" in text


def test_a_failed_check_exits_1_and_the_table_names_it(scim_url):
    result = run(
        ["verify", "--example", "--grafana-url", scim_url],
        {"GRAFANA_SCIM_TOKEN": "glsa_not_the_token", "OKTA_API_TOKEN": ""},
    )
    assert result.exit_code == 1
    assert "scim.test_connector" in result.stdout and "FAILED" in result.stdout
    assert "glsa_not_the_token" not in result.stdout


def test_token_from_terraform_dir_with_expiry(tmp_path, scim_url, cloud_plan):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    resource_type, name = cloud_plan.facts.token_address.split(".")
    state = {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": "00000000-0000-0000-0000-000000000001",
        "outputs": {
            "grafana_scim_token": {"value": SCIM_TOKEN, "type": "string", "sensitive": True},
            "okta_app_id": {"value": APP_ID, "type": "string"},
            "phase": {"value": 1, "type": "number"},
        },
        "resources": [
            {
                "mode": "managed",
                "type": resource_type,
                "name": name,
                "provider": 'provider["registry.terraform.io/grafana/grafana"]',
                "instances": [
                    {
                        "schema_version": 0,
                        "attributes": {"expiration": "2000-01-01T00:00:00Z", "key": SCIM_TOKEN, "id": "1"},
                        "sensitive_attributes": [],
                    }
                ],
            }
        ],
        "check_results": None,
    }
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state))
    result = run(
        ["verify", "--example", "--grafana-url", scim_url, "--terraform-dir", str(tmp_path), "--json"],
        {"GRAFANA_SCIM_TOKEN": "", "OKTA_API_TOKEN": ""},
    )
    found = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert found["grafana.token"]["result"] == "pass"
    assert found["scim.test_connector"]["result"] == "pass"
    assert found["grafana.token_expiry"]["result"] == "fail"
    assert "expired at 2000-01-01" in found["grafana.token_expiry"]["detail"]
    assert found["verify.phase"]["detail"] == "phase 1 (from terraform output phase)"
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["verify"], "SPEC: missing"),
        (["verify", "--example", "--integration", "nope"], "--integration: got 'nope'"),
        (["verify", "--example", "--grafana-url", "http://grafana.example.com"], "plain http"),
        (["verify", "--example", "--ca-bundle", "/nonexistent.pem"], "--ca-bundle"),
        (["verify", str(ROOT / "examples" / "multi.yaml")], "--integration: missing"),
        (["runbook", "--example", "--integration", "nope"], "--integration: got 'nope'"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run(args, {"GRAFANA_SCIM_TOKEN": SCIM_TOKEN})
    assert result.exit_code == 2
    assert message in result.stderr


def test_runbook_prints_one_integration_or_all():
    multi = str(ROOT / "examples" / "multi.yaml")
    every = CliRunner().invoke(app, ["runbook", multi])
    assert every.exit_code == 0 and every.stdout.count("<!-- Generated by") > 1
    first = every.stdout.split("# Finish SCIM provisioning: ")[1].split("\n")[0]
    one = CliRunner().invoke(app, ["runbook", multi, "--integration", first])
    assert one.exit_code == 0 and one.stdout.count("<!-- Generated by") == 1
