"""Terraform's data types: elements, values and the module, before any syntax is chosen.

A leaf module (above `facts`, which the module carries): the emitters read these types.

Values in a body are plain Python literals (str, int, bool, list, dict for map attributes),
`Expr` for expressions (references, function calls), `Address` for depends_on entries, and
`Block` / `BlockList` for nested blocks (an object or a list of objects in Terraform JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

from .facts import Facts

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

    def arguments(self) -> list[tuple[str, Any]]:
        """The block's arguments in file order; `type` holds its type-expression text."""
        found: list[tuple[str, Any]] = [("description", self.description), ("type", self.type)]
        if self.has_default:
            found.append(("default", self.default))
        if self.nullable is not None:
            found.append(("nullable", self.nullable))
        if self.sensitive:
            found.append(("sensitive", True))
        return found


@dataclass(frozen=True)
class Output:
    """An output, always described."""

    name: str
    value: Value
    description: str
    sensitive: bool = False


@dataclass(frozen=True)
class Import:
    """An import block adopting an existing object; `id` a literal or an expression known at
    plan time (Terraform 1.6+)."""

    to: str
    id: str | Expr


@dataclass(frozen=True)
class Moved:
    """A moved block: the object at `from_` now lives at `to`."""

    from_: str
    to: str


@dataclass(frozen=True)
class Removed:
    """A removed block: Terraform forgets every instance of `from_` without destroying it."""

    from_: str


@dataclass(frozen=True)
class Local:
    """A local value; `file` is the generated file that holds it."""

    name: str
    value: Value
    file: str

    @property
    def ref(self) -> Expr:
        return Expr(f"local.{self.name}")


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
    facts: Facts
    warnings: list[str] = field(default_factory=list)
    moves: list[Moved] = field(default_factory=list)
    removals: list[Removed] = field(default_factory=list)

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
