"""examples/library_import.py runs and wires the construct's tokens into the user's stack.

The example is written for cdktf. Under cdktn it runs with one change, its `import cdktf` made
`import cdktn as cdktf`: what the README's migration note promises a CDKTF user.
"""

from __future__ import annotations

import json
import runpy
from importlib import metadata
from pathlib import Path

from grafana_okta_scim.constructs import CDK_LIBRARY

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "library_import.py"


def example_for_this_library(tmp_path: Path) -> Path:
    """The example file, its cdktf import switched to this process's library."""
    if CDK_LIBRARY == "cdktf":
        return EXAMPLE
    source = EXAMPLE.read_text(encoding="utf-8")
    assert source.count("import cdktf\n") == 1 and source.count("from cdktf") == 0
    migrated = tmp_path / "library_import.py"
    source = source.replace("import cdktf\n", f"import {CDK_LIBRARY} as cdktf\n")
    migrated.write_text(source, encoding="utf-8")
    return migrated


def test_library_import_example_runs(tmp_path: Path) -> None:
    # WHEN the example is run as a user would, into a temporary outdir
    example = runpy.run_path(str(example_for_this_library(tmp_path)), run_name="example")
    synthesized = json.loads(example["main"](str(tmp_path / "out")).read_text(encoding="utf-8"))
    # THEN the user's own resource and outputs reference the integration's elements
    claim = synthesized["resource"]["okta_app_federated_claim"]["department"]
    assert claim["app_id"] == "${okta_app_saml.prod.id}"
    assert synthesized["output"]["okta_app"]["value"] == "${okta_app_saml.prod.id}"
    assert synthesized["output"]["scim_connector"]["value"].endswith("/namespaces/stacks-123456")
    assert "grafana_service_account_token" in synthesized["resource"]
    assert synthesized["terraform"]["backend"] == {"local": {"path": "terraform.identity.tfstate"}}
    # AND the stack was synthesized by this process's library
    assert synthesized["//"]["metadata"]["version"] == metadata.version(CDK_LIBRARY)
