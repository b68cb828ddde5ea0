"""`terraform fmt -check` accepts every example's generated HCL as written by `write_output`."""

from __future__ import annotations

from pathlib import Path

import pytest

from grafana_okta_scim import build, load_spec, write_output
from tests.conftest import EXAMPLE_SPECS
from tests.core._support_checks import NO_TERRAFORM, TERRAFORM, terraform_fmt_check

pytestmark = pytest.mark.skipif(TERRAFORM is None, reason=NO_TERRAFORM)


@pytest.mark.parametrize("spec_path", EXAMPLE_SPECS, ids=[path.stem for path in EXAMPLE_SPECS])
def test_generated_hcl_is_fmt_clean(spec_path: Path, tmp_path: Path) -> None:
    docs = build(load_spec(spec_path), spec_path.name)
    write_output(docs, tmp_path, "hcl")
    written = sorted(tmp_path.rglob("*.tf"))
    assert {path.parent.name for path in written} == set(docs)
    result = terraform_fmt_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_check_fails_on_unformatted_hcl(tmp_path: Path) -> None:
    """The check can fail: a misaligned `=` is reported with a diff."""
    docs = build(load_spec(EXAMPLE_SPECS[0]), EXAMPLE_SPECS[0].name)
    write_output(docs, tmp_path, "hcl")
    victim = next(iter(sorted(tmp_path.rglob("providers.tf"))))
    victim.write_text(
        victim.read_text(encoding="utf-8").replace("  url ", "  url       ", 1), encoding="utf-8"
    )
    result = terraform_fmt_check(tmp_path)
    assert result.returncode != 0
    assert "providers.tf" in result.stdout
