"""Translate TerraformDocument values into what CDK objects take. No decisions: syntax only."""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping
from typing import Any

from constructs import Construct

from ..document import Expr, Value
from ..emit.terraform_json import JsonWriter, json_value
from ..terraform_types import META_ARGUMENTS
from ._cdk import cdk
from ._typed import PropsError

# Meta-arguments (terraform_types.META_ARGUMENTS) are not provider-schema fields: they are written
# through CDK overrides.


class TokenWriter(JsonWriter):
    """Terraform JSON values with expressions as CDK tokens (what typed classes take)."""

    def expression(self, expr: Expr) -> Any:
        return cdk.Token.as_any(super().expression(expr))


prop_value = TokenWriter().value
"""A body value as a typed-class prop: expressions become CDK tokens, blocks mappings."""


def props(body: Mapping[str, Value]) -> dict[str, Any]:
    """Schema fields of a body as keyword arguments (meta-arguments left out)."""
    return {key: prop_value(item) for key, item in body.items() if key not in META_ARGUMENTS}


def raw_value(value: Value) -> Any:
    """A value in Terraform JSON syntax, for CDK overrides and backends."""
    return json_value(value)


def meta_arguments(body: Mapping[str, Value]) -> dict[str, Any]:
    """The meta-arguments of a body in Terraform JSON syntax."""
    return {key: raw_value(item) for key, item in body.items() if key in META_ARGUMENTS}


BACKENDS: dict[str, type[cdk.TerraformBackend]] = {
    "azurerm": cdk.AzurermBackend,
    "gcs": cdk.GcsBackend,
    "http": cdk.HttpBackend,
    "local": cdk.LocalBackend,
    "remote": cdk.RemoteBackend,
    "s3": cdk.S3Backend,
}


def add_backend(scope: Construct, kind: str, config: Mapping[str, Value]) -> cdk.TerraformBackend:
    """The CDK library's backend class for `kind`, configured with the document's arguments.

    An argument the class does not take (the libraries' backend classes differ: CDK Terrain's
    S3Backend has `use_lockfile`, cdktf 0.21's has not) is written as an override, so the block
    is the document's either way.
    """
    backend_class = BACKENDS.get(kind)
    if backend_class is None:
        raise PropsError(f"{scope.node.path}: backend: got {kind!r}; expected one of " + ", ".join(BACKENDS))
    taken = inspect.signature(backend_class.__init__).parameters
    values = {key: raw_value(item) for key, item in config.items()}
    try:
        backend = backend_class(scope, **{key: item for key, item in values.items() if key in taken})
    except TypeError as exc:
        raise PropsError(f"{scope.node.path}: backend {kind}: {exc}") from None
    for key, item in values.items():
        if key not in taken:
            backend.add_override(key, item)
    return backend


# CDK Terrain checks features (e.g. s3 `use_lockfile`: Terraform/OpenTofu >= 1.10) against the
# target versions in context key "targetVersions" (cdktf.json `targetVersions`, else these
# defaults of cdktn 0.24); cdktf has no such check and ignores the key.
TARGETS_CONTEXT = "targetVersions"
DEFAULT_TARGETS = {"terraform": ">=1.5.7", "opentofu": ">=1.6.0"}
_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})\s*$")


def semver_range(constraint: str) -> str | None:
    """A Terraform version constraint (">= 1.5, >= 1.10", "~> 1.9") as an npm semver range
    (">=1.5.0 >=1.10.0", ">=1.9.0 <2.0.0"), what "targetVersions" holds; None if it does not parse.
    `!=` is left out: the range only gets wider, never narrower than the constraint."""
    comparators = []
    for part in constraint.split(","):
        match = _CONSTRAINT.match(part)
        if match is None:
            return None
        operator, version = match.group(1) or "=", [int(n) for n in match.group(2).split(".")]
        full = ".".join(str(n) for n in [*version, 0, 0][:3])
        if operator == "~>":  # the last given segment may grow
            upper = [version[0] + 1, 0, 0] if len(version) < 3 else [version[0], version[1] + 1, 0]
            comparators += [f">={full}", "<" + ".".join(map(str, upper))]
        elif operator != "!=":
            comparators.append(f"{operator}{full}")
    return " ".join(comparators) or None


def narrow_targets(scope: Construct, required_version: str) -> None:
    """Narrow the target versions seen by `scope`'s subtree to the module's `required_version`
    (Terraform and OpenTofu both honour it): each declared range, or default, AND the constraint.
    `scope` must not have children yet (context is set on it)."""
    required = semver_range(required_version)
    declared = scope.node.try_get_context(TARGETS_CONTEXT) or DEFAULT_TARGETS
    if required is None or not isinstance(declared, Mapping):
        return  # unknown syntax: the library's own targets stay
    scope.node.set_context(
        TARGETS_CONTEXT,
        {
            product: " || ".join(
                f"{alternative.strip()} {required}" for alternative in str(ranges).split("||")
            )
            for product, ranges in declared.items()
        },
    )
