"""Which generated file holds what: the layout both emitters and the writer share."""

from __future__ import annotations

from ..terraform_types import Element

FILE_ORDER = (
    "versions.tf",
    "providers.tf",
    "variables.tf",
    "grafana.tf",
    "okta.tf",
    "outputs.tf",
    "imports.tf",
)
RUNBOOK_FILE = "SCIM_SETUP.md"


def element_file(element: Element) -> str:
    """grafana.tf for grafana_* types, okta.tf for okta_* types."""
    return f"{element.provider}.tf"
