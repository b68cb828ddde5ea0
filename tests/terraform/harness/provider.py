"""The tfplugin6 Provider service answering from a vendored schema, or from the twin.

Without `TWIN_ENDPOINTS` no API is ever called: it plans, applies (unknowns filled
deterministically, destroy answers a null state), reads, imports and answers data sources, and a
per-test fixture (`fixtures`) may change what read, import and data sources report. With it
(`bound`), every modelled resource type and data source sends the pinned provider's requests to
the twin's loopback Okta and Grafana views and stores what the provider stores from the answers.
"""

from __future__ import annotations

from typing import Any

from . import cty, fixtures, values
from .bound import TwinBinding
from .bound import shape as shape_data
from .schema import ProviderSchemas, schema_message
from .twin_api import ApiError, TwinEndpoints

# Wording of terraform-plugin-sdk/v2 helper/schema/schema.go, (schemaMap).validate: a
# computed-only field that has a value in config gives the error summary "Computed attributes
# cannot be set" with the detail "Computed attributes cannot be set, but a value was set for %q."
# (%q being the flattened key such as "attribute_statements.0.name").
COMPUTED_SUMMARY = "Computed attributes cannot be set"
COMPUTED_DETAIL = "Computed attributes cannot be set, but a value was set for {key}."


class ReplayProvider:
    """Provider RPCs; mixed into the generated ProviderServicer by `plugin.servicer_class`."""

    def __init__(self, pb: Any, schemas: ProviderSchemas) -> None:
        self.pb = pb
        self.schemas = schemas
        self._schema_response: Any = None
        endpoints = TwinEndpoints.from_environment()
        self.twin = TwinBinding(endpoints) if endpoints is not None else None

    # -- helpers -----------------------------------------------------------------------------

    def _dynamic(self, value: Any) -> Any:
        return self.pb.DynamicValue(msgpack=cty.encode(value))

    def _decode(self, dynamic: Any) -> Any:
        if dynamic.msgpack:
            return cty.decode(dynamic.msgpack)
        return cty.decode_json(dynamic.json)

    def _error(self, summary: str, detail: str = "", path: values.Path = ()) -> Any:
        steps = []
        for step in path:
            if isinstance(step, values.Key):
                steps.append(self.pb.AttributePath.Step(element_key_string=step.name))
            elif isinstance(step, int):
                steps.append(self.pb.AttributePath.Step(element_key_int=step))
            else:
                steps.append(self.pb.AttributePath.Step(attribute_name=step))
        return self.pb.Diagnostic(
            severity=self.pb.Diagnostic.ERROR,
            summary=summary,
            detail=detail,
            attribute=self.pb.AttributePath(steps=steps),
        )

    def _resource_block(self, type_name: str) -> values.Block:
        return self.schemas.resources[type_name]["block"]

    def _data_block(self, type_name: str) -> values.Block:
        return self.schemas.data_sources[type_name]["block"]

    def _fixture_entries(
        self,
        section: str,
        type_name: str,
        block: values.Block,
        obj: dict[str, Any],
        import_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Matching fixture entries (raises FixtureError for a bad fixture)."""
        return fixtures.matching(fixtures.load(), section, type_name, block, obj, import_id)

    def _fixture_error(self, error: fixtures.FixtureError) -> Any:
        return self._error("Replay fixture", str(error))

    def _computed_only_errors(self, config: Any, block: values.Block) -> list[Any]:
        if not isinstance(config, dict):
            return []
        return [
            self._error(COMPUTED_SUMMARY, COMPUTED_DETAIL.format(key=f'"{values.flat_key(p)}"'), p)
            for p in values.computed_only_paths(config, block)
        ]

    # -- schema ------------------------------------------------------------------------------

    def GetMetadata(self, request: Any, context: Any) -> Any:
        """Type names and capabilities; the schema itself comes from GetProviderSchema."""
        response = self.pb.GetMetadata.Response(
            server_capabilities=self.pb.ServerCapabilities(plan_destroy=True),
        )
        for name in sorted(self.schemas.resources):
            response.resources.add(type_name=name)
        for name in sorted(self.schemas.data_sources):
            response.data_sources.add(type_name=name)
        return response

    def GetProviderSchema(self, request: Any, context: Any) -> Any:
        """The provider, resource and data source schemas, built once per process."""
        if self._schema_response is None:
            pb = self.pb
            response = pb.GetProviderSchema.Response(
                provider=schema_message(pb, self.schemas.provider),
                server_capabilities=pb.ServerCapabilities(plan_destroy=True),
            )
            for name, schema in self.schemas.resources.items():
                response.resource_schemas[name].CopyFrom(schema_message(pb, schema))
            for name, schema in self.schemas.data_sources.items():
                response.data_source_schemas[name].CopyFrom(schema_message(pb, schema))
            self._schema_response = response
        return self._schema_response

    # -- validation and configuration --------------------------------------------------------

    def ValidateProviderConfig(self, request: Any, context: Any) -> Any:
        """Provider blocks are accepted as Terraform typed them."""
        return self.pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        """Refuse computed-only attributes set in config; everything else is accepted."""
        config = self._decode(request.config)
        errors = self._computed_only_errors(config, self._resource_block(request.type_name))
        return self.pb.ValidateResourceConfig.Response(diagnostics=errors)

    def ValidateDataResourceConfig(self, request: Any, context: Any) -> Any:
        """Same rule as resources, for data sources."""
        config = self._decode(request.config)
        errors = self._computed_only_errors(config, self._data_block(request.type_name))
        return self.pb.ValidateDataResourceConfig.Response(diagnostics=errors)

    def ConfigureProvider(self, request: Any, context: Any) -> Any:
        """Bound to the twin: keep the provider block; otherwise nothing to configure."""
        if self.twin is not None:
            self.twin.configure(self._decode(request.config))
        return self.pb.ConfigureProvider.Response()

    def _api_error(self, error: ApiError) -> Any:
        return self._error(error.summary, error.detail)

    def StopProvider(self, request: Any, context: Any) -> Any:
        """Nothing runs in the background."""
        return self.pb.StopProvider.Response()

    # -- state -------------------------------------------------------------------------------

    def UpgradeResourceState(self, request: Any, context: Any) -> Any:
        """Stored JSON state is returned as it is, conformed to the current schema."""
        block = self._resource_block(request.type_name)
        state = cty.decode_json(request.raw_state.json) or {}
        upgraded = values.strip_write_only(values.conform(state, block), block)
        return self.pb.UpgradeResourceState.Response(upgraded_state=self._dynamic(upgraded))

    def ReadResource(self, request: Any, context: Any) -> Any:
        """The state as recorded, unless a fixture reports the object changed or gone."""
        current = self._decode(request.current_state)
        block = self._resource_block(request.type_name)
        model = self.twin.resource(request.type_name) if self.twin is not None else None
        if model is not None and self.twin is not None and isinstance(current, dict):
            try:
                found = model.read(self.twin.context_for(block), current)
            except ApiError as error:
                return self.pb.ReadResource.Response(diagnostics=[self._api_error(error)])
            state = self.twin.finish(found, block, request.type_name)
            return self.pb.ReadResource.Response(new_state=self._dynamic(state), private=request.private)
        try:
            entries = (
                self._fixture_entries("read", request.type_name, block, current)
                if isinstance(current, dict)
                else []
            )
        except fixtures.FixtureError as error:
            return self.pb.ReadResource.Response(diagnostics=[self._fixture_error(error)])
        if not entries:
            return self.pb.ReadResource.Response(new_state=request.current_state, private=request.private)
        state = fixtures.apply_entries(current, entries, block)
        return self.pb.ReadResource.Response(new_state=self._dynamic(state), private=request.private)

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        """Plan what Terraform proposes, with computed values left null made unknown."""
        proposed = self._decode(request.proposed_new_state)
        block = self._resource_block(request.type_name)
        model = self.twin.resource(request.type_name) if self.twin is not None else None
        if model is None or self.twin is None or proposed is None:
            planned = (
                None if proposed is None else values.plan_create_or_update(proposed, block, request.type_name)
            )
            return self.pb.PlanResourceChange.Response(
                planned_state=self._dynamic(planned), planned_private=request.prior_private
            )
        prior = self._decode(request.prior_state)
        config = self._decode(request.config)
        try:
            planned, replace = self.twin.plan(model, prior, proposed, config, block, request.type_name)
        except ApiError as error:
            return self.pb.PlanResourceChange.Response(diagnostics=[self._api_error(error)])
        return self.pb.PlanResourceChange.Response(
            planned_state=self._dynamic(planned),
            planned_private=request.prior_private,
            requires_replace=[
                self.pb.AttributePath(steps=[self.pb.AttributePath.Step(attribute_name=n)]) for n in replace
            ],
            legacy_type_system=model.legacy_sdk,
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        """Create or update: the planned state with every unknown filled deterministically;
        destroy (a null planned state): a null new state."""
        planned = self._decode(request.planned_state)
        model = self.twin.resource(request.type_name) if self.twin is not None else None
        if model is not None and self.twin is not None:
            block = self._resource_block(request.type_name)
            prior = self._decode(request.prior_state)
            try:
                applied = self.twin.apply(model, prior, planned, block)
            except ApiError as error:
                # a failed create/update keeps the prior object (SDK and framework alike)
                return self.pb.ApplyResourceChange.Response(
                    new_state=request.prior_state, diagnostics=[self._api_error(error)]
                )
            return self.pb.ApplyResourceChange.Response(
                new_state=self._dynamic(self.twin.finish(applied, block, request.type_name)),
                private=request.planned_private,
                legacy_type_system=model.legacy_sdk,
            )
        if planned is None:
            return self.pb.ApplyResourceChange.Response(new_state=self._dynamic(None))
        block = self._resource_block(request.type_name)
        new_state = values.fill_unknown(planned, block, request.type_name)
        return self.pb.ApplyResourceChange.Response(
            new_state=self._dynamic(new_state), private=request.planned_private
        )

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        """Adopt an object by id: the fixture's fields for that id, else a state holding only
        the id (when the schema has one)."""
        block = self._resource_block(request.type_name)
        model = self.twin.resource(request.type_name) if self.twin is not None else None
        if model is not None and self.twin is not None:
            try:
                found = model.import_state(self.twin.context_for(block), request.id)
            except ApiError as error:
                return self.pb.ImportResourceState.Response(diagnostics=[self._api_error(error)])
            if found is None:
                return self.pb.ImportResourceState.Response(
                    diagnostics=[self._error("Cannot import non-existent remote object", request.id)]
                )
            imported = self.pb.ImportResourceState.ImportedResource(
                type_name=request.type_name,
                state=self._dynamic(self.twin.finish(found, block, request.type_name)),
            )
            return self.pb.ImportResourceState.Response(imported_resources=[imported])
        seed = {"id": request.id} if "id" in block.get("attributes", {}) else {}
        try:
            entries = self._fixture_entries("import", request.type_name, block, seed, request.id)
        except fixtures.FixtureError as error:
            return self.pb.ImportResourceState.Response(diagnostics=[self._fixture_error(error)])
        state = fixtures.apply_entries(seed, entries, block)
        imported = self.pb.ImportResourceState.ImportedResource(
            type_name=request.type_name, state=self._dynamic(state)
        )
        return self.pb.ImportResourceState.Response(imported_resources=[imported])

    def ReadDataSource(self, request: Any, context: Any) -> Any:
        """Answer with the config plus deterministic, plausible computed values, then whatever
        a matching fixture entry says."""
        block = self._data_block(request.type_name)
        config = self._decode(request.config)
        data_model = self.twin.data_source(request.type_name) if self.twin is not None else None
        if data_model is not None and self.twin is not None:
            try:
                found = data_model.read(self.twin.context, config)
            except ApiError as error:
                return self.pb.ReadDataSource.Response(diagnostics=[self._api_error(error)])
            answer = values.fill_computed(shape_data(found, block), block, request.type_name)
            return self.pb.ReadDataSource.Response(state=self._dynamic(answer))
        state = values.fill_computed(config, block, request.type_name)
        try:
            entries = self._fixture_entries("data_sources", request.type_name, block, config)
        except fixtures.FixtureError as error:
            return self.pb.ReadDataSource.Response(diagnostics=[self._fixture_error(error)])
        if entries:
            state = fixtures.apply_entries(state, entries, block)
        return self.pb.ReadDataSource.Response(state=self._dynamic(state))
