"""discover carries what the first okta_app_saml update (a full PUT) would reset (finding 2).

GIVEN an adopted Okta app with a custom username template, single logout, extra ACS endpoints,
flags and its own access policy WHEN discover composes the spec THEN the spec holds them, and the
Terraform built from it writes them back unchanged.
"""

from __future__ import annotations

from typing import Any

from grafana_okta_scim import Spec, build
from grafana_okta_scim.discover.compare import SKIP_POLICY_WHY
from grafana_okta_scim.discover.compose import kept_app_settings

APP: dict[str, Any] = {
    "credentials": {"userNameTemplate": {"template": "${source.email}", "type": "CUSTOM"}},
    "accessibility": {"selfService": True},
    "_links": {"accessPolicy": {"href": "https://example.okta.com/api/v1/policies/rst1a2b3c4d5"}},
}
SIGN_ON: dict[str, Any] = {
    "slo": {"enabled": True, "spIssuer": "grafana", "logoutUrl": "https://g.example.com/logout"},
    "spCertificate": {"x5c": ["MIIC"]},
    "acsEndpoints": [
        {"url": "https://g.example.com/acs2", "index": 1},
        {"url": "https://g.example.com/acs1", "index": 0},
    ],
    "honorForceAuthn": True,
    "samlSignedRequestEnabled": False,
}


def test_the_adopted_apps_settings_become_spec_keys_and_are_written_back() -> None:
    found = kept_app_settings(APP, SIGN_ON)
    assert found == {
        "user_name_template": "${source.email}",
        "single_logout": {"url": "https://g.example.com/logout", "issuer": "grafana", "certificate": "MIIC"},
        "acs_endpoints": ["https://g.example.com/acs1", "https://g.example.com/acs2"],
        "honor_force_authn": True,
        "accessibility_self_service": True,
        "authentication_policy": "rst1a2b3c4d5",
    }
    spec = Spec.model_validate(
        {
            "version": 1,
            "okta": {"org_name": "example"},
            "integrations": [
                {
                    "name": "prod",
                    "grafana": {"kind": "enterprise", "url": "https://g.example.com"},
                    "okta_app": {"assignments_authoritative": False, **found},
                    "adopt": {"okta_app_id": "0oa1"},
                }
            ],
        }
    )
    app = build(spec)["prod"].to_json()["resource"]["okta_app_saml"]["prod"]
    assert app["user_name_template"] == "$${source.email}" and app["user_name_template_type"] == "CUSTOM"
    assert app["single_logout_certificate"] == "MIIC"
    assert app["authentication_policy"] == "rst1a2b3c4d5"


def test_an_app_at_the_provider_defaults_adds_nothing() -> None:
    app = {"credentials": {"userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"}}}
    assert kept_app_settings(app, {}) == {}


def test_the_skip_policy_import_update_is_called_a_full_put() -> None:
    assert "not sent to Okta" not in SKIP_POLICY_WHY
    assert "full PUT" in SKIP_POLICY_WHY and "#655" in SKIP_POLICY_WHY
