"""What the generated Terraform puts on the Okta app, read back from the document.

No network imports here: the runbook uses it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import Block, BlockList, TerraformDocument


@dataclass(frozen=True)
class ExpectedClaim:
    """The external-uid (userUID) statement the generated Terraform puts on the app."""

    name: str
    values: tuple[str, ...]
    federated: bool


def expected_claim(doc: TerraformDocument) -> ExpectedClaim | None:
    """The external-uid statement as the generated Terraform writes it (None if absent)."""
    name = doc.integration.saml.assertion_attributes.external_uid
    for element in doc.elements:
        if element.kind != "resource":
            continue
        if element.type == "okta_app_federated_claim" and element.body.get("name") == name:
            return ExpectedClaim(name, (_unescape(element.body.get("expression")),), True)
        if element.type == "okta_app_saml":
            statements = element.body.get("attribute_statements")
            bodies: tuple[dict[str, Any], ...] = ()
            if isinstance(statements, BlockList):
                bodies = statements.bodies
            elif isinstance(statements, Block):
                bodies = (statements.body,)
            for body in bodies:
                if body.get("name") == name and isinstance(body.get("values"), list):
                    return ExpectedClaim(
                        name, tuple(_unescape(v) for v in body["values"]), False)
    return None


def _unescape(value: Any) -> str:
    """The Okta expression as Okta stores it (Terraform's `$${` escape undone)."""
    return str(value).replace("$${", "${")
