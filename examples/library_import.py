"""Library import: GrafanaOktaScim inside your own CDKTF stack, its tokens wired onward.

python examples/library_import.py [OUTDIR]      # writes OUTDIR/stacks/identity/cdk.tf.json
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("CHECKPOINT_DISABLE", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from pathlib import Path

import cdktf
from constructs import Construct

from grafana_okta_scim import example_spec
from grafana_okta_scim.constructs import GrafanaOktaScim, okta


class IdentityStack(cdktf.TerraformStack):
    """An infra repo's stack: the SCIM integration plus resources of its own that use it."""

    def __init__(self, scope: Construct, stack_id: str) -> None:
        super().__init__(scope, stack_id)
        spec = example_spec()
        scim = GrafanaOktaScim(self, "scim", integration=spec.integrations[0], okta=spec.okta)
        # A claim of your own on the same Okta app, referenced by token.
        okta.OktaAppFederatedClaim(
            self,
            "department",
            app_id=scim.okta_app_id,
            name="department",
            expression="user.department",
        )
        cdktf.TerraformOutput(
            self,
            "scim_connector",
            value=scim.scim_base_url,
            description="Paste into Okta: Provisioning > Integration.",
        )
        cdktf.TerraformOutput(self, "okta_app", value=scim.okta_app_id, description="Okta app id.")
        cdktf.LocalBackend(self, path="terraform.identity.tfstate")


def main(outdir: str = "cdktf.out") -> Path:
    """Synthesize the stack into `outdir`; return the stack's cdk.tf.json."""
    app = cdktf.App(outdir=outdir)
    IdentityStack(app, "identity")
    app.synth()
    return Path(outdir) / "stacks" / "identity" / "cdk.tf.json"


if __name__ == "__main__":
    print(main(*sys.argv[1:2]))
