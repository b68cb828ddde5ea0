"""All or nothing across a multi-integration synth: every os-level call faulted, or interrupted.

A subprocess (tests/core/fault_runner.py) re-runs one synth once per file-system call an
unfaulted run makes, failing call k with EIO or sending SIGINT / SIGTERM at it. Afterwards every
output folder holds its previous bytes or the complete new output (all folders alike), no
temporary file remains, files the tool did not generate are untouched, and a failed run says
why in one line with exit 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grafana_okta_scim.atomic_swap import TEMP_PREFIX

from ..conftest import EXAMPLES_DIR, ROOT

# The unfaulted run's os-level calls (open/write/fsync/replace/rename/mkdir/unlink/rmdir): reading
# the spec and the 21 generated files once each (22; the previous-output reader and the writer share
# one read of each file, so okta.tf is no longer read twice; imports.tf and imports.tf.json, in
# neither folder, are not opened: each folder is listed once and a name it lacks is known missing),
# staging staging's 7 files (open + write: 14), 14 renames to swap them and 7 to set legacy's files
# aside, 2 folder syncs (open + fsync: 4), 14 backups deleted, legacy's folder removed (1). A change
# in how the writer touches the disk changes this number: check that the new one is right.
EXPECTED_CALLS = 76


def _specs(tmp_path: Path) -> tuple[Path, Path]:
    """The old spec (multi.yaml plus a `legacy` integration) and the new one (multi.yaml with the
    staging app relabelled): the new run rewrites staging, prunes legacy and leaves prod alone."""
    spec = yaml.safe_load((EXAMPLES_DIR / "multi.yaml").read_text())
    old = dict(spec, integrations=[*spec["integrations"], dict(spec["integrations"][0], name="legacy")])
    old["integrations"][-1]["grafana"] = dict(
        old["integrations"][-1]["grafana"], url="https://legacy.grafana.net"
    )
    prod, staging = spec["integrations"]
    new = dict(
        spec, integrations=[prod, dict(staging, okta_app=dict(staging["okta_app"], label="Grafana (stage)"))]
    )
    (tmp_path / "old").mkdir()
    old_path, new_path = tmp_path / "old" / "scim.yaml", tmp_path / "scim.yaml"  # one name: one header
    old_path.write_text(yaml.safe_dump(old))
    new_path.write_text(yaml.safe_dump(new))
    return old_path, new_path


@pytest.fixture(scope="module")
def fault_runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("faults")
    old_spec, _ = _specs(work)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "grafana_okta_scim"]
    subprocess.run(
        [*cli, "synth", str(old_spec), "-o", str(work / "pristine")], check=True, env=env, capture_output=True
    )
    user_files = {"prod/terraform.tfvars": "provisioning_enabled = true\n", "prod/.terraform/lock": "x\n"}
    for name, text in user_files.items():
        (work / "pristine" / name).parent.mkdir(parents=True, exist_ok=True)
        (work / "pristine" / name).write_text(text)
    args = ["synth", "scim.yaml", "-o", "out", "--prune"]
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("fault_runner.py")), str(work), *args],
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_an_unfaulted_run_writes_the_new_output_with_a_known_number_of_calls(fault_runs: dict) -> None:
    first = fault_runs["unfaulted"]
    assert first["code"] == 0, first["stderr"]
    assert first["calls"] == EXPECTED_CALLS, first["kinds"]
    tree = first["tree"]
    assert "legacy" not in tree, "pruned"
    assert tree["prod/terraform.tfvars"] == fault_runs["old"]["prod/terraform.tfvars"]
    old = fault_runs["old"]
    assert all(tree[name] == old[name] for name in old if name.startswith("prod/"))
    staging = [name for name in old if name.startswith("staging/") and name != "staging"]
    assert len(staging) == 7 and all(tree[name] != old[name] for name in staging)


@pytest.mark.parametrize("mode", ["fault", "SIGINT", "SIGTERM"])
def test_every_interrupted_run_leaves_the_old_or_the_new_output(fault_runs: dict, mode: str) -> None:
    old, new = fault_runs["old"], fault_runs["unfaulted"]["tree"]
    runs = [run for run in fault_runs["runs"] if run["mode"] == mode]
    assert len(runs) == EXPECTED_CALLS
    outcomes = set()
    for run in runs:
        where = (mode, run["k"], run["stderr"])
        assert not any(TEMP_PREFIX in name for name in run["tree"]), where
        assert "Traceback" not in run["stderr"], where
        if run["code"] == 0:
            assert run["tree"] == new, where
            outcomes.add("new")
            continue
        assert run["tree"] == old, where
        outcomes.add("old")
        if mode == "fault":
            assert run["code"] == 2, where
            lines = run["stderr"].strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: ") and "; expected " in lines[0], where
    assert outcomes == {"old", "new"}, "both outcomes occur: faults before and after the swap"
