"""The Okta Management API client: one org, an API token, GET reads, and which app is "the
Grafana app" (one rule for verify and discover).

The app-selection rule (`select_app`):
1. An app id, when there is one (verify: the `okta_app_id` output or `adopt.okta_app_id`;
   discover: `--okta-app 0oa...`), is read by id and nothing else is considered.
2. Otherwise `GET /api/v1/apps?q=<label>&limit=200`, **every page** (Link rel="next"), and
   only the apps whose label is exactly the spec's label count.
3. Of those, the SAML 2.0 apps come first: exactly one is the app; more than one is ambiguous
   (the caller names them and asks for the id). With no SAML 2.0 app, the first exact match is
   returned, so the caller can say that it is not a SAML app.

Why: Okta's `q` matches label *and* name by prefix and a page holds at most 200 apps, so the
exact label can sit on a later page (verify used to read one page and could report "0 apps");
labels are not unique in Okta, and a bookmark or OIDC tile named "Grafana" next to the SAML app
is common, while only a SAML 2.0 app can carry Grafana's SCIM integration (verify used to fail
with "2 apps" there; discover already preferred the SAML app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .http import HttpClient, HttpSettings
from .reader import Reader
from .redact import Redactor

SAML_2_0 = "SAML_2_0"
APP_PAGE_LIMIT = "200"
# The names Okta's Application `features` lists for the Provisioning toggles and supported
# actions of a SCIM app, by (spec section, toggle key).
PROVISIONING_FEATURES: dict[tuple[str, str], str] = {
    ("to_app", "create_users"): "PUSH_NEW_USERS",
    ("to_app", "update_user_attributes"): "PUSH_PROFILE_UPDATES",
    ("to_app", "deactivate_users"): "PUSH_USER_DEACTIVATION",
    ("actions", "import_new_users_and_profile_updates"): "IMPORT_NEW_USERS",
    ("actions", "push_groups"): "GROUP_PUSH",
}
# By toggle key alone (the keys are unique across the two sections).
FEATURE_OF_TOGGLE = {key: name for (_, key), name in PROVISIONING_FEATURES.items()}


def looks_like_app_id(value: str) -> bool:
    """True for an Okta app id (`0oa` and letters or digits), not a label."""
    return value.startswith("0oa") and value.isalnum()


@dataclass(frozen=True)
class AppChoice:
    """The outcome of the app-selection rule for one label (see the module docstring)."""

    label: str
    listed: tuple[dict[str, Any], ...]  # every app Okta's q= search returned

    @property
    def exact(self) -> list[dict[str, Any]]:
        """The listed apps whose label is exactly `label`, in Okta's order."""
        return [a for a in self.listed if a.get("label") == self.label]

    @property
    def saml(self) -> list[dict[str, Any]]:
        """The exact matches that sign on with SAML 2.0."""
        return [a for a in self.exact if a.get("signOnMode") == SAML_2_0]

    @property
    def ambiguous(self) -> bool:
        """More than one SAML 2.0 app has the label."""
        return len(self.saml) > 1

    @property
    def app(self) -> dict[str, Any] | None:
        """The one SAML 2.0 app; else, without any, the first exact match; None when no app
        has the label or the choice is ambiguous."""
        saml, exact = self.saml, self.exact
        if len(saml) == 1:
            return saml[0]
        if saml or not exact:
            return None
        return exact[0]


class OktaClient(Reader):
    """GET reads of one Okta org's Management API with an SSWS API token."""

    @classmethod
    def open(
        cls,
        org_url: str,
        token: str,
        settings: HttpSettings,
        redact: Redactor,
        sleep: Callable[[float], None] | None = None,
    ) -> OktaClient:
        """A client of the org at `org_url` (the token is handed to the Redactor)."""
        kwargs: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        return cls(HttpClient(org_url, f"SSWS {token}", settings, redact, **kwargs))

    def app_by_id(self, app_id: str) -> Any:
        """GET /api/v1/apps/{id} (StatusError 404 for an id the org does not have)."""
        return self.get(f"api/v1/apps/{quote(app_id)}").body

    def apps_labelled(self, label: str) -> AppChoice:
        """Every app Okta's search finds for `label` (all pages), as an AppChoice."""
        listed = self.get_all("api/v1/apps", {"q": label, "limit": APP_PAGE_LIMIT}).body
        return AppChoice(label, tuple(a for a in listed if isinstance(a, dict)))


def select_app(okta: OktaClient, app_id: str | None, label: str) -> AppChoice:
    """The app-selection rule: by id when there is one, else by exact label, SAML 2.0 first."""
    if app_id:
        found = okta.app_by_id(app_id)
        app = found if isinstance(found, dict) else {}
        return AppChoice(str(app.get("label", label)), (app,) if app else ())
    return okta.apps_labelled(label)
