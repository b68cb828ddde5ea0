"""The verdict as a terminal table (rich), markdown (a PR comment, $GITHUB_STEP_SUMMARY) or JSON."""

from __future__ import annotations

import io
import json
from typing import Any

from .catalog import Severity
from .consequence import Consequence
from .judge import Verdict

DOCS = "docs/impact.md"
ICONS = {Severity.BLOCKER: "⛔", Severity.MAJOR: "🟠", Severity.MINOR: "🔵"}


def _certainty(found: Consequence) -> str:
    return "" if found.certain else " (may: depends on values known after apply, or on apply order)"


def _people(found: Consequence) -> str:
    return "" if found.people is None else str(found.people)


def _headline(verdict: Verdict) -> str:
    if not verdict.consequences:
        return "No consequences for people: this plan changes no sign-in, provisioning, team or role."
    counts = {level: 0 for level in Severity}
    for found in verdict.consequences:
        counts[found.level] += 1
    parts = [f"{counts[level]} {level.label}" for level in sorted(Severity, reverse=True) if counts[level]]
    state = "passes" if verdict.ok else "fails"
    threshold = verdict.fail_on.label if verdict.fail_on else "none"
    return f"{len(verdict.consequences)} consequence(s): {', '.join(parts)}; {state} (--fail-on {threshold})."


def _spec(found: Consequence) -> str:
    return f" Spec: {', '.join(found.spec_keys)}." if found.spec_keys else ""


def _sentence(found: Consequence) -> str:
    """The summary as one sentence, with its certainty and spec keys."""
    return f"{found.summary}{_certainty(found)}.{_spec(found)}"


def render_json(verdict: Verdict, extra: dict[str, Any] | None = None) -> str:
    """The JSON contract: {"ok", "consequences": [...]} and, beside them, extra keys."""
    document: dict[str, Any] = {"ok": verdict.ok, "consequences": [c.to_json() for c in verdict.consequences]}
    document.update(extra or {})
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(verdict: Verdict, heading: str = "grafana-okta-scim impact") -> str:
    """A pull-request comment: a headline, one table row per consequence, the advice."""
    lines = [f"### {heading}", "", _headline(verdict)]
    if verdict.consequences:
        lines += [
            "",
            "| | Severity | Rule | Address | What happens to people | People |",
            "|---|---|---|---|---|---|",
        ]
        for found in verdict.consequences:
            rule = f"[`{found.rule}`]({DOCS}#{found.rule})"
            status = "accepted" if found.accepted else ICONS[found.level]
            lines.append(
                f"| {status} | {found.level.label} | {rule} | `{_cell(found.address)}` | "
                f"{_cell(_sentence(found))} | {_people(found)} |"
            )
        lines += ["", "<details><summary>What to do instead</summary>", ""]
        for found in verdict.consequences:
            lines.append(f"- `{found.rule}` at `{found.address}`: {found.advice}")
        lines += ["", "</details>"]
        if not verdict.ok:
            lines += ["", "Acknowledge one with `--accept RULE[:ADDRESS]` once the people concerned know."]
    return "\n".join(lines) + "\n"


def render_table(verdict: Verdict, width: int = 120) -> str:
    """A terminal table (rich), then the headline."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False, soft_wrap=False)
    if verdict.consequences:
        table = Table(show_lines=True)
        for column in ("Severity", "Rule", "Address", "What happens to people", "People"):
            table.add_column(column)
        for found in verdict.consequences:
            severity = found.level.label + (" (accepted)" if found.accepted else "")
            table.add_row(
                severity,
                found.rule,
                found.address,
                f"{_sentence(found)}\nInstead: {found.advice}",
                _people(found),
            )
        console.print(table)
    console.print(_headline(verdict))
    return buffer.getvalue()


RENDERERS = {"table": render_table, "markdown": render_markdown}
