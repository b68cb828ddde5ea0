"""Golden output: every example's Terraform, in both forms, is stored beside the tests.

Any change to generated output shows up here as a diff to review. Regenerate on purpose with
`make golden` (every golden test with UPDATE_GOLDEN=1) and commit the result.
(The runbooks' goldens live in tests/golden/runbook/, checked by the companion tests.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grafana_okta_scim import build, load_spec
from grafana_okta_scim.emit.file_names import RUNBOOK_FILE
from tests.conftest import EXAMPLE_SPECS, ROOT
from tests.golden_files import assert_golden_folder, golden_test_files


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
    files = generated(spec_path, fmt)
    assert_golden_folder(f"{spec_path.stem}/{fmt}", files, ignore=frozenset({RUNBOOK_FILE}))


def test_make_golden_runs_every_golden_test() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (listed,) = re.findall(r"^GOLDEN_TESTS := (.*)$", makefile, re.MULTILINE)
    assert sorted(listed.split()) == [str(path.relative_to(ROOT)) for path in golden_test_files()]
