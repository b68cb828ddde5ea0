"""Command-line errors in the same one-line form as every other problem, exit 2.

Click's own usage errors (unknown option or command, bad value, missing value) and file-system
errors that escape a command become `error: <where>: got ...; expected ...` lines.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any

# typer vendors click: these are the classes its parser raises and its commands are made of
import typer
from typer._click import core as click_core
from typer._click import exceptions as click
from typer._click.exceptions import NoArgsIsHelpError
from typer.core import TyperGroup, TyperOption

from ..errors import os_problem
from ..exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK


class OneLineErrors(TyperGroup):
    """The app's click group: every usage and file-system error is one problem line, exit 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        code: int
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
            code = result if isinstance(result, int) else EXIT_OK
        except NoArgsIsHelpError as exc:
            print(exc.ctx.get_help() if exc.ctx else "", file=sys.stderr)
            code = EXIT_BAD_INPUT
        except click.UsageError as exc:
            print(f"error: {usage_problem(exc)}", file=sys.stderr)
            code = EXIT_BAD_INPUT
        except typer.Abort:
            print(
                "error: (command): got an interrupt; expected the command to run to its end", file=sys.stderr
            )
            code = EXIT_INTERRUPTED
        except OSError as exc:
            print(f"error: {os_problem(exc)}", file=sys.stderr)
            code = EXIT_BAD_INPUT
        if standalone_mode:
            sys.exit(code)
        return code


def usage_problem(exc: click.UsageError) -> str:
    """One `<where>: got ...; expected ...` line for a click usage error."""
    ctx = exc.ctx
    command = ctx.command_path if ctx else "grafana-okta-scim"
    see = f"see `{command} --help`"
    if isinstance(exc, click.NoSuchOption):
        known = _options(ctx.command) if ctx else []
        guess = difflib.get_close_matches(exc.option_name, known, n=1)
        hint = f"did you mean {guess[0]}? " if guess else ""
        return f"{exc.option_name}: got an unknown option; expected one of: {', '.join(known)} ({hint}{see})"
    if isinstance(exc, click.BadOptionUsage):
        return f"{exc.option_name}: got no value; expected a value after it ({see})"
    if isinstance(exc, click.MissingParameter):
        return f"{_hint(exc.param)}: missing; expected a value ({see})"
    if isinstance(exc, click.BadParameter):
        text = re.sub(r"^Value error, ", "", exc.message).rstrip(".")
        match = re.match(r"^(?P<got>.+?) is not (?P<expected>.+)$", text, re.DOTALL)
        if match:
            return f"{_hint(exc.param)}: got {match['got']}; expected {match['expected']}"
        text = re.sub(r"^Input should be ", "", text)
        return f"{_hint(exc.param)}: got an invalid value; expected {text[:1].lower()}{text[1:]}"
    message = exc.message.rstrip(".")
    no_command = re.match(r"^No such command '(?P<name>[^']*)'", message)
    if no_command and ctx is not None and hasattr(ctx.command, "list_commands"):
        names = list(ctx.command.list_commands(ctx))
        guess = difflib.get_close_matches(no_command["name"], names, n=1)
        hint = f"did you mean {guess[0]}? " if guess else ""
        return f"COMMAND: got {no_command['name']!r}; expected one of: {', '.join(names)} ({hint}{see})"
    extra = re.match(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", message)
    if extra:
        return f"{extra['args']}: got an extra argument; expected none ({see})"
    if message == "Missing command":
        return f"COMMAND: missing; expected a command ({see})"
    return f"(command line): got {message}; expected a valid command line ({see})"


def _hint(param: click_core.Parameter | None) -> str:
    if param is None:
        return "(value)"
    if isinstance(param, TyperOption) and param.opts:
        return max(param.opts, key=len)
    return (param.metavar or param.name or "ARGUMENT").upper()


def _options(command: click_core.Command) -> list[str]:
    return [
        opt
        for param in command.params
        if isinstance(param, TyperOption)
        for opt in param.opts
        if opt.startswith("--")
    ] + ["--help"]
