"""The twin as verify's and discover's tests meet it: one twin per test, served on 127.0.0.1, and
the states those tests start from, reached by the steps a person and Terraform take.

Shared by tests/companion (verify) and tests/discover (discover, verify --drift); what they rely
on is listed in CONSUMERS.md. Terraform's part of a state is sent as the pinned providers send it
(the request bodies below follow tests/terraform/harness/okta_models.py and grafana_models.py,
which cite the providers' source), the admin's part with the twin's own steps (`twin.okta.*`),
the way SCIM_SETUP.md tells a person to do it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from .clock import Clock
from .faults import Faults
from .server import Endpoints, serve
from .twin import Twin

OKTA_ORG = "example"
OKTA_BASE_URL = "okta.com"
GRAFANA = "https://example.grafana.net"
STACK_ID = 123456
NAMESPACE = f"stacks-{STACK_ID}"
SCIM_BASE_URL = f"{GRAFANA}/apis/scim.grafana.app/v0alpha1/namespaces/{NAMESPACE}"
# An API token the Okta org issued (the view refuses any other) and the Grafana admin's token
# (the credential Terraform's grafana provider and discover use).
OKTA_TOKEN = "00twinOktaApiToken-abcdefghijklmnop"
GRAFANA_TOKEN = "glsa_twinGrafanaAdminToken_0123456789"
UNSPECIFIED = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
USER_ID_EXPRESSION = 'user.getInternalProperty("id")'


class StepFailed(AssertionError):
    """A set-up request the twin refused: the test's premise is wrong, not verify or discover."""


