"""GrafanaOktaScim: one integration's whole root module as CDK objects, from the core's document."""

from __future__ import annotations

from constructs import Construct

from ..document import TerraformDocument
from ..spec import Integration, OktaOrg, Spec, TerraformSettings
from ..synth import build
from ._cdk import cdk, check_scope
from ._generated import ELEMENTS, PROVIDERS
from ._mapping import add_backend, meta_arguments, narrow_targets, prop_value, props, raw_value
from ._typed import PropsError


class GrafanaOktaScim(Construct):
    """Grafana SCIM with Okta for one integration, exactly as `grafana-okta-scim synth` writes it.

    Every element keeps its native Terraform address (`override_logical_id`), so a state applied
    from the generated `.tf` files can be driven by `cdktf deploy` or `cdktn deploy` with no renames.
    Put one per stack: the module's providers, variables and outputs are stack-wide names.
    Under CDK Terrain, the module's `required_version` narrows the target versions its elements are
    validated against (e.g. S3 native locking needs Terraform / OpenTofu >= 1.10).

    - integration, okta: the spec's models (`spec.integrations[i]`, `spec.okta`).
    - terraform: versions and backend; default: the spec defaults (no backend is added).
    - spec_name: the spec file name written in the header; default: "spec.yaml".
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        integration: Integration,
        okta: OktaOrg,
        terraform: TerraformSettings | None = None,
        spec_name: str = "spec.yaml",
    ) -> None:
        check_scope(scope, construct_id)
        super().__init__(scope, construct_id)
        stack = cdk.TerraformStack.of(self)
        for child in stack.node.find_all():
            if isinstance(child, GrafanaOktaScim) and child is not self:
                raise PropsError(
                    f"{self.node.path}: stack {stack.node.id!r} already holds "
                    f"{child.node.path}; expected one GrafanaOktaScim per stack"
                )
        spec = Spec(
            version=1,
            okta=okta,
            terraform=terraform or TerraformSettings(),
            integrations=[integration],
        )
        self.document: TerraformDocument = build(spec, spec_name)[integration.name]
        narrow_targets(self, self.document.required_version)
        self.elements: dict[str, cdk.TerraformElement] = {}
        self._settings(stack)
        self._variables()
        self._locals()
        self._elements()
        self._imports()
        self._outputs()

    # -- tokens ---------------------------------------------------------------------------
    @property
    def scim_base_url(self) -> str:
        """SCIM connector base URL Okta calls (known at synth time)."""
        return self.document.facts.scim_base_url

    @property
    def okta_app_id(self) -> str:
        """Token: id of the Okta SAML app."""
        return self._attribute(self.document.facts.okta_app_address, "id")

    @property
    def okta_metadata_url(self) -> str:
        """Token: SAML metadata URL of the Okta app."""
        return self._attribute(self.document.facts.okta_app_address, "metadata_url")

    @property
    def grafana_scim_token(self) -> str:
        """Token (sensitive): the service account token Okta authenticates with."""
        return self._attribute(self.document.facts.token_address, "key")

    @property
    def service_account_id(self) -> str:
        """Token: id of the Grafana service account."""
        return self._attribute(self.document.facts.service_account_address, "id")

    def _attribute(self, address: str, name: str) -> str:
        element = self.elements[address]
        assert isinstance(element, (cdk.TerraformResource, cdk.TerraformDataSource))
        return element.get_string_attribute(name)

    # -- mapping --------------------------------------------------------------------------
    def _settings(self, stack: cdk.TerraformStack) -> None:
        doc = self.document
        stack.add_override("terraform.required_version", doc.required_version)
        for name, body in doc.providers.items():
            provider_class = PROVIDERS.get(name)
            if provider_class is None:
                raise PropsError(f"{self.node.path}: no typed class for provider {name!r}")
            required = doc.required_providers.get(name, {})
            if required.get("source", provider_class.PROVIDER.source) != provider_class.PROVIDER.source:
                raise PropsError(
                    f"{self.node.path}: provider {name}: got source {required['source']!r}; "
                    f"expected {provider_class.PROVIDER.source!r}"
                )
            provider = provider_class(
                self, f"provider.{name}", **props(body), version_constraint=required.get("version")
            )
            provider.override_logical_id(name)
        for name, required in doc.required_providers.items():
            if name not in doc.providers:
                stack.add_override(f"terraform.required_providers.{name}", dict(required))
        if doc.backend is not None:
            kind, config = doc.backend
            add_backend(self, kind, config)

    def _variables(self) -> None:
        for variable in self.document.variables:
            options = dict(variable.arguments())
            if options.get("default", False) is None:
                options["default"] = cdk.Token.null_value()
            cdk.TerraformVariable(self, f"var.{variable.name}", **options).override_logical_id(variable.name)

    def _locals(self) -> None:
        for local in self.document.locals:
            value = prop_value(local.value)
            cdk.TerraformLocal(self, f"local.{local.name}", value).override_logical_id(local.name)

    def _elements(self) -> None:
        for element in self.document.elements:
            element_class = ELEMENTS.get((element.kind, element.type))
            if element_class is None:
                raise PropsError(
                    f"{self.node.path}: no typed class for {element.kind} {element.type!r}; "
                    "add it to scripts/gen_bindings.py and regenerate"
                )
            construct = element_class(self, element.address, **props(element.body))
            construct.override_logical_id(element.name)
            for key, value in meta_arguments(element.body).items():
                construct.add_override(key, value)
            self.elements[element.address] = construct

    def _imports(self) -> None:
        for entry in self.document.imports:
            target = self.elements.get(entry.to)
            if not isinstance(target, cdk.TerraformResource):
                raise PropsError(f"{self.node.path}: import to {entry.to!r}: no such resource")
            target.import_from(raw_value(entry.id))

    def _outputs(self) -> None:
        for output in self.document.outputs:
            cdk.TerraformOutput(
                self,
                f"output.{output.name}",
                value=prop_value(output.value),
                description=output.description,
                sensitive=output.sensitive or None,
            ).override_logical_id(output.name)
