"""The group-assignment migrations (finding 5) are configurations Terraform accepts.

GIVEN a folder synth wrote with one assignment form WHEN the spec switches form (or re-keys an
assignment) THEN the new output, with its removed/import/moved blocks, validates in Terraform 1.11.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from grafana_okta_scim import Spec, build
from grafana_okta_scim.previous_output import read_previous_outputs
from grafana_okta_scim.writer import write_output

from .harness.runner import Terraform

pytestmark = pytest.mark.terraform

BASE: dict[str, Any] = {
    "version": 1,
    "okta": {"org_name": "example"},
    "integrations": [
        {
            "name": "prod",
            "grafana": {"kind": "cloud", "url": "https://x.grafana.net", "stack_slug": "x", "stack_id": 7},
            "okta_app": {"assignments": [{"group": "Grafana Admins"}, {"group_id": "00gabc"}]},
        }
    ],
}


def _spec(authoritative: bool, assignments: list[dict[str, Any]] | None = None) -> Spec:
    data = copy.deepcopy(BASE)
    app = data["integrations"][0]["okta_app"]
    app["assignments_authoritative"] = authoritative
    if assignments is not None:
        app["assignments"] = assignments
    return Spec.model_validate(data)


def _resynth(before: Spec, after: Spec, out: Path, form: str) -> dict[str, str]:
    write_output(build(before), out, form)  # type: ignore[arg-type]
    doc = build(after, "spec.yaml", read_previous_outputs(out, ["prod"]))["prod"]
    return doc.to_hcl_files() if form == "hcl" else doc.to_json_files()


@pytest.mark.parametrize("form", ["hcl", "json"])
@pytest.mark.parametrize(
    ("before", "after", "blocks"),
    [
        (_spec(True), _spec(False), ("removed", "import")),
        (_spec(False), _spec(True), ("removed", "import")),
        (_spec(False), _spec(False, [{"group_id": "00gadm"}, {"group_id": "00gabc"}]), ("moved",)),
    ],
    ids=["to-per-group", "to-authoritative", "group-to-group_id"],
)
def test_migration_validates(
    terraform: Terraform, tmp_path: Path, form: str, before: Spec, after: Spec, blocks: tuple[str, ...]
) -> None:
    files = _resynth(before, after, tmp_path, form)
    imports = files["imports.tf" if form == "hcl" else "imports.tf.json"]
    assert all(block in imports for block in blocks)
    validated = terraform.validate_files(files)
    assert validated.ok and validated.valid, validated.describe()
