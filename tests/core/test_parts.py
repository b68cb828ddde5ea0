"""The Part API: each part holds exactly the native document's elements for its concern."""

from __future__ import annotations

from grafana_okta_scim import build, example_spec
from grafana_okta_scim.document import Expr
from grafana_okta_scim.synth import derive
from grafana_okta_scim.synth.parts import (
    okta_app_part,
    provisioning_part,
    saml_settings_part,
    scim_config_part,
    service_account_part,
)


def test_parts_are_the_native_elements() -> None:
    # GIVEN the example spec, its native document, and the references document() passes
    spec = example_spec()
    integration = spec.integrations[0]
    document = build(spec)[integration.name]
    facts = document.facts
    app, token = Expr(facts.okta_app_address), Expr(facts.token_address)
    parts = [
        service_account_part(integration),
        scim_config_part(integration),
        okta_app_part(integration),
        saml_settings_part(integration, app.attr("metadata_url"), derive.entity_id(integration)),
        provisioning_part(integration, app.attr("id"), token.attr("key"), derive.scim_base_url(integration)),
    ]
    # THEN every part's elements and locals are native ones, none twice
    elements = [element for part in parts for element in part.elements]
    assert len(elements) == len(set(map(repr, elements)))
    assert all(element in document.elements for element in elements)
    assert all(local in document.locals for part in parts for local in part.locals)
