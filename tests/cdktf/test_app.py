"""End to end: the real `npx cdktf synth` on the project's cdktf.json, offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import cdktf
import pytest

from grafana_okta_scim import build, load_spec

from .addresses import by_address
from .conftest import ROOT, drop_cdktf_metadata

CLI = ROOT / "node_modules" / ".bin" / "cdktf"
needs_cli = pytest.mark.skipif(not CLI.exists(), reason="run `npm ci` for cdktf-cli")


def cdktf_synth(outdir: Path, spec: str | None) -> dict[str, dict[str, Any]]:
    """Run `npx cdktf synth` like a user with the venv activated; stack name -> cdk.tf.json."""
    env = {key: value for key, value in os.environ.items() if key != "GRAFANA_OKTA_SCIM_SPEC"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["CHECKPOINT_DISABLE"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    if spec is not None:
        env["GRAFANA_OKTA_SCIM_SPEC"] = spec
    result = subprocess.run(
        ["npx", "--no-install", "cdktf", "synth", "--output", str(outdir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: json.loads((outdir / stack["synthesizedStackPath"]).read_text(encoding="utf-8"))
        for name, stack in manifest["stacks"].items()
    }


@needs_cli
def test_cdktf_synth_of_a_spec_file_matches_native(tmp_path: Path) -> None:
    # GIVEN a spec with two integrations, named by the environment variable
    spec_path = "examples/multi.yaml"
    native = build(load_spec(ROOT / spec_path), "multi.yaml")
    # WHEN the cdktf CLI synthesizes the project's app
    stacks = cdktf_synth(tmp_path / "out", spec_path)
    # THEN there is one stack per integration, each the native module address by address
    assert sorted(stacks) == sorted(native)
    for name, document in stacks.items():
        got = by_address(drop_cdktf_metadata(document))
        want = by_address(drop_cdktf_metadata(native[name].to_json()))
        assert got == want, name


@needs_cli
def test_cdktf_synth_defaults_to_the_context_spec_and_a_relative_local_state(
    tmp_path: Path,
) -> None:
    # WHEN no spec is named in the environment (cdktf.json context `spec`: examples/cloud.yaml)
    outdir = tmp_path / "out"
    stacks = cdktf_synth(outdir, None)
    native = build(load_spec(ROOT / "examples" / "cloud.yaml"), "cloud.yaml")
    # THEN the cloud example is synthesized, its state file kept beside cdktf.json
    assert sorted(stacks) == sorted(native)
    (name, document), = stacks.items()
    path = document["terraform"]["backend"]["local"]["path"]
    assert not Path(path).is_absolute()
    assert (outdir / "stacks" / name / path).resolve() == ROOT / f"terraform.{name}.tfstate"
    assert str(tmp_path) not in json.dumps(document)
    document["terraform"].pop("backend")
    assert by_address(drop_cdktf_metadata(document)) == by_address(
        drop_cdktf_metadata(native[name].to_json())
    )


def test_app_reads_the_spec_from_env_then_context_then_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sys.path.insert(0, str(ROOT / "cdk"))
    try:
        import main as cdk_main
    finally:
        sys.path.remove(str(ROOT / "cdk"))
    monkeypatch.delenv("GRAFANA_OKTA_SCIM_SPEC", raising=False)
    context_app = cdktf.App(
        outdir=str(tmp_path), context={"spec": str(ROOT / "examples" / "enterprise.yaml")}
    )
    assert cdk_main.read_spec(context_app)[1] == "enterprise.yaml"
    monkeypatch.setenv("GRAFANA_OKTA_SCIM_SPEC", str(ROOT / "examples" / "adopt.yaml"))
    assert cdk_main.read_spec(context_app)[1] == "adopt.yaml"
    monkeypatch.delenv("GRAFANA_OKTA_SCIM_SPEC")
    spec, name = cdk_main.read_spec(cdktf.App(outdir=str(tmp_path)))
    assert name == "cloud.yaml" and spec.integrations
