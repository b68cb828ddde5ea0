"""GrafanaServiceAccount: the Grafana service account and token Okta authenticates SCIM calls with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from constructs import Construct

from ..spec import RotatingToken, Token
from ._parts import PLACEHOLDER_URL, add_part, check_rules, construct_path, minimal_spec, part_document, short
from .secret import Secret

TokenSettings = Token
"""The token: `TokenSettings()` never expires, `TokenSettings(seconds_to_live=n)` expires,
`TokenSettings(rotation=TokenRotation(seconds_to_live=n, early_rotation_window_seconds=w))` rotates."""
TokenRotation = RotatingToken

TYPES = (
    "grafana_service_account",
    "grafana_service_account_token",
    "grafana_service_account_rotating_token",
    "grafana_cloud_stack_service_account",
    "grafana_cloud_stack_service_account_token",
    "grafana_cloud_stack_service_account_rotating_token",
    "data.grafana_role",
    "grafana_role_assignment_item",
)
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
        name: str = "okta-scim",
        role: Literal["Admin", "Editor", "Viewer", "None"] = "Admin",
        fixed_roles: Sequence[str] = (),
        token: TokenSettings | None = None,
        via: Literal["instance", "cloud_api"] = "instance",
        stack_slug: str | None = None,
        org_id: int | None = None,
    ) -> None:
        path = construct_path(scope, construct_id)
        token = TokenSettings() if token is None else token
        check_rules(path, [
            (isinstance(token, TokenSettings),
             f"token: got {short(token)}; expected TokenSettings(...)"),
            (isinstance(fixed_roles, Sequence) and not isinstance(fixed_roles, str),
             f"fixed_roles: got {short(fixed_roles)}; expected a list of role names"),
            (via != "cloud_api" or stack_slug is not None,
             "stack_slug: got None; expected the Grafana Cloud stack slug with via 'cloud_api'"),
            (via == "cloud_api" or stack_slug is None,
             f"stack_slug: got {short(stack_slug)}; expected None with via {via!r} (only "
             "'cloud_api' uses it)"),
            (via != "cloud_api" or org_id is None,
             f"org_id: got {short(org_id)}; expected None with via 'cloud_api' (a stack has one org)"),
        ])
        if via == "cloud_api":
            grafana = {"kind": "cloud", "url": PLACEHOLDER_URL, "stack_slug": stack_slug, "stack_id": 1}
        else:
            grafana = {"kind": "enterprise", "url": PLACEHOLDER_URL, "org_id": org_id}
        spec = minimal_spec(path, {
            "grafana": grafana,
            "service_account": {
                "name": name, "role": role, "fixed_roles": list(fixed_roles), "via": via, "token": token,
            },
        }, PROPS)
        super().__init__(scope, construct_id)
        part = add_part(self, part_document(spec), TYPES)
        self._account = part.first("grafana_service_account", "grafana_cloud_stack_service_account")
        self._token = part.first(*(t for t in TYPES if t.endswith("token")))

    @property
    def service_account_id(self) -> str:
        """Token: id of the service account."""
        return self._account.get_string_attribute("id")

    @property
    def token(self) -> Secret:
        """The token's key, the bearer token Okta sends (sensitive)."""
        return Secret.from_attribute(self._token, "key")
