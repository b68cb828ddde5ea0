"""Checks of the Okta app through Okta's public Management API (read-only calls).

Endpoints read: GET /api/v1/apps/{id} (or /api/v1/apps?q=label), .../connections/default,
.../features/USER_PROVISIONING, .../federated-claims, /api/v1/groups?search= (Okta groups and
AD/LDAP-mastered ones) and .../group-push/mappings?sourceGroupId= (paged: the Link rel="next"
cursor is followed).
Nothing is written. Checks of a later phase than the integration's are skipped (phase.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from ..facts import Facts
from .diagnosis import transport_hint
from .http import HttpClient, TransportError
from .model import Check
from .phase import Phase
from .registry import CheckSpec, check, deferred, dependents, skip_all

APP = check("okta.app")
ATTRIBUTE_STATEMENT = check("okta.attribute_statement")
CONNECTION = check("okta.connection")
GROUP_PUSH = check("okta.group_push")
INTEGRATION_TAB = check("okta.integration_tab")
PROVISIONING = check("okta.provisioning")
SIGN_ON_MODE = check("okta.sign_on_mode")
USER_PROVISIONING = check("okta.user_provisioning")

# The app's `features` names that correspond to the spec's Provisioning toggles.
# Okta app `features` a To App toggle or supported action (Toggle.key) shows up as.
FEATURES = {
    "create_users": "PUSH_NEW_USERS",
    "update_user_attributes": "PUSH_PROFILE_UPDATES",
    "deactivate_users": "PUSH_USER_DEACTIVATION",
    "import_new_users_and_profile_updates": "IMPORT_NEW_USERS",
    "push_groups": "GROUP_PUSH",
}
MAX_PAGES = 50
NOT_READABLE = (
    "Okta's public API exposes neither the Integration tab's unique identifier field (userName) "
    "nor its supported-action boxes; check Provisioning > Integration by hand"
)


class OktaFailure(Exception):
    """An Okta call that did not succeed; `detail` and `hint` describe it."""

    def __init__(self, detail: str, hint: str, status: int | None = None) -> None:
        self.detail = detail
        self.hint = hint
        self.status = status
        super().__init__(detail)


class OktaChecks:
    """Reads the Okta app and compares what the API exposes with the spec."""

    def __init__(self, http: HttpClient, facts: Facts, app_id: str | None, phase: Phase) -> None:
        self.http = http
        self.facts = facts
        self.app_id = app_id
        self.phase = phase
        self.app: dict[str, Any] = {}

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET a Management API path; OktaFailure with a hint on anything but 200."""
        return self._json(path, self._request(path, params))

    def get_all(self, path: str, params: dict[str, str]) -> list[Any]:
        """Every item of a paged list: follows the Link rel="next" cursor within the org."""
        items: list[Any] = []
        response = self._request(path, params)
        for _ in range(MAX_PAGES):
            page = self._json(path, response)
            if not isinstance(page, list):
                raise OktaFailure(
                    f"GET {path}: not a list", "not an Okta API answer; check --okta-url / the org URL."
                )
            items.extend(page)
            next_url = response.links.get("next", {}).get("url")
            if not next_url:
                return items
            if not self._same_origin(next_url):
                raise OktaFailure(
                    f"GET {path}: the next page is on another host",
                    "refusing to send the API token elsewhere; check --okta-url.",
                )
            response = self._request(next_url, None)
        raise OktaFailure(
            f"GET {path}: more than {MAX_PAGES} pages", "the list keeps paging; check Push Groups by hand."
        )

    def _same_origin(self, url: str) -> bool:
        base, target = self.http.client.base_url, httpx.URL(url)
        return (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)

    def _request(self, path: str, params: dict[str, str] | None) -> httpx.Response:
        try:
            response = self.http.request("GET", path, params=params)
        except TransportError as exc:
            raise OktaFailure(
                exc.message,
                transport_hint(
                    exc, f"the Okta org ({self.http.client.base_url})", self.http.settings.timeout
                ),
            ) from None
        if response.status_code == 200:
            return response
        label = httpx.URL(path).path if "://" in path else path
        raise OktaFailure(
            f"GET {label}: HTTP {response.status_code} {_summary(response)}",
            _okta_hint(response.status_code),
            response.status_code,
        )

    @staticmethod
    def _json(path: str, response: httpx.Response) -> Any:
        try:
            return response.json()
        except json.JSONDecodeError:
            raise OktaFailure(
                f"GET {path}: 200 without JSON", "not an Okta API answer; check --okta-url / the org URL."
            ) from None

    def run(self) -> list[Check]:
        """All Okta checks; without the app the rest are skipped; later phases' skipped."""
        found = self.find_app()
        tab = INTEGRATION_TAB.skipped(NOT_READABLE)
        if not self.app:
            return [found, *skip_all(dependents(APP.name), "skipped: the app was not found"), tab]
        manual = not self.facts.okta_api_mode
        run = {
            SIGN_ON_MODE.name: self.sign_on_mode,
            PROVISIONING.name: self.provisioning,
            CONNECTION.name: self.connection,
            USER_PROVISIONING.name: self.user_provisioning,
            ATTRIBUTE_STATEMENT.name: self.attribute_statement,
            GROUP_PUSH.name: self.group_push,
        }
        checks = [deferred(name, self.phase.number, manual) or run[name]() for name in dependents(APP.name)]
        return [found, *checks, tab]

    def find_app(self) -> Check:
        """The app exists (by id, else by exact label) and is ACTIVE."""
        label = self.facts.okta_app_label
        try:
            if self.app_id:
                self.app = self.get(f"api/v1/apps/{quote(self.app_id)}")
            else:
                apps = self.get("api/v1/apps", {"q": label, "limit": "200"})
                matches = [a for a in apps if isinstance(a, dict) and a.get("label") == label]
                if len(matches) != 1:
                    return APP.failed(
                        f"{len(matches)} apps labelled {label!r}",
                        "pass --terraform-dir (okta_app_id output) or set "
                        "adopt.okta_app_id so verify reads the right app.",
                    )
                self.app = matches[0]
        except OktaFailure as exc:
            hint = exc.hint
            if exc.status == 404:
                hint = "the app does not exist (deleted, or another org); run terraform apply."
            return APP.failed(exc.detail, hint)
        self.app_id = str(self.app.get("id"))
        status = self.app.get("status")
        detail = f"app {self.app_id} {label!r} is {status}"
        if status != "ACTIVE":
            return APP.failed(detail, "activate the app (okta_app_saml status).")
        return APP.passed(detail)

    def sign_on_mode(self) -> Check:
        """The app signs users on with SAML 2.0, which Grafana's SCIM needs."""
        mode = self.app.get("signOnMode")
        if mode == "SAML_2_0":
            return SIGN_ON_MODE.passed("SAML_2_0")
        return SIGN_ON_MODE.failed(
            f"signOnMode is {mode}", "Grafana's SCIM works only with SAML sign-in; use a SAML 2.0 app."
        )

    def provisioning(self) -> Check:
        """The provisioning features the app object lists, against the spec's toggles."""
        features = set(self.app.get("features") or [])
        toggles = (*self.facts.to_app, *self.facts.supported_actions)
        wanted = {FEATURES[t.key] for t in toggles if t.enabled and t.key in FEATURES}
        if not features:
            return PROVISIONING.failed(
                "the app lists no provisioning features",
                'provisioning is off: General tab > tick "Enable SCIM provisioning" (older '
                "consoles: Provisioning: SCIM), then follow SCIM_SETUP.md (an okta_app_saml "
                "update, a full PUT of the app, can switch it off: okta provider issue #655).",
            )
        missing = sorted(wanted - features)
        detail = "features: " + ", ".join(sorted(features))
        if missing:
            return PROVISIONING.failed(
                detail + "; missing " + ", ".join(missing),
                "switch them on under Provisioning > To App / Integration as in SCIM_SETUP.md.",
            )
        return PROVISIONING.passed(detail)

    def _provisioning_read(self, check: CheckSpec, path: str, manual_hint: str) -> Any:
        """GET an app provisioning object; when Okta refuses it, the check fails in okta-api mode
        (Terraform wrote it) and is skipped with `manual_hint` in manual mode."""
        try:
            return self.get(f"api/v1/apps/{quote(self.app_id or '')}/{path}")
        except OktaFailure as exc:
            if self.facts.okta_api_mode:
                return check.failed(exc.detail, exc.hint)
            return check.skipped(exc.detail, manual_hint)

    def connection(self) -> Check:
        """The default provisioning connection; Okta answers 200 UNKNOWN for unsupported apps."""
        api_mode = self.facts.okta_api_mode
        conn = self._provisioning_read(
            CONNECTION,
            "connections/default",
            "not readable for this app; use Test Connector in Okta instead.",
        )
        if isinstance(conn, Check):
            return conn
        status, scheme = conn.get("status"), conn.get("authScheme")
        detail = f"status {status}, authScheme {scheme}, baseUrl {conn.get('baseUrl')}"
        if "UNKNOWN" in (status, scheme):
            if api_mode:
                return CONNECTION.failed(
                    detail,
                    "Okta answered 200 with UNKNOWN: okta_app_connection does not "
                    "work for this custom app. Set provisioning.mode: manual and "
                    "follow SCIM_SETUP.md.",
                )
            return CONNECTION.skipped(
                detail,
                "the public API does not expose this custom app's SCIM connection; "
                "use Provisioning > Integration > Test Connector Configuration.",
            )
        if conn.get("baseUrl") and conn["baseUrl"].rstrip("/") != self.facts.scim_base_url:
            return CONNECTION.failed(
                detail, f"the SCIM connector base URL must be {self.facts.scim_base_url}."
            )
        if status != "ENABLED":
            return CONNECTION.failed(
                detail,
                "the connection is not enabled; enable it (okta_app_connection "
                "action = activate, or by hand).",
            )
        return CONNECTION.passed(detail)

    def user_provisioning(self) -> Check:
        """USER_PROVISIONING capabilities against the spec's To App toggles."""
        feature = self._provisioning_read(
            USER_PROVISIONING,
            "features/USER_PROVISIONING",
            "not exposed for this app; check Provisioning > To App by hand.",
        )
        if isinstance(feature, Check):
            return feature
        caps = feature.get("capabilities") or {}
        seen = {
            "create_users": _status(caps, "create", "lifecycleCreate"),
            "update_user_attributes": _status(caps, "update", "profile"),
            "deactivate_users": _status(caps, "update", "lifecycleDeactivate"),
        }
        to_app = {toggle.key: toggle.enabled for toggle in self.facts.to_app}
        wrong = [
            f"{name}={value}"
            for name, value in seen.items()
            if value != ("ENABLED" if to_app[name] else "DISABLED")
        ]
        detail = f"status {feature.get('status')}; " + ", ".join(
            f"{name}={value}" for name, value in seen.items()
        )
        if feature.get("status") != "ENABLED" or wrong:
            return USER_PROVISIONING.failed(
                detail,
                "set Provisioning > To App as the spec says: "
                + ", ".join(f"{name}={'on' if to_app[name] else 'off'}" for name in seen),
            )
        return USER_PROVISIONING.passed(detail)

    def attribute_statement(self) -> Check:
        """The userUID statement Grafana matches SCIM users on exists on the app."""
        expected = self.facts.user_id_claim
        if expected is None:
            return ATTRIBUTE_STATEMENT.skipped("the generated Terraform sets no external-uid statement")
        try:
            if expected.federated:
                claims = self.get(f"api/v1/apps/{quote(self.app_id or '')}/federated-claims")
                found = {c.get("name"): (c.get("expression"),) for c in claims if isinstance(c, dict)}
            else:
                statements = ((self.app.get("settings") or {}).get("signOn") or {}).get(
                    "attributeStatements"
                ) or []
                found = {
                    s.get("name"): tuple(s.get("values") or ()) for s in statements if isinstance(s, dict)
                }
        except OktaFailure as exc:
            return ATTRIBUTE_STATEMENT.failed(exc.detail, exc.hint)
        want = " ".join(expected.values)
        if expected.name not in found:
            return ATTRIBUTE_STATEMENT.failed(
                f"no {expected.name!r} statement on the app",
                f"add {expected.name} = {want} (without it Grafana reports "
                "'User sync failed'); re-run terraform apply.",
            )
        if found[expected.name] != expected.values:
            return ATTRIBUTE_STATEMENT.failed(
                f"{expected.name} = {' '.join(map(str, found[expected.name]))}",
                f"expected {want}; otherwise Grafana reports user-externalUID-mismatch.",
            )
        return ATTRIBUTE_STATEMENT.passed(f"{expected.name} = {want}")

    def group_push(self) -> Check:
        """Each push group of the spec (an Okta group) has an ACTIVE group push mapping."""
        groups = self.facts.push_groups
        if not groups:
            return GROUP_PUSH.skipped("the spec pushes no groups")
        problems: list[str] = []
        errored: list[str] = []
        try:
            for name in groups:
                # By name only: a `type eq "OKTA_GROUP"` term would miss AD/LDAP-mastered groups.
                search = f'profile.name eq "{name}"'
                found = self.get("api/v1/groups", {"search": search})
                ids = [
                    g.get("id")
                    for g in found
                    if isinstance(g, dict) and g.get("type", "OKTA_GROUP") in GROUP_TYPES
                ]
                if not ids:
                    problems.append(
                        f"{name}: no Okta group with that name (searched: {search}, "
                        f"types {' or '.join(GROUP_TYPES)})"
                    )
                    continue
                # Same-named groups of both types: the one with a mapping is the pushed one.
                mappings = [m for m in (self._mapping(str(i)) for i in ids) if m is not None]
                if len(mappings) > 1:
                    problems.append(f"{name}: {len(mappings)} same-named groups have push mappings")
                    continue
                mapping = mappings[0] if mappings else None
                if mapping is None:
                    problems.append(f"{name}: no push mapping")
                elif mapping.get("status") != "ACTIVE":
                    problems.append(f"{name}: mapping {mapping.get('status')}")
                    if mapping.get("status") == "ERROR":
                        errored.append(name)
        except OktaFailure as exc:
            if exc.status in (400, 404) and "group-push" in exc.detail:
                return GROUP_PUSH.skipped(
                    f"{exc.detail}: the group push mappings API is not available for this app or org",
                    "check Push Groups in the app by hand.",
                )
            return GROUP_PUSH.failed(exc.detail, exc.hint)
        if problems:
            hint = "push the groups (Push Groups tab)"
            if self.facts.push_groups_gated:
                hint = "once provisioning is enabled, run `terraform apply -var provisioning_enabled=true`"
            if errored:
                hint = (
                    f"a mapping in ERROR ({', '.join(errored)}) blocks every apply (okta_push_group "
                    "accepts only ACTIVE or INACTIVE): retry it in the app's Push Groups tab, or delete "
                    "it in Okta and `terraform state rm` its okta_push_group instance, then apply "
                    "(SCIM_SETUP.md, Warnings)"
                )
            return GROUP_PUSH.failed("; ".join(problems), hint + ".")
        return GROUP_PUSH.passed("active mappings: " + ", ".join(groups))

    def _mapping(self, group_id: str) -> dict[str, Any] | None:
        """The app's push mapping of one Okta group (queried by sourceGroupId, all pages)."""
        mappings = self.get_all(
            f"api/v1/apps/{quote(self.app_id or '')}/group-push/mappings",
            {"sourceGroupId": group_id, "limit": "100"},
        )
        return next((m for m in mappings if isinstance(m, dict) and m.get("sourceGroupId") == group_id), None)


GROUP_TYPES = ("OKTA_GROUP", "APP_GROUP")


def _status(caps: dict[str, Any], group: str, name: str) -> str:
    return str(((caps.get(group) or {}).get(name) or {}).get("status", "absent"))


def _summary(response: httpx.Response) -> str:
    try:
        body = response.json()
    except json.JSONDecodeError:
        return ""
    if isinstance(body, dict):
        return " ".join(str(body.get(k)) for k in ("errorCode", "errorSummary") if body.get(k))
    return ""


def _okta_hint(status: int) -> str:
    if status == 401:
        return "OKTA_API_TOKEN is invalid or expired; create a new API token."
    if status == 403:
        return "the Okta API token's admin lacks permission to read apps and groups."
    if status == 404:
        return "not found in this Okta org; check the org URL and the app id."
    if status == 429:
        return "rate limited by Okta even after waiting for X-Rate-Limit-Reset; retry later."
    return f"unexpected HTTP {status} from Okta."
