"""The `discover` command: its flags, and the report as rich tables (the run is discover.runner)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..discover.runner import DiscoverOptions, run
from ..exit_codes import EXIT_OK


class Kind(StrEnum):
    """Grafana kind."""

    cloud = "cloud"
    enterprise = "enterprise"


STYLES = {"keeps access": "green", "changes sign-in": "yellow", "removes access": "bold red"}


def render_table(report: dict[str, Any], stream: Any = None, width: int | None = None) -> None:
    """The report as rich tables: differences, then findings."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, soft_wrap=False, highlight=False, width=width)
    table = Table(title=f"discover {report['integration']}: live vs the generated Terraform")
    for column in ("object", "field", "live", "terraform", "impact"):
        table.add_column(column, overflow="fold")
    for d in report["differences"]:
        table.add_row(
            d["object"],
            d["field"],
            _cell(d["live"]),
            _cell(d["terraform"]),
            f"[{STYLES[d['impact']]}]{d['impact']}[/]",
        )
    console.print(table, markup=True)
    if report.get("import_updates"):
        imports = Table(title="changed by the imports alone (nothing differs live)")
        for column in ("object", "field", "imported", "terraform", "class", "why"):
            imports.add_column(column, overflow="fold")
        for u in report["import_updates"]:
            where = f"{u['object']}[{u['key']}]" if u["key"] else u["object"]
            imports.add_row(
                where, u["field"], _cell(u["imported"]), _cell(u["terraform"]), u["impact"], u["why"]
            )
        console.print(imports, markup=False)
    notes = Table(title="findings")
    for column in ("kind", "object", "detail"):
        notes.add_column(column, overflow="fold")
    for f in report["findings"]:
        notes.add_row(f["kind"], f["object"], f["text"])
    console.print(notes, markup=False)
    console.print(
        f"wrote {report['spec']}; next: grafana-okta-scim synth, then {report['plan']}", markup=False
    )


def _cell(value: Any) -> str:
    return "(none)" if value in (None, "") else str(value)


def discover(
    okta_app: Annotated[str, typer.Option("--okta-app", help="Okta app id (0oa...) or exact label.")],
    okta_org: Annotated[str, typer.Option("--okta-org", help="Okta org name (example in example.okta.com).")],
    grafana: Annotated[str, typer.Option("--grafana", help="The Grafana instance's real https URL.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Spec file to write.")],
    okta_base_url: Annotated[str, typer.Option("--okta-base-url", help="Okta domain.")] = "okta.com",
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="cloud or enterprise (default: cloud on *.grafana.net).")
    ] = None,
    stack_slug: Annotated[str | None, typer.Option("--stack-slug", help="Cloud stack slug.")] = None,
    stack_id: Annotated[int | None, typer.Option("--stack-id", help="Cloud stack id.")] = None,
    org_id: Annotated[int | None, typer.Option("--org-id", help="Self-hosted org id.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Integration name.")] = None,
    service_account: Annotated[
        str, typer.Option("--service-account", help="Service account name.")
    ] = "okta-scim",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing spec file.")] = False,
    append: Annotated[
        bool, typer.Option("--append", help="Add the integration to an existing spec.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    grafana_url: Annotated[
        str | None, typer.Option("--grafana-url", help="Send Grafana API calls here.")
    ] = None,
    okta_url: Annotated[str | None, typer.Option("--okta-url", help="Send Okta API calls here.")] = None,
) -> None:
    """Read an existing Okta SAML app and Grafana setup (GET only) and write a spec adopting it.

    Exit 0 written, 2 bad input, 1 an API or credential failure; nothing is written unless 0.
    Tokens come from OKTA_API_TOKEN and GRAFANA_AUTH, never argv.
    """
    result = run(
        DiscoverOptions(
            okta_app=okta_app,
            okta_org=okta_org,
            grafana=grafana,
            out=out,
            okta_base_url=okta_base_url,
            kind=kind.value if kind else None,
            stack_slug=stack_slug,
            stack_id=stack_id,
            org_id=org_id,
            name=name,
            service_account=service_account,
            force=force,
            append=append,
            grafana_url=grafana_url,
            okta_url=okta_url,
        )
    )
    if result.code != EXIT_OK:
        for problem in result.problems:
            print(f"error: {problem}", file=sys.stderr)
        raise typer.Exit(result.code)
    if as_json:
        print(json.dumps(result.report, indent=2, default=str))
    else:
        render_table(result.report)
