"""The CDK library the constructs are built on: CDKTF (`cdktf`) or CDK Terrain (`cdktn`).

Both publish the same Python API (App, TerraformStack, TerraformResource, Token, ...), so every
construct module takes its classes from `cdk`, the one module resolved here, never from `cdktf`
or `cdktn` directly. One library per process:

- env GRAFANA_OKTA_SCIM_CDK=cdktf|cdktn chooses;
- unset, the one installed is used; both installed and the variable unset is an error.

A construct refuses a scope whose tree was built with the other library (`check_scope`).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

__all__ = [
    "ENV",
    "LIBRARIES",
    "NAME",
    "CdkScopeError",
    "CdkSelectionError",
    "Construct",
    "IResolvable",
    "cdk",
    "check_scope",
    "choose",
    "installed",
    "library_class",
]

ENV = "GRAFANA_OKTA_SCIM_CDK"
LIBRARIES = {"cdktf": "CDKTF", "cdktn": "CDK Terrain"}
INSTALL = "pip install 'grafana-okta-scim[cdktf]' (CDKTF) or 'grafana-okta-scim[cdktn]' (CDK Terrain)"


class CdkSelectionError(ImportError):
    """The CDK library cannot be chosen: none installed, both and GRAFANA_OKTA_SCIM_CDK unset, or a
    bad value."""


class CdkScopeError(TypeError):
    """A construct was given a scope built with the other CDK library; the message names both."""


def installed(name: str) -> bool:
    """True when the library `name` can be imported (its module is found)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def choose(environ: Mapping[str, str] = os.environ) -> str:
    """The library name to use: the environment's choice, else the only one installed."""
    wanted = environ.get(ENV, "").strip()
    if wanted:
        if wanted not in LIBRARIES:
            raise CdkSelectionError(f"{ENV}: got {wanted!r}; expected 'cdktf' or 'cdktn'")
        if not installed(wanted):
            raise CdkSelectionError(
                f"{ENV}={wanted}: {wanted} ({LIBRARIES[wanted]}) is not installed; "
                f"pip install 'grafana-okta-scim[{wanted}]'"
            )
        return wanted
    found = [name for name in LIBRARIES if installed(name)]
    if not found:
        raise CdkSelectionError(
            "grafana_okta_scim.constructs needs a CDK library (with the constructs and jsii "
            f"packages and Node.js): {INSTALL}"
        )
    if len(found) > 1:
        raise CdkSelectionError(
            "grafana_okta_scim.constructs: both cdktf (CDKTF) and cdktn (CDK Terrain) are installed; "
            f"set {ENV}=cdktf or {ENV}=cdktn to choose the one this process uses"
        )
    return found[0]


NAME: str = choose()
"""The library in use in this process: "cdktf" or "cdktn"."""

if TYPE_CHECKING:  # mypy checks against cdktf; cdktn publishes the same API under the same names
    import cdktf as cdk
    from cdktf import IResolvable
else:
    cdk = importlib.import_module(NAME)
    IResolvable = cdk.IResolvable  # for the generated bindings' annotations
"""`cdk` is the library's module (`cdktf` or `cdktn`): `cdk.App`, `cdk.TerraformStack`, `cdk.Token`, ..."""

from constructs import Construct  # noqa: E402  (after the choice: its error says what to install)


def library_class(value: object) -> tuple[str, str] | None:
    """(library, class name) of the first CDK library class in `value`'s bases, else None."""
    for cls in type(value).__mro__:
        root = cls.__module__.partition(".")[0]
        if root in LIBRARIES:
            return root, cls.__name__
    return None


def check_scope(scope: Construct, construct_id: str) -> str:
    """The path a construct added to `scope` will have, after checking that the scope's tree
    (its app, stacks and other constructs) comes from this process's library."""
    if not isinstance(scope, Construct):
        raise CdkScopeError(
            f"{construct_id}: scope: got {type(scope).__name__}; expected a construct "
            f"(a {NAME}.TerraformStack or a construct inside one)"
        )
    parent = scope.node.path
    path = f"{parent}/{construct_id}" if parent else construct_id
    for ancestor in reversed(scope.node.scopes):  # the nearest first: the stack before the app
        found = library_class(ancestor)
        if found is not None and found[0] != NAME:
            other, kind = found[0], ".".join(found)
            where = f"{ancestor.node.path} is a {kind}" if ancestor.node.path else f"the app is a {kind}"
            raise CdkScopeError(
                f"{path}: scope: {where} ({LIBRARIES[other]}), but grafana_okta_scim.constructs uses "
                f"{NAME} ({LIBRARIES[NAME]}) in this process; build the app with {NAME}, or set "
                f"{ENV}={other} before importing grafana_okta_scim.constructs"
            )
    return path
