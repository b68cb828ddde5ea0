"""End to end: the real CLI of this process's CDK library synthesizes the project's app, offline.

cdktf: `npx cdktf synth` (cdktf-cli from the root package.json, the machine's Node).
cdktn: `cdktn synth` from cdk/terrain (cdktn-cli and Node 22 from its package.json), run with that
Node explicitly, also for the app's jsii kernel. Both CLIs read the same cdktf.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.constructs import CDK_LIBRARY, cdk

from .addresses import by_address
from .conftest import ROOT, TERRAIN_BIN, drop_cdk_metadata, on_terrain_node

CLI = {
    "cdktf": ROOT / "node_modules" / ".bin" / "cdktf",
    "cdktn": TERRAIN_BIN.parent / "cdktn-cli" / "bin" / "cdktn",
}[CDK_LIBRARY]
needs_cli = pytest.mark.skipif(
    not CLI.exists(),
    reason="run `npm ci` (cdktf-cli) and `npm ci --prefix cdk/terrain` (cdktn-cli + Node 22)",
)


def cli_command(*args: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of this library's CLI, as a user with the venv active."""
    env = {key: value for key, value in os.environ.items() if key != "GRAFANA_OKTA_SCIM_SPEC"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["CHECKPOINT_DISABLE"] = "1"
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    env["CI"] = "1"  # no spinner, no prompts
    env["GRAFANA_OKTA_SCIM_CDK"] = CDK_LIBRARY
    if CDK_LIBRARY == "cdktf":
        return ["npx", "--no-install", "cdktf", *args], env
    return [str(TERRAIN_BIN / "node"), str(CLI), *args], on_terrain_node(env)


def cli_synth(outdir: Path, spec: str | None) -> dict[str, dict[str, Any]]:
    """Run `<cli> synth`; stack name -> cdk.tf.json."""
    command, env = cli_command("synth", "--output", str(outdir))
    if spec is not None:
        env["GRAFANA_OKTA_SCIM_SPEC"] = spec
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: json.loads((outdir / stack["synthesizedStackPath"]).read_text(encoding="utf-8"))
        for name, stack in manifest["stacks"].items()
    }


@needs_cli
def test_cli_synth_of_a_spec_file_matches_native(tmp_path: Path) -> None:
    # GIVEN a spec with two integrations, named by the environment variable
    spec_path = "examples/multi.yaml"
    native = build(load_spec(ROOT / spec_path), "multi.yaml")
    # WHEN the library's CLI synthesizes the project's app
    stacks = cli_synth(tmp_path / "out", spec_path)
    # THEN there is one stack per integration, each the native module address by address
    assert sorted(stacks) == sorted(native)
    for name, document in stacks.items():
        got = by_address(drop_cdk_metadata(document))
        want = by_address(drop_cdk_metadata(native[name].to_json()))
        assert got == want, name
        # AND the app ran on this process's library under its own CLI
        assert document["//"]["metadata"]["version"] == metadata.version(CDK_LIBRARY)


@needs_cli
def test_cli_synth_defaults_to_the_context_spec_and_a_relative_local_state(tmp_path: Path) -> None:
    # WHEN no spec is named in the environment (cdktf.json context `spec`: examples/cloud.yaml)
    outdir = tmp_path / "out"
    stacks = cli_synth(outdir, None)
    native = build(load_spec(ROOT / "examples" / "cloud.yaml"), "cloud.yaml")
    # THEN the cloud example is synthesized, its state file kept beside cdktf.json
    assert sorted(stacks) == sorted(native)
    ((name, document),) = stacks.items()
    path = document["terraform"]["backend"]["local"]["path"]
    assert not Path(path).is_absolute()
    assert (outdir / "stacks" / name / path).resolve() == ROOT / f"terraform.{name}.tfstate"
    assert str(tmp_path) not in json.dumps(document)
    document["terraform"].pop("backend")
    assert by_address(drop_cdk_metadata(document)) == by_address(drop_cdk_metadata(native[name].to_json()))


def test_app_reads_the_spec_from_env_then_context_then_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sys.path.insert(0, str(ROOT / "cdk"))
    try:
        import main as cdk_main  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "cdk"))
    monkeypatch.delenv("GRAFANA_OKTA_SCIM_SPEC", raising=False)
    context_app = cdk.App(outdir=str(tmp_path), context={"spec": str(ROOT / "examples" / "enterprise.yaml")})
    assert cdk_main.read_spec(context_app)[1] == "enterprise.yaml"
    monkeypatch.setenv("GRAFANA_OKTA_SCIM_SPEC", str(ROOT / "examples" / "adopt.yaml"))
    assert cdk_main.read_spec(context_app)[1] == "adopt.yaml"
    monkeypatch.delenv("GRAFANA_OKTA_SCIM_SPEC")
    spec, name = cdk_main.read_spec(cdk.App(outdir=str(tmp_path)))
    assert name == "cloud.yaml" and spec.integrations
