"""Golden output: every example's Terraform, in both forms, is stored beside the tests.

Any change to generated output shows up here as a diff to review. Regenerate on purpose with
`UPDATE_GOLDEN=1 pytest tests/core/test_golden.py` and commit the result.
(The runbooks' goldens live in tests/golden/runbook/, checked by the companion tests.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.emit.file_names import RUNBOOK_FILE
from tests.conftest import EXAMPLE_SPECS, ROOT

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def generated(spec_path: Path, fmt: str) -> dict[str, str]:
    docs = build(load_spec(spec_path), spec_path.name)
    files: dict[str, str] = {}
    for name, doc in docs.items():
        rendered = doc.to_hcl_files() if fmt == "hcl" else doc.to_json_files()
        files.update({f"{name}/{file}": text for file, text in rendered.items()})
    return files


@pytest.mark.parametrize("fmt", ["hcl", "json"])
@pytest.mark.parametrize("spec_path", EXAMPLE_SPECS, ids=[p.stem for p in EXAMPLE_SPECS])
def test_output_matches_golden(spec_path: Path, fmt: str) -> None:
    folder = GOLDEN / spec_path.stem / fmt
    files = generated(spec_path, fmt)
    if UPDATE:
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file():
                path.unlink()
        for relative, text in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stored = {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != RUNBOOK_FILE
    }
    assert stored, f"no golden output in {folder}; run with UPDATE_GOLDEN=1"
    assert sorted(stored) == sorted(files)
    for relative, text in files.items():
        assert stored[relative] == text, f"{spec_path.name} {fmt} {relative} differs from golden"
