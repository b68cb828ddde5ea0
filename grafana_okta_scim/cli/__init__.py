"""The `grafana-okta-scim` command line: one typer app, commands by concern.

`terraform` (init, synth, check, schema), `companion` (runbook, verify), `discover` and `impact`;
`common` holds what they share. `main` is the console-script entry point; `app` is the whole
typer app (built on first use).

A command's module is imported only when that command runs (or the whole app is built), so a
synth does not import what verify, discover or impact need.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..version import __version__
from .errors import OneLineErrors

if TYPE_CHECKING:
    from .common import fail, resolve_spec

__all__ = ["COMMANDS", "app", "fail", "main", "make_app", "resolve_spec"]

COMMANDS: dict[str, str] = {
    "init": "terraform:init",
    "synth": "terraform:synth",
    "check": "terraform:check",
    "schema": "terraform:schema",
    "runbook": "companion:runbook",
    "verify": "companion:verify",
    "discover": "discover:discover",
    "impact": "impact:impact",
}
"""Command name -> `module:function` inside this package, in help order."""

CLI_GC_THRESHOLD = 50_000
"""The command-line process's first-generation threshold of the cyclic garbage collector."""


def command(name: str) -> Callable[..., None]:
    """The function of the command `name` (its module imported now)."""
    module, function = COMMANDS[name].split(":")
    found: Callable[..., None] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return found


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


def make_app(names: list[str]) -> typer.Typer:
    """The typer app with the commands `names` (the same options, help and one-line errors for each)."""
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
    for name in names:
        made.command(name)(command(name))
    return made


_WHOLE_APP: list[typer.Typer] = []


def __getattr__(name: str) -> Any:
    if name == "app":
        if not _WHOLE_APP:
            _WHOLE_APP.append(make_app(list(COMMANDS)))
        return _WHOLE_APP[0]
    if name in ("fail", "resolve_spec"):
        from . import common

        return getattr(common, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point.

    Typer reads every command's signature when it runs an app; when the first argument names a
    command, an app of that command alone runs it (the same command, options and errors), so a
    synth neither imports nor reads the other seven. Anything else (--help, --version, a typo)
    runs the whole app.
    """
    # Pydantic looks for plugins (observability hooks) by reading the entry points of every
    # installed distribution when it builds its first model; the command line does not load
    # them unless PYDANTIC_DISABLE_PLUGINS is already set (set it empty to load them).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A run allocates millions of short-lived objects and frees them by reference counting; at
    # Python's default threshold (700) the cyclic collector would run thousands of times over a
    # heap that only grows (a seventh of a 1,000-integration synth). At 50,000 it runs a few
    # times, and the peak memory is the same (a run makes next to no cyclic garbage).
    gc.set_threshold(CLI_GC_THRESHOLD, 10, 10)
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    made = make_app([name] if name in COMMANDS else list(COMMANDS))
    # What start-up made (modules, classes, validators) lives until exit: frozen, the cyclic
    # garbage collector does not walk it again at every full collection of the run.
    gc.freeze()
    made()
