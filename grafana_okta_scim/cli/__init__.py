"""The `grafana-okta-scim` command line: one typer app, commands by concern.

`terraform` (init, synth, check, schema), `companion` (runbook, verify) and `impact`; `common` holds what
they share. `main` is the console-script entry point.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..version import __version__
from . import companion, terraform
from .common import fail, resolve_spec
from .discover import discover
from .errors import OneLineErrors
from .impact import impact

__all__ = ["app", "fail", "main", "resolve_spec"]

app = typer.Typer(
    name="grafana-okta-scim",
    help="Turn one spec of a Grafana + Okta SCIM integration into Terraform, and finish the rest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: flags shown as flags, not `<bool>`
    cls=OneLineErrors,
)


def _version(value: bool) -> None:
    if value:
        print(f"grafana-okta-scim {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Grafana + Okta SCIM provisioning as Terraform."""


app.command()(terraform.init)
app.command()(terraform.synth)
app.command()(terraform.check)
app.command()(terraform.schema)
app.command()(companion.runbook)
app.command()(companion.verify)
app.command()(discover)
app.command()(impact)


def main() -> None:
    """Console-script entry point."""
    app()
