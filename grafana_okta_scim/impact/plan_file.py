"""Read `terraform show -json tfplan` output and refuse anything else, one line per problem."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .changes import Plan

EXPECTED = "the output of `terraform show -json tfplan`"
KNOWN_MAJOR = "1"


class PlanInputError(Exception):
    """The input is not a plan this command can judge; `problem` is the one line to print."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def load_plan(source: str) -> Plan:
    """The plan in a file, or on stdin for `-`."""
    if source == "-":
        raw = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise PlanInputError(
                f"PLAN: got {source!r}, no such file; expected {EXPECTED} (a file, or - for stdin)"
            )
        raw = path.read_bytes()
    return parse_plan(raw)


def parse_plan(raw: bytes | str) -> Plan:
    """Validate and wrap a plan document (bytes as read, or text)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if not data.strip():
        raise PlanInputError(f"PLAN: got an empty file; expected {EXPECTED}")
    if data.startswith(b"PK\x03\x04"):
        raise PlanInputError(
            f"PLAN: got a saved binary plan (tfplan); expected {EXPECTED} "
            "(`terraform show -json tfplan > plan.json`)"
        )
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PlanInputError(f"PLAN: got binary data, not JSON; expected {EXPECTED}") from None
    except json.JSONDecodeError as exc:
        if _unclosed(data.decode("utf-8")):
            raise PlanInputError(
                f"PLAN: got truncated JSON (ends at character {exc.pos}); expected {EXPECTED}"
            ) from None
        raise PlanInputError(
            f"PLAN: got text that is not JSON ({exc.msg} at line {exc.lineno}); expected {EXPECTED}"
        ) from None
    return Plan(_validated(document))


def _unclosed(body: str) -> bool:
    """The text opens an object or array that is never closed (a cut-off file)."""
    body = body.strip()
    if body[:1] not in ("{", "["):
        return False
    depth, in_string, escaped = 0, False, False
    for char in body:
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth > 0 or in_string


def _validated(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise PlanInputError(f"PLAN: got a JSON {type(document).__name__}; expected {EXPECTED} (an object)")
    if "lineage" in document and "resources" in document and "resource_changes" not in document:
        raise PlanInputError(f"PLAN: got a Terraform state file (terraform.tfstate); expected {EXPECTED}")
    version = document.get("format_version")
    if not isinstance(version, str) or version.split(".")[0] != KNOWN_MAJOR:
        raise PlanInputError(f"format_version: got {version!r}; expected 1.x ({EXPECTED})")
    is_plan = any(key in document for key in ("planned_values", "resource_changes", "prior_state"))
    if "values" in document and not is_plan:
        raise PlanInputError(
            f"PLAN: got `terraform show -json` of a state, not of a plan; expected {EXPECTED}"
        )
    if not is_plan:
        raise PlanInputError(
            f"PLAN: got JSON without planned_values or resource_changes; expected {EXPECTED}"
        )
    changes = document.get("resource_changes", [])
    if not isinstance(changes, list) or not all(
        isinstance(c, dict) and isinstance(c.get("change"), dict) for c in changes
    ):
        raise PlanInputError(
            "resource_changes: got entries without a change object; expected Terraform's plan JSON"
        )
    return document
