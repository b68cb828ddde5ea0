"""Values derived from the spec; computed once here and nowhere else."""

from __future__ import annotations

from .spec import Integration

SCIM_API_PATH = "/apis/scim.grafana.app/v0alpha1/namespaces"


def scim_namespace(integration: Integration) -> str:
    """Grafana's namespace: `stacks-<id>` on Cloud, `default` for org 1, `org-<id>` otherwise."""
    grafana = integration.grafana
    if grafana.kind == "cloud":
        return f"stacks-{grafana.stack_id}"
    org_id = grafana.effective_org_id
    return "default" if org_id == 1 else f"org-{org_id}"


def scim_base_url(integration: Integration) -> str:
    """The SCIM connector base URL Okta calls."""
    return f"{integration.grafana.url}{SCIM_API_PATH}/{scim_namespace(integration)}"


def acs_url(integration: Integration) -> str:
    """Grafana's SAML assertion consumer service URL (Okta sso_url, recipient, destination)."""
    return f"{integration.grafana.url}/saml/acs"


def entity_id(integration: Integration) -> str:
    """Grafana's SAML entity id / metadata URL (Okta audience)."""
    return f"{integration.grafana.url}/saml/metadata"


def scim_config_managed(integration: Integration) -> bool:
    """Whether grafana_scim_config can reach the right namespace.

    The provider writes to `stacks-<stack_id>` when its block sets stack_id and to `default`
    otherwise, building the URL from scheme and host only: a self-hosted org other than 1 or a
    Grafana served from a sub-path is out of its reach.
    """
    grafana = integration.grafana
    if grafana.kind == "cloud":
        return True
    return grafana.effective_org_id == 1 and not grafana.has_subpath
