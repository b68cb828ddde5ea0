"""grafana-okta-scim: one spec of a Grafana + Okta SCIM integration -> Terraform.

    from grafana_okta_scim import load_spec, build, write_output
    docs = build(load_spec("scim.yaml"), "scim.yaml")
    write_output(docs, "infra", "hcl")

Importing this package never starts Node: the CDKTF constructs live in the optional
`grafana_okta_scim.constructs` (extra `cdktf`).
"""

from .document import TerraformDocument
from .loader import SpecError, example_spec, load_spec, parse_spec, parse_spec_text
from .spec import Integration, OktaOrg, Spec
from .synth import build
from .version import __version__
from .writer import OutputError, check_output, write_output

__all__ = [
    "Integration",
    "OktaOrg",
    "OutputError",
    "Spec",
    "SpecError",
    "TerraformDocument",
    "__version__",
    "build",
    "check_output",
    "example_spec",
    "load_spec",
    "parse_spec",
    "parse_spec_text",
    "write_output",
]
