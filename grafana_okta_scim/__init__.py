"""grafana-okta-scim: one spec of a Grafana + Okta SCIM integration -> Terraform.

    from grafana_okta_scim import load_spec, build, write_output
    docs = build(load_spec("scim.yaml"), "scim.yaml")
    write_output(docs, "infra", "hcl")

Importing this package never starts Node: the CDKTF constructs live in the optional
`grafana_okta_scim.constructs` (extra `cdktf`). The names below are imported from their modules
on first use, so importing one sub-module (the command line's, say) does not import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .document import TerraformDocument
    from .loader import SpecError, example_spec, load_spec, parse_spec, parse_spec_text
    from .spec import Integration, OktaOrg, Spec
    from .synth import build
    from .writer import OutputError, check_output, write_output

_HOMES = {
    "Integration": "spec",
    "OktaOrg": "spec",
    "Spec": "spec",
    "OutputError": "writer",
    "check_output": "writer",
    "write_output": "writer",
    "SpecError": "loader",
    "example_spec": "loader",
    "load_spec": "loader",
    "parse_spec": "loader",
    "parse_spec_text": "loader",
    "TerraformDocument": "document",
    "build": "synth",
}
"""Public name -> the module (of this package) it comes from."""

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
