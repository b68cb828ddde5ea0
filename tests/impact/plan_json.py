"""Small hand-written plan documents for edge cases (after_unknown, sensitive, one rule each)."""

from __future__ import annotations

import json
from typing import Any


def change(
    address: str,
    actions: list[str],
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    after_unknown: dict[str, Any] | None = None,
    before_sensitive: dict[str, Any] | None = None,
    after_sensitive: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One `resource_changes` entry as `terraform show -json` writes it."""
    type_name, name = address.split("[")[0].split(".")[-2:]
    return {
        "address": address,
        "mode": "managed",
        "type": type_name,
        "name": name,
        "change": {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": after_unknown or {},
            "before_sensitive": before_sensitive or {},
            "after_sensitive": after_sensitive or {},
        },
    }


def plan(*changes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A plan document holding these changes."""
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": list(changes),
        **extra,
    }


def text(document: dict[str, Any]) -> str:
    """The document as the JSON text impact reads."""
    return json.dumps(document)


def saml(**settings: Any) -> dict[str, Any]:
    """grafana_sso_settings values for provider saml."""
    return {"provider_name": "saml", "saml_settings": [{"enabled": True, **settings}]}
