"""GrafanaScimConfig: Grafana's SCIM settings (what Okta may provision)."""

from __future__ import annotations

from constructs import Construct

from ..spec import ScimSettings
from ..synth.parts import scim_config_part
from ._parts import add_part, construct_path, part_integration, spec_default

PROPS = {
    "scim.user_sync": "user_sync",
    "scim.group_sync": "group_sync",
    "scim.reject_non_provisioned_users": "reject_non_provisioned_users",
}


class GrafanaScimConfig(Construct):
    """Grafana's SCIM settings: `grafana_scim_config`, as the core writes it.

    The grafana provider writes them to namespace `stacks-<stack_id>` when its block sets
    `stack_id`, else to `default` (org 1) at the URL's host: for another org or a Grafana served
    from a sub-path, set `[auth.scim]` in grafana.ini instead of using this construct.

    - user_sync: Okta provisions users; default: True.
    - group_sync: Okta provisions groups as Grafana teams (replaces Team Sync); default: False.
    - reject_non_provisioned_users: refuse sign-in to users SCIM did not provision;
      default: False, every SAML user may sign in.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        user_sync: bool = spec_default(ScimSettings, "user_sync"),
        group_sync: bool = spec_default(ScimSettings, "group_sync"),
        reject_non_provisioned_users: bool = spec_default(ScimSettings, "reject_non_provisioned_users"),
    ) -> None:
        path = construct_path(scope, construct_id)
        integration = part_integration(
            path,
            {
                "scim": {
                    "user_sync": user_sync,
                    "group_sync": group_sync,
                    "reject_non_provisioned_users": reject_non_provisioned_users,
                },
            },
            {"kind": "enterprise"},
            PROPS,
        )
        super().__init__(scope, construct_id)
        # No Grafana URL here: the construct targets the namespace the provider reaches (see above).
        add_part(self, scim_config_part(integration, managed=True))
