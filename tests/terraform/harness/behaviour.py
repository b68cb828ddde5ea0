"""Per-resource behaviour models: what the pinned providers send to Okta and Grafana and what they
store from the answers, played against the twin's loopback views (`twin_api`).

A `Model` implements the CRUD of one resource type as its provider's Go source does it (each
model cites the file and line it follows); `DataModel` one data source. `Context` carries the
provider block's configuration (from ConfigureProvider) and the endpoints. Without
`TWIN_ENDPOINTS` none of this runs: the replay provider answers from the schema alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .twin_api import ApiError, Client, TwinEndpoints

__all__ = ["ApiError", "Context", "DataModel", "Model", "models"]


@dataclass
class Context:
    """One provider process's view of the world: its provider block and the twin."""

    endpoints: TwinEndpoints
    config: dict[str, Any]
    block: dict[str, Any] | None = None  # the schema of the resource being handled

    def okta(self) -> Client:
        return self.endpoints.okta(self.config)

    def grafana(self) -> Client:
        return self.endpoints.grafana(self.config)


class Model:
    """CRUD of one managed resource type. States are plain dicts conformed to the schema by the
    caller; `None` means gone."""

    # attributes whose change replaces the object (ForceNew / RequiresReplace in the provider)
    force_new: frozenset[str] = frozenset()
    # static defaults the provider plans for attributes the configuration leaves null
    defaults: ClassVar[dict[str, Any]] = {}
    # SDKv2 resources: Terraform tolerates differences between plan and result (legacy type
    # system); plugin-framework resources get "Provider produced inconsistent result"
    legacy_sdk: bool = True

    def plan(self, ctx: Context, prior: dict[str, Any] | None, planned: dict[str, Any]) -> dict[str, Any]:
        """The planned state (CustomizeDiff, plan-time defaults): defaults for null attributes."""
        for name, value in self.defaults.items():
            if planned.get(name) is None:
                planned[name] = value
        return planned

    def create(self, ctx: Context, planned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, ctx: Context, state: dict[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def update(self, ctx: Context, prior: dict[str, Any], planned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, ctx: Context, prior: dict[str, Any]) -> None:
        raise NotImplementedError

    def import_state(self, ctx: Context, import_id: str) -> dict[str, Any] | None:
        """The state after `terraform import` (then Terraform reads it)."""
        return self.read(ctx, {"id": import_id})


class DataModel:
    """One data source's read."""

    def read(self, ctx: Context, config: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError


_ZERO: dict[str, Any] = {"string": "", "bool": False, "number": 0}


def sdk_values(obj: dict[str, Any], block: dict[str, Any]) -> dict[str, Any]:
    """What an SDKv2 provider's d.Get sees: nulls read as the type's zero value."""
    found = dict(obj)
    for name, attribute in block.get("attributes", {}).items():
        if found.get(name) is None and isinstance(attribute.get("type"), str):
            found[name] = _ZERO.get(attribute["type"])
    return found


def changed(prior: dict[str, Any] | None, planned: dict[str, Any], name: str) -> bool:
    """Whether an attribute differs between prior and planned state."""
    return prior is not None and prior.get(name) != planned.get(name)


def models() -> tuple[dict[str, Model], dict[str, DataModel]]:
    """Every modelled resource and data source type of both providers."""
    from . import grafana_models, okta_models

    resources = {**okta_models.RESOURCES, **grafana_models.RESOURCES}
    data_sources = {**okta_models.DATA_SOURCES, **grafana_models.DATA_SOURCES}
    return resources, data_sources
