"""The twin's Okta org: users, groups, SAML apps, assignments, provisioning, push mappings.

State only; http_okta.py answers it in the Management API's shapes, provisioning.py pushes it
to Grafana, signin.py signs assertions from it. Shapes follow Okta's Management API reference
(Applications, Application Groups/Users, Application Features, Application Connections, Group
Push Mappings, Groups, Users, Policies).
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .errors import TwinError, TwinUnsupported

# Okta's default userNameTemplate for a custom app (Applications API, credentials.userNameTemplate).
DEFAULT_USERNAME_TEMPLATE = "${source.login}"
PROVISIONING_FEATURES = ("PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "PUSH_USER_DEACTIVATION")


class ApiError(Exception):
    """An Okta API error: HTTP status and Okta's Error object fields."""

    def __init__(self, status: int, code: str, summary: str, causes: list[str] | None = None) -> None:
        super().__init__(summary)
        self.status, self.code, self.summary, self.causes = status, code, summary, causes or []

    def body(self) -> dict[str, Any]:
        """Okta's Error object."""
        return {
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": "oaetwin0000000000000",
            "errorCauses": [{"errorSummary": c} for c in self.causes],
        }


def not_found(what: str) -> ApiError:
    return ApiError(404, "E0000007", f"Not found: Resource not found: {what} (App)")


@dataclass
class OktaUser:
    """A person in the org; `profile` holds login, email, firstName, lastName (and more)."""

    id: str
    status: str
    profile: dict[str, Any]
    created: str
    last_updated: str

    @property
    def login(self) -> str:
        return str(self.profile["login"])


@dataclass
class OktaGroup:
    """An Okta group: OKTA_GROUP (Okta-mastered) or APP_GROUP (AD/LDAP-mastered)."""

    id: str
    type: str
    name: str
    description: str
    created: str
    members: list[str] = field(default_factory=list)


@dataclass
class PushMapping:
    """A group push mapping of an app (Group Push Mappings API)."""

    id: str
    app_id: str
    source_group_id: str
    target_group_id: str
    target_group_name: str
    status: str
    created: str
    last_updated: str
    last_push: str | None = None
    error_summary: str | None = None


@dataclass
class AppUserRecord:
    """What Okta's provisioning client knows about a user in the downstream app."""

    external_id: str | None = None  # the SCIM id Grafana answered
    pushed: dict[str, Any] | None = None  # the last SCIM body Okta delivered
    sync_state: str = "DISABLED"
    last_sync: str | None = None
    error: str | None = None


@dataclass
class OktaApp:
    """A custom SAML 2.0 app: its Application object plus what the object does not carry."""

    id: str
    doc: dict[str, Any]
    external_key: str
    policy_id: str
    group_assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    user_assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The admin's "Provisioning: SCIM" / "Enable SCIM provisioning" click (not in the API).
    provisioning_enabled: bool = False
    connection: dict[str, Any] | None = None  # {baseUrl, authScheme, token, status}
    to_app: dict[str, bool] = field(
        default_factory=lambda: {"create": False, "update": False, "deactivate": False}
    )
    app_users: dict[str, AppUserRecord] = field(default_factory=dict)
    mapping_ids: list[str] = field(default_factory=list)
    # USER_PROVISIONING capabilities.update.password (Okta's defaults until a PUT sets it).
    password_sync: dict[str, str] = field(
        default_factory=lambda: {"status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING"}
    )
    signing: Any = None  # signin.SigningKey, made on first use
    federated_claims: list[dict[str, Any]] = field(default_factory=list)


