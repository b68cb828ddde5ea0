"""CDKTF constructs: the same Terraform as the native emitters, as cdktf objects.

    from grafana_okta_scim.constructs import GrafanaOktaScim
    scim = GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta)

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
from .scim import GrafanaOktaScim

__all__ = ["GrafanaOktaScim", "PropsError", "grafana", "okta"]
