"""The facts of one integration: what its consumers (runbook, verify, discover, impact) read.

Plain data synth decides once; no Terraform types, no imports from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Blocker:
    """Why something cannot be managed: `reason`, then `label` + `value` in parentheses."""

    reason: str
    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.label}{self.value})"


@dataclass(frozen=True)
class UserIdClaim:
    """The external-uid (userUID) statement the generated Terraform puts on the Okta app."""

    name: str
    values: tuple[str, ...]
    federated: bool = False


@dataclass(frozen=True)
class Toggle:
    """One Okta checkbox or toggle the spec sets: its label in Okta's console, and on or off."""

    key: str
    label: str
    enabled: bool


@dataclass(frozen=True)
class Facts:
    """What one integration's consumers (runbook, verify, discover) need: derived values, the
    decisions synth made, and the spec values they show. They read these; they never re-decide.
    """

    integration_name: str
    spec_name: str
    # Grafana
    grafana_kind: str
    grafana_url: str
    org_id: int
    acs_url: str
    entity_id: str
    scim_namespace: str
    scim_base_url: str
    scim_user_sync: bool
    scim_group_sync: bool
    scim_config_managed: bool
    scim_config_blockers: tuple[Blocker, ...]
    service_account_name: str
    service_account_role: str
    fixed_roles: tuple[str, ...]
    via_cloud_api: bool
    required_roles: tuple[str, ...]
    role_sufficient: bool
    needs_server_admin: bool
    token_seconds_to_live: int
    token_rotation: tuple[int, int] | None  # (seconds_to_live, early_rotation_window_seconds)
    role_attribute: str | None
    org_mapping: tuple[str, ...] | None
    skip_org_role_sync: bool
    # Okta
    okta_org_url: str
    okta_app_label: str
    adopted_okta_app_id: str | None
    authentication_policy: str | None
    assigned_groups: tuple[str, ...]
    assignments_authoritative: bool
    push_groups: tuple[str, ...]
    delete_pushed_teams: bool
    provisioning_mode: str
    to_app: tuple[Toggle, ...]
    supported_actions: tuple[Toggle, ...]
    user_id_claim: UserIdClaim | None
    # phases
    push_groups_gated: bool
    rejection_offered: bool
    rejection_phased: bool
    last_phase: int
    # addresses in the generated module
    token_address: str
    service_account_address: str
    okta_app_address: str
    push_group_address: str | None = None

    @property
    def okta_api_mode(self) -> bool:
        """Provisioning switched on through okta_app_connection / okta_app_features."""
        return self.provisioning_mode == "okta-api"
