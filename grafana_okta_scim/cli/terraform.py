"""The commands that write or check Terraform: init, synth, check, schema."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..atomic_swap import ChangeSet, SwapError, apply
from ..emit.file_names import RUNBOOK_FILE
from ..exit_codes import EXIT_FAILURE
from ..loader import example_text
from ..previous_output import PreviousOutput, read_previous_outputs
from ..spec import Spec
from ..spec_schema import SCHEMA_FILE, SCHEMA_MODELINE, spec_json_schema
from ..synth import build
from ..writer import FileTexts, OutputError, WriteReport, check_output, write_output
from .common import ExampleOption, SpecArgument, fail, resolve_spec
from .warning_groups import group_warnings, warning_lines


class OutputFormat(StrEnum):
    """Terraform syntax to write."""

    hcl = "hcl"
    json = "json"


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the commented example spec.")] = Path(
        "scim.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write the commented example spec to start from."""
    if path.is_dir():
        fail([f"{path}: got a folder; expected a file path for the new spec, e.g. {path / 'scim.yaml'}"])
    if os.path.lexists(path) and not force:
        fail([f"{path}: got an existing file; expected a new path (or --force to overwrite it)"])
    try:
        apply(ChangeSet(writes={path: SCHEMA_MODELINE + example_text()}))
    except SwapError as exc:
        fail(exc.problems)
    print(f"wrote {path}; edit it, then: grafana-okta-scim synth {path} -o infra/", file=sys.stderr)
    print(
        f"editor completion: grafana-okta-scim schema > {path.parent / SCHEMA_FILE} "
        "(the first line of the spec points the YAML language server at it)",
        file=sys.stderr,
    )


def synth(
    spec_path: SpecArgument = None,
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Output folder; one sub-folder per integration.")
    ] = Path("infra"),
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="hcl (.tf) or json (.tf.json).")
    ] = OutputFormat.hcl,
    example: ExampleOption = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files this tool did not generate.")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove generated files of integrations no longer in the spec.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only the summary line (problems still print)."),
    ] = False,
) -> None:
    """Write Terraform (and SCIM_SETUP.md) for every integration of the spec."""
    spec, spec_name = resolve_spec(spec_path, example)
    texts = FileTexts()  # each existing file read once: for the previous output and by the writer
    docs = build(spec, spec_name, _previous(spec, out, texts))
    try:
        report = write_output(docs, out, output_format.value, force=force, prune=prune, texts=texts)
    except OutputError as exc:
        fail(exc.problems)
    except KeyboardInterrupt:  # before or after the swap: the writer left every folder whole
        fail([f"{out}: got an interrupt; expected an uninterrupted run (every folder is whole)"])
    groups = group_warnings({name: doc.warnings for name, doc in docs.items()})
    lines = [] if quiet else [*synth_report_lines(report, groups), *next_steps(out, list(docs))]
    lines.append(summary_line(out, len(docs), report, groups))
    sys.stderr.write("".join(line + "\n" for line in lines))


def synth_report_lines(report: WriteReport, groups: dict[str, list[str]]) -> list[str]:
    """The grouped warnings, then the stale folders and the files removed."""
    lines = warning_lines(groups)
    for folder in report.stale_folders:
        action = (
            "pruned"
            if folder in report.pruned_folders
            else "not in the spec any more "
            "(`grafana-okta-scim synth ... --prune` removes its generated files)"
        )
        lines.append(f"stale: {folder}: {action}")
    lines.extend(f"removed {path}" for path in report.removed)
    return lines


def summary_line(out: Path, integrations: int, report: WriteReport, groups: dict[str, list[str]]) -> str:
    """The last line synth prints: what it wrote where, and how many warnings of how many kinds."""
    warnings = sum(len(names) for names in groups.values())
    line = (
        f"{integrations} integration(s) -> {out}: {len(report.written)} written, "
        f"{len(report.unchanged)} unchanged"
    )
    if report.removed:
        line += f", {len(report.removed)} removed"
    if report.stale_folders:
        line += f", {len(report.stale_folders)} stale folder(s)"
    if warnings:
        line += f"; {warnings} warning(s)"
        if len(groups) < warnings:
            line += f" in {len(groups)} sentence(s)"
    return line


def next_steps(out: Path, names: list[str]) -> list[str]:
    """What to do after synth, for the folder(s) it wrote."""
    folder = out / names[0] if len(names) == 1 else out / "<integration>"
    return [
        "next steps:",
        f"  cd {folder}",
        "  terraform init     # downloads grafana/grafana and okta/okta from registry.terraform.io; "
        "offline: `terraform providers mirror DIR` once, then a CLI config with provider_installation",
        "  terraform apply    # phase 1 (GRAFANA_AUTH and OKTA_API_TOKEN set)",
        f"  then follow {folder / RUNBOOK_FILE} (Okta steps, phase 2, verify)",
    ]


def check(
    spec_path: SpecArgument = None,
    out: Annotated[Path | None, typer.Argument(help="Folder synth wrote to.", show_default=False)] = None,
    example: ExampleOption = False,
) -> None:
    """Exit 0 when OUT matches the spec, 1 with a unified diff when it drifted, 2 on bad input."""
    if example and out is None and spec_path is not None:
        spec_path, out = None, spec_path
    if out is None:
        fail(["OUT: missing; expected the folder synth wrote to"])
    if not out.is_dir():
        fail([f"{out}: got no folder; expected the folder synth wrote to"])
    spec, spec_name = resolve_spec(spec_path, example)
    drift = check_output(build(spec, spec_name, _previous(spec, out)), out)
    if drift.clean:
        print(f"{out}: up to date", file=sys.stderr)
        return
    sys.stdout.write(drift.diff)
    print(
        f"{out}: drift: {len(drift.missing)} missing, {len(drift.changed)} changed, "
        f"{len(drift.extra)} extra; run synth to update"
        + (" (with --prune for folders no longer in the spec)" if drift.extra else ""),
        file=sys.stderr,
    )
    raise typer.Exit(EXIT_FAILURE)


def _previous(spec: Spec, out: Path, texts: FileTexts | None = None) -> dict[str, PreviousOutput]:
    """What the integration folders under `out` held (a migration is emitted only from there)."""
    names = [integration.name for integration in spec.integrations]
    return read_previous_outputs(out, names, (texts or FileTexts()).text)


def schema(
    reference: Annotated[
        bool, typer.Option("--reference", help="Print the spec reference (Markdown) instead: every key.")
    ] = False,
) -> None:
    """Print the JSON Schema of the spec file (for editors), or with --reference every key's meaning."""
    if reference:
        from ..spec_reference import render_reference

        sys.stdout.write(render_reference())
        return
    print(json.dumps(spec_json_schema(), indent=2, sort_keys=True))
