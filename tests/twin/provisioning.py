"""Okta's SCIM 2.0 client for wizard-built (custom SAML) apps, as Okta documents it
("SCIM 2.0 provisioning" / "Build a SCIM provisioning integration"), delivering to Grafana's
SCIM endpoint over loopback HTTP when `Twin.settle()` runs.

Rules (CONTRACT.md): once provisioning is switched on and the connection enabled,
- an assigned, active user: `GET /Users?filter=userName eq "<userName>"`, then PUT when found,
  else POST (To App "create users"); the body carries the Okta user id as `externalId`, the
  work email, name and `active`;
- a profile change: PUT (To App "update user attributes");
- unassignment or deactivation: PUT with `active: false` (To App "deactivate users"); a user
  is never DELETEd;
- an ACTIVE push mapping: the group is looked up by displayName, then created (POST) or
  linked, and its membership PUT whenever it changes (the source group's members who are
  provisioned and active); an INACTIVE mapping is not pushed;
- a mapping deleted with deleteTargetGroup=true: DELETE /Groups/{id}.
A failed delivery puts the user's syncState in ERROR, a failed push the mapping in ERROR (as
Okta shows them in the Push Groups tab).
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .okta import AppUserRecord, OktaApp, OktaUser, PushMapping

if TYPE_CHECKING:
    from .twin import Twin

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


@dataclass
class Delivery:
    """One SCIM request Okta sent, and Grafana's answer status."""

    app_id: str
    method: str
    path: str
    status: int
    body: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


class DeliveryError(Exception):
    def __init__(self, delivery: Delivery, detail: str) -> None:
        super().__init__(detail)
        self.delivery, self.detail = delivery, detail


