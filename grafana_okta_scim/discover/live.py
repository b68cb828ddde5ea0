"""Reading the live setup: GET requests only, through verify's HTTP layer (timeouts, bounded
retries honouring Okta's X-Rate-Limit-Reset, redaction).

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

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from ..errors import ProblemsError
from ..verify.diagnosis import transport_hint
from ..verify.http import HttpClient, HttpSettings, TransportError
from ..verify.redact import Redactor

MAX_PAGES = 50
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


def authorization(grafana_auth: str) -> str:
    """GRAFANA_AUTH as the grafana provider reads it: `user:password` is basic auth, else a token."""
    if ":" in grafana_auth and not grafana_auth.startswith("glsa_"):
        return "Basic " + base64.b64encode(grafana_auth.encode()).decode()
    return f"Bearer {grafana_auth}"


class Reader:
    """GET-only access to one API: JSON or a status, paging within the same origin."""

    def __init__(
        self,
        base_url: str,
        auth: str,
        settings: HttpSettings,
        redact: Redactor,
        what: str,
        headers: dict[str, str] | None = None,
        sleep: Any = None,
    ) -> None:
        kwargs = {} if sleep is None else {"sleep": sleep}
        self.http = HttpClient(base_url, auth, settings, redact, **kwargs)
        if headers:
            self.http.client.headers.update(headers)
        self.what = what
        self.redact = redact

    def close(self) -> None:
        self.http.close()

    def response(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        try:
            return self.http.request("GET", path, params=params)
        except TransportError as exc:
            url = self.http.client.base_url.join(path.lstrip("/"))
            hint = transport_hint(
                exc, f"{self.what} ({self.http.client.base_url})", self.http.settings.timeout
            )
            raise ApiFailure(self.redact(f"{self.what}: GET {url}: {exc.message}; {hint}")) from None

    def get(
        self, path: str, params: dict[str, str] | None = None, ok: tuple[int, ...] = ()
    ) -> tuple[int, Any]:
        """(status, JSON body) for 200 and the statuses in `ok`; ApiFailure otherwise."""
        response = self.response(path, params)
        if response.status_code != 200 and response.status_code not in ok:
            raise ApiFailure(
                self.redact(
                    f"{self.what}: GET /{path.lstrip('/')}: HTTP {response.status_code}"
                    f"{_summary(response)}{_hint(self.what, response.status_code)}"
                )
            )
        try:
            body = response.json() if response.content else None
        except json.JSONDecodeError:
            raise ApiFailure(f"{self.what}: GET /{path.lstrip('/')}: not JSON") from None
        return response.status_code, body

    def get_all(self, path: str, params: dict[str, str], ok: tuple[int, ...] = ()) -> tuple[int, list[Any]]:
        """Every item of a paged list (Link rel="next" on the same origin)."""
        items: list[Any] = []
        url: str = path
        query: dict[str, str] | None = params
        for _ in range(MAX_PAGES):
            response = self.response(url, query)
            if response.status_code in ok:
                return response.status_code, []
            if response.status_code != 200:
                raise ApiFailure(
                    self.redact(
                        f"{self.what}: GET /{path.lstrip('/')}: HTTP {response.status_code}"
                        f"{_summary(response)}{_hint(self.what, response.status_code)}"
                    )
                )
            page = response.json()
            if not isinstance(page, list):
                raise ApiFailure(f"{self.what}: GET /{path.lstrip('/')}: not a list")
            items.extend(page)
            next_url = response.links.get("next", {}).get("url")
            if not next_url:
                return 200, items
            base, target = self.http.client.base_url, httpx.URL(next_url)
            if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
                raise ApiFailure(f"{self.what}: GET /{path.lstrip('/')}: next page on another host")
            url, query = next_url, None
        raise ApiFailure(f"{self.what}: GET /{path.lstrip('/')}: more than {MAX_PAGES} pages")


def _summary(response: httpx.Response) -> str:
    try:
        body = response.json()
    except (json.JSONDecodeError, ValueError):
        return ""
    if isinstance(body, dict):
        text = " ".join(str(body[k]) for k in ("errorCode", "errorSummary", "message") if body.get(k))
        return f" {text}" if text else ""
    return ""


def _hint(what: str, status: int) -> str:
    if what == "Okta" and status == 401:
        return " (OKTA_API_TOKEN is invalid or expired)"
    if what == "Okta" and status == 403:
        return " (the API token's admin cannot read apps and groups: needs read access to apps)"
    if what == "Grafana" and status == 401:
        return " (GRAFANA_AUTH is invalid or expired)"
    return ""


def looks_like_app_id(value: str) -> bool:
    return value.startswith("0oa") and value.isalnum()


def find_app(okta: Reader, app: str) -> dict[str, Any]:
    """The SAML 2.0 app by id or exact label; BadInput when absent, ambiguous or not SAML."""
    if looks_like_app_id(app):
        status, body = okta.get(f"api/v1/apps/{quote(app)}", ok=(404,))
        if status == 404 or not isinstance(body, dict):
            raise BadInput(
                [f"--okta-app: got {app!r}; expected the id of an app in this Okta org (not found)"]
            )
        found = body
    else:
        _, listed = okta.get_all("api/v1/apps", {"q": app, "limit": "200"})
        exact = [a for a in listed if isinstance(a, dict) and a.get("label") == app]
        saml = [a for a in exact if a.get("signOnMode") == "SAML_2_0"]
        if not exact:
            near = ", ".join(sorted({str(a.get("label")) for a in listed if isinstance(a, dict)}))
            raise BadInput(
                [
                    f"--okta-app: got {app!r}; expected the label or id of an app (no app "
                    f"has that label{'; similar: ' + near if near else ''})"
                ]
            )
        if len(saml) > 1:
            rows = "; ".join(
                f"{a.get('id')} {a.get('label')!r} {a.get('status')} ACS {_sign_on(a).get('ssoAcsUrl', '?')}"
                for a in saml
            )
            raise BadInput(
                [
                    f"--okta-app: got {app!r}; expected one app, found {len(saml)} SAML 2.0 "
                    f"apps with that label ({rows}); pass the id"
                ]
            )
        found = saml[0] if saml else exact[0]
    if found.get("signOnMode") != "SAML_2_0":
        raise BadInput(
            [
                f"--okta-app: got {found.get('id')} ({found.get('label')!r}, signOnMode "
                f"{found.get('signOnMode')}); expected a SAML 2.0 app (Grafana's SCIM "
                "works with SAML sign-in only)"
            ]
        )
    return found


def _sign_on(app: dict[str, Any]) -> dict[str, Any]:
    return (app.get("settings") or {}).get("signOn") or {}


def read_okta(okta: Reader, app_ref: str) -> OktaState:
    """The app, its group assignments (with names), direct users, push mappings, features."""
    app = find_app(okta, app_ref)
    app_id = quote(str(app.get("id")))
    _, groups = okta.get_all(f"api/v1/apps/{app_id}/groups", {"limit": "200"})
    assignments = []
    for entry in groups:
        if not isinstance(entry, dict) or not entry.get("id"):
            continue
        _, group = okta.get(f"api/v1/groups/{quote(str(entry['id']))}")
        group = group if isinstance(group, dict) else {}
        assignments.append(
            {
                "id": str(entry["id"]),
                "priority": int(entry.get("priority") or 0),
                "name": str((group.get("profile") or {}).get("name") or entry["id"]),
                "type": str(group.get("type") or "OKTA_GROUP"),
            }
        )
    _, users = okta.get_all(f"api/v1/apps/{app_id}/users", {"limit": "200"})
    direct = [
        {"id": str(u.get("id")), "userName": str((u.get("credentials") or {}).get("userName") or u.get("id"))}
        for u in users
        if isinstance(u, dict) and u.get("scope") == "USER"
    ]
    status, mappings = okta.get_all(
        f"api/v1/apps/{app_id}/group-push/mappings", {"limit": "100"}, ok=(400, 403, 404)
    )
    note = "" if status == 200 else f"HTTP {status}: group push is not available for this app"
    _, features = okta.get(f"api/v1/apps/{app_id}/features", ok=(400, 403, 404))
    _, connection = okta.get(f"api/v1/apps/{app_id}/connections/default", ok=(400, 403, 404))
    return OktaState(
        app=app,
        assignments=sorted(assignments, key=lambda a: (a["priority"], a["name"])),
        direct_users=direct,
        mappings=mappings if status == 200 else None,
        mappings_note=note,
        features=features if isinstance(features, list) else None,
        connection=connection if isinstance(connection, dict) else None,
    )


def read_grafana(grafana: Reader, namespace: str | None, account_name: str) -> GrafanaState:
    """SSO settings (secrets dropped), the SCIM config, the service account and its tokens."""
    state = GrafanaState()
    status, body = grafana.get("api/v1/sso-settings/saml", ok=(403, 404))
    if status == 403:
        state.sso = Unread(403, "not read (403): needs a server admin")
    elif status == 404 or not isinstance(body, dict):
        state.sso = None
    else:
        raw = body.get("settings") or {}
        settings = {k: v for k, v in raw.items() if k not in SECRET_SETTINGS}
        # Secrets come back masked when set: only whether a key pair is set is kept.
        key_pair = any(raw.get(k) for k in ("certificate", "privateKey", "certificatePath", "privateKeyPath"))
        state.sso = {"source": body.get("source"), "settings": settings, "key_pair_set": key_pair}
    if namespace is None:
        state.scim = Unread(None, "not read: the namespace needs the stack id")
    else:
        status, body = grafana.get(
            f"apis/scim.grafana.app/v0alpha1/namespaces/{quote(namespace)}/config/default", ok=(403, 404)
        )
        if status == 403:
            state.scim = Unread(403, "not read (403): the credential cannot read the SCIM config")
        elif status == 404 or not isinstance(body, dict):
            state.scim = None
        else:
            state.scim = dict(body.get("spec") or {})
    status, body = grafana.get(
        "api/serviceaccounts/search", {"query": account_name, "perpage": "100"}, ok=(403,)
    )
    if status == 403:
        state.account = Unread(403, "not read (403): needs an org admin")
        state.tokens = Unread(403, "not read (403)")
        return state
    accounts = [
        a
        for a in (body or {}).get("serviceAccounts") or []
        if isinstance(a, dict) and a.get("name") == account_name
    ]
    state.account = accounts[0] if accounts else None
    if accounts:
        status, tokens = grafana.get(f"api/serviceaccounts/{accounts[0].get('id')}/tokens", ok=(403,))
        state.tokens = (
            Unread(403, "not read (403)")
            if status == 403
            else [
                {"name": t.get("name"), "expiration": t.get("expiration")}
                for t in tokens or []
                if isinstance(t, dict)
            ]
        )
    return state
