"""Reading the live setup: GET requests only, through the live-API layer (timeouts, bounded
retries honouring Okta's X-Rate-Limit-Reset, redaction, paging).

Okta Management API (developer.okta.com, "Okta Admin Management API"): Applications
(GET /api/v1/apps/{appId}, GET /api/v1/apps?q=), Application Groups (GET .../groups),
Application Users (GET .../users: `scope` USER for direct assignments), Groups
(GET /api/v1/groups/{groupId}), Group Push Mappings (GET .../group-push/mappings), Application
Features (GET .../features) and Connections (GET .../connections/default); lists are paged with
`Link: <...>; rel="next"`.
Grafana HTTP API (grafana.com/docs, "SSO Settings API", "Service account HTTP API", and the
SCIM config object grafana_scim_config writes): GET /api/v1/sso-settings/saml (secrets come back
masked and are never kept), GET /apis/scim.grafana.app/v0alpha1/namespaces/{ns}/config/default,
GET /api/serviceaccounts/search?query=, GET /api/serviceaccounts/{id}/tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..errors import ProblemsError
from ..live import (
    SAML_2_0,
    SCIM_CONFIG_PATH,
    BadAnswer,
    GrafanaClient,
    LiveError,
    OktaClient,
    Reader,
    StatusError,
    Unreachable,
    looks_like_app_id,
    select_app,
    transport_hint,
)

SECRET_SETTINGS = frozenset(
    {
        "certificate",
        "privateKey",
        "private_key",
        "clientSecret",
        "client_secret",
        "certificatePath",
        "privateKeyPath",
    }
)
BAD_ANSWERS = {
    "not-json": "not JSON",
    "not-a-list": "not a list",
    "other-host": "next page on another host",
}


class ApiFailure(Exception):
    """An API or credential failure (exit 1); message already redacted."""


class BadInput(ProblemsError):
    """Not found, ambiguous or not a SAML 2.0 app (exit 2); one problem per line."""


@dataclass
class Unread:
    """A Grafana object that could not be read: why, and what that means."""

    status: int | None
    why: str


@dataclass
class OktaState:
    """What the Okta org says about the app."""

    app: dict[str, Any]
    assignments: list[dict[str, Any]]  # {id, priority, name, type}
    direct_users: list[dict[str, Any]]  # {id, userName}
    mappings: list[dict[str, Any]] | None  # None: the API did not answer
    mappings_note: str = ""
    features: list[dict[str, Any]] | None = None
    connection: dict[str, Any] | None = None

    @property
    def app_id(self) -> str:
        return str(self.app.get("id"))


@dataclass
class GrafanaState:
    """What Grafana says; an object is a dict, None (absent) or Unread."""

    sso: dict[str, Any] | Unread | None = None
    scim: dict[str, Any] | Unread | None = None
    account: dict[str, Any] | Unread | None = None
    tokens: list[dict[str, Any]] | Unread = field(default_factory=list)


def failure(reader: Reader, what: str, exc: LiveError) -> ApiFailure:
    """The exit-1 line for a read that failed, naming the service (`what`), the request and,
    for a known status, what it means."""
    if isinstance(exc, Unreachable):
        hint = transport_hint(exc.error, f"{what} ({reader.http.base_url})", reader.http.settings.timeout)
        return ApiFailure(reader.redact(f"{what}: GET {exc.url}: {exc.error.message}; {hint}"))
    assert isinstance(exc, StatusError | BadAnswer)
    path = "/" + exc.path.lstrip("/")
    if isinstance(exc, StatusError):
        summary = exc.fields("errorCode", "errorSummary", "message")
        return ApiFailure(
            reader.redact(
                f"{what}: GET {path}: HTTP {exc.status}{' ' + summary if summary else ''}"
                f"{_hint(what, exc.status)}"
            )
        )
    text = BAD_ANSWERS.get(exc.kind, f"more than {exc.pages} pages")
    return ApiFailure(f"{what}: GET {path}: {text}")


def _hint(what: str, status: int) -> str:
    if what == "Okta" and status == 401:
        return " (OKTA_API_TOKEN is invalid or expired)"
    if what == "Okta" and status == 403:
        return " (the API token's admin cannot read apps and groups: needs read access to apps)"
    if what == "Grafana" and status == 401:
        return " (GRAFANA_AUTH is invalid or expired)"
    return ""


def find_app(okta: OktaClient, app: str) -> dict[str, Any]:
    """The SAML 2.0 app by id or exact label (the live layer's app-selection rule); BadInput
    when absent, ambiguous or not SAML."""
    by_id = looks_like_app_id(app)
    try:
        choice = select_app(okta, app if by_id else None, app)
    except StatusError as exc:
        if by_id and exc.status == 404:
            raise BadInput(_not_found(app)) from None
        raise
    found = choice.app
    if by_id and found is None:
        raise BadInput(_not_found(app))
    if not choice.exact:
        near = ", ".join(sorted({str(a.get("label")) for a in choice.listed}))
        raise BadInput(
            [
                f"--okta-app: got {app!r}; expected the label or id of an app (no app "
                f"has that label{'; similar: ' + near if near else ''})"
            ]
        )
    if found is None:
        rows = "; ".join(
            f"{a.get('id')} {a.get('label')!r} {a.get('status')} ACS {_sign_on(a).get('ssoAcsUrl', '?')}"
            for a in choice.saml
        )
        raise BadInput(
            [
                f"--okta-app: got {app!r}; expected one app, found {len(choice.saml)} SAML 2.0 "
                f"apps with that label ({rows}); pass the id"
            ]
        )
    if found.get("signOnMode") != SAML_2_0:
        raise BadInput(
            [
                f"--okta-app: got {found.get('id')} ({found.get('label')!r}, signOnMode "
                f"{found.get('signOnMode')}); expected a SAML 2.0 app (Grafana's SCIM "
                "works with SAML sign-in only)"
            ]
        )
    return found


def _not_found(app: str) -> list[str]:
    return [f"--okta-app: got {app!r}; expected the id of an app in this Okta org (not found)"]


def _sign_on(app: dict[str, Any]) -> dict[str, Any]:
    return (app.get("settings") or {}).get("signOn") or {}


def read_okta(okta: OktaClient, app_ref: str) -> OktaState:
    """The app, its group assignments (with names), direct users, push mappings, features;
    ApiFailure when a read fails."""
    try:
        return _read_okta(okta, app_ref)
    except LiveError as exc:
        raise failure(okta, "Okta", exc) from None


def _read_okta(okta: OktaClient, app_ref: str) -> OktaState:
    app = find_app(okta, app_ref)
    app_id = quote(str(app.get("id")))
    groups = okta.get_all(f"api/v1/apps/{app_id}/groups", {"limit": "200"}).body
    assignments = [
        _assignment(okta, entry) for entry in groups if isinstance(entry, dict) and entry.get("id")
    ]
    users = okta.get_all(f"api/v1/apps/{app_id}/users", {"limit": "200"}).body
    direct = [
        {"id": str(u.get("id")), "userName": str((u.get("credentials") or {}).get("userName") or u.get("id"))}
        for u in users
        if isinstance(u, dict) and u.get("scope") == "USER"
    ]
    unavailable = (400, 403, 404)
    mappings = okta.get_all(f"api/v1/apps/{app_id}/group-push/mappings", {"limit": "100"}, ok=unavailable)
    note = (
        "" if mappings.status == 200 else f"HTTP {mappings.status}: group push is not available for this app"
    )
    features = okta.get(f"api/v1/apps/{app_id}/features", ok=unavailable).body
    connection = okta.get(f"api/v1/apps/{app_id}/connections/default", ok=unavailable).body
    return OktaState(
        app=app,
        assignments=sorted(assignments, key=lambda a: (a["priority"], a["name"])),
        direct_users=direct,
        mappings=mappings.body if mappings.status == 200 else None,
        mappings_note=note,
        features=features if isinstance(features, list) else None,
        connection=connection if isinstance(connection, dict) else None,
    )


def _assignment(okta: OktaClient, entry: dict[str, Any]) -> dict[str, Any]:
    """One group assignment with the group's name and type."""
    group = okta.get(f"api/v1/groups/{quote(str(entry['id']))}").body
    group = group if isinstance(group, dict) else {}
    return {
        "id": str(entry["id"]),
        "priority": int(entry.get("priority") or 0),
        "name": str((group.get("profile") or {}).get("name") or entry["id"]),
        "type": str(group.get("type") or "OKTA_GROUP"),
    }


def read_grafana(grafana: GrafanaClient, namespace: str | None, account_name: str) -> GrafanaState:
    """SSO settings (secrets dropped), the SCIM config, the service account and its tokens;
    ApiFailure when a read fails."""
    try:
        state = GrafanaState(sso=_sso(grafana), scim=_scim_config(grafana, namespace))
        _account(grafana, account_name, state)
    except LiveError as exc:
        raise failure(grafana, "Grafana", exc) from None
    return state


def _sso(grafana: GrafanaClient) -> dict[str, Any] | Unread | None:
    answer = grafana.get("api/v1/sso-settings/saml", ok=(403, 404))
    if answer.status == 403:
        return Unread(403, "not read (403): needs a server admin")
    if answer.status == 404 or not isinstance(answer.body, dict):
        return None
    raw = answer.body.get("settings") or {}
    settings = {k: v for k, v in raw.items() if k not in SECRET_SETTINGS}
    # Secrets come back masked when set: only whether a key pair is set is kept.
    key_pair = any(raw.get(k) for k in ("certificate", "privateKey", "certificatePath", "privateKeyPath"))
    return {"source": answer.body.get("source"), "settings": settings, "key_pair_set": key_pair}


def _scim_config(grafana: GrafanaClient, namespace: str | None) -> dict[str, Any] | Unread | None:
    if namespace is None:
        return Unread(None, "not read: the namespace needs the stack id")
    answer = grafana.get(SCIM_CONFIG_PATH.format(namespace=quote(namespace)), ok=(403, 404))
    if answer.status == 403:
        return Unread(403, "not read (403): the credential cannot read the SCIM config")
    if answer.status == 404 or not isinstance(answer.body, dict):
        return None
    return dict(answer.body.get("spec") or {})


def _account(grafana: GrafanaClient, account_name: str, state: GrafanaState) -> None:
    """The service account named `account_name` and its tokens, into `state`."""
    answer = grafana.get("api/serviceaccounts/search", {"query": account_name, "perpage": "100"}, ok=(403,))
    if answer.status == 403:
        state.account = Unread(403, "not read (403): needs an org admin")
        state.tokens = Unread(403, "not read (403)")
        return
    accounts = [
        a
        for a in (answer.body or {}).get("serviceAccounts") or []
        if isinstance(a, dict) and a.get("name") == account_name
    ]
    state.account = accounts[0] if accounts else None
    if not accounts:
        return
    tokens = grafana.get(f"api/serviceaccounts/{accounts[0].get('id')}/tokens", ok=(403,))
    state.tokens = (
        Unread(403, "not read (403)")
        if tokens.status == 403
        else [
            {"name": t.get("name"), "expiration": t.get("expiration")}
            for t in tokens.body or []
            if isinstance(t, dict)
        ]
    )
