"""The `impact` command: what a Terraform plan does to people (grafana_okta_scim.impact)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import IntegrationOption, fail, pick, plans

FORMATS = ("table", "markdown", "json")


def impact(
    plan_path: Annotated[
        str,
        typer.Argument(metavar="PLAN", help="`terraform show -json tfplan` output: a file, or - for stdin."),
    ],
    output_format: Annotated[str, typer.Option("--format", help="table, markdown or json.")] = "table",
    fail_on: Annotated[
        str, typer.Option("--fail-on", help="Exit 1 at or above: blocker, major, minor or none.")
    ] = "major",
    accept: Annotated[
        list[str] | None,
        typer.Option("--accept", help="RULE[:ADDRESS]: acknowledge a consequence (repeatable)."),
    ] = None,
    live: Annotated[
        bool,
        typer.Option("--live", help="Count the people concerned (GET only; OKTA_API_TOKEN, GRAFANA_AUTH)."),
    ] = False,
    okta_url: Annotated[
        str | None, typer.Option("--okta-url", help="Okta org URL when the plan's provider block has none.")
    ] = None,
    grafana_url: Annotated[
        str | None, typer.Option("--grafana-url", help="Grafana URL when the plan's provider block has none.")
    ] = None,
    spec_path: Annotated[
        Path | None, typer.Option("--spec", help="The spec the plan came from: name phase and spec keys.")
    ] = None,
    integration: IntegrationOption = None,
) -> None:
    """Judge a Terraform plan for what it does to people (exit 1 at --fail-on, 2 on bad input)."""
    from ..impact import PlanInputError, judge, load_plan
    from ..impact.judge import FAIL_ON, Acceptance

    problems = []
    if output_format not in FORMATS:
        problems.append(f"--format: got {output_format!r}; expected one of: {', '.join(FORMATS)}")
    if fail_on not in FAIL_ON:
        problems.append(f"--fail-on: got {fail_on!r}; expected one of: {', '.join(FAIL_ON)}")
    acceptances = []
    for text in accept or []:
        try:
            acceptances.append(Acceptance.parse(text))
        except ValueError as exc:
            problems.append(str(exc))
    if integration is not None and spec_path is None:
        problems.append("--integration: got a name without --spec; expected --spec FILE as well")
    if problems:
        fail(problems)
    try:
        plan = load_plan(plan_path)
    except PlanInputError as exc:
        fail([exc.problem])
    verdict = judge(plan, acceptances, FAIL_ON[fail_on])
    extra: dict[str, Any] = {}
    if spec_path is not None:
        from ..impact.spec_keys import annotate, phase_of

        found = plans(spec_path, False)
        chosen = pick(found, integration)
        name = next(key for key, value in found.items() if value is chosen)
        annotate(verdict.consequences, name)
        extra = {"integration": name, "phase": phase_of(plan)}
    if live:
        _count_live(plan, verdict, okta_url, grafana_url)
        verdict.reevaluate(acceptances)
    sys.stdout.write(_render(verdict, output_format, extra))
    raise typer.Exit(verdict.exit_code)


def _count_live(plan: Any, verdict: Any, okta_url: str | None, grafana_url: str | None) -> None:
    from ..impact.live import LiveError, count, open_counter, targets

    try:
        counter = open_counter(targets(plan, okta_url, grafana_url))
        count(plan, verdict.consequences, counter)
    except LiveError as exc:
        fail([exc.problem])


def _render(verdict: Any, output_format: str, extra: dict[str, Any]) -> str:
    from ..impact.render import render_json, render_markdown, render_table

    if output_format == "json":
        return render_json(verdict, extra)
    heading = "grafana-okta-scim impact"
    if extra.get("integration"):
        phase = f", phase {extra['phase']}" if extra.get("phase") else ""
        heading += f": {extra['integration']}{phase}"
    return render_markdown(verdict, heading) if output_format == "markdown" else render_table(verdict)
