"""Shared fixtures for the CDK tests: one synth per example, reused by every test.

Every test here runs against the CDK library this process uses (GRAFANA_OKTA_SCIM_CDK; pytest
sets cdktf unless the variable is set: pyproject [tool.pytest_env]). Under cdktf the folder is
run once more in a fresh process under cdktn (test_other_library.py), so one `pytest` proves both.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim import build, load_spec

os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

if any(importlib.util.find_spec(name) for name in ("cdktf", "cdktn")):
    from grafana_okta_scim.constructs import CDK_LIBRARY, GrafanaOktaScim, cdk

    collect_ignore = [] if CDK_LIBRARY == "cdktf" else ["test_other_library.py"]
else:  # without a CDK extra, this folder is not collected at all
    collect_ignore_glob = ["test_*.py"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(path.name for path in (ROOT / "examples").glob("*.yaml"))
HERE = Path(__file__).resolve().parent
# CDK Terrain's toolchain: cdktn-cli and Node 22 (npm ci --prefix cdk/terrain).
TERRAIN_BIN = ROOT / "cdk" / "terrain" / "node_modules" / ".bin"


def on_terrain_node(env: dict[str, str]) -> dict[str, str]:
    """`env` with cdk/terrain's Node 22 first on PATH and as the jsii kernel's Node (JSII_NODE)."""
    return {
        **env,
        "PATH": os.pathsep.join([str(TERRAIN_BIN), env.get("PATH", "")]),
        "JSII_NODE": str(TERRAIN_BIN / "node"),
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder needs a CDK extra (marker `cdktf`)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.cdktf)


def drop_cdk_metadata(value: Any) -> Any:
    """A synthesized document without the CDK's `//` metadata (and native's `//` header)."""
    if isinstance(value, dict):
        return {key: drop_cdk_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [drop_cdk_metadata(item) for item in value]
    return value


def synth_example(name: str) -> dict[str, dict[str, Any]]:
    """Integration name -> (CDK JSON, native JSON) of one example, both without `//`."""
    spec = load_spec(ROOT / "examples" / name)
    native = build(spec, name)
    app = cdk.Testing.app()
    pairs = {}
    for integration in spec.integrations:
        stack = cdk.TerraformStack(app, integration.name)
        GrafanaOktaScim(
            stack, "scim", integration=integration, okta=spec.okta, terraform=spec.terraform, spec_name=name
        )
        pairs[integration.name] = {
            "cdk": drop_cdk_metadata(json.loads(cdk.Testing.synth(stack, True))),  # + validations
            "native": drop_cdk_metadata(native[integration.name].to_json()),
        }
    return pairs


@pytest.fixture(scope="session")
def synthesized() -> dict[str, dict[str, dict[str, Any]]]:
    """Example file -> integration -> {"cdk": ..., "native": ...}; synthesized once."""
    return {name: synth_example(name) for name in EXAMPLES}
