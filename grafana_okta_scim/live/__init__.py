"""The live-API layer: everything verify, discover and `impact --live` send to Okta and Grafana.

- http.py: one HTTP client (timeouts, bounded retries honouring Retry-After and Okta's
  X-Rate-Limit-Reset, TLS verification on, an optional CA bundle) and what a failure without
  an answer means;
- redact.py: secrets and credential-shaped text masked in every message;
- credentials.py: tokens from the environment or `terraform output -json`, never argv;
- urls.py: https only (plain http on loopback);
- reader.py: GET a JSON answer or a typed failure, every page of a list (Link rel="next");
- okta.py: the Okta client and the one app-selection rule;
- grafana.py: the Grafana instance API client and the SCIM client.

It imports neither verify, discover nor impact (.importlinter). The names below are the
layer's public API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .credentials import GRAFANA_AUTH_ENV, GRAFANA_TOKEN_ENV, OKTA_TOKEN_ENV, grafana_authorization
    from .grafana import SCIM_CONFIG_PATH, GrafanaClient, ScimAnswer, ScimClient
    from .http import HttpClient, HttpSettings, RetryPolicy, TransportError, retry_delay, transport_hint
    from .okta import (
        FEATURE_OF_TOGGLE,
        PROVISIONING_FEATURES,
        SAML_2_0,
        AppChoice,
        OktaClient,
        looks_like_app_id,
        select_app,
    )
    from .reader import Answer, BadAnswer, LiveError, Reader, StatusError, Unreachable
    from .redact import MASK, Redactor
    from .urls import UsageError, checked_url, is_loopback

# Loaded on first use, so that importing a constant (say, OKTA_TOKEN_ENV) does not load httpx:
# the CLI's other commands stay lean.
_WHERE = {
    "Answer": "reader",
    "AppChoice": "okta",
    "BadAnswer": "reader",
    "FEATURE_OF_TOGGLE": "okta",
    "GRAFANA_AUTH_ENV": "credentials",
    "GRAFANA_TOKEN_ENV": "credentials",
    "GrafanaClient": "grafana",
    "HttpClient": "http",
    "HttpSettings": "http",
    "LiveError": "reader",
    "MASK": "redact",
    "OKTA_TOKEN_ENV": "credentials",
    "OktaClient": "okta",
    "PROVISIONING_FEATURES": "okta",
    "Reader": "reader",
    "Redactor": "redact",
    "RetryPolicy": "http",
    "SAML_2_0": "okta",
    "SCIM_CONFIG_PATH": "grafana",
    "ScimAnswer": "grafana",
    "ScimClient": "grafana",
    "StatusError": "reader",
    "TransportError": "http",
    "Unreachable": "reader",
    "UsageError": "urls",
    "checked_url": "urls",
    "grafana_authorization": "credentials",
    "is_loopback": "urls",
    "looks_like_app_id": "okta",
    "retry_delay": "http",
    "select_app": "okta",
    "transport_hint": "http",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)


__all__ = [
    "FEATURE_OF_TOGGLE",
    "GRAFANA_AUTH_ENV",
    "GRAFANA_TOKEN_ENV",
    "MASK",
    "OKTA_TOKEN_ENV",
    "PROVISIONING_FEATURES",
    "SAML_2_0",
    "SCIM_CONFIG_PATH",
    "Answer",
    "AppChoice",
    "BadAnswer",
    "GrafanaClient",
    "HttpClient",
    "HttpSettings",
    "LiveError",
    "OktaClient",
    "Reader",
    "Redactor",
    "RetryPolicy",
    "ScimAnswer",
    "ScimClient",
    "StatusError",
    "TransportError",
    "Unreachable",
    "UsageError",
    "checked_url",
    "grafana_authorization",
    "is_loopback",
    "looks_like_app_id",
    "retry_delay",
    "select_app",
    "transport_hint",
]
