"""Terraform JSON flattened to addresses, so a mismatch names the element it is in."""

from __future__ import annotations

from typing import Any


def by_address(document: dict[str, Any]) -> dict[str, Any]:
    """`resource.okta_app_saml.prod`, `data.okta_group.prod`, `provider.grafana[0]`,
    `variable.x`, `output.x`, `locals.x`, `import[0]`, `terraform.<key>` -> value."""
    flat: dict[str, Any] = {}
    for section, content in document.items():
        if section in ("resource", "data"):
            for type_name, elements in content.items():
                for name, body in elements.items():
                    flat[f"{section}.{type_name}.{name}"] = body
        elif section == "provider":
            for name, configs in content.items():
                for index, body in enumerate(configs):
                    flat[f"provider.{name}[{index}]"] = body
        elif section in ("variable", "output", "locals", "terraform"):
            for name, body in content.items():
                flat[f"{section}.{name}"] = body
        elif section == "import":
            for index, body in enumerate(content):
                flat[f"import[{index}]"] = body
        else:
            flat[section] = content
    return flat
