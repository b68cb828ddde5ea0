"""Behaviour of the grafana/grafana v4.45.1 resources the generated modules use, against the twin.

Citations are `file:line` under internal/resources/ at tag v4.45.1 (read with
`git -C /work/.mirror/grafana+terraform-provider-grafana/repo show v4.45.1:internal/resources/<file>`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from .behaviour import ApiError, Context, DataModel, Model, sdk_values
from .twin_api import Client


def _org_id(ctx: Context) -> int:
    """The client's org (provider org_id; 1 when unset)."""
    return int(ctx.config.get("org_id") or 1)


def _split_org_id(value: str) -> tuple[int, str]:
    """grafana/oss_org_id.go:41-53 SplitOrgResourceID; a Cloud id `<slug>:<id>` (:56-69
    SplitServiceAccountID) gives org 1."""
    if ":" in value:
        head, rest = value.split(":", 1)
        return (int(head), rest) if head.isdigit() else (1, rest)
    return 0, value


def _in_org(ctx: Context, org_id: int) -> Client:
    client = ctx.endpoints.grafana(dict(ctx.config, org_id=None))
    client.headers["X-Grafana-Org-Id"] = str(org_id or _org_id(ctx))
    return client


def _rfc3339(value: str | None) -> str | None:
    """strfmt.DateTime's text, as the provider stores `expiration`."""
    if not value or value.startswith("0001-01-01"):
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# -- service accounts --------------------------------------------------------------------------


class ServiceAccount(Model):
    """grafana_service_account (plugin framework)."""

    legacy_sdk = False

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # grafana/resource_service_account.go:150-200: POST /api/serviceaccounts, id "<org>:<id>"
        org = (
            int(planned["org_id"])
            if isinstance(planned.get("org_id"), str) and planned["org_id"]
            else _org_id(ctx)
        )
        body = {
            "name": planned["name"],
            "role": planned["role"],
            "isDisabled": bool(planned.get("is_disabled")),
        }
        sa = _in_org(ctx, org).call("POST", "/api/serviceaccounts", body).body
        state = self.read(ctx, dict(planned, id=f"{org}:{sa['id']}"))
        if state is None:
            raise ApiError("Error creating service account", "gone after create")
        return state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :315-335 read: GET /api/serviceaccounts/{id}; 404 drops it
        org, sa_id = _split_org_id(state["id"])
        org = org or _org_id(ctx)
        answer = _in_org(ctx, org).call("GET", f"/api/serviceaccounts/{sa_id}", ok=(404,))
        if answer.status == 404:
            return None
        sa = answer.body
        return dict(
            state,
            id=f"{org}:{sa['id']}",
            org_id=str(sa.get("orgId", org)),
            name=sa["name"],
            role=sa["role"],
            is_disabled=bool(sa.get("isDisabled")),
        )

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        # :245-275: PATCH name, role, isDisabled
        org, sa_id = _split_org_id(prior["id"])
        body = {
            "name": planned["name"],
            "role": planned["role"],
            "isDisabled": bool(planned.get("is_disabled")),
        }
        _in_org(ctx, org).call("PATCH", f"/api/serviceaccounts/{sa_id}", body)
        return self.read(ctx, dict(planned, id=prior["id"])) or planned

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :277-297
        org, sa_id = _split_org_id(prior["id"])
        _in_org(ctx, org).call("DELETE", f"/api/serviceaccounts/{sa_id}", ok=(404,))


class ServiceAccountToken(Model):
    """grafana_service_account_token (SDKv2)."""

    force_new = frozenset({"name", "seconds_to_live", "service_account_id"})

    def _name(self, ctx: Context, planned: dict[str, Any]) -> str:
        return planned["name"]

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # grafana/resource_service_account_token.go:61-88: POST .../tokens {name, secondsToLive};
        # id and key from the answer (the key exists only in state)
        org, sa_id = _split_org_id(planned["service_account_id"])
        name = self._name(ctx, planned)
        body = {"name": name, "secondsToLive": int(planned.get("seconds_to_live") or 0)}
        token = _in_org(ctx, org).call("POST", f"/api/serviceaccounts/{sa_id}/tokens", body).body
        state = dict(planned, id=str(token["id"]), key=token["key"], name=name)
        return self.read(ctx, state) or state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :90-127: list the account's tokens, copy name, expiration, has_expired of ours
        org, sa_id = _split_org_id(state["service_account_id"])
        answer = _in_org(ctx, org).call("GET", f"/api/serviceaccounts/{sa_id}/tokens", ok=(404,))
        return _token_in_list(answer, state)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self.read(ctx, dict(planned, id=prior["id"], key=prior.get("key"))) or planned

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :129-147
        org, sa_id = _split_org_id(prior["service_account_id"])
        _in_org(ctx, org).call("DELETE", f"/api/serviceaccounts/{sa_id}/tokens/{prior['id']}", ok=(404,))


