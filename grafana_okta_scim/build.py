"""Deprecated (removed after 0.2): `grafana_okta_scim.build` is now `grafana_okta_scim.synth`.

A module, not a package, so `build/` ignore patterns never hide it. Each name warns when read.
The module stays callable: importing it replaces the package's `build` function attribute.
"""

from __future__ import annotations

import sys
import types
import warnings
from typing import Any

from . import synth

_NAMES = frozenset(synth.__all__)


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn(
        f"grafana_okta_scim.build.{name} is deprecated; use grafana_okta_scim.synth.{name}",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(synth, name)


class _CallableModule(types.ModuleType):
    """`grafana_okta_scim.build(spec)` keeps calling the build function after this import."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return synth.build(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