@dataclass
class World:
    """One twin, served: the Okta org `example`, Grafana Cloud stack 123456 (and any other
    Grafana added before serving), their loopback URLs and fault injectors."""

    twin: Twin
    endpoints: Endpoints
    grafana_public: str = GRAFANA
    # (Okta view, Grafana view) request counts when the set-up was done
    setup_requests: tuple[int, int] = (0, 0)

    @property
    def okta_url(self) -> str:
        return self.endpoints.okta_url

    @property
    def grafana_url(self) -> str:
        return self.endpoints.grafana_urls[self.grafana_public]

    @property
    def okta_faults(self) -> Faults:
        faults: Faults = self.twin.okta_view.faults
        return faults

    @property
    def grafana_faults(self) -> Faults:
        faults: Faults = self.twin.grafana_views[self.grafana_public].faults
        return faults

    def okta_requests(self) -> list[tuple[str, str]]:
        """The requests the Okta view saw after the set-up."""
        return self.okta_faults.requests[self.setup_requests[0] :]

    def methods(self) -> set[str]:
        """Every HTTP method either view saw after the set-up."""
        okta = self.okta_faults.requests[self.setup_requests[0] :]
        grafana = self.grafana_faults.requests[self.setup_requests[1] :]
        return {m for m, _ in okta + grafana}

    def mark_setup_done(self) -> None:
        """Requests from here on are the consumer's (methods() ignores the set-up's)."""
        self.setup_requests = (len(self.okta_faults.requests), len(self.grafana_faults.requests))

    # -- the two APIs, as Terraform and an admin call them ----------------------------------------
    def okta_api(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        """One Management API request with the org's API token; the answer's JSON."""
        return _call(self.okta_url, f"SSWS {OKTA_TOKEN}", method, path, body, params)

    def grafana_api(
        self, method: str, path: str, body: Any = None, grafana: str | None = None, **params: str
    ) -> Any:
        """One Grafana HTTP API request with the admin token; the answer's JSON."""
        base = self.endpoints.grafana_urls[grafana or self.grafana_public]
        return _call(base, f"Bearer {GRAFANA_TOKEN}", method, path, body, params)


def _call(base: str, auth: str, method: str, path: str, body: Any, params: dict[str, str]) -> Any:
    response = httpx.request(
        method, base + path, json=body, params=params or None, headers={"Authorization": auth}, timeout=10
    )
    if response.status_code >= 400:
        raise StepFailed(f"set-up {method} {path}: HTTP {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


def new_twin(*grafanas: dict[str, Any]) -> Twin:
    """The Okta org and the Grafana instances (default: Cloud stack 123456), on a fixed clock."""
    twin = Twin(okta_org=OKTA_ORG, okta_base_url=OKTA_BASE_URL, clock=Clock())
    for options in grafanas or (
        {"url": GRAFANA, "kind": "cloud", "stack_id": STACK_ID, "stack_slug": "example"},
    ):
        options = dict(options)
        twin.add_grafana(options.pop("url"), **options)
    twin.okta_view.tokens = {OKTA_TOKEN}
    for view in twin.grafana_views.values():
        view.auth.tokens = {GRAFANA_TOKEN}
        view.scim_auth.tokens = set()  # the SCIM API takes service account tokens only
    return twin


@contextmanager
def world(*grafanas: dict[str, Any]) -> Iterator[World]:
    """A fresh twin, served for the `with` block."""
    twin = new_twin(*grafanas)
    with serve(twin) as endpoints:
        yield World(twin, endpoints)


# -- the states the suites start from -----------------------------------------------------------
def statements(user_uid: bool = True, extra: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The cloud example's attribute statements as okta_app_saml sends them (login, email, name,
    groups, and the external uid Grafana matches SCIM users on)."""
    found: list[dict[str, Any]] = [
        {"type": "EXPRESSION", "name": "login", "namespace": UNSPECIFIED, "values": ["user.login"]},
        {"type": "EXPRESSION", "name": "email", "namespace": UNSPECIFIED, "values": ["user.email"]},
        {
            "type": "EXPRESSION",
            "name": "displayName",
            "namespace": UNSPECIFIED,
            "values": ['user.firstName + " " + user.lastName'],
        },
        {
            "type": "GROUP",
            "name": "groups",
            "namespace": UNSPECIFIED,
            "filterType": "REGEX",
            "filterValue": ".*",
        },
    ]
    if user_uid:
        found.append(
            {
                "type": "EXPRESSION",
                "name": "userUID",
                "namespace": UNSPECIFIED,
                "values": [USER_ID_EXPRESSION],
            }
        )
    return found + list(extra or [])


def saml_app_body(
    label: str = "Grafana", grafana: str = GRAFANA, hide_web: bool = True, **sign_on: Any
) -> dict[str, Any]:
    """POST /api/v1/apps for the cloud example's okta_app_saml (resource_okta_app_saml.go buildSamlApp)."""
    settings: dict[str, Any] = {
        "ssoAcsUrl": f"{grafana}/saml/acs",
        "recipient": f"{grafana}/saml/acs",
        "destination": f"{grafana}/saml/acs",
        "audience": f"{grafana}/saml/metadata",
        "subjectNameIdTemplate": "${user.userName}",
        "subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "responseSigned": True,
        "assertionSigned": True,
        "signatureAlgorithm": "RSA_SHA256",
        "digestAlgorithm": "SHA256",
        "authnContextClassRef": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        "attributeStatements": statements(),
    }
    settings.update(sign_on)
    return {
        "label": label,
        "signOnMode": "SAML_2_0",
        "visibility": {"autoSubmitToolbar": False, "hide": {"web": hide_web, "iOS": True}},
        "settings": {"signOn": settings},
    }


@dataclass
class Integration:
    """What the cloud example's set-up left: ids and the SCIM token (for the tests to use)."""

    app_id: str = ""
    group_id: str = ""
    account_id: int = 0
    scim_token: str = ""
    mapping_id: str = ""


def people(w: World) -> Integration:
    """What exists before Terraform: the Okta group the spec assigns and pushes."""
    return Integration(group_id=w.twin.okta.add_group("grafana-users"))


def grafana_phase_1(
    w: World, done: Integration, reject: bool = False, namespace: str = NAMESPACE
) -> Integration:
    """Terraform's Grafana side: the SCIM service account and its token (resource_service_account.go,
    resource_service_account_token.go), SAML settings (resource_sso_settings.go), the SCIM config
    of the stack's namespace (resource_scim_config.go)."""
    account = w.grafana_api(
        "POST", "/api/serviceaccounts", {"name": "okta-scim", "role": "Admin", "isDisabled": False}
    )
    token = w.grafana_api("POST", f"/api/serviceaccounts/{account['id']}/tokens", {"name": "okta-scim-okta"})
    done.account_id, done.scim_token = account["id"], token["key"]
    w.grafana_api(
        "PUT",
        "/api/v1/sso-settings/saml",
        {"provider": "saml", "settings": grafana_saml_settings(w, done.app_id)},
    )
    w.grafana_api(
        "PUT",
        f"/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}/config/default",
        {
            "apiVersion": "scim.grafana.app/v0alpha1",
            "kind": "SCIMConfig",
            "metadata": {"name": "default", "namespace": namespace},
            "spec": {"enableUserSync": True, "enableGroupSync": True, "rejectNonProvisionedUsers": reject},
        },
    )
    return done


def grafana_saml_settings(w: World, app_id: str) -> dict[str, Any]:
    """The cloud example's grafana_sso_settings saml_settings, snake_case as the provider sends them."""
    return {
        "enabled": True,
        "name": "Okta",
        "idp_metadata_url": f"{w.twin.okta.org_url}/api/v1/apps/{app_id}/sso/saml/metadata",
        "entity_id": f"{GRAFANA}/saml/metadata",
        "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "assertion_attribute_login": "login",
        "assertion_attribute_email": "email",
        "assertion_attribute_name": "displayName",
        "assertion_attribute_external_uid": "userUID",
        "assertion_attribute_groups": "groups",
        "skip_org_role_sync": True,
        "allow_sign_up": False,
        "auto_login": False,
    }


def okta_phase_1(w: World, done: Integration, body: dict[str, Any] | None = None) -> Integration:
    """Terraform's Okta side: the SAML app (POST ?activate=true) and the group assignment (PUT)."""
    app = w.okta_api("POST", "/api/v1/apps", body or saml_app_body(), activate="true")
    done.app_id = app["id"]
    w.okta_api("PUT", f"/api/v1/apps/{done.app_id}/groups/{done.group_id}", {"priority": 0})
    return done


def admin_switches_scim_on(
    w: World, done: Integration, to_app: tuple[bool, bool, bool] = (True, True, True)
) -> None:
    """SCIM_SETUP.md's manual steps: Provisioning: SCIM on the General tab, the Integration tab's
    supported actions, Provisioning > To App."""
    okta = w.twin.okta
    okta.enable_provisioning(done.app_id)
    create, update, deactivate = to_app
    okta.set_to_app(done.app_id, create=create, update=update, deactivate=deactivate)
    okta.set_supported_actions(done.app_id, import_users=True, push_groups=True)


def okta_phase_2(w: World, done: Integration) -> Integration:
    """Terraform's second apply: the push mapping (resource_okta_push_group.go create)."""
    mapping = w.okta_api(
        "POST",
        f"/api/v1/apps/{done.app_id}/group-push/mappings",
        {"sourceGroupId": done.group_id, "targetGroupName": "grafana-users", "status": "ACTIVE"},
    )
    done.mapping_id = mapping["id"]
    return done


def cloud_example(w: World, phase: int = 2, reject: bool = False) -> Integration:
    """examples/cloud.yaml's prod integration in manual mode: Terraform's first apply, the
    admin's SCIM switch, then (phase 2) the second apply."""
    done = okta_phase_1(w, people(w))
    grafana_phase_1(w, done, reject=reject)
    if phase >= 2:
        admin_switches_scim_on(w, done)
        okta_phase_2(w, done)
    w.mark_setup_done()
    return done


# -- what a person changes afterwards -----------------------------------------------------------
def update_app(w: World, app_id: str, hide_web: bool = True, **sign_on: Any) -> None:
    """An admin's (or an older Terraform's) full PUT of the app with these changes."""
    w.okta_api("PUT", f"/api/v1/apps/{app_id}", saml_app_body(hide_web=hide_web, **sign_on))


def unpush(w: World, app_id: str, mapping_id: str) -> None:
    """An admin unlinks a pushed group (deactivate, then delete the mapping; the team stays)."""
    path = f"/api/v1/apps/{app_id}/group-push/mappings/{mapping_id}"
    w.okta_api("PATCH", path, {"status": "INACTIVE"})
    w.okta_api("DELETE", path, deleteTargetGroup="false")


def update_saml(w: World, app_id: str, **settings: Any) -> None:
    """An admin saves Grafana's SAML settings with these changes (snake_case keys)."""
    body = {"provider": "saml", "settings": {**grafana_saml_settings(w, app_id), **settings}}
    w.grafana_api("PUT", "/api/v1/sso-settings/saml", body)


def update_scim_config(w: World, namespace: str = NAMESPACE, **spec: bool) -> None:
    """An admin changes the SCIM config of a namespace (camelCase spec keys)."""
    path = f"/apis/scim.grafana.app/v0alpha1/namespaces/{namespace}/config/default"
    current = w.grafana_api("GET", path)["spec"]
    w.grafana_api(
        "PUT", path, {"metadata": {"name": "default", "namespace": namespace}, "spec": {**current, **spec}}
    )
