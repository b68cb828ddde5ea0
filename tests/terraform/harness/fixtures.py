"""Per-test answers for the replay providers: what the "remote" side looks like in one test.

A test writes a JSON document and names its path in the `REPLAY_FIXTURE` environment variable of
the `terraform` process (`runner.Workspace.set_fixture` does both); Terraform hands its
environment to the provider plugins it starts, and they read the file on every call, so a test
may change it between two Terraform runs. Without the variable, or where no entry matches, the
providers answer as they always did (data sources: config plus plausible computed values; read:
the state as recorded; import: a state holding only the id).

    {
      "data_sources": [
        {"type": "okta_group", "match": {"name": "ops"}, "values": {"name": "ops-team"}}
      ],
      "read": [
        {"type": "okta_app_group_assignments",
         "append": {"group": [{"id": "00gOUTSIDE0000000000", "priority": 9}]}},
        {"type": "okta_push_group", "match": {"target_group_name": "x"}, "gone": true}
      ],
      "import": [
        {"type": "okta_app_saml", "id": "0oa1b2c3d4e5f6g7h8i9",
         "values": {"label": "Grafana", "metadata_url": "https://example.okta.com/..."}}
      ]
    }

Every entry names a resource or data source `type`. `match` (optional) lists attribute values
that must all be equal in the object the provider was asked about: the data source's
configuration, the resource's current state; an import entry matches the import `id` instead
(no `id`: every import of the type). Every matching entry applies, in order: `values` replaces
top-level attributes or nested blocks, `append` adds elements to a list/set attribute or block
(elements already there are not repeated), `gone: true` (read only) reports the object deleted
outside Terraform. A misspelt key or an attribute the schema does not have is an error
diagnostic, so a typo cannot make a test pass silently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import values
from .schema import Block

ENV_VAR = "REPLAY_FIXTURE"
SECTIONS = ("data_sources", "read", "import")
_ENTRY_KEYS = {
    "data_sources": {"type", "match", "values", "append"},
    "read": {"type", "match", "values", "append", "gone"},
    "import": {"type", "id", "values", "append"},
}


class FixtureError(ValueError):
    """The fixture file is unreadable or names something that does not exist."""


def load(environ: Mapping[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The fixture named by `REPLAY_FIXTURE` (empty sections when unset), checked for shape."""
    path = (os.environ if environ is None else environ).get(ENV_VAR)
    if not path:
        return {}
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        raise FixtureError(f"{path}: {exc}") from None
    if not isinstance(document, dict) or set(document) - set(SECTIONS):
        raise FixtureError(f"{path}: expected an object with keys among {', '.join(SECTIONS)}")
    for section, entries in document.items():
        if not isinstance(entries, list):
            raise FixtureError(f"{path}: {section} must be a list of entries")
        for entry in entries:
            if not isinstance(entry, dict) or "type" not in entry:
                raise FixtureError(f"{path}: every {section} entry needs a type")
            unknown = set(entry) - _ENTRY_KEYS[section]
            if unknown:
                raise FixtureError(f"{path}: {section} entry has unknown keys {sorted(unknown)}")
    return document


def _check_names(entry: dict[str, Any], block: Block) -> None:
    known = set(block.get("attributes", {})) | set(block.get("block_types", {}))
    for key in ("match", "values", "append"):
        missing = set(entry.get(key) or {}) - known
        if missing:
            raise FixtureError(f"{entry['type']} has no attribute {sorted(missing)} ({key})")


def matching(
    fixture: dict[str, Any],
    section: str,
    type_name: str,
    block: Block,
    obj: dict[str, Any],
    import_id: str | None = None,
) -> list[dict[str, Any]]:
    """The entries of `section` for `type_name` whose `match` (or import `id`) fits `obj`."""
    found = []
    for entry in fixture.get(section, []):
        if entry["type"] != type_name:
            continue
        _check_names(entry, block)
        if section == "import":
            if "id" in entry and entry["id"] != import_id:
                continue
        elif any(obj.get(k) != v for k, v in (entry.get("match") or {}).items()):
            continue
        found.append(entry)
    return found


def apply_entries(obj: dict[str, Any], entries: list[dict[str, Any]], block: Block) -> Any:
    """`obj` with every entry's `values` and `append` applied, conformed to `block`; None when an
    entry says the object is gone."""
    result = dict(obj)
    for entry in entries:
        if entry.get("gone"):
            return None
        result.update(entry.get("values") or {})
        result = values.conform(result, block)
        for name, extra in (entry.get("append") or {}).items():
            current = list(result.get(name) or [])
            for element in values.conform({name: extra}, block)[name] or []:
                if element not in current:
                    current.append(element)
            result[name] = current
    return values.conform(result, block)
