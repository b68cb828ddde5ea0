"""This whole folder once more, under CDK Terrain (cdktn), in a fresh process.

One CDK library per process, so the cdktn run cannot share this (cdktf) process: it is a child
pytest with GRAFANA_OKTA_SCIM_CDK=cdktn over the same files, which then exercise the cdktn library
and the real `cdktn synth`, all on cdk/terrain's Node 22 (the CLI needs it; jsii calls Node 20
end-of-life). Collected only under cdktf (see conftest), so it never recurses;
`GRAFANA_OKTA_SCIM_CDK=cdktn pytest tests/cdktf` runs the cdktn side alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from .conftest import HERE, ROOT, TERRAIN_BIN, on_terrain_node
from .test_differential import CASES


def test_the_folder_passes_under_cdktn(tmp_path: Path) -> None:
    # WHEN every test of this folder runs with the constructs on cdktn
    assert (TERRAIN_BIN / "node").exists(), "run `npm ci --prefix cdk/terrain` (cdktn-cli + Node 22)"
    report = tmp_path / "cdktn.xml"
    env = on_terrain_node({**os.environ, "GRAFANA_OKTA_SCIM_CDK": "cdktn"})
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE.relative_to(ROOT)),
            "-q",
            "-p",
            "no:cacheprovider",
            "-rfEs",
            f"--junitxml={report}",
            f"--basetemp={tmp_path / 'tmp'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = done.stdout[-8000:] + done.stderr[-2000:]
    assert done.returncode == 0, output
    # THEN nothing failed or was skipped, and the differential and CLI tests were among them
    suite = ElementTree.parse(report).getroot().find("testsuite")
    assert suite is not None, output
    counts = {key: int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["failures"] == counts["errors"] == counts["skipped"] == 0, output
    names = [case.get("name", "") for case in suite.iter("testcase")]
    assert sum(name.startswith("test_cdk_synth_equals_native_json[") for name in names) == len(CASES)
    assert {
        "test_cli_synth_of_a_spec_file_matches_native",
        "test_cli_synth_defaults_to_the_context_spec_and_a_relative_local_state",
    } <= set(names)
    assert "test_the_folder_passes_under_cdktn" not in names
