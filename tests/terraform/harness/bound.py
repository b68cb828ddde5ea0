"""The replay provider's RPCs for a workspace bound to the twin: plan, apply, read, import and
data sources run the behaviour models (`behaviour`), with states conformed to the schema.

Types without a model keep the schema replay (known values as planned, unknowns filled).
"""

from __future__ import annotations

from typing import Any

from . import values
from .behaviour import Context, DataModel, Model, models
from .cty import UNKNOWN
from .schema import Block
from .twin_api import TwinEndpoints


def shape(obj: Any, block: Block) -> Any:
    """`obj` with exactly the attributes and blocks of `block` (unknown names dropped)."""
    if not isinstance(obj, dict):
        return obj
    result: dict[str, Any] = {}
    for name, attribute in block.get("attributes", {}).items():
        value = obj.get(name)
        nested = attribute.get("nested_type")
        if nested is not None and isinstance(value, (list, dict)):
            inner: Block = {"attributes": nested.get("attributes", {})}
            mode = nested["nesting_mode"]
            if mode == "single":
                value = shape(value, inner)
            elif mode == "map":
                value = {k: shape(v, inner) for k, v in value.items()}  # type: ignore[union-attr]
            else:
                value = [shape(v, inner) for v in value]
        result[name] = value
    for name, nested_block in block.get("block_types", {}).items():
        value = obj.get(name)
        inner_block = nested_block["block"]
        mode = nested_block["nesting_mode"]
        if value is None or value is UNKNOWN:
            result[name] = value
        elif mode in ("single", "group"):
            result[name] = shape(value, inner_block)
        elif mode == "map":
            result[name] = {k: shape(v, inner_block) for k, v in value.items()}
        else:
            result[name] = [shape(v, inner_block) for v in value]
    return values.conform(result, block)


def known(value: Any) -> Any:
    """A planned value as the provider's code sees it: unknowns read as null (d.Get / Plan.Get
    give the zero value of what is still "known after apply")."""
    if value is UNKNOWN:
        return None
    if isinstance(value, dict):
        return {k: known(v) for k, v in value.items()}
    if isinstance(value, list):
        return [known(v) for v in value]
    return value


class TwinBinding:
    """One provider process bound to the twin: its provider block and the models."""

    def __init__(self, endpoints: TwinEndpoints) -> None:
        self.endpoints = endpoints
        self.config: dict[str, Any] = {}
        self.resources, self.data_sources = models()

    def configure(self, config: dict[str, Any] | None) -> None:
        """ConfigureProvider: keep the provider block (url, org_name, stack_id, credentials)."""
        self.config = {k: v for k, v in (config or {}).items() if v is not UNKNOWN}

    @property
    def context(self) -> Context:
        return Context(self.endpoints, self.config)

    def context_for(self, block: Block) -> Context:
        return Context(self.endpoints, self.config, block)

    def resource(self, type_name: str) -> Model | None:
        return self.resources.get(type_name)

    def data_source(self, type_name: str) -> DataModel | None:
        return self.data_sources.get(type_name)

    def finish(self, state: dict[str, Any] | None, block: Block, type_name: str) -> dict[str, Any] | None:
        """A model's state as Terraform gets it: schema shape, leftover unknowns filled."""
        if state is None:
            return None
        shaped = shape(state, block)
        filled = values.fill_unknown(shaped, block, type_name)
        return values.strip_write_only(filled, block)

    def plan(
        self,
        model: Model,
        prior: dict[str, Any] | None,
        proposed: dict[str, Any],
        config: dict[str, Any],
        block: Block,
        type_name: str,
    ) -> tuple[dict[str, Any], list[str]]:
        """The model's planned state and the attributes that force a replacement.

        A new object: computed values left null are unknown. An existing one keeps Terraform's
        proposal (prior values for what the configuration leaves to the provider), as SDKv2
        does without a diff; a plugin-framework resource with any change gets its unconfigured
        computed attributes unknown (no UseStateForUnknown in the resources modelled) but `id`.
        """
        if prior is None:
            planned = values.plan_create_or_update(proposed, block, type_name)
            return shape(model.plan(self.context_for(block), None, planned), block), []
        planned = dict(proposed)
        for name, default in model.defaults.items():  # a Default applies whenever config is null
            if (config or {}).get(name) is None:
                planned[name] = default
        planned = shape(model.plan(self.context_for(block), prior, planned), block)
        if not model.legacy_sdk and planned != prior:
            for name, attribute in block.get("attributes", {}).items():
                unset = (config or {}).get(name) is None and name not in model.defaults
                if attribute.get("computed") and name != "id" and unset:
                    planned[name] = UNKNOWN
        replace = []
        if prior is not None:
            for name in sorted(model.force_new):
                if name in planned and prior.get(name) != planned.get(name):
                    replace.append(name)
        return planned, replace

    def apply(
        self, model: Model, prior: dict[str, Any] | None, planned: dict[str, Any] | None, block: Block
    ) -> dict[str, Any] | None:
        """Create, update or delete, by what is null."""
        ctx = self.context_for(block)
        planned = known(planned)
        if planned is None:
            if prior is not None:
                model.delete(ctx, prior)
            return None
        if prior is None:
            return model.create(ctx, planned)
        return model.update(ctx, prior, planned)
