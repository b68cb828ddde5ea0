"""CDK constructs: the same Terraform as the native emitters, as CDKTF or CDK Terrain objects.

    from grafana_okta_scim.constructs import GrafanaOktaScim
    scim = GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta)

The parts it is made of, each usable alone (props in Grafana's and Okta's terms, values decided
by the same core): GrafanaServiceAccount, OktaSamlApp, GrafanaScimConfig, GrafanaSamlSettings,
OktaProvisioning; secrets are `Secret`s.

Typed classes for the provider resources used: `grafana_okta_scim.constructs.grafana` and
`.okta` (generated from the vendored provider schemas by scripts/gen_bindings.py).

Needs one of the optional extras: pip install 'grafana-okta-scim[cdktf]' (CDKTF, archived) or
'grafana-okta-scim[cdktn]' (CDK Terrain, its maintained fork). One library per process: env
GRAFANA_OKTA_SCIM_CDK=cdktf|cdktn, else the one installed; `cdk` is its module, `CDK_LIBRARY`
its name.
"""

from __future__ import annotations

from ..spec import GroupAssignment
from ._cdk import NAME as CDK_LIBRARY
from ._cdk import CdkScopeError, CdkSelectionError, cdk
from ._generated import grafana, okta
from ._typed import PropsError
from .provisioning import OktaProvisioning
from .saml_app import OktaSamlApp
from .saml_settings import GrafanaSamlSettings
from .scim import GrafanaOktaScim
from .scim_config import GrafanaScimConfig
from .secret import Secret
from .service_account import GrafanaServiceAccount, TokenRotation, TokenSettings

__all__ = [
    "CDK_LIBRARY",
    "CdkScopeError",
    "CdkSelectionError",
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
    "cdk",
    "grafana",
    "okta",
]
