"""Bad input: one line naming the problem, exit 2, nothing on stdout; an empty plan exits 0."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grafana_okta_scim.cli import app

from .plan_json import plan, text

STATE_FILE = {
    "version": 4,
    "terraform_version": "1.11.4",
    "serial": 3,
    "lineage": "abc",
    "outputs": {},
    "resources": [],
}
SHOWN_STATE = {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {}}}


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as saved:
        saved.writestr("tfplan", b"\x00binary")
    return buffer.getvalue()


BAD = {
    "empty": (b"", "PLAN: got an empty file"),
    "blank": (b"  \n", "PLAN: got an empty file"),
    "not json": (b"Terraform will perform the following actions:", "PLAN: got text that is not JSON"),
    "truncated": (text(plan())[:40].encode(), "PLAN: got truncated JSON"),
    "binary plan": (_zip(), "PLAN: got a saved binary plan (tfplan)"),
    "state file": (json.dumps(STATE_FILE).encode(), "PLAN: got a Terraform state file"),
    "shown state": (json.dumps(SHOWN_STATE).encode(), "PLAN: got `terraform show -json` of a state"),
    "format 2": (
        text({**plan(), "format_version": "2.0"}).encode(),
        "format_version: got '2.0'; expected 1.x",
    ),
    "no format": (b'{"resource_changes": []}', "format_version: got None; expected 1.x"),
    "a list": (b"[1, 2]", "PLAN: got a JSON list"),
    "latin-1": (b"\xff\xfe{", "PLAN: got binary data, not JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    raw, expected = BAD[case]
    path = tmp_path / "plan.json"
    path.write_bytes(raw)
    result = CliRunner().invoke(app, ["impact", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {expected}"), lines
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["impact", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "no such file" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "html"], "--format: got 'html'; expected one of: table, markdown, json"),
        (["--fail-on", "all"], "--fail-on: got 'all'; expected one of: blocker, major, minor, none"),
        (["--accept", "no-such-rule"], "--accept: got 'no-such-rule'; expected RULE[:ADDRESS]"),
        (["--integration", "prod"], "--integration: got a name without --spec"),
    ],
)
def test_bad_options(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, ["impact", "-", *args], input=text(plan()))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {expected}")


@pytest.mark.parametrize("output_format", ["table", "markdown", "json"])
def test_a_plan_without_changes_exits_0(output_format: str) -> None:
    result = CliRunner().invoke(app, ["impact", "-", "--format", output_format], input=text(plan()))
    assert result.exit_code == 0
    if output_format == "json":
        assert json.loads(result.stdout) == {"ok": True, "consequences": []}
    else:
        assert "No consequences for people" in result.stdout