class RotatingToken(ServiceAccountToken):
    """grafana_service_account_rotating_token (SDKv2): replaced only when a plan runs inside the
    early rotation window (CustomizeDiff), with the twin's clock as time.Now()."""

    force_new = frozenset({"name_prefix", "seconds_to_live", "service_account_id", "ready_for_rotation"})
    defaults: ClassVar[dict[str, Any]] = {"delete_on_destroy": False}

    def plan(self, ctx: Context, prior: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        # grafana/resource_service_account_rotating_token.go:30-57 (CustomizeDiff)
        planned = super().plan(ctx, prior, planned)
        window = int(planned.get("early_rotation_window_seconds") or 0)
        if window > int(planned.get("seconds_to_live") or 0):
            raise ApiError("`early_rotation_window_seconds` cannot be greater than `seconds_to_live`")
        if prior is None:
            return planned
        if prior.get("has_expired"):
            planned["ready_for_rotation"] = True
            return planned
        expiration = prior.get("expiration")
        if expiration:
            expires = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
            if ctx.endpoints.now() > expires - timedelta(seconds=window):
                planned["ready_for_rotation"] = True
        return planned

    def _name(self, ctx: Context, planned: dict[str, Any]) -> str:
        # :115-129: "<prefix>-<unix time of expiration>", expiration = now + ttl
        expires = ctx.endpoints.now() + timedelta(seconds=int(planned["seconds_to_live"]))
        return f"{planned['name_prefix']}-{int(expires.timestamp())}"

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        state = super().create(ctx, planned)
        if state.get("ready_for_rotation") is None or not isinstance(state.get("ready_for_rotation"), bool):
            state["ready_for_rotation"] = False
        return state

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :135-147: kept (it expires on its own) unless delete_on_destroy
        if prior.get("delete_on_destroy"):
            super().delete(ctx, prior)


# -- Grafana Cloud stack service accounts (Cloud API) -----------------------------------------


def _stack_sa_path(slug: str, sa_id: str = "") -> str:
    return f"/api/instances/{slug}/api/serviceaccounts" + (f"/{sa_id}" if sa_id else "")


class StackServiceAccount(Model):
    """grafana_cloud_stack_service_account (SDKv2, Cloud API); every change replaces it."""

    force_new = frozenset({"stack_slug", "name", "role", "is_disabled"})
    defaults: ClassVar[dict[str, Any]] = {"is_disabled": False}

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # cloud/resource_cloud_stack_service_account.go:85-110: id "<slug>:<id>"
        body = {
            "name": planned["name"],
            "role": planned["role"],
            "isDisabled": bool(planned.get("is_disabled")),
        }
        sa = ctx.endpoints.cloud(ctx.config).call("POST", _stack_sa_path(planned["stack_slug"]), body).body
        state = dict(planned, id=f"{planned['stack_slug']}:{sa['id']}")
        return self.read(ctx, state) or state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :112-151
        slug, _, sa_id = state["id"].partition(":")
        answer = ctx.endpoints.cloud(ctx.config).call("GET", _stack_sa_path(slug, sa_id), ok=(404,))
        if answer.status == 404:
            return None
        sa = answer.body
        return dict(
            state, stack_slug=slug, name=sa["name"], role=sa["role"], is_disabled=bool(sa.get("isDisabled"))
        )

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self.read(ctx, dict(planned, id=prior["id"])) or planned

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :153-176
        slug, _, sa_id = prior["id"].partition(":")
        ctx.endpoints.cloud(ctx.config).call("DELETE", _stack_sa_path(slug, sa_id), ok=(404,))


class StackServiceAccountToken(Model):
    """grafana_cloud_stack_service_account_token (SDKv2, Cloud API)."""

    force_new = frozenset({"name", "seconds_to_live", "stack_slug", "service_account_id"})

    def _name(self, ctx: Context, planned: dict[str, Any]) -> str:
        return planned["name"]

    @staticmethod
    def _sa(planned: dict[str, Any]) -> str:
        # cloud/resource_cloud_stack_service_account_token.go:217-229: the numeric part of the id
        return str(planned["service_account_id"]).rpartition(":")[2]

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # :72-125
        name = self._name(ctx, planned)
        body = {"name": name, "secondsToLive": int(planned.get("seconds_to_live") or 0)}
        path = _stack_sa_path(planned["stack_slug"], self._sa(planned)) + "/tokens"
        token = ctx.endpoints.cloud(ctx.config).call("POST", path, body).body
        state = dict(planned, id=str(token["id"]), key=token["key"], name=name)
        return self.read(ctx, state) or state

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :144-190
        path = _stack_sa_path(state["stack_slug"], self._sa(state)) + "/tokens"
        answer = ctx.endpoints.cloud(ctx.config).call("GET", path, ok=(404,))
        return _token_in_list(answer, state)

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return self.read(ctx, dict(planned, id=prior["id"], key=prior.get("key"))) or planned

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :192-215
        path = _stack_sa_path(prior["stack_slug"], self._sa(prior)) + f"/tokens/{prior['id']}"
        ctx.endpoints.cloud(ctx.config).call("DELETE", path, ok=(404,))


class StackRotatingToken(StackServiceAccountToken):
    """grafana_cloud_stack_service_account_rotating_token: the same CustomizeDiff as above."""

    force_new = frozenset(
        {"name_prefix", "seconds_to_live", "stack_slug", "service_account_id", "ready_for_rotation"}
    )
    defaults: ClassVar[dict[str, Any]] = {"delete_on_destroy": False}
    plan = RotatingToken.plan
    _name = RotatingToken._name

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        if prior.get("delete_on_destroy"):
            super().delete(ctx, prior)


# -- SCIM config, SSO settings, roles ---------------------------------------------------------


def _scim_namespace(ctx: Context) -> str:
    """grafana/resource_scim_config.go:252-266: stacks-<stack_id>, else `default` (any org)."""
    stack_id = ctx.config.get("stack_id")
    if stack_id:
        return f"stacks-{int(stack_id)}"
    return "default"


class ScimConfig(Model):
    """grafana_scim_config (plugin framework)."""

    legacy_sdk = False

    def _client(self, ctx: Context) -> Client:
        # :222 / :304 / :352: the URL from scheme and host only (a sub-path is dropped), and
        # only the credential header (setAuthHeaders :409): no org header
        client = ctx.endpoints.grafana_root(ctx.config)
        client.headers.pop("X-Grafana-Org-Id", None)
        return client

    def _path(self, ctx: Context) -> str:
        return f"/apis/scim.grafana.app/v0alpha1/namespaces/{_scim_namespace(ctx)}/config/default"

    def _put(self, ctx: Context, planned: dict[str, Any]) -> None:
        # :268-335: PUT of the SCIMConfig object
        body = {
            "apiVersion": "scim.grafana.app/v0alpha1",
            "kind": "SCIMConfig",
            "metadata": {"name": "default", "namespace": _scim_namespace(ctx)},
            "spec": {
                "enableUserSync": bool(planned["enable_user_sync"]),
                "enableGroupSync": bool(planned["enable_group_sync"]),
                "rejectNonProvisionedUsers": bool(planned["reject_non_provisioned_users"]),
            },
        }
        self._client(ctx).call("PUT", self._path(ctx), body)

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        # :123-151: id "<org>:scim-config"
        org = _org_id(ctx)
        self._put(ctx, planned)
        state = dict(planned, id=f"{org}:scim-config")
        found = self.read(ctx, state)
        if found is None:
            raise ApiError("Failed to read SCIM config", "not found after PUT")
        return found

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :337-400
        answer = self._client(ctx).call("GET", self._path(ctx), ok=(404,))
        if answer.status == 404:
            return None
        spec = (answer.body or {}).get("spec") or {}
        org, _ = _split_org_id(state.get("id") or "")
        org = org or _org_id(ctx)
        return dict(
            state,
            id=f"{org}:scim-config",
            org_id=str(org),
            enable_user_sync=bool(spec.get("enableUserSync")),
            enable_group_sync=bool(spec.get("enableGroupSync")),
            reject_non_provisioned_users=bool(spec.get("rejectNonProvisionedUsers")),
        )

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        self._put(ctx, planned)
        return self.read(ctx, dict(planned, id=prior["id"])) or planned

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :203-249: DELETE, 404 accepted
        self._client(ctx).call("DELETE", self._path(ctx), ok=(404,))


# Secrets the SSO settings API never returns: kept from state (grafana/resource_sso_settings.go:1139)
_SSO_SECRETS = frozenset(
    {"client_secret", "private_key", "certificate", "private_key_path", "certificate_path"}
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake(name: str) -> str:
    out = []
    for char in name:
        if char.isupper():
            out.append("_" + char.lower())
        else:
            out.append(char)
    return "".join(out)


class SsoSettings(Model):
    """grafana_sso_settings with provider_name "saml" (SDKv2)."""

    force_new = frozenset({"provider_name"})

    def _client(self, ctx: Context) -> Client:
        # :706 / :792: OAPIGlobalClient (org 0: no org header)
        client = ctx.endpoints.grafana(ctx.config)
        client.headers.pop("X-Grafana-Org-Id", None)
        return client

    def _put(self, ctx: Context, planned: dict[str, Any]) -> None:
        # :791-835: the settings block as the SDK gives it (every attribute of the block, zero
        # values for those unset), PUT /api/v1/sso-settings/{provider}
        provider = planned["provider_name"]
        blocks = planned.get(f"{provider}_settings") or []
        if not blocks:
            raise ApiError(f"no settings found for the provider {provider}")
        inner = ((ctx.block or {}).get("block_types", {}).get(f"{provider}_settings") or {}).get("block", {})
        settings = sdk_values(blocks[0], inner)
        if blocks[0].get("enabled") is None:
            settings["enabled"] = True  # the block's Default
        if provider == "saml":
            chosen = [k for k in ("idp_metadata", "idp_metadata_path", "idp_metadata_url") if settings.get(k)]
            if len(chosen) != 1:
                raise ApiError(
                    "invalid SAML settings",
                    "exactly one of idp_metadata, idp_metadata_path, idp_metadata_url",
                )
        self._client(ctx).call(
            "PUT", f"/api/v1/sso-settings/{provider}", {"provider": provider, "settings": settings}
        )

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        self._put(ctx, planned)
        state = dict(planned, id=planned["provider_name"])
        return self.read(ctx, state) or state

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        self._put(ctx, planned)
        return self.read(ctx, dict(planned, id=prior["id"])) or planned

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :705-789: settings from the API, snake-cased; only keys the state holds (all of them on
        # import); secrets from state
        provider = state["id"]
        answer = self._client(ctx).call("GET", f"/api/v1/sso-settings/{provider}", ok=(404,))
        if answer.status == 404:
            return None
        payload = answer.body or {}
        api = {
            _snake(k) if any(c.isupper() for c in k) else k: v
            for k, v in (payload.get("settings") or {}).items()
        }
        blocks = state.get(f"{provider}_settings") or []
        held = dict(blocks[0]) if blocks else {}
        if not held:
            return dict(
                state, provider_name=payload.get("provider", provider), **{f"{provider}_settings": [api]}
            )
        new_block = dict(held)
        for key in held:
            if key in _SSO_SECRETS:
                continue
            if key in api:
                value = api[key]
                if value in ("", False, 0) and held[key] is None:
                    continue
                new_block[key] = value
        return dict(
            state, provider_name=payload.get("provider", provider), **{f"{provider}_settings": [new_block]}
        )

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        # :837-850
        self._client(ctx).call("DELETE", f"/api/v1/sso-settings/{prior['id']}", ok=(404,))


class RoleAssignmentItem(Model):
    """grafana_role_assignment_item (plugin framework): read-modify-write of the role's
    assignments (grafana/resource_role_assignment_item.go:140-215 create, :250-310 delete)."""

    force_new = frozenset({"role_uid", "service_account_id", "team_id", "user_id", "org_id"})
    legacy_sdk = False

    def _assignments(self, ctx: Context, role_uid: str) -> dict[str, Any]:
        answer = _in_org(ctx, _org_id(ctx)).call("GET", f"/api/access-control/roles/{role_uid}/assignments")
        return answer.body or {}

    def _set(self, ctx: Context, role_uid: str, current: dict[str, Any]) -> None:
        body = {key: list(current.get(key) or []) for key in ("teams", "users", "serviceAccounts")}
        _in_org(ctx, _org_id(ctx)).call("PUT", f"/api/access-control/roles/{role_uid}/assignments", body)

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        current = self._assignments(ctx, planned["role_uid"])
        if planned.get("service_account_id"):
            _, sa = _split_org_id(planned["service_account_id"])
            kind, ident, key = "service_account", sa, "serviceAccounts"
        elif planned.get("team_id"):
            _, ident = _split_org_id(planned["team_id"])
            kind, key = "team", "teams"
        else:
            kind, ident, key = "user", str(planned["user_id"]), "users"
        members = [int(m) for m in current.get(key) or []]
        if int(ident) not in members:
            members.append(int(ident))
        current[key] = members
        self._set(ctx, planned["role_uid"], current)
        org = _org_id(ctx)
        return dict(planned, id=f"{org}:{planned['role_uid']}:{kind}:{ident}", org_id=str(org))

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        # :255-300: gone when the item is no longer among the role's assignments
        _, role_uid, kind, ident = state["id"].split(":", 3)
        key = {"service_account": "serviceAccounts", "team": "teams", "user": "users"}[kind]
        current = self._assignments(ctx, role_uid)
        if int(ident) not in [int(m) for m in current.get(key) or []]:
            return None
        return state

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        return dict(planned, id=prior["id"])

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        _, role_uid, kind, ident = prior["id"].split(":", 3)
        key = {"service_account": "serviceAccounts", "team": "teams", "user": "users"}[kind]
        current = self._assignments(ctx, role_uid)
        current[key] = [int(m) for m in current.get(key) or [] if int(m) != int(ident)]
        self._set(ctx, role_uid, current)


class RoleData(DataModel):
    """data.grafana_role by name (grafana/data_source_role.go:41-57): every role, hidden ones too."""

    def read(self, ctx: Context, config: dict[str, Any]) -> dict[str, Any]:
        org = _org_id(ctx)
        client = _in_org(ctx, org)
        roles = client.call("GET", "/api/access-control/roles", query={"includeHidden": "true"}).body or []
        for role in roles:
            if role.get("name") == config["name"]:
                full = client.call("GET", f"/api/access-control/roles/{role['uid']}").body or role
                return dict(
                    config,
                    id=f"{org}:{role['uid']}",
                    uid=role["uid"],
                    org_id=str(org),
                    description=full.get("description") or "",
                    display_name=full.get("displayName") or "",
                    group=full.get("group") or "",
                    global_=None,
                    hidden=bool(full.get("hidden")),
                    version=full.get("version") or 0,
                    permissions=[
                        {"action": p.get("action"), "scope": p.get("scope") or ""}
                        for p in full.get("permissions") or []
                    ],
                ) | {"global": bool(full.get("global"))}
        raise ApiError(f'no role with name "{config["name"]}"')


RESOURCES: dict[str, Model] = {
    "grafana_service_account": ServiceAccount(),
    "grafana_service_account_token": ServiceAccountToken(),
    "grafana_service_account_rotating_token": RotatingToken(),
    "grafana_cloud_stack_service_account": StackServiceAccount(),
    "grafana_cloud_stack_service_account_token": StackServiceAccountToken(),
    "grafana_cloud_stack_service_account_rotating_token": StackRotatingToken(),
    "grafana_scim_config": ScimConfig(),
    "grafana_sso_settings": SsoSettings(),
    "grafana_role_assignment_item": RoleAssignmentItem(),
}
DATA_SOURCES: dict[str, DataModel] = {"grafana_role": RoleData()}


def _token_in_list(answer: Any, state: dict[str, Any]) -> dict[str, Any] | None:
    """The state refreshed from the account's token list (name, expiration, has_expired of our
    token); None when the account or the token is gone (common.WarnMissing: dropped from state)."""
    if answer.status == 404:
        return None
    for token in answer.body or []:
        if str(token["id"]) == str(state["id"]):
            return dict(
                state,
                name=token["name"],
                expiration=_rfc3339(token.get("expiration")) or state.get("expiration"),
                has_expired=bool(token.get("hasExpired")),
            )
    return None
