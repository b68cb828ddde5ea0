"""Translate TerraformDocument values into what cdktf objects take. No decisions: syntax only."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import cdktf
from constructs import Construct

from ..document import Expr, Value
from ..emit_json import JsonWriter, json_value
from ._typed import PropsError

# Meta-arguments are not provider-schema fields: they are written through cdktf overrides.
META_ARGUMENTS = ("count", "depends_on", "for_each", "lifecycle", "provider")


class TokenWriter(JsonWriter):
    """Terraform JSON values with expressions as cdktf tokens (what typed classes take)."""

    def expression(self, expr: Expr) -> Any:
        return cdktf.Token.as_any(super().expression(expr))


prop_value = TokenWriter().value
"""A body value as a typed-class prop: expressions become cdktf tokens, blocks mappings."""


def props(body: Mapping[str, Value]) -> dict[str, Any]:
    """Schema fields of a body as keyword arguments (meta-arguments left out)."""
    return {key: prop_value(item) for key, item in body.items() if key not in META_ARGUMENTS}


def raw_value(value: Value) -> Any:
    """A value in Terraform JSON syntax, for cdktf overrides and backends."""
    return json_value(value)


def meta_arguments(body: Mapping[str, Value]) -> dict[str, Any]:
    """The meta-arguments of a body in Terraform JSON syntax."""
    return {key: raw_value(item) for key, item in body.items() if key in META_ARGUMENTS}


BACKENDS: dict[str, type[cdktf.TerraformBackend]] = {
    "azurerm": cdktf.AzurermBackend,
    "gcs": cdktf.GcsBackend,
    "http": cdktf.HttpBackend,
    "local": cdktf.LocalBackend,
    "remote": cdktf.RemoteBackend,
    "s3": cdktf.S3Backend,
}


def add_backend(scope: Construct, kind: str, config: Mapping[str, Value]) -> cdktf.TerraformBackend:
    """cdktf's backend class for `kind`, configured with the document's arguments."""
    backend_class = BACKENDS.get(kind)
    if backend_class is None:
        raise PropsError(f"{scope.node.path}: backend: got {kind!r}; expected one of " + ", ".join(BACKENDS))
    # cdktf 0.21's classes predate some arguments (e.g. s3 use_lockfile, Terraform 1.10): those
    # go into the synthesized backend block as stack overrides.
    known = set(inspect.signature(backend_class.__init__).parameters)
    arguments = {key: raw_value(item) for key, item in config.items()}
    try:
        backend = backend_class(scope, **{k: v for k, v in arguments.items() if k in known})
    except TypeError as exc:
        raise PropsError(f"{scope.node.path}: backend {kind}: {exc}") from None
    stack = cdktf.TerraformStack.of(scope)
    for key, value in arguments.items():
        if key not in known:
            stack.add_override(f"terraform.backend.{kind}.{key}", value)
    return backend
