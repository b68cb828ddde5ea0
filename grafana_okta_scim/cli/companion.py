"""The companion commands: `runbook` and `verify`.

httpx, rich and scim2 are imported inside `verify` only, so the other commands stay lean.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from ..exit_codes import EXIT_FAILURE, EXIT_OK
from .common import ExampleOption, IntegrationOption, SpecArgument, fail, pick, plans, spec_beside


def runbook(
    spec_path: SpecArgument = None,
    example: ExampleOption = False,
    integration: IntegrationOption = None,
) -> None:
    """Print SCIM_SETUP.md: the remaining manual steps, every value filled in."""
    from ..runbook import render_runbook

    found = plans(spec_path, example)
    chosen = [pick(found, integration)] if integration or len(found) == 1 else list(found.values())
    sys.stdout.write("\n".join(render_runbook(one) for one in chosen))


@contextmanager
def _cleanup_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (a cancelled CI job) into SystemExit, so the write test's cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def verify(
    spec_path: SpecArgument = None,
    example: ExampleOption = False,
    integration: IntegrationOption = None,
    grafana_url: Annotated[
        str | None, typer.Option("--grafana-url", help="Replace the spec's Grafana URL.")
    ] = None,
    okta_url: Annotated[
        str | None, typer.Option("--okta-url", help="Replace the spec's Okta org URL.")
    ] = None,
    terraform_dir: Annotated[
        Path | None,
        typer.Option("--terraform-dir", help="Read the token with `terraform output -json` here."),
    ] = None,
    write_test: Annotated[
        bool,
        typer.Option(
            "--write-test",
            help=(
                "Also write as Okta does: reactivate (or create once), update and deactivate the "
                "probe user grafana-okta-scim-verify-probe, which stays deactivated (Grafana cannot "
                "delete SCIM users); with group sync, create, rename, change members of and delete "
                "a probe group."
            ),
        ),
    ] = False,
    phase: Annotated[
        int | None,
        typer.Option(
            "--phase",
            min=1,
            max=3,
            show_default=False,
            help=(
                "The apply phase the integration is in (1, 2 or 3); default: the `phase` output "
                "in --terraform-dir, else the latest phase the spec allows. Checks of later "
                "phases are skipped."
            ),
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ca_bundle: Annotated[
        Path | None, typer.Option("--ca-bundle", help="PEM CA bundle to trust (TLS stays on).")
    ] = None,
    drift: Annotated[
        bool,
        typer.Option(
            "--drift",
            help=(
                "Also compare the live Okta app, assignments, push mappings and Grafana SSO/SCIM settings "
                "with the plan (OKTA_API_TOKEN, GRAFANA_AUTH; checks drift.<object>.<field>)."
            ),
        ),
    ] = False,
) -> None:
    """Check a live integration; exit 0 if nothing failed, 1 if a check failed, 2 on bad input.

    Tokens come from GRAFANA_SCIM_TOKEN (or --terraform-dir) and OKTA_API_TOKEN, never argv.
    """
    from ..verify.http import HttpSettings
    from ..verify.report import render_json, render_table
    from ..verify.runner import VerifyOptions
    from ..verify.runner import verify as run_verify
    from ..verify.target import UsageError

    if terraform_dir is not None and not terraform_dir.is_dir():
        fail([f"--terraform-dir: got {terraform_dir}; expected a directory"])
    if spec_path is None and not example and terraform_dir is not None:
        spec_path = spec_beside(terraform_dir)
        if spec_path is None:
            fail(
                [
                    f"SPEC: missing; expected a spec file path (none named in {terraform_dir}'s generated "
                    "files was found in it or a parent folder)"
                ]
            )
    chosen = pick(plans(spec_path, example), integration)
    if drift and not os.environ.get("OKTA_API_TOKEN"):
        fail(
            [
                "OKTA_API_TOKEN: missing; expected an Okta API token in the environment for --drift "
                "(read-only admin is enough): without it the Okta side cannot be compared"
            ]
        )
    if ca_bundle is not None and not ca_bundle.is_file():
        fail([f"--ca-bundle: got {ca_bundle}; expected a PEM file"])
    options = VerifyOptions(
        grafana_url=grafana_url,
        okta_url=okta_url,
        terraform_dir=terraform_dir,
        write_test=write_test,
        http=HttpSettings(ca_bundle=ca_bundle),
        phase=phase,
    )
    try:
        with _cleanup_on_sigterm():
            report = run_verify(chosen, options)
            if drift:
                from ..discover.drift import verify_drift

                report.extend(
                    verify_drift(
                        spec_path,
                        example,
                        chosen.facts.integration_name,
                        grafana_url=grafana_url,
                        okta_url=okta_url,
                        phase=phase,
                        terraform_dir=terraform_dir,
                    )
                )
    except UsageError as exc:
        fail([str(exc)])
    if as_json:
        print(render_json(report))
    else:
        render_table(report)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILURE)
