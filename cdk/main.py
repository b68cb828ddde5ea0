"""CDK app: one stack per integration of a spec (what `cdktf synth` / `cdktn synth` and
`... deploy` run; both CLIs read cdktf.json, whose `app` is this file).

Library: CDKTF or CDK Terrain, as grafana_okta_scim.constructs resolves it (env
GRAFANA_OKTA_SCIM_CDK=cdktf|cdktn, else the one installed). Spec: env GRAFANA_OKTA_SCIM_SPEC, else
the cdktf.json context key `spec`, else the embedded example. Backend: the spec's, else a
LocalBackend whose relative path puts the state file beside cdktf.json
(terraform.<integration>.tfstate).
"""

from __future__ import annotations

import os

os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from pathlib import Path

from grafana_okta_scim import Spec, example_spec, load_spec
from grafana_okta_scim.constructs import GrafanaOktaScim, cdk


def read_spec(app: cdk.App) -> tuple[Spec, str]:
    """The spec and its file name, from the environment, the app context or the example."""
    path = os.environ.get("GRAFANA_OKTA_SCIM_SPEC") or app.node.try_get_context("spec")
    if path:
        return load_spec(path), Path(path).name
    return example_spec(), "cloud.yaml"


def local_state_path(app: cdk.App, name: str) -> str:
    """State file path relative to the stack's directory, so no machine path is synthesized."""
    stack_dir = Path(app.outdir).resolve() / "stacks" / name
    return os.path.relpath(Path.cwd() / f"terraform.{name}.tfstate", stack_dir)


def main() -> None:
    app = cdk.App()
    spec, spec_name = read_spec(app)
    for integration in spec.integrations:
        stack = cdk.TerraformStack(app, integration.name)
        GrafanaOktaScim(
            stack,
            "scim",
            integration=integration,
            okta=spec.okta,
            terraform=spec.terraform,
            spec_name=spec_name,
        )
        if spec.terraform.backend is None:
            cdk.LocalBackend(stack, path=local_state_path(app, integration.name))
    app.synth()


if __name__ == "__main__":
    main()
