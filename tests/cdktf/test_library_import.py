"""examples/library_import.py runs and wires the construct's tokens into the user's stack."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from .conftest import ROOT


def test_library_import_example_runs(tmp_path: Path) -> None:
    # WHEN the example is run as a user would, into a temporary outdir
    example = runpy.run_path(str(ROOT / "examples" / "library_import.py"), run_name="example")
    synthesized = json.loads(example["main"](str(tmp_path)).read_text(encoding="utf-8"))
    # THEN the user's own resource and outputs reference the integration's elements
    claim = synthesized["resource"]["okta_app_federated_claim"]["department"]
    assert claim["app_id"] == "${okta_app_saml.prod.id}"
    assert synthesized["output"]["okta_app"]["value"] == "${okta_app_saml.prod.id}"
    assert synthesized["output"]["scim_connector"]["value"].endswith("/namespaces/stacks-123456")
    assert "grafana_service_account_token" in synthesized["resource"]
    assert synthesized["terraform"]["backend"] == {"local": {"path": "terraform.identity.tfstate"}}
