"""OktaProvisioning: SCIM provisioning switched on in the Okta app through the Okta API."""

from __future__ import annotations

from constructs import Construct

from ..document import Expr
from ._parts import PLACEHOLDER_URL, add_part, check_rules, construct_path, minimal_spec, part_document, short
from .secret import Secret

TYPES = ("okta_app_connection", "okta_app_features")
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
        create_users: bool = True,
        update_user_attributes: bool = True,
        deactivate_users: bool = True,
    ) -> None:
        path = construct_path(scope, construct_id)
        check_rules(path, [
            (isinstance(app_id, str) and app_id != "",
             f"app_id: got {short(app_id)}; expected the Okta app id (e.g. OktaSamlApp.app_id)"),
            (isinstance(base_url, str) and base_url != "",
             f"base_url: got {short(base_url)}; expected the SCIM connector base URL"),
            (isinstance(token, Secret),
             f"token: got {type(token).__name__}; expected a Secret (e.g. GrafanaServiceAccount.token)"),
        ])
        spec = minimal_spec(path, {
            "grafana": {"kind": "enterprise", "url": PLACEHOLDER_URL},
            "provisioning": {
                "mode": "okta-api",
                "to_app": {
                    "create_users": create_users,
                    "update_user_attributes": update_user_attributes,
                    "deactivate_users": deactivate_users,
                },
            },
        }, PROPS)
        super().__init__(scope, construct_id)
        derived = (document := part_document(spec)).derived
        add_part(self, document, TYPES, {
            Expr(f"{derived.okta_app_address}.id"): app_id,
            derived.scim_base_url: base_url,
            Expr(f"{derived.token_address}.key"): token.unwrap(),
        })
