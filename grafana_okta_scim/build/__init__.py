"""spec -> Terraform documents. Every decision about what Terraform to write is made in here.

Modules by concern: `grafana` (service account, roles, SCIM and SAML settings), `okta` (app,
assignments, connection, push), `module` (providers, variables, outputs, imports, backend);
`assemble` puts one integration's parts together in file order.
"""

from __future__ import annotations

from ..document import TerraformDocument
from ..spec import Spec
from .assemble import header_text, integration_document, spec_digest

__all__ = ["build", "header_text", "spec_digest"]


def build(spec: Spec, spec_name: str = "spec.yaml") -> dict[str, TerraformDocument]:
    """One TerraformDocument per integration, keyed by integration name, in spec order."""
    return {
        integration.name: integration_document(integration, spec.okta, spec.terraform, spec_name)
        for integration in spec.integrations
    }
