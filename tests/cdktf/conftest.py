"""Shared fixtures for the CDKTF tests: one synth per example, reused by every test."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

try:
    import cdktf

    from grafana_okta_scim.constructs import GrafanaOktaScim
except ImportError:  # without the extra, this folder is not collected at all
    collect_ignore_glob = ["test_*.py"]

from grafana_okta_scim import build, load_spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(path.name for path in (ROOT / "examples").glob("*.yaml"))
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder needs the cdktf extra (marker `cdktf`)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.cdktf)


def drop_cdktf_metadata(value: Any) -> Any:
    """A synthesized document without cdktf's `//` metadata (and native's `//` header)."""
    if isinstance(value, dict):
        return {key: drop_cdktf_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [drop_cdktf_metadata(item) for item in value]
    return value


def synth_example(name: str) -> dict[str, dict[str, Any]]:
    """Integration name -> (cdktf JSON, native JSON) of one example, both without `//`."""
    spec = load_spec(ROOT / "examples" / name)
    native = build(spec, name)
    app = cdktf.Testing.app()
    pairs = {}
    for integration in spec.integrations:
        stack = cdktf.TerraformStack(app, integration.name)
        GrafanaOktaScim(stack, "scim", integration=integration, okta=spec.okta,
                        terraform=spec.terraform, spec_name=name)
        pairs[integration.name] = {
            "cdktf": drop_cdktf_metadata(json.loads(cdktf.Testing.synth(stack))),
            "native": drop_cdktf_metadata(native[integration.name].to_json()),
        }
    return pairs


@pytest.fixture(scope="session")
def synthesized() -> dict[str, dict[str, dict[str, Any]]]:
    """Example file -> integration -> {"cdktf": ..., "native": ...}; synthesized once."""
    return {name: synth_example(name) for name in EXAMPLES}
