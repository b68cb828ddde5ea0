"""GrafanaServiceAccount: the Grafana service account and token Okta authenticates SCIM calls with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from constructs import Construct

from ..errors import short
from ..spec import RotatingToken, ServiceAccount, Token
from ..synth.parts import service_account_part
from ._parts import add_part, check_rules, construct_path, part_integration, spec_default
from .secret import Secret

TokenSettings = Token
"""The token: `TokenSettings()` never expires, `TokenSettings(seconds_to_live=n)` expires,
`TokenSettings(rotation=TokenRotation(seconds_to_live=n, early_rotation_window_seconds=w))` rotates."""
TokenRotation = RotatingToken

ACCOUNTS = ("grafana_service_account", "grafana_cloud_stack_service_account")
TOKENS = tuple(f"{account}{kind}" for account in ACCOUNTS for kind in ("_token", "_rotating_token"))
PROPS = {
    "service_account.name": "name",
    "service_account.role": "role",
    "service_account.fixed_roles": "fixed_roles",
    "service_account.via": "via",
    "service_account.token": "token",
    "grafana.stack_slug": "stack_slug",
    "grafana.org_id": "org_id",
}


class GrafanaServiceAccount(Construct):
    """A Grafana service account with a token, and RBAC roles granted to it by name.

    Writes `grafana_service_account` + `grafana_service_account_token` (or `..._rotating_token`)
    through the Grafana API, or the `grafana_cloud_stack_service_account*` pair through the Grafana
    Cloud API; each fixed role is looked up (`data.grafana_role`) and assigned
    (`grafana_role_assignment_item`). Values are decided by the core, as `synth` writes them.

    - name: the service account name; default: "okta-scim". The token is named "<name>-okta"
      (a rotating token uses it as its name prefix).
    - role: the basic role ("Admin", "Editor", "Viewer" or "None"); default: "Admin", enough for
      SCIM. With "None", grant `fixed_roles` instead.
    - fixed_roles: RBAC role names to assign, e.g. "fixed:org.users:writer"; default: none.
    - token: the token's lifetime; default: `TokenSettings()`, a token that never expires.
    - via: "instance" (the grafana provider's `url` + `auth`) or "cloud_api" (its
      `cloud_access_policy_token`); default: "instance".
    - stack_slug: the Grafana Cloud stack slug; required with via "cloud_api", refused otherwise.
    - org_id: the Grafana org (via "instance"); default: the provider's org (org 1).

    Attributes: `service_account_id` (token) and `token` (a `Secret`: the token's key).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str = spec_default(ServiceAccount, "name"),
        role: Literal["Admin", "Editor", "Viewer", "None"] = spec_default(ServiceAccount, "role"),
        fixed_roles: Sequence[str] = (),
        token: TokenSettings | None = None,
        via: Literal["instance", "cloud_api"] = spec_default(ServiceAccount, "via"),
        stack_slug: str | None = None,
        org_id: int | None = None,
    ) -> None:
        path = construct_path(scope, construct_id)
        token = TokenSettings() if token is None else token
        check_rules(
            path,
            [
                (isinstance(token, TokenSettings), f"token: got {short(token)}; expected TokenSettings(...)"),
                (
                    isinstance(fixed_roles, Sequence) and not isinstance(fixed_roles, str),
                    f"fixed_roles: got {short(fixed_roles)}; expected a list of role names",
                ),
                (
                    via != "cloud_api" or stack_slug is not None,
                    "stack_slug: got None; expected the Grafana Cloud stack slug with via 'cloud_api'",
                ),
                (
                    via == "cloud_api" or stack_slug is None,
                    f"stack_slug: got {short(stack_slug)}; expected None with via {via!r} (only "
                    "'cloud_api' uses it)",
                ),
                (
                    via != "cloud_api" or org_id is None,
                    f"org_id: got {short(org_id)}; expected None with via 'cloud_api' (a stack has one org)",
                ),
            ],
        )
        # The part reads no URL: the stack or the org is all it needs of the Grafana.
        grafana = (
            {"kind": "cloud", "stack_slug": stack_slug}
            if via == "cloud_api"
            else {"kind": "enterprise", "org_id": org_id}
        )
        integration = part_integration(
            path,
            {
                "service_account": {
                    "name": name,
                    "role": role,
                    "fixed_roles": list(fixed_roles),
                    "via": via,
                    "token": token,
                },
            },
            grafana,
            PROPS,
        )
        super().__init__(scope, construct_id)
        added = add_part(self, service_account_part(integration))
        self._account = added.first(*ACCOUNTS)
        self._token = added.first(*TOKENS)

    @property
    def service_account_id(self) -> str:
        """Token: id of the service account."""
        return self._account.get_string_attribute("id")

    @property
    def token(self) -> Secret:
        """The token's key, the bearer token Okta sends (sensitive)."""
        return Secret.from_attribute(self._token, "key")
