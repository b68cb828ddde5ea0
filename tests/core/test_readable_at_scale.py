"""What synth prints for many integrations: grouped warnings, --quiet, one summary line last."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.specs import write_spec
from grafana_okta_scim.cli import app
from grafana_okta_scim.cli.warning_groups import group_warnings, shortened, warning_lines
from tests.conftest import EXAMPLES_DIR

BASIC_AUTH = "grafana_auth must be a Grafana server admin's user:password (basic auth)"


@pytest.fixture(scope="module")
def spec_of_twenty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/specs.py's generated fleet: every odd integration is self-hosted (10 of 20)."""
    return write_spec(20, tmp_path_factory.mktemp("spec"))


def synth(runner, *args: str):
    result = runner.invoke(app, ["synth", *args])
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stderr
    return result.stderr.splitlines()


def test_a_sentence_given_for_many_integrations_is_printed_once(runner, spec_of_twenty, tmp_path) -> None:
    lines = synth(runner, str(spec_of_twenty), "-o", str(tmp_path))
    sentence = [i for i, line in enumerate(lines) if BASIC_AUTH in line]
    assert len(sentence) == 1
    assert lines[sentence[0]].startswith(f"warning: {BASIC_AUTH}")
    assert lines[sentence[0] + 1] == "  concerns 10 integrations: int-0001, int-0003, int-0005 and 7 more"


def test_the_summary_line_comes_last_after_the_next_steps(runner, spec_of_twenty, tmp_path) -> None:
    lines = synth(runner, str(spec_of_twenty), "-o", str(tmp_path))
    assert lines.index("next steps:") < len(lines) - 1
    warnings = sum(1 for line in lines if line.startswith("warning: ")) + sum(
        int(line.split()[1]) - 1 for line in lines if line.startswith("  concerns ")
    )
    kinds = sum(1 for line in lines if line.startswith("warning: "))
    assert lines[-1] == (
        f"20 integration(s) -> {tmp_path}: 140 written, 0 unchanged; "
        f"{warnings} warning(s) in {kinds} sentence(s)"
    )
    again = synth(runner, str(spec_of_twenty), "-o", str(tmp_path))
    assert again[-1].startswith(f"20 integration(s) -> {tmp_path}: 0 written, 140 unchanged; ")


def test_quiet_prints_only_the_summary_line(runner, spec_of_twenty, tmp_path) -> None:
    loud = synth(runner, str(spec_of_twenty), "-o", str(tmp_path / "loud"))
    quiet = synth(runner, str(spec_of_twenty), "-o", str(tmp_path / "quiet"), "--quiet")
    assert len(quiet) == 1
    assert quiet[0] == loud[-1].replace(str(tmp_path / "loud"), str(tmp_path / "quiet"))
    assert (tmp_path / "quiet" / "int-0019" / "okta.tf").read_bytes() == (
        tmp_path / "loud" / "int-0019" / "okta.tf"
    ).read_bytes()


def test_one_integration_keeps_its_name_on_the_warning_line(runner, tmp_path) -> None:
    lines = synth(runner, str(EXAMPLES_DIR / "enterprise-org2-subpath.yaml"), "-o", str(tmp_path))
    assert any(line.startswith("warning: ops: grafana_scim_config not generated") for line in lines)
    assert not any(line.startswith("  concerns ") for line in lines)
    assert lines[-1] == f"1 integration(s) -> {tmp_path}: 7 written, 0 unchanged; 2 warning(s)"


def test_grouping_keeps_spec_order_and_each_integration_once() -> None:
    groups = group_warnings(
        {
            "b": ["b: same", "b: only b", "b: same"],
            "a": ["a: same", "a: b: looks like a prefix"],
        }
    )
    assert groups == {"same": ["b", "a"], "only b": ["b"], "b: looks like a prefix": ["a"]}
    assert warning_lines(groups) == [
        "warning: same",
        "  concerns 2 integrations: b and a",
        "warning: b: only b",
        "warning: a: b: looks like a prefix",
    ]


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (2, "n1 and n2"),
        (4, "n1, n2, n3 and n4"),
        (5, "n1, n2, n3 and 2 more"),
        (1000, "n1, n2, n3 and 997 more"),
    ],
)
def test_names_are_shortened_past_a_few(count: int, shown: str) -> None:
    assert shortened([f"n{i}" for i in range(1, count + 1)]) == shown
