"""Values derived from the spec; computed once here and nowhere else."""

from __future__ import annotations

import json
import re

from ..facts import Blocker
from ..spec import Integration

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
    return not scim_config_blockers(integration)


def scim_config_blockers(integration: Integration) -> tuple[Blocker, ...]:
    """Why grafana_scim_config cannot reach the namespace (empty when it can)."""
    grafana = integration.grafana
    if grafana.kind == "cloud":
        return ()
    reasons = []
    if grafana.effective_org_id != 1:
        reasons.append(Blocker(f"org {grafana.effective_org_id}", "namespace ", scim_namespace(integration)))
    if grafana.has_subpath:
        reasons.append(Blocker("a Grafana served from a sub-path", "", grafana.url))
    return tuple(reasons)


def role_sufficient(integration: Integration) -> bool:
    """False when the service account's role very likely cannot call the SCIM API."""
    account = integration.service_account
    return account.role not in ("Editor", "Viewer") or bool(account.fixed_roles)


def allow_sign_up(integration: Integration) -> bool:
    """SAML sign-up: as the spec says, else off when SCIM provisions users (JIT would bypass it)."""
    configured = integration.saml.allow_sign_up
    return configured if configured is not None else not integration.scim.user_sync


def assignments_authoritative(integration: Integration) -> bool:
    """Whether one resource owns every group assignment of the app (the spec's choice; default
    true for an app the spec creates — the spec requires a choice for an adopted app)."""
    configured = integration.okta_app.assignments_authoritative
    return configured if configured is not None else integration.adopt.okta_app_id is None


def org_attribute_value(integration: Integration) -> str:
    """The value the Okta app sends in the org attribute: names the integration's Grafana org."""
    return f"org-{integration.grafana.effective_org_id}"


def org_mapping(integration: Integration) -> tuple[str, ...] | None:
    """Grafana's SAML org_mapping entries: the spec's; else none when SCIM provisions users (SCIM
    puts them into the org, and org sync would then overwrite memberships at every sign-in);
    else, for org N other than 1, every user into org N (with the role mapping's role, or Viewer)."""
    saml = integration.saml
    if isinstance(saml.org_mapping, str):
        return tuple(entry for entry in saml.org_mapping.split(",") if entry)
    if saml.org_mapping is not None:
        return tuple(saml.org_mapping)
    org_id = integration.grafana.effective_org_id
    if org_id == 1 or integration.scim.user_sync:
        return None
    role = "" if saml.role_source else ":Viewer"
    return (f"{org_attribute_value(integration)}:{org_id}{role}",)


def grafana_list_values(value: object) -> list[str]:
    """A Grafana list setting as Grafana reads it (util.SplitString): a JSON list when the text
    starts with `[`, else the fields between commas and whitespace."""
    if isinstance(value, list):
        return [str(item) for item in value]
    text = str(value or "").strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return []
        return [str(item) for item in parsed] if isinstance(parsed, list) else []
    return [part for part in re.split(r"[,\s]+", text) if part]


def skip_org_role_sync(integration: Integration) -> bool:
    """Grafana's skip_org_role_sync: the spec's; else true where SCIM provisions the membership
    and no role mapping or org_mapping is asked for (sign-in then changes no org or role)."""
    saml = integration.saml
    if saml.skip_org_role_sync is not None:
        return saml.skip_org_role_sync
    return integration.scim.user_sync and saml.role_source is None and saml.org_mapping is None


def grafana_list(values: tuple[str, ...] | list[str]) -> str:
    """A Grafana list setting as a JSON list: Grafana splits any other text on commas and
    whitespace (util.SplitString), so "Grafana Admins" would become two values."""
    return json.dumps(list(values), ensure_ascii=False)


def relay_state(integration: Integration) -> str:
    """The relay state Okta sends and Grafana expects for IdP-initiated sign-in."""
    return f"grafana-okta-scim-{integration.name}"


def needs_server_admin(integration: Integration) -> bool:
    """Whether the Grafana credential must be a server admin's (basic auth).

    Self-hosted, writing SAML settings needs `fixed:authentication.config:writer` (by default only
    the server admin holds it), and objects in org N need a credential of org N, which a service
    account token of another org is not.
    """
    grafana = integration.grafana
    if grafana.kind != "enterprise":
        return False
    return integration.saml.configure_grafana or grafana.effective_org_id != 1


def rejection_phased(integration: Integration) -> bool:
    """Whether rejecting non-provisioned users is offered as phase 3 through Terraform."""
    return integration.scim.reject_non_provisioned_users and scim_config_managed(integration)


def user_name_template_type(integration: Integration) -> str | None:
    """okta_app_saml user_name_template_type: the spec's; CUSTOM beside a custom template; else
    None (the provider's BUILT_IN)."""
    app = integration.okta_app
    if app.user_name_template_type is not None:
        return app.user_name_template_type
    return "CUSTOM" if app.user_name_template is not None else None
