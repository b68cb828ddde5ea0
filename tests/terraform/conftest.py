"""Fixtures for real-Terraform tests against the schema-replay providers.

`terraform` (session scope) is a `harness.runner.Terraform`: call `.validate(folder)`,
`.plan(folder)`, or `.validate_files(files)` / `.plan_files(files)` for an in-memory
`name -> text` configuration (what `TerraformDocument.to_hcl_files()` / `to_json_files()` or a
cdktf synth returns). Every run happens in a scratch copy removed afterwards; the launcher folder
and CLI configuration live in a temporary folder removed at the end of the session.

For apply and state across runs: `with terraform.workspace(files) as ws:` then
`ws.apply({"provisioning_enabled": True})`, `ws.plan(...)`, `ws.write(new_files)`,
`ws.set_fixture({...})` (what the providers report: see `harness.fixtures`), `ws.destroy()`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from .harness.runner import Terraform, offline_terraform


@pytest.fixture(scope="session")
def terraform() -> Iterator[Terraform]:
    """The real Terraform binary wired to the replay providers (fails if Terraform is absent)."""
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not on PATH: these tests need Terraform 1.11")
    with offline_terraform("tf-harness-") as terraform:
        yield terraform
