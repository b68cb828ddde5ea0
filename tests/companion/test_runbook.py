"""SCIM_SETUP.md: golden file per example spec; no secret from the environment gets in.

Regenerate after an intended change: `UPDATE_GOLDEN=1 pytest tests/companion/test_runbook.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.runbook import render_runbook
from grafana_okta_scim.synth import IntegrationPlan

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden" / "runbook"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def runbooks(path) -> str:
    docs = build(load_spec(path), path.name)
    return "\n".join(render_runbook(IntegrationPlan.of(doc)) for doc in docs.values())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_runbook_matches_golden(example):
    golden = GOLDEN / f"{example.stem}.md"
    text = runbooks(example)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no {golden}; run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_every_golden_has_an_example():
    assert {p.stem for p in GOLDEN.glob("*.md")} == {p.stem for p in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_runbook_starts_with_the_header_and_names_the_values(example):
    for doc in build(load_spec(example), example.name).values():
        text = render_runbook(IntegrationPlan.of(doc))
        assert text.splitlines()[0] == f"<!-- {doc.header} -->"
        assert doc.facts.scim_base_url in text
        assert "terraform output -raw grafana_scim_token" in text
        assert ("[auth.scim]" in text) and ("#655" in text and "#710" in text)
        assert "terraform apply -var provisioning_enabled=true" in text
        assert ("group push mappings" in text) == bool(doc.facts.push_groups)
        phase_3 = "-var reject_non_provisioned_users=true" in text
        assert phase_3 == doc.facts.rejection_phased
        assert ("## Phase 3" in text) == doc.facts.rejection_offered
        assert (
            f"grafana-okta-scim verify --integration {doc.facts.integration_name} --terraform-dir ." in text
        )
        assert doc.facts.spec_name in text
        assert ("GF_AUTH_SCIM_USER_SYNC_ENABLED" in text) == (not doc.facts.scim_config_managed)
        assert ("enableSCIM" in text) == (doc.facts.grafana_kind == "enterprise")


def test_no_secret_from_the_environment_reaches_the_runbook(tmp_path):
    # GIVEN every credential variable set to a recognisable secret
    secrets = {
        name: f"s3cr3t-{name.lower()}-9f8e7d"
        for name in (
            "GRAFANA_SCIM_TOKEN",
            "OKTA_API_TOKEN",
            "GRAFANA_AUTH",
            "TF_VAR_okta_api_token",
            "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN",
            "TF_VAR_grafana_saml_private_key",
        )
    }
    env = {**os.environ, **secrets}
    # WHEN the runbook command prints every example in a fresh process
    outputs = [
        subprocess.run(
            [sys.executable, "-c", "from grafana_okta_scim.cli import main; main()", "runbook", str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        ).stdout
        for path in EXAMPLES
    ]
    # THEN none of them appears
    assert all(outputs)
    for secret in secrets.values():
        assert not any(secret in out for out in outputs)


def test_importing_the_package_and_cli_stays_lean():
    code = (
        "import sys, grafana_okta_scim, grafana_okta_scim.cli, grafana_okta_scim.runbook; "
        "print(sorted(m for m in ('httpx', 'rich', 'scim2_client', 'scim2_models') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"


def test_the_runbooks_verify_command_works_pasted_in_its_folder(tmp_path, monkeypatch) -> None:
    """GIVEN synth wrote infra/prod from scim.yaml WHEN the runbook's verify line runs in infra/prod
    THEN verify finds scim.yaml in a parent folder (it gets as far as asking for the SCIM token)."""
    import re
    import shutil

    from typer.testing import CliRunner

    from grafana_okta_scim.cli import app
    from tests.conftest import EXAMPLES_DIR

    shutil.copy(EXAMPLES_DIR / "cloud.yaml", tmp_path / "scim.yaml")
    runner = CliRunner()
    assert (
        runner.invoke(app, ["synth", str(tmp_path / "scim.yaml"), "-o", str(tmp_path / "infra")]).exit_code
        == 0
    )
    folder = tmp_path / "infra" / "prod"
    line = re.search(r"^ *(grafana-okta-scim verify .*)$", (folder / "SCIM_SETUP.md").read_text(), re.M)
    assert line is not None
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GRAFANA_SCIM_TOKEN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no terraform: the token cannot be read
    result = runner.invoke(app, line.group(1).split()[1:])
    assert "SPEC" not in result.stderr and "spec file" not in result.stderr, result.stderr
    assert result.exit_code in (1, 2) and "token" in (result.stdout + result.stderr).lower(), result.stdout
