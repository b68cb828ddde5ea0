"""CDKTF constructs: the same Terraform as the native emitters, as cdktf objects.

    from grafana_okta_scim.constructs import GrafanaOktaScim
    scim = GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta)

The parts it is made of, each usable alone (props in Grafana's and Okta's terms, values decided
by the same core): GrafanaServiceAccount, OktaSamlApp, GrafanaScimConfig, GrafanaSamlSettings,
OktaProvisioning; secrets are `Secret`s.

Typed classes for the provider resources used: `grafana_okta_scim.constructs.grafana` and
`.okta` (generated from the vendored provider schemas by scripts/gen_bindings.py).

Needs the optional extra: pip install 'grafana-okta-scim[cdktf]'.
"""

from __future__ import annotations

try:
    import cdktf  # noqa: F401
    import constructs  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "grafana_okta_scim.constructs needs the cdktf extra (cdktf, constructs, jsii and Node.js): "
        "pip install 'grafana-okta-scim[cdktf]'"
    ) from exc

from ._generated import grafana, okta
from ._typed import PropsError
from .provisioning import OktaProvisioning
from .saml_app import GroupAssignment, OktaSamlApp
from .saml_settings import GrafanaSamlSettings
from .scim import GrafanaOktaScim
from .scim_config import GrafanaScimConfig
from .secret import Secret
from .service_account import GrafanaServiceAccount, TokenRotation, TokenSettings

__all__ = [
    "GrafanaOktaScim",
    "GrafanaSamlSettings",
    "GrafanaScimConfig",
    "GrafanaServiceAccount",
    "GroupAssignment",
    "OktaProvisioning",
    "OktaSamlApp",
    "PropsError",
    "Secret",
    "TokenRotation",
    "TokenSettings",
    "grafana",
    "okta",
]