class Provisioner:
    """What Okta knows it pushed, and the push itself."""

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        # (app id, target group id) -> {"id": SCIM id, "body": last body}
        self.groups: dict[tuple[str, str], dict[str, Any]] = {}
        self.log: list[Delivery] = []

    def settle(self) -> list[Delivery]:
        """Deliver everything pending for every provisioning app; returns this round's requests."""
        start = len(self.log)
        with ExitStack() as stack:
            if self.twin.endpoints is None:
                from .server import serve

                stack.enter_context(serve(self.twin))
            for app in list(self.twin.okta.apps.values()):
                if self.twin.okta.provisioning_active(app):
                    self._settle_app(app)
        return self.log[start:]

    # -- transport -------------------------------------------------------------------------------
    def _client(self, app: OktaApp) -> httpx.Client:
        assert app.connection is not None and self.twin.endpoints is not None
        base = self.twin.endpoints.loopback(app.connection["baseUrl"].rstrip("/"))
        return httpx.Client(
            base_url=base + "/",
            headers={
                "Authorization": f"Bearer {app.connection['token']}",
                "Content-Type": "application/scim+json; charset=utf-8",
                "User-Agent": "Okta SCIM Client 1.0.0",
            },
            timeout=5.0,
        )

    def _send(
        self,
        client: httpx.Client,
        app: OktaApp,
        method: str,
        path: str,
        body: Any = None,
        filter: str | None = None,
    ) -> Any:
        # Okta's existence check: `GET /Users?filter=userName eq "..."&startIndex=1&count=100`.
        params = {"filter": filter, "startIndex": "1", "count": "100"} if filter else None
        response = client.request(
            method, path, params=params, content=json.dumps(body) if body is not None else None
        )
        delivery = Delivery(
            app.id, method, path + (f"?filter={filter}" if filter else ""), response.status_code, body
        )
        self.log.append(delivery)
        if response.status_code >= 300:
            raise DeliveryError(delivery, f"{response.status_code}: {response.text[:200]}")
        return response.json() if response.content else None

    # -- users -----------------------------------------------------------------------------------
    def user_body(self, app: OktaApp, user: OktaUser, active: bool) -> dict[str, Any]:
        profile = user.profile
        return {
            "schemas": [USER_SCHEMA],
            "userName": self.twin.okta.user_name(app.id, user.id),
            "externalId": user.id,
            "name": {"givenName": profile.get("firstName", ""), "familyName": profile.get("lastName", "")},
            "emails": [{"primary": True, "value": profile.get("email") or profile["login"], "type": "work"}],
            "displayName": " ".join(p for p in (profile.get("firstName"), profile.get("lastName")) if p),
            "locale": "en-US",
            "groups": [],
            "active": active,
        }

    def _settle_app(self, app: OktaApp) -> None:
        okta = self.twin.okta
        now = okta.clock.iso()
        with self._client(app) as client:
            assigned = okta.assigned_users(app.id)
            for user_id in list(assigned) + [u for u in app.app_users if u not in assigned]:
                user = okta.users.get(user_id)
                if user is None:
                    continue
                want_active = user_id in assigned and user.status == "ACTIVE"
                record = app.app_users.setdefault(user_id, AppUserRecord())
                try:
                    self._settle_user(client, app, user, record, want_active)
                    if record.external_id:
                        record.sync_state, record.last_sync, record.error = "SYNCHRONIZED", now, None
                except DeliveryError as error:
                    record.sync_state, record.error = "ERROR", error.detail
            for mapping in okta.app_mappings(app.id):
                if mapping.status == "ACTIVE":
                    try:
                        self._push(client, app, mapping)
                        mapping.last_push = now
                    except DeliveryError as error:
                        okta.set_mapping_status(mapping.id, "ERROR", error.detail)
            for pending in [p for p in okta.pending_group_deletes if p[0] == app.id]:
                record_group = self.groups.get(pending)
                try:
                    if record_group is not None:
                        self._send(client, app, "DELETE", f"Groups/{record_group['id']}")
                        del self.groups[pending]
                    okta.pending_group_deletes.remove(pending)
                except DeliveryError:
                    pass  # retried at the next settle

    def _settle_user(
        self, client: httpx.Client, app: OktaApp, user: OktaUser, record: AppUserRecord, want_active: bool
    ) -> None:
        to_app = app.to_app
        if record.external_id is None:
            if not want_active or not to_app["create"]:
                return
            body = self.user_body(app, user, True)
            found = self._send(client, app, "GET", "Users", filter=f'userName eq "{body["userName"]}"')
            resources = (found or {}).get("Resources") or []
            if resources:
                answer = self._send(
                    client, app, "PUT", f"Users/{resources[0]['id']}", {**body, "id": resources[0]["id"]}
                )
            else:
                answer = self._send(client, app, "POST", "Users", body)
            record.external_id, record.pushed = answer["id"], body
            return
        body = self.user_body(app, user, want_active)
        pushed = record.pushed or {}
        if body == pushed:
            return
        deactivating = pushed.get("active") and not want_active
        reactivating = not pushed.get("active") and want_active
        if deactivating:
            if not to_app["deactivate"]:
                return
            body = {**pushed, "active": False}
        elif reactivating:
            if not (to_app["create"] or to_app["update"]):
                return
        elif not to_app["update"]:
            return
        self._send(client, app, "PUT", f"Users/{record.external_id}", {**body, "id": record.external_id})
        record.pushed = body

    # -- groups ----------------------------------------------------------------------------------
    def _push(self, client: httpx.Client, app: OktaApp, mapping: PushMapping) -> None:
        okta = self.twin.okta
        source = okta.groups.get(mapping.source_group_id)
        if source is None:
            return
        members = []
        for user_id in source.members:
            record = app.app_users.get(user_id)
            if record and record.external_id and (record.pushed or {}).get("active"):
                members.append({"value": record.external_id, "display": record.pushed["userName"]})  # type: ignore[index]
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": mapping.target_group_name,
            "externalId": source.id,
            "members": members,
        }
        key = (app.id, mapping.target_group_id)
        known = self.groups.get(key)
        if known is None:
            found = self._send(client, app, "GET", "Groups", filter=f'displayName eq "{body["displayName"]}"')
            resources = (found or {}).get("Resources") or []
            if resources:
                group_id = resources[0]["id"]
                self._send(client, app, "PUT", f"Groups/{group_id}", {**body, "id": group_id})
            else:
                group_id = self._send(client, app, "POST", "Groups", body)["id"]
            self.groups[key] = {"id": group_id, "body": body}
        elif known["body"] != body:
            self._send(client, app, "PUT", f"Groups/{known['id']}", {**body, "id": known["id"]})
            known["body"] = body
