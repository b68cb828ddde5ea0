"""What every command shares: the spec argument and options, spec loading, bad-input exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ..build import IntegrationPlan, plan
from ..loader import SpecError, example_spec, load_spec
from ..spec import Spec

EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2

SpecArgument = Annotated[Path | None, typer.Argument(help="Spec file (YAML).", show_default=False)]
ExampleOption = Annotated[bool, typer.Option("--example", help="Use the embedded example spec.")]
IntegrationOption = Annotated[
    str | None,
    typer.Option("--integration", help="Integration name; may be left out with one integration."),
]


def fail(problems: list[str]) -> NoReturn:
    """Print one line per problem to stderr and exit with the bad-input code."""
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    raise typer.Exit(EXIT_BAD_INPUT)


def resolve_spec(spec_path: Path | None, example: bool) -> tuple[Spec, str]:
    """The spec and its file name, from a path or the embedded example (exit 2 on problems)."""
    if example and spec_path is not None:
        fail(["SPEC and --example: got both; expected one of them"])
    if example:
        return example_spec(), "cloud.yaml"
    if spec_path is None:
        fail(["SPEC: missing; expected a spec file path, or --example"])
    try:
        return load_spec(spec_path), spec_path.name
    except SpecError as exc:
        fail(exc.problems)


def plans(spec_path: Path | None, example: bool) -> dict[str, IntegrationPlan]:
    """Every integration's plan, from a spec path or the embedded example."""
    spec, spec_name = resolve_spec(spec_path, example)
    return plan(spec, spec_name)


def pick(found: dict[str, IntegrationPlan], name: str | None) -> IntegrationPlan:
    """The named integration's plan, or the only one (exit 2 otherwise)."""
    known = ", ".join(found)
    if name is None:
        if len(found) == 1:
            return next(iter(found.values()))
        fail([f"--integration: missing; expected one of: {known}"])
    if name not in found:
        fail([f"--integration: got {name!r}; expected one of: {known}"])
    return found[name]
