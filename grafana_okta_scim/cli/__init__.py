"""The `grafana-okta-scim` command line: one typer app, commands by concern.

`terraform` (init, synth, check, schema), `companion` (runbook, verify) and `impact`; `common` holds what
they share. `main` is the console-script entry point.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer

from ..version import __version__
from . import companion, terraform
from .common import fail, resolve_spec
from .discover import discover
from .errors import OneLineErrors
from .impact import impact

__all__ = ["app", "fail", "main", "resolve_spec"]

COMMANDS: dict[str, Callable[..., None]] = {
    "init": terraform.init,
    "synth": terraform.synth,
    "check": terraform.check,
    "schema": terraform.schema,
    "runbook": companion.runbook,
    "verify": companion.verify,
    "discover": discover,
    "impact": impact,
}


def _version(value: bool) -> None:
    if value:
        print(f"grafana-okta-scim {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Grafana + Okta SCIM provisioning as Terraform."""


def make_app(commands: dict[str, Callable[..., None]]) -> typer.Typer:
    """The typer app with `commands` (the same options, help and one-line errors for each)."""
    made = typer.Typer(
        name="grafana-okta-scim",
        help="Turn one spec of a Grafana + Okta SCIM integration into Terraform, and finish the rest.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # click's plain help: flags shown as flags, not `<bool>`
        cls=OneLineErrors,
    )
    made.callback()(main_options)
    for name, command in commands.items():
        made.command(name)(command)
    return made


app = make_app(COMMANDS)


def main() -> None:
    """Console-script entry point.

    Typer reads every command's signature when it runs an app; when the first argument names a
    command, an app of that command alone runs it (the same command, options and errors), so a
    synth does not pay for the other seven. Anything else (--help, --version, a typo) runs the
    whole app.
    """
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    (make_app({name: COMMANDS[name]}) if name in COMMANDS else app)()
