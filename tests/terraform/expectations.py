"""What Terraform must plan for each example spec (shared by the native and cdktf tests)."""

from __future__ import annotations

_CLOUD_CORE = {
    "grafana_scim_config.prod",
    "grafana_service_account.prod",
    "grafana_service_account_token.prod",
    "grafana_sso_settings.prod",
    "okta_app_group_assignments.prod",
    "okta_app_saml.prod",
}

# example -> integration -> exact set of managed resource instances in the plan.
EXPECTED_PLANNED: dict[str, dict[str, set[str]]] = {
    # An adopted app is not authoritative (assignments_authoritative: false): one assignment per
    # listed group, other groups of the app untouched.
    "adopt": {
        "prod": (_CLOUD_CORE - {"okta_app_group_assignments.prod"})
        | {'okta_app_group_assignment.prod["grafana-users"]'}
    },
    # Group push waits for var.provisioning_enabled (false by default): for_each over no group.
    "cloud": {"prod": _CLOUD_CORE},
    "enterprise": {
        "grafana": {
            "grafana_scim_config.grafana",
            "grafana_service_account.grafana",
            "grafana_service_account_token.grafana",
            "grafana_sso_settings.grafana",
            "okta_app_group_assignments.grafana",
            "okta_app_saml.grafana",
        }
    },
    # grafana_scim_config cannot reach org 2 behind a sub-path: left to the runbook.
    "enterprise-org2-subpath": {
        "ops": {
            "grafana_service_account.ops",
            "grafana_service_account_rotating_token.ops",
            "grafana_sso_settings.ops",
            "okta_app_group_assignments.ops",
            "okta_app_saml.ops",
        }
    },
    "least-privilege": {
        "prod": _CLOUD_CORE
        | {
            'grafana_role_assignment_item.prod["fixed:org.users:writer"]',
            'grafana_role_assignment_item.prod["fixed:teams:writer"]',
        }
    },
    "multi": {
        "prod": _CLOUD_CORE,
        "staging": {
            "grafana_cloud_stack_service_account.staging",
            "grafana_cloud_stack_service_account_token.staging",
            "grafana_scim_config.staging",
            "grafana_sso_settings.staging",
            "okta_app_group_assignments.staging",
            "okta_app_saml.staging",
        },
    },
    # Group push, okta_app_connection and okta_app_features are gated on provisioning_enabled in
    # okta-api mode (phase 2: after the admin switched SCIM provisioning on); phase 1 here.
    "okta-api": {
        "prod": (_CLOUD_CORE - {"grafana_service_account_token.prod"})
        | {"grafana_service_account_rotating_token.prod"}
    },
}

# example -> integration -> SCIM namespace at the end of the scim_base_url output.
EXPECTED_NAMESPACE = {
    "adopt": {"prod": "stacks-123456"},
    "cloud": {"prod": "stacks-123456"},
    "enterprise": {"grafana": "default"},
    "enterprise-org2-subpath": {"ops": "org-2"},
    "least-privilege": {"prod": "stacks-123456"},
    "multi": {"prod": "stacks-123456", "staging": "stacks-654321"},
    "okta-api": {"prod": "stacks-123456"},
}

# Import blocks of the adopt example: address -> id Terraform imports.
EXPECTED_IMPORTS = {
    "adopt": {"grafana_service_account.prod": "1:42", "okta_app_saml.prod": "0oa1b2c3d4e5f6g7h8i9"}
}
