"""--spec / --integration: the phase a plan moves to and the spec keys behind each rule."""

from __future__ import annotations

from .changes import Plan
from .consequence import Consequence

SPEC_KEYS = {
    "group-unassigned": ["okta_app.assignments"],
    "group-reassigned-unordered": ["okta_app.assignments", "okta_app.assignments_authoritative"],
    "team-deleted": ["okta_app.push_groups", "okta_app.delete_pushed_teams_on_destroy"],
    "app-destroyed": ["okta_app", "grafana.url"],
    "app-full-update": ["okta_app", "saml"],
    "user-matching-changed": ["saml"],
    "user-uid-statement-changed": ["saml.assertion_attributes.external_uid"],
    "saml-endpoint-changed": ["grafana.url"],
    "saml-sign-in-disabled": ["saml.configure_grafana"],
    "sign-up-with-scim": ["saml.allow_sign_up", "scim.user_sync"],
    "role-mapping-changed": ["saml.role_values"],
    "org-mapping-changed": ["saml.org_mapping", "saml.skip_org_role_sync"],
    "rejection-turned-on": ["scim.reject_non_provisioned_users"],
    "scim-sync-turned-off": ["scim.user_sync", "scim.group_sync"],
    "scim-token-replaced": ["service_account.token"],
    "token-never-expires": ["service_account.token"],
    "service-account-weakened": ["service_account.role", "service_account.fixed_roles"],
    "provisioning-turned-off": ["provisioning.mode", "provisioning.to_app"],
    "provisioning-settings-changed": ["provisioning"],
}


def phase_of(plan: Plan) -> int | None:
    """The set-up phase the plan's variables ask for (1, 2 or 3), None without them."""
    provisioning = _flag(plan.variable("provisioning_enabled"))
    if provisioning is None:
        return None
    if _flag(plan.variable("reject_non_provisioned_users")):
        return 3
    return 2 if provisioning else 1


def _flag(value: object) -> bool | None:
    """A bool variable as the plan holds it (`true`, or "true" when given with -var)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return None


def _belongs(address: str, name: str) -> bool:
    last = address.split(".")[-1] if "[" not in address else address.split("[")[0].split(".")[-1]
    return last == name


def annotate(consequences: list[Consequence], integration: str) -> None:
    """Add the spec keys to the consequences at this integration's addresses (in place)."""
    for found in consequences:
        if _belongs(found.address, integration):
            found.spec_keys = [f"integrations[{integration}].{key}" for key in SPEC_KEYS[found.rule]]
