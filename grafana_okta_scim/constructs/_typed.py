"""Base classes of the generated typed bindings: schema-checked props, synthesized as JSON.

The generated modules in `_generated/` only declare fields; checking a value against its
provider-schema type and turning it into Terraform JSON happens here, once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from constructs import Construct

from ..errors import ProblemsError, short
from ._cdk import cdk, check_scope

SchemaType = Any  # a provider-schema type: "string", ["list", "string"], ["object", {...}], ...


class PropsError(ProblemsError, TypeError):
    """A prop that does not fit its provider-schema field; the message names path and field."""


@dataclass(frozen=True)
class Field:
    """One attribute or nested block of a resource, data source, provider or block."""

    type: SchemaType = None
    required: bool = False
    block: type[TypedStruct] | None = None
    many: bool = False
    max_items: int | None = None


@dataclass(frozen=True)
class ProviderInfo:
    """Provider local name, registry source and the version constraint the bindings target."""

    name: str
    source: str
    version_constraint: str

    def metadata(self) -> cdk.TerraformProviderGeneratorMetadata:
        """The CDK's generator metadata (it writes `required_providers` from it)."""
        return cdk.TerraformProviderGeneratorMetadata(
            provider_name=self.name, provider_version_constraint=self.version_constraint
        )


def _expected(schema_type: SchemaType) -> str:
    if isinstance(schema_type, list):
        kind, inner = schema_type
        if kind == "object":
            return "an object with keys " + ", ".join(sorted(inner))
        return f"{kind}({_expected(inner)})"
    return str(schema_type)


def _is_expression(value: Any) -> bool:
    return not isinstance(value, (str, int, float, bool, list, tuple, dict)) and bool(
        cdk.Tokenization.is_resolvable(value)
    )


def _fits(value: Any, schema_type: SchemaType) -> bool:
    """True when `value` fits `schema_type` (any CDK IResolvable fits every type)."""
    if schema_type == "dynamic" or _is_expression(value):
        return True
    if schema_type == "string":
        return isinstance(value, str)
    if schema_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if schema_type == "bool":
        return isinstance(value, bool)
    kind, inner = schema_type
    if kind in ("list", "set"):
        return isinstance(value, (list, tuple)) and all(_fits(item, inner) for item in value)
    if kind == "map":
        return isinstance(value, Mapping) and all(
            isinstance(key, str) and _fits(item, inner) for key, item in value.items()
        )
    if kind == "object":
        return isinstance(value, Mapping) and all(
            key in inner and _fits(item, inner[key]) for key, item in value.items()
        )
    return False


def check_values(path: str, fields: Mapping[str, Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """Check `values` against `fields`; return them with blocks as typed structs, None dropped."""
    checked: dict[str, Any] = {}
    for name, field in fields.items():
        value = values.get(name)
        where = f"{path}: {name}"
        if value is None:
            if field.required:
                raise PropsError(f"{where}: missing; expected {_describe(field)} (required)")
            continue
        if field.block is not None:
            checked[name] = _check_block(where, field, value)
        elif not _fits(value, field.type):
            raise PropsError(f"{where}: got {short(value)}; expected {_expected(field.type)}")
        else:
            checked[name] = value
    return checked


def _describe(field: Field) -> str:
    if field.block is not None:
        return f"a list of {field.block.__name__}" if field.many else field.block.__name__
    return _expected(field.type)


def _check_block(where: str, field: Field, value: Any) -> Any:
    assert field.block is not None
    if _is_expression(value):
        return value
    if not field.many:
        return field.block.coerce(where, value)
    if not isinstance(value, Sequence) or isinstance(value, (str, Mapping)):
        raise PropsError(f"{where}: got {short(value)}; expected a list of {field.block.__name__}")
    if field.max_items is not None and len(value) > field.max_items:
        raise PropsError(f"{where}: got {len(value)} blocks; expected at most {field.max_items}")
    return [field.block.coerce(f"{where}[{index}]", item) for index, item in enumerate(value)]


def to_terraform(value: Any) -> Any:
    """Terraform JSON form of a checked value (structs become objects)."""
    if isinstance(value, TypedStruct):
        return {key: to_terraform(item) for key, item in value.values.items()}
    if isinstance(value, (list, tuple)):
        return [to_terraform(item) for item in value]
    if isinstance(value, Mapping):
        return {key: to_terraform(item) for key, item in value.items()}
    return value


class TypedStruct:
    """A nested block: keyword-only fields checked against the provider schema."""

    FIELDS: ClassVar[dict[str, Field]] = {}

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._raw = dict(values)
        self.values: dict[str, Any] = check_values(type(self).__name__, self.FIELDS, self._raw)

    @classmethod
    def coerce(cls, where: str, value: Any) -> TypedStruct:
        """`value` as this struct (a mapping is converted), re-checked with `where` in messages."""
        if isinstance(value, cls):
            raw = value._raw
        elif isinstance(value, Mapping):
            unknown = sorted(set(value) - set(cls.FIELDS))
            if unknown:
                known = ", ".join(cls.FIELDS)
                raise PropsError(f"{where}: unknown field {unknown[0]!r}; expected one of {known}")
            raw = dict(value)
        else:
            raise PropsError(f"{where}: got {short(value)}; expected {cls.__name__} or a mapping")
        struct = cls.__new__(cls)
        struct._raw = raw
        struct.values = check_values(where, cls.FIELDS, raw)
        return struct

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.values == self.values

    def __hash__(self) -> int:
        return hash((type(self), repr(self.values)))

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={item!r}" for key, item in self.values.items())
        return f"{type(self).__name__}({args})"


class _SchemaChecked:
    """Checks props against the schema before the element joins the tree; synthesizes them."""

    TYPE: ClassVar[str]
    PROVIDER: ClassVar[ProviderInfo]
    FIELDS: ClassVar[dict[str, Field]]

    def __init__(self, scope: Construct, construct_id: str, values: Mapping[str, Any]) -> None:
        checked = check_values(check_scope(scope, construct_id), self.FIELDS, values)
        super().__init__(  # type: ignore[call-arg]
            scope,
            construct_id,
            terraform_resource_type=self.TYPE,
            terraform_generator_metadata=self.PROVIDER.metadata(),
        )
        self._checked = checked

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return cast(Mapping[str, Any], to_terraform(self._checked))


class TypedResource(_SchemaChecked, cdk.TerraformResource):
    """A resource whose props are checked against its provider schema before it joins the tree."""


class TypedDataSource(_SchemaChecked, cdk.TerraformDataSource):
    """A data source whose props are checked against its provider schema."""


class TypedProvider(cdk.TerraformProvider):
    """A provider configuration checked against the provider schema.

    `version_constraint` replaces the constraint the bindings were generated for
    (default: the generated `PROVIDER.version_constraint`).
    """

    PROVIDER: ClassVar[ProviderInfo]
    FIELDS: ClassVar[dict[str, Field]]

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        values: Mapping[str, Any],
        alias: str | None = None,
        version_constraint: str | None = None,
    ) -> None:
        checked = check_values(check_scope(scope, construct_id), self.FIELDS, values)
        info = self.PROVIDER
        if version_constraint is not None:
            info = ProviderInfo(info.name, info.source, version_constraint)
        super().__init__(
            scope,
            construct_id,
            terraform_resource_type=info.name,
            terraform_provider_source=info.source,
            terraform_generator_metadata=info.metadata(),
        )
        if alias is not None:
            self.alias = alias
        self._checked = checked

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return cast(Mapping[str, Any], to_terraform(self._checked))
