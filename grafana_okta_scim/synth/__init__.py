"""spec -> Terraform documents and plans (the `synth` command's core). Every decision about what
to write is made in here.

Modules by concern: `derive` (values and decisions computed from the spec), `grafana` (service
account, roles, SCIM and SAML settings), `okta` (app, assignments, connection, push), `module`
(providers, variables, outputs, imports, backend), `migration` (moved/removed/import blocks),
`facts` (what the runbook, verify and discover read), `fixed_values` (the generated Terraform's
constants); `assemble` puts one integration together, `parts` gives the small constructs one
concern each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..document import TerraformDocument
from ..facts import Facts
from ..previous_output import PreviousOutput
from ..spec import Spec
from .assemble import SharedDigest, header_text, integration_document, spec_digest

__all__ = ["IntegrationPlan", "build", "header_text", "plan", "spec_digest"]


@dataclass(frozen=True)
class IntegrationPlan:
    """One integration: its Terraform document, the facts its consumers read, synth's warnings."""

    document: TerraformDocument
    facts: Facts
    warnings: tuple[str, ...]

    @classmethod
    def of(cls, document: TerraformDocument) -> IntegrationPlan:
        """The plan a built document belongs to (its facts are the document's `.facts`)."""
        return cls(document, document.facts, tuple(document.warnings))


def plan(
    spec: Spec, spec_name: str = "spec.yaml", previous: Mapping[str, PreviousOutput] | None = None
) -> dict[str, IntegrationPlan]:
    """One IntegrationPlan per integration, keyed by integration name, in spec order."""
    return {name: IntegrationPlan.of(document) for name, document in build(spec, spec_name, previous).items()}


def build(
    spec: Spec, spec_name: str = "spec.yaml", previous: Mapping[str, PreviousOutput] | None = None
) -> dict[str, TerraformDocument]:
    """One TerraformDocument per integration, keyed by integration name, in spec order.

    `previous`: what the target folders held (previous_output.read_previous_outputs), by
    integration name; a group-assignment migration is emitted only where it changes form.
    """
    previous = previous or {}
    shared = SharedDigest.of(spec.okta, spec.terraform)
    return {
        integration.name: integration_document(
            integration, spec.okta, spec.terraform, spec_name, previous.get(integration.name), shared
        )
        for integration in spec.integrations
    }