class OktaOrg:
    """One Okta org. Public methods are test steps (what an admin or HR system does)."""

    def __init__(self, org_name: str, base_url: str, clock: Clock) -> None:
        self.org_name, self.base_url, self.clock = org_name, base_url, clock
        self.users: dict[str, OktaUser] = {}
        self.groups: dict[str, OktaGroup] = {}
        self.apps: dict[str, OktaApp] = {}
        self.mappings: dict[str, PushMapping] = {}
        self._counters: dict[str, Iterator[int]] = {}
        # deleteTargetGroup=true deletions waiting for the provisioning client: (app id, target).
        self.pending_group_deletes: list[tuple[str, str]] = []
        # okta provider issue #655 (provider 3.13.10): a re-apply wiped a custom SAML app's SCIM
        # tab; #710: PUTting `features` without SCIM_PROVISIONING switched SCIM off. The pinned
        # provider never sends `features` (resource_okta_app_saml.go:671-672), and Okta's
        # reference calls `features` read-only, so the twin keeps them by default; True models a
        # PUT without `features` switching Provisioning back to none.
        self.put_resets_provisioning = False
        # API tokens the org issued; empty: any non-empty SSWS token is accepted.
        self.api_tokens: set[str] = set()
        self.policies: dict[str, dict[str, Any]] = {}
        default = self.new_id("rst")
        self.default_policy_id = default
        self.policies[default] = {
            "id": default,
            "type": "ACCESS_POLICY",
            "name": "Default Policy",
            "description": "The default app sign-on policy",
            "status": "ACTIVE",
            "system": True,
            "priority": 1,
            "created": clock.iso(),
            "lastUpdated": clock.iso(),
            "_links": {},
        }

    # -- ids and URLs --------------------------------------------------------------------------
    @property
    def org_url(self) -> str:
        return f"https://{self.org_name}.{self.base_url}"

    def new_id(self, prefix: str) -> str:
        """Deterministic 20-character ids: a counter per prefix."""
        counter = self._counters.setdefault(prefix, itertools.count(1))
        number = str(next(counter))
        return prefix + "twin" + number.rjust(20 - len(prefix) - 4, "0")

    # -- people --------------------------------------------------------------------------------
    def add_user(
        self,
        login: str,
        first_name: str = "",
        last_name: str = "",
        email: str | None = None,
        status: str = "ACTIVE",
        **profile: Any,
    ) -> str:
        """A user (email defaults to the login); returns its id."""
        if any(u.login.lower() == login.lower() for u in self.users.values()):
            raise TwinError(f"okta user: got {login}; expected a login not taken")
        user_id = self.new_id("00u")
        now = self.clock.iso()
        body = {"login": login, "email": email or login, "firstName": first_name, "lastName": last_name}
        self.users[user_id] = OktaUser(user_id, status, {**body, **profile}, now, now)
        return user_id

    def user(self, ref: str) -> OktaUser:
        """A user by id or login."""
        if ref in self.users:
            return self.users[ref]
        for user in self.users.values():
            if user.login.lower() == ref.lower():
                return user
        raise TwinError(f"okta user: got {ref}; expected an id or login of the org")

    def update_profile(self, user_id: str, **profile: Any) -> None:
        """An HR change: profile attributes (login, email, firstName, lastName, ...)."""
        user = self.user(user_id)
        user.profile.update(profile)
        user.last_updated = self.clock.iso()

    def deactivate_user(self, user_id: str) -> None:
        """The person leaves: status DEPROVISIONED (kept in groups, as Okta keeps them)."""
        user = self.user(user_id)
        user.status = "DEPROVISIONED"
        user.last_updated = self.clock.iso()

    def reactivate_user(self, user_id: str) -> None:
        user = self.user(user_id)
        user.status = "ACTIVE"
        user.last_updated = self.clock.iso()

    def add_group(self, name: str, type: str = "OKTA_GROUP", description: str = "") -> str:
        """A group (APP_GROUP stands for an AD/LDAP-mastered one); returns its id."""
        if type not in ("OKTA_GROUP", "APP_GROUP", "BUILT_IN"):
            raise TwinError(f"okta group type: got {type}; expected OKTA_GROUP, APP_GROUP or BUILT_IN")
        group_id = self.new_id("00g")
        self.groups[group_id] = OktaGroup(group_id, type, name, description, self.clock.iso())
        return group_id

    def group(self, ref: str) -> OktaGroup:
        """A group by id or name."""
        if ref in self.groups:
            return self.groups[ref]
        found = [g for g in self.groups.values() if g.name == ref]
        if len(found) != 1:
            raise TwinError(f"okta group: got {ref}; expected one group id or name")
        return found[0]

    def add_member(self, group_id: str, user_id: str) -> None:
        group, user = self.group(group_id), self.user(user_id)
        if user.id not in group.members:
            group.members.append(user.id)

    def remove_member(self, group_id: str, user_id: str) -> None:
        group, user = self.group(group_id), self.user(user_id)
        if user.id in group.members:
            group.members.remove(user.id)

    # -- apps ----------------------------------------------------------------------------------
    def app(self, app_id: str) -> OktaApp:
        if app_id not in self.apps:
            raise not_found(app_id)
        return self.apps[app_id]

    def find_app(self, label: str) -> OktaApp:
        """The app with this label (for test steps)."""
        found = [a for a in self.apps.values() if a.doc["label"] == label]
        if len(found) != 1:
            raise TwinError(f"okta app label: got {label}; expected one app with it")
        return found[0]

    def create_app(self, body: dict[str, Any], activate: bool = True) -> dict[str, Any]:
        """POST /api/v1/apps: a custom SAML app from the body plus Okta's defaults."""
        if body.get("signOnMode") not in ("SAML_2_0", None):
            raise TwinUnsupported(
                f"okta app signOnMode: got {body.get('signOnMode')}; the twin models SAML_2_0"
            )
        if not body.get("label"):
            raise ApiError(
                400, "E0000001", "Api validation failed: label", ["label: The field cannot be left blank"]
            )
        app_id = self.new_id("0oa")
        number = sum(1 for a in self.apps.values() if a.doc["label"] == body["label"]) + 1
        name = body.get("name") or f"{self.org_name}_{slug(body['label'])}_{number}"
        app = OktaApp(app_id, {}, self.new_id("exk"), self.default_policy_id)
        now = self.clock.iso()
        app.doc = self._build_doc(app, body, name, "ACTIVE" if activate else "INACTIVE", now, now, [])
        self.apps[app_id] = app
        return app.doc

    def add_app(self, label: str, sign_on_mode: str, status: str = "ACTIVE") -> str:
        """An app that is not a custom SAML app (BOOKMARK, OPENID_CONNECT, ...): a minimal
        Application object the twin only lists and answers; returns its id."""
        if sign_on_mode == "SAML_2_0":
            return str(self.create_app({"label": label}, activate=status == "ACTIVE")["id"])
        app_id = self.new_id("0oa")
        name = {"BOOKMARK": "bookmark", "OPENID_CONNECT": "oidc_client"}.get(
            sign_on_mode, sign_on_mode.lower()
        )
        now = self.clock.iso()
        app = OktaApp(app_id, {}, self.new_id("exk"), self.default_policy_id)
        app.doc = {
            "id": app_id,
            "name": name,
            "label": label,
            "status": status,
            "created": now,
            "lastUpdated": now,
            "signOnMode": sign_on_mode,
            "features": [],
            "accessibility": {"selfService": False},
            "visibility": {"autoSubmitToolbar": False, "hide": {"iOS": False, "web": False}},
            "settings": {"app": {}},
            "_links": self._links(app, name),
        }
        self.apps[app_id] = app
        return app_id

    def replace_app(self, app_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT /api/v1/apps/{id}: the body replaces the app; what it omits takes Okta's defaults.

        Read-only fields (id, name, status, created, features) are kept.
        """
        app = self.app(app_id)
        if not body.get("label"):
            raise ApiError(
                400, "E0000001", "Api validation failed: label", ["label: The field cannot be left blank"]
            )
        features = list(app.doc.get("features") or [])
        if self.put_resets_provisioning and not body.get("features"):
            self._reset_provisioning(app)
            features = []
        app.doc = self._build_doc(
            app, body, app.doc["name"], app.doc["status"], app.doc["created"], self.clock.iso(), features
        )
        return app.doc

    def _reset_provisioning(self, app: OktaApp) -> None:
        app.provisioning_enabled = False
        app.connection = None
        app.to_app = {"create": False, "update": False, "deactivate": False}

    def set_app_status(self, app_id: str, status: str) -> None:
        app = self.app(app_id)
        app.doc["status"] = status
        app.doc["lastUpdated"] = self.clock.iso()

    def delete_app(self, app_id: str) -> None:
        """DELETE /api/v1/apps/{id}: only an INACTIVE app (Okta answers 403 E0000056 otherwise)."""
        app = self.app(app_id)
        if app.doc["status"] != "INACTIVE":
            raise ApiError(
                403,
                "E0000056",
                "Delete application forbidden.",
                ["The application must be deactivated first."],
            )
        for mapping_id in app.mapping_ids:
            self.mappings.pop(mapping_id, None)
        del self.apps[app_id]

    def set_policy(self, app_id: str, policy_id: str) -> None:
        """PUT /api/v1/apps/{id}/policies/{policyId}."""
        app = self.app(app_id)
        if policy_id not in self.policies:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {policy_id} (Policy)")
        app.policy_id = policy_id
        app.doc["_links"] = self._links(app, app.doc["name"])

    def add_policy(self, name: str) -> str:
        """An access policy of the org's own (e.g. with MFA rules); returns its id."""
        policy_id = self.new_id("rst")
        self.policies[policy_id] = {
            **self.policies[self.default_policy_id],
            "id": policy_id,
            "name": name,
            "system": False,
            "priority": len(self.policies) + 1,
        }
        return policy_id

    def _build_doc(
        self,
        app: OktaApp,
        body: dict[str, Any],
        name: str,
        status: str,
        created: str,
        updated: str,
        features: list[str],
    ) -> dict[str, Any]:
        body = copy.deepcopy(body)
        settings = body.get("settings") or {}
        sign_on = settings.get("signOn") or {}
        visibility = body.get("visibility") or {}
        hide = visibility.get("hide") or {}
        accessibility = body.get("accessibility") or {}
        credentials = body.get("credentials") or {}
        template = credentials.get("userNameTemplate") or {}
        signing = credentials.get("signing") or {}
        on = {
            "defaultRelayState": sign_on.get("defaultRelayState"),
            "ssoAcsUrl": sign_on.get("ssoAcsUrl", ""),
            "idpIssuer": sign_on.get("idpIssuer") or "http://www.okta.com/${org.externalKey}",
            "audience": sign_on.get("audience", ""),
            "recipient": sign_on.get("recipient", ""),
            "destination": sign_on.get("destination", ""),
            "subjectNameIdTemplate": sign_on.get("subjectNameIdTemplate") or "${user.userName}",
            "subjectNameIdFormat": sign_on.get("subjectNameIdFormat")
            or "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "responseSigned": bool(sign_on.get("responseSigned", False)),
            "assertionSigned": bool(sign_on.get("assertionSigned", False)),
            "signatureAlgorithm": sign_on.get("signatureAlgorithm") or "RSA_SHA256",
            "digestAlgorithm": sign_on.get("digestAlgorithm") or "SHA256",
            "honorForceAuthn": bool(sign_on.get("honorForceAuthn", False)),
            "authnContextClassRef": sign_on.get("authnContextClassRef")
            or "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
            "spIssuer": sign_on.get("spIssuer"),
            "requestCompressed": bool(sign_on.get("requestCompressed", False)),
            "allowMultipleAcsEndpoints": bool(sign_on.get("allowMultipleAcsEndpoints", False)),
            "acsEndpoints": sign_on.get("acsEndpoints") or [],
            "samlSignedRequestEnabled": bool(sign_on.get("samlSignedRequestEnabled", False)),
            "attributeStatements": [statement(s) for s in sign_on.get("attributeStatements") or []],
            "inlineHooks": sign_on.get("inlineHooks") or [],
            "slo": sign_on.get("slo") or {"enabled": False},
            "participateSlo": sign_on.get("participateSlo") or {"enabled": False},
            "configuredAttributeStatements": sign_on.get("configuredAttributeStatements") or [],
        }
        if sign_on.get("spCertificate"):
            on["spCertificate"] = sign_on["spCertificate"]
        return {
            "id": app.id,
            "orn": f"orn:okta:idp:{self.org_name}:apps:{name}:{app.id}",
            "name": name,
            "label": body["label"],
            "status": status,
            "created": created,
            "lastUpdated": updated,
            "signOnMode": "SAML_2_0",
            "accessibility": {
                "selfService": bool(accessibility.get("selfService", False)),
                "errorRedirectUrl": accessibility.get("errorRedirectUrl"),
                "loginRedirectUrl": accessibility.get("loginRedirectUrl"),
            },
            "visibility": {
                "autoLaunch": bool(visibility.get("autoLaunch", False)),
                "autoSubmitToolbar": bool(visibility.get("autoSubmitToolbar", False)),
                "hide": {"iOS": bool(hide.get("iOS", False)), "web": bool(hide.get("web", False))},
                "appLinks": visibility.get("appLinks") or {f"{name}_link": True},
            },
            "features": features,
            "credentials": {
                "userNameTemplate": {
                    "template": template.get("template") or DEFAULT_USERNAME_TEMPLATE,
                    "type": template.get("type") or "BUILT_IN",
                    **({"suffix": template["suffix"]} if template.get("suffix") else {}),
                    **({"pushStatus": template["pushStatus"]} if template.get("pushStatus") else {}),
                },
                "signing": {"kid": signing.get("kid") or app.external_key.replace("exk", "kid", 1)},
            },
            "settings": {
                "app": settings.get("app") or {},
                "notifications": settings.get("notifications")
                or {"vpn": {"network": {"connection": "DISABLED"}, "message": None, "helpUrl": None}},
                "manualProvisioning": bool(settings.get("manualProvisioning", False)),
                "implicitAssignment": bool(settings.get("implicitAssignment", False)),
                "notes": settings.get("notes") or {"admin": None, "enduser": None},
                "signOn": on,
            },
            "_links": self._links(app, name),
        }

    def _links(self, app: OktaApp, name: str) -> dict[str, Any]:
        base = f"{self.org_url}/api/v1/apps/{app.id}"
        return {
            "self": {"href": base},
            "metadata": {"href": f"{base}/sso/saml/metadata", "type": "application/xml"},
            "appLinks": [
                {
                    "name": f"{name}_link",
                    "href": f"{self.org_url}/home/{name}/{app.id}/{app.external_key}",
                    "type": "text/html",
                }
            ],
            "accessPolicy": {"href": f"{self.org_url}/api/v1/policies/{app.policy_id}"},
            "groups": {"href": f"{base}/groups"},
            "users": {"href": f"{base}/users"},
            "deactivate": {"href": f"{base}/lifecycle/deactivate"},
        }

    # -- assignments ---------------------------------------------------------------------------
    def assign_group(
        self, app_id: str, group_id: str, priority: int | None = None, profile: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """PUT /api/v1/apps/{id}/groups/{groupId} (an admin's assignment is the same)."""
        app = self.app(app_id)
        if group_id not in self.groups:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {group_id} (UserGroup)")
        if priority is None:
            taken = [a["priority"] for a in app.group_assignments.values()]
            priority = max(taken, default=-1) + 1
        app.group_assignments[group_id] = {
            "id": group_id,
            "priority": priority,
            "profile": profile or {},
            "lastUpdated": self.clock.iso(),
        }
        return app.group_assignments[group_id]

    def unassign_group(self, app_id: str, group_id: str) -> None:
        app = self.app(app_id)
        if group_id not in app.group_assignments:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {group_id} (AppGroupAssignment)")
        del app.group_assignments[group_id]

    def assign_user(self, app_id: str, user_id: str) -> None:
        """A direct (scope USER) assignment."""
        app, user = self.app(app_id), self.user(user_id)
        app.user_assignments[user.id] = {"scope": "USER", "created": self.clock.iso()}

    def unassign_user(self, app_id: str, user_id: str) -> None:
        self.app(app_id).user_assignments.pop(self.user(user_id).id, None)

    def assigned_users(self, app_id: str) -> dict[str, str]:
        """{user id: scope} of everyone assigned (directly: USER, through a group: GROUP)."""
        app = self.app(app_id)
        found: dict[str, str] = {}
        for group_id in app.group_assignments:
            for member in self.groups[group_id].members if group_id in self.groups else []:
                found.setdefault(member, "GROUP")
        for user_id in app.user_assignments:
            found[user_id] = "USER"
        return found

    def user_name(self, app_id: str, user_id: str) -> str:
        """The user's app username: the app's userNameTemplate applied to the profile."""
        app, user = self.app(app_id), self.user(user_id)
        template = app.doc["credentials"]["userNameTemplate"]["template"]
        return evaluate_template(template, user.profile)

    # -- provisioning (the admin's clicks; the API parts are in http_okta) ---------------------
    def enable_provisioning(self, app_id: str, base_url: str | None = None, token: str | None = None) -> None:
        """The admin switches SCIM on (General tab) and, if given, fills in the Integration tab."""
        app = self.app(app_id)
        app.provisioning_enabled = True
        app.doc["features"] = sorted(set(app.doc.get("features") or []) | {"GROUP_PUSH"})
        if base_url is not None:
            app.connection = {
                "baseUrl": base_url,
                "authScheme": "TOKEN",
                "token": token or "",
                "status": "ENABLED",
            }

    def set_supported_actions(self, app_id: str, import_users: bool = True, push_groups: bool = True) -> None:
        """The Integration tab's supported actions "Import New Users and Profile Updates"
        (feature IMPORT_NEW_USERS) and "Push Groups" (GROUP_PUSH), as `features` shows them."""
        app = self.app(app_id)
        features = set(app.doc.get("features") or [])
        for feature, on in (("IMPORT_NEW_USERS", import_users), ("GROUP_PUSH", push_groups)):
            if on:
                features.add(feature)
            else:
                features.discard(feature)
        app.doc["features"] = sorted(features)

    def set_connection(self, app_id: str, base_url: str, token: str) -> dict[str, Any]:
        """POST /api/v1/apps/{id}/connections/default: stored; usable once provisioning is on."""
        app = self.app(app_id)
        status = (app.connection or {}).get("status", "DISABLED")
        app.connection = {"baseUrl": base_url, "authScheme": "TOKEN", "token": token, "status": status}
        return app.connection

    def set_to_app(
        self,
        app_id: str,
        create: bool | None = None,
        update: bool | None = None,
        deactivate: bool | None = None,
    ) -> None:
        """The To App settings (create users, update attributes, deactivate users)."""
        app = self.app(app_id)
        for key, value in (("create", create), ("update", update), ("deactivate", deactivate)):
            if value is not None:
                app.to_app[key] = value
        features = set(app.doc.get("features") or []) - set(PROVISIONING_FEATURES)
        for key, feature in zip(("create", "update", "deactivate"), PROVISIONING_FEATURES, strict=True):
            if app.to_app[key]:
                features.add(feature)
        app.doc["features"] = sorted(features)

    def provisioning_active(self, app: OktaApp) -> bool:
        """Provisioning delivers: switched on, connection enabled, app active."""
        return (
            app.provisioning_enabled
            and app.connection is not None
            and app.connection.get("status") == "ENABLED"
            and app.doc["status"] == "ACTIVE"
        )

    # -- push mappings -------------------------------------------------------------------------
    def create_mapping(
        self,
        app_id: str,
        source_group_id: str,
        target_group_name: str | None,
        target_group_id: str | None,
        status: str,
    ) -> PushMapping:
        app = self.app(app_id)
        if "GROUP_PUSH" not in (app.doc.get("features") or []):
            raise ApiError(400, "E0000001", "Api validation failed: group push is not supported for this app")
        if source_group_id not in self.groups:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {source_group_id} (UserGroup)")
        if any(
            self.mappings[m].source_group_id == source_group_id for m in app.mapping_ids if m in self.mappings
        ):
            raise ApiError(400, "E0000001", "Api validation failed: the group is already pushed to this app")
        if status not in ("ACTIVE", "INACTIVE"):
            raise ApiError(400, "E0000001", f"Api validation failed: status {status}")
        now = self.clock.iso()
        mapping = PushMapping(
            id=self.new_id("gPm"),
            app_id=app_id,
            source_group_id=source_group_id,
            target_group_id=target_group_id or self.new_id("00g"),
            target_group_name=target_group_name or self.groups[source_group_id].name,
            status=status,
            created=now,
            last_updated=now,
        )
        self.mappings[mapping.id] = mapping
        app.mapping_ids.append(mapping.id)
        return mapping

    def mapping(self, app_id: str, mapping_id: str) -> PushMapping:
        mapping = self.mappings.get(mapping_id)
        if mapping is None or mapping.app_id != app_id:
            raise ApiError(404, "E0000007", f"Not found: Resource not found: {mapping_id} (GroupPushMapping)")
        return mapping

    def update_mapping(self, app_id: str, mapping_id: str, status: str) -> PushMapping:
        """PATCH a mapping's status: ACTIVE <-> INACTIVE only (ERROR is Okta's to set)."""
        mapping = self.mapping(app_id, mapping_id)
        if status not in ("ACTIVE", "INACTIVE"):
            raise ApiError(
                400, "E0000001", f"Api validation failed: status: got {status}; expected ACTIVE or INACTIVE"
            )
        if mapping.status == "ERROR" and status == "ACTIVE":
            raise ApiError(
                400, "E0000001", "Api validation failed: the mapping is in ERROR; retry the push in Okta"
            )
        mapping.status = status
        mapping.last_updated = self.clock.iso()
        return mapping

    def delete_mapping(self, app_id: str, mapping_id: str, delete_target_group: bool) -> None:
        """DELETE a mapping: refused unless INACTIVE, as Okta does."""
        mapping = self.mapping(app_id, mapping_id)
        if mapping.status != "INACTIVE":
            raise ApiError(
                400, "E0000001", "Api validation failed: a group push mapping must be INACTIVE to be deleted"
            )
        del self.mappings[mapping_id]
        self.app(app_id).mapping_ids.remove(mapping_id)
        if delete_target_group:
            self.pending_group_deletes.append((app_id, mapping.target_group_id))

    def set_mapping_status(self, mapping_id: str, status: str, error: str | None = None) -> None:
        """A test step: Okta puts a mapping in ERROR (a failed push) or back."""
        mapping = self.mappings[mapping_id]
        mapping.status, mapping.error_summary = status, error
        mapping.last_updated = self.clock.iso()

    def app_mappings(self, app_id: str) -> list[PushMapping]:
        return [self.mappings[m] for m in self.app(app_id).mapping_ids if m in self.mappings]


def statement(raw: dict[str, Any]) -> dict[str, Any]:
    """An attribute statement as Okta stores it."""
    out: dict[str, Any] = {
        "type": raw.get("type") or "EXPRESSION",
        "name": raw.get("name", ""),
        "namespace": raw.get("namespace") or "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    }
    if out["type"] == "GROUP":
        out["filterType"] = raw.get("filterType")
        out["filterValue"] = raw.get("filterValue")
    else:
        out["values"] = list(raw.get("values") or [])
    return out


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", label.lower()) or "app"


def evaluate_template(template: str, profile: dict[str, Any]) -> str:
    """An Okta username template: `${source.<attribute>}` (and `source.<attribute>`)."""
    match = re.fullmatch(r"\$\{\s*source\.([A-Za-z0-9_]+)\s*\}|source\.([A-Za-z0-9_]+)", template.strip())
    if not match:
        raise TwinUnsupported(
            f"okta userNameTemplate: got {template}; the twin evaluates ${{source.<attribute>}}"
        )
    attribute = match.group(1) or match.group(2)
    if attribute not in profile:
        raise TwinUnsupported(f"okta userNameTemplate: got {template}; the profile has no {attribute}")
    return str(profile[attribute])
