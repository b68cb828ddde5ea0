"""The verify report for fixed server answers, as a golden file (table and JSON): check names,
their order, details and hints cannot change silently.

Regenerate after an intended change: `make golden`.
"""

from __future__ import annotations

import io

import pytest

from grafana_okta_scim.verify.report import render_json, render_table
from grafana_okta_scim.verify.runner import verify
from tests.golden_files import assert_golden_file
from tests.twin.scim import ScimEndpoint

from .conftest import ROOT, fast_options

GOLDEN = ROOT / "tests" / "golden" / "verify"


@pytest.fixture
def fixed_scim(world, integration):
    """The twin Grafana's SCIM mount (Grafana's rules), with ids 1, 2, ... (dates: the twin's
    fixed clock)."""
    grafana = world.twin.grafana_at(world.grafana_public)
    grafana.scim = ScimEndpoint(grafana, id_format="{}")
    return world.grafana_url


@pytest.mark.parametrize("phase", [None, 1], ids=["assumed", "phase-1"])
def test_verify_report_matches_golden(cloud_plan, fixed_scim, okta_url, sleeps, phase):
    # GIVEN fixed answers: the twin's Grafana SCIM mount (fresh) and its Okta org, set up as
    # SCIM_SETUP.md says
    options = fast_options(
        sleeps,
        grafana_url=fixed_scim,
        okta_url=okta_url,
        write_test=True,
        phase=phase,
        notice=lambda text: None,
    )
    # WHEN verify runs with the write test
    report = verify(cloud_plan, options)
    # THEN the JSON and the table are exactly the golden ones
    stem = "report" if phase is None else f"report-phase-{phase}"
    assert_golden_file(f"verify/{stem}.json", render_json(report) + "\n")
    table = io.StringIO()
    render_table(report, table, width=200)
    assert_golden_file(f"verify/{stem}.txt", table.getvalue())


def test_every_golden_is_produced():
    assert sorted(p.name for p in GOLDEN.iterdir()) == [
        "report-phase-1.json",
        "report-phase-1.txt",
        "report.json",
        "report.txt",
    ]
