"""The spec's JSON Schema (what `grafana-okta-scim schema` prints) and the editor modeline."""

from __future__ import annotations

from typing import Any

from .spec import Spec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:grafana-okta-scim:spec:1"
"""The schema's `$id`: names spec format version 1 (no URL is implied; the schema is local)."""
SCHEMA_FILE = "scim.schema.json"
SCHEMA_MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"
"""First line `init` writes: editors with the YAML language server read the schema beside it."""


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema of a spec file, with `$schema` and `$id`."""
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **Spec.model_json_schema()}
