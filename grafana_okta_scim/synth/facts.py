"""The facts of one integration: what its runbook, verify and discover read instead of the spec."""

from __future__ import annotations

from ..facts import Facts, Toggle, UserIdClaim
from ..spec import Integration, OktaOrg
from ..terraform_types import Element
from . import derive
from .fixed_values import OKTA_USER_ID_EXPRESSION

USERS_WRITER = "fixed:org.users:writer"
TEAMS_WRITER = "fixed:teams:writer"


def to_app_toggles(integration: Integration) -> tuple[Toggle, ...]:
    """Provisioning > To App, in Okta's order and words."""
    to_app = integration.provisioning.to_app
    return (
        Toggle("create_users", "Create Users", to_app.create_users),
        Toggle("update_user_attributes", "Update User Attributes", to_app.update_user_attributes),
        Toggle("deactivate_users", "Deactivate Users", to_app.deactivate_users),
    )


def supported_actions(integration: Integration) -> tuple[Toggle, ...]:
    """Provisioning > Integration supported actions, in Okta's order and words."""
    actions = integration.provisioning.actions
    return (
        Toggle(
            "import_new_users_and_profile_updates",
            "Import New Users and Profile Updates",
            actions.import_new_users_and_profile_updates,
        ),
        Toggle("push_new_users", "Push New Users", actions.push_new_users),
        Toggle("push_profile_updates", "Push Profile Updates", actions.push_profile_updates),
        Toggle("push_groups", "Push Groups", actions.push_groups),
    )


def required_roles(integration: Integration) -> tuple[str, ...]:
    """The fixed roles SCIM calls need (teams only with group sync)."""
    return (USERS_WRITER, TEAMS_WRITER) if integration.scim.group_sync else (USERS_WRITER,)


def integration_facts(
    integration: Integration,
    okta_org: OktaOrg,
    spec_name: str,
    account: Element,
    token: Element,
    app: Element,
    push: Element | None = None,
) -> Facts:
    """Every derived value and decision the consumers of one integration read."""
    account_spec = integration.service_account
    rotation = account_spec.token.rotation
    rejection_phased = derive.rejection_phased(integration)
    return Facts(
        integration_name=integration.name,
        spec_name=spec_name,
        grafana_kind=integration.grafana.kind,
        grafana_url=integration.grafana.url,
        org_id=integration.grafana.effective_org_id,
        acs_url=derive.acs_url(integration),
        entity_id=derive.entity_id(integration),
        scim_namespace=derive.scim_namespace(integration),
        scim_base_url=derive.scim_base_url(integration),
        scim_user_sync=integration.scim.user_sync,
        scim_group_sync=integration.scim.group_sync,
        scim_config_managed=derive.scim_config_managed(integration),
        scim_config_blockers=derive.scim_config_blockers(integration),
        service_account_name=account_spec.name,
        service_account_role=account_spec.role,
        fixed_roles=tuple(account_spec.fixed_roles),
        via_cloud_api=account_spec.via == "cloud_api",
        required_roles=required_roles(integration),
        role_sufficient=derive.role_sufficient(integration),
        needs_server_admin=derive.needs_server_admin(integration),
        token_seconds_to_live=account_spec.token.seconds_to_live,
        token_rotation=(
            None if rotation is None else (rotation.seconds_to_live, rotation.early_rotation_window_seconds)
        ),
        role_attribute=integration.saml.role_attribute,
        org_mapping=derive.org_mapping(integration),
        skip_org_role_sync=derive.skip_org_role_sync(integration),
        okta_org_url=okta_org.org_url,
        okta_app_label=integration.okta_app.label,
        adopted_okta_app_id=integration.adopt.okta_app_id,
        authentication_policy=integration.okta_app.authentication_policy,
        assigned_groups=tuple(a.group or a.group_id or "" for a in integration.okta_app.assignments),
        assignments_authoritative=derive.assignments_authoritative(integration),
        push_groups=tuple(integration.okta_app.push_groups),
        delete_pushed_teams=integration.okta_app.delete_pushed_teams_on_destroy,
        provisioning_mode=integration.provisioning.mode,
        to_app=to_app_toggles(integration),
        supported_actions=supported_actions(integration),
        user_id_claim=UserIdClaim(
            integration.saml.assertion_attributes.external_uid, (OKTA_USER_ID_EXPRESSION,)
        ),
        push_groups_gated=bool(integration.okta_app.push_groups),
        rejection_offered=integration.scim.reject_non_provisioned_users,
        rejection_phased=rejection_phased,
        last_phase=3 if rejection_phased else 2,
        token_address=token.address,
        service_account_address=account.address,
        okta_app_address=app.address,
        push_group_address=None if push is None else push.address,
    )
