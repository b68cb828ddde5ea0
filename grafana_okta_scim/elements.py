"""The Terraform document's data: elements, values and the module, before any syntax is chosen.

A leaf module: the emitters read these types and import nothing above them.

Values in a body are plain Python literals (str, int, bool, list, dict for map attributes),
`Expr` for expressions (references, function calls), `Address` for depends_on entries, and
`Block` / `BlockList` for nested blocks (an object or a list of objects in Terraform JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Union

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


@dataclass(frozen=True)
class Blocker:
    """Why something cannot be managed: `reason`, then `label` + `value` in parentheses."""

    reason: str
    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.reason} ({self.label}{self.value})"


@dataclass(frozen=True)
class UserIdClaim:
    """The external-uid (userUID) statement the generated Terraform puts on the Okta app."""

    name: str
    values: tuple[str, ...]
    federated: bool = False


@dataclass(frozen=True)
class Toggle:
    """One Okta checkbox or toggle the spec sets: its label in Okta's console, and on or off."""

    key: str
    label: str
    enabled: bool


@dataclass(frozen=True)
class Facts:
    """What one integration's consumers (runbook, verify, discover) need: derived values, the
    decisions build made, and the spec values they show. They read these; they never re-decide.
    """

    integration_name: str
    spec_name: str
    # Grafana
    grafana_kind: str
    grafana_url: str
    org_id: int
    acs_url: str
    entity_id: str
    scim_namespace: str
    scim_base_url: str
    scim_user_sync: bool
    scim_group_sync: bool
    scim_config_managed: bool
    scim_config_blockers: tuple[Blocker, ...]
    service_account_name: str
    service_account_role: str
    fixed_roles: tuple[str, ...]
    via_cloud_api: bool
    required_roles: tuple[str, ...]
    role_sufficient: bool
    needs_server_admin: bool
    token_seconds_to_live: int
    token_rotation: tuple[int, int] | None  # (seconds_to_live, early_rotation_window_seconds)
    role_attribute: str | None
    org_mapping: tuple[str, ...] | None
    skip_org_role_sync: bool
    # Okta
    okta_org_url: str
    okta_app_label: str
    adopted_okta_app_id: str | None
    authentication_policy: str | None
    assigned_groups: tuple[str, ...]
    assignments_authoritative: bool
    push_groups: tuple[str, ...]
    delete_pushed_teams: bool
    provisioning_mode: str
    to_app: tuple[Toggle, ...]
    supported_actions: tuple[Toggle, ...]
    user_id_claim: UserIdClaim | None
    # phases
    push_groups_gated: bool
    rejection_offered: bool
    rejection_phased: bool
    last_phase: int
    # addresses in the generated module
    token_address: str
    service_account_address: str
    okta_app_address: str
    push_group_address: str | None = None

    @property
    def okta_api_mode(self) -> bool:
        """Provisioning switched on through okta_app_connection / okta_app_features."""
        return self.provisioning_mode == "okta-api"


# `.derived` is the public name of a document's facts (kept from 0.1.0).
Derived = Facts


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
    derived: Facts
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
