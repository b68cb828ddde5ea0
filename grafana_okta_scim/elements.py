"""The Terraform document's data: elements, values and the module, before any syntax is chosen.

A leaf module: the emitters read these types and import nothing above them.

Values in a body are plain Python literals (str, int, bool, list, dict for map attributes),
`Expr` for expressions (references, function calls), `Address` for depends_on entries, and
`Block` / `BlockList` for nested blocks (an object or a list of objects in Terraform JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union

if TYPE_CHECKING:
    from .spec import Integration, OktaOrg

# Terraform's meta-arguments of resources and data sources: not provider-schema fields. HCL
# writes the first two before the attributes and depends_on after the nested blocks.
META_FIRST = ("count", "for_each")
META_LAST = ("depends_on",)
META_ARGUMENTS = (*META_FIRST, "lifecycle", "provider", *META_LAST)


@dataclass(frozen=True)
class Expr:
    """A Terraform expression written verbatim, e.g. `okta_app_saml.prod.id`."""

    text: str

    def attr(self, name: str) -> Expr:
        """The expression for an attribute of this one."""
        return Expr(f"{self.text}.{name}")


@dataclass(frozen=True)
class Address:
    """A bare resource address, as depends_on and import `to` take it."""

    text: str


@dataclass(frozen=True)
class Block:
    """A nested block that appears at most once (an object in Terraform JSON)."""

    body: dict[str, Value]


@dataclass(frozen=True)
class BlockList:
    """A repeated nested block (a list of objects in Terraform JSON)."""

    bodies: tuple[dict[str, Value], ...]


Value = Union[str, int, bool, list["Value"], dict[str, "Value"], Expr, Address, Block, BlockList]  # noqa: UP007


@dataclass(frozen=True)
class Element:
    """A resource or data source: `kind.type.name` with its body."""

    kind: Literal["resource", "data"]
    type: str
    name: str
    body: dict[str, Value]

    @property
    def address(self) -> str:
        """Terraform address, e.g. `okta_app_saml.prod` or `data.okta_group.prod`."""
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def ref(self) -> Expr:
        """Reference expression to this element."""
        return Expr(self.address)

    @property
    def provider(self) -> str:
        """Local provider name, taken from the type prefix."""
        return self.type.split("_", 1)[0]


@dataclass(frozen=True)
class Variable:
    """An input variable, always typed and described."""

    name: str
    type: str
    description: str
    default: Any = None
    has_default: bool = False
    sensitive: bool = False
    nullable: bool | None = None


@dataclass(frozen=True)
class Output:
    """An output, always described."""

    name: str
    value: Value
    description: str
    sensitive: bool = False


@dataclass(frozen=True)
class Import:
    """An import block adopting an existing object."""

    to: str
    id: str


@dataclass(frozen=True)
class Local:
    """A local value; `file` is the generated file that holds it."""

    name: str
    value: Value
    file: str

    @property
    def ref(self) -> Expr:
        return Expr(f"local.{self.name}")


@dataclass(frozen=True)
class Derived:
    """Values derived from the spec, shared by Terraform, the runbook and verify."""

    grafana_url: str
    acs_url: str
    entity_id: str
    scim_namespace: str
    scim_base_url: str
    scim_config_managed: bool
    okta_org_url: str
    token_address: str
    service_account_address: str
    okta_app_address: str
    push_groups_gated: bool
    spec_name: str = "spec.yaml"
    rejection_phased: bool = False
    needs_server_admin: bool = False


@dataclass
class Module:
    """One integration's root module as data; `TerraformDocument` adds the emitters."""

    integration_name: str
    header: str
    required_version: str
    required_providers: dict[str, dict[str, str]]
    backend: tuple[str, dict[str, Any]] | None
    providers: dict[str, dict[str, Value]]
    variables: list[Variable]
    locals: list[Local]
    elements: list[Element]
    outputs: list[Output]
    imports: list[Import]
    derived: Derived
    integration: Integration
    okta: OktaOrg
    warnings: list[str] = field(default_factory=list)

    def element(self, address: str) -> Element:
        """The element at `address` (KeyError if absent)."""
        for element in self.elements:
            if element.address == address:
                return element
        raise KeyError(address)

    @property
    def addresses(self) -> list[str]:
        """Every resource and data source address, in document order."""
        return [element.address for element in self.elements]
