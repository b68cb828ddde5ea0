"""OktaProvisioning: SCIM provisioning switched on in the Okta app through the Okta API."""

from __future__ import annotations

from constructs import Construct

from ..errors import short
from ..spec import ToApp
from ..synth.parts import provisioning_part
from ._parts import add_part, check_rules, construct_path, part_integration, secret_value, spec_default
from .secret import Secret

PROPS = {
    "provisioning.to_app.create_users": "create_users",
    "provisioning.to_app.update_user_attributes": "update_user_attributes",
    "provisioning.to_app.deactivate_users": "deactivate_users",
}


class OktaProvisioning(Construct):
    """The app's SCIM connection (`okta_app_connection`) and Provisioning > To App
    (`okta_app_features` USER_PROVISIONING), as the core writes them.

    Okta documents these endpoints only for some catalog apps and may answer status UNKNOWN for a
    custom SAML app (the construct adds a synth warning); run `grafana-okta-scim verify` after apply.
    Add this construct only once SCIM provisioning is switched on in the app's General tab
    ("Enable SCIM provisioning"): the whole-integration construct gates it on
    `provisioning_enabled`, this standalone one has no phase variable.

    - app_id: the Okta app id, e.g. `OktaSamlApp.app_id`; required.
    - base_url: the SCIM connector base URL,
      `<grafana url>/apis/scim.grafana.app/v0alpha1/namespaces/<stacks-<id> | default | org-<id>>`
      (`GrafanaOktaScim.scim_base_url` prints it); required.
    - token: the bearer token Okta sends, e.g. `GrafanaServiceAccount.token`; required.
    - create_users: To App "Create Users"; default: True.
    - update_user_attributes: To App "Update User Attributes"; default: True.
    - deactivate_users: To App "Deactivate Users"; default: True.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        app_id: str,
        base_url: str,
        token: Secret,
        create_users: bool = spec_default(ToApp, "create_users"),
        update_user_attributes: bool = spec_default(ToApp, "update_user_attributes"),
        deactivate_users: bool = spec_default(ToApp, "deactivate_users"),
    ) -> None:
        path = construct_path(scope, construct_id)
        check_rules(
            path,
            [
                (
                    isinstance(app_id, str) and app_id != "",
                    f"app_id: got {short(app_id)}; expected the Okta app id (e.g. OktaSamlApp.app_id)",
                ),
                (
                    isinstance(base_url, str) and base_url != "",
                    f"base_url: got {short(base_url)}; expected the SCIM connector base URL",
                ),
                (
                    isinstance(token, Secret),
                    f"token: got {type(token).__name__}; expected a Secret "
                    "(e.g. GrafanaServiceAccount.token)",
                ),
            ],
        )
        integration = part_integration(
            path,
            {
                "provisioning": {
                    "mode": "okta-api",
                    "to_app": {
                        "create_users": create_users,
                        "update_user_attributes": update_user_attributes,
                        "deactivate_users": deactivate_users,
                    },
                },
            },
            {"kind": "enterprise"},
            PROPS,
        )
        super().__init__(scope, construct_id)
        token_key = secret_value(token)
        assert token_key is not None
        add_part(self, provisioning_part(integration, app_id, token_key, base_url))
