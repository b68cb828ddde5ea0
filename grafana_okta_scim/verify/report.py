"""Printing a verify report: a rich table, or the `--json` object."""

from __future__ import annotations

import json
from typing import IO

from .model import Report

STYLES = {"pass": "green", "fail": "bold red", "skip": "yellow", "drift": "magenta"}


def render_json(report: Report) -> str:
    """`{"integration", "ok", "checks": [{"name", "result", "detail", "hint"}]}` as text."""
    return json.dumps(report.to_json(), indent=2)


def render_table(report: Report, stream: IO[str] | None = None, width: int | None = None) -> None:
    """A table of check, result, detail and hint, then a one-line summary."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, soft_wrap=False, highlight=False, width=width)
    table = Table(title=f"verify {report.integration}", show_lines=False)
    for column in ("check", "result", "detail", "hint"):
        table.add_column(column, overflow="fold")
    for check in report.checks:
        table.add_row(check.name, f"[{STYLES[check.result]}]{check.result}[/]", check.detail, check.hint)
    console.print(table, markup=True)
    counts = {result: sum(c.result == result for c in report.checks) for result in STYLES}
    # drift appears only in `--drift` runs that found some; other summaries keep their form
    summary = ", ".join(f"{n} {result}" for result, n in counts.items() if result != "drift" or n)
    console.print(f"{'OK' if report.ok else 'FAILED'}: {summary}", markup=False)
