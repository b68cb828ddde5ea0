"""The vendored `terraform providers schema -json` documents, as plugin-protocol messages.

A "block" here is the JSON form: {"attributes": {...}, "block_types": {...}}; attributes carry
`type` (cty type JSON) or `nested_type` ({"attributes", "nesting_mode"}), and the flags
required / optional / computed / sensitive / deprecated / write_only; block types carry
`nesting_mode` (single, group, list, set, map) and `min_items` / `max_items`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Block = dict[str, Any]

_ATTRIBUTE_FLAGS = ("required", "optional", "computed", "sensitive", "deprecated", "write_only")


@dataclass(frozen=True)
class ProviderSchemas:
    """One provider's schemas: the provider block, resources and data sources."""

    address: str
    provider: dict[str, Any]
    resources: dict[str, dict[str, Any]]
    data_sources: dict[str, dict[str, Any]]

    @property
    def type_name(self) -> str:
        """The provider's local type name, e.g. `grafana`."""
        return self.address.rsplit("/", 1)[-1]


def load(path: Path) -> ProviderSchemas:
    """Read a schema file that holds exactly one provider."""
    document = json.loads(path.read_text(encoding="utf-8"))
    ((address, schemas),) = document["provider_schemas"].items()
    return ProviderSchemas(
        address=address,
        provider=schemas["provider"],
        resources=schemas.get("resource_schemas", {}),
        data_sources=schemas.get("data_source_schemas", {}),
    )


def schema_message(pb: Any, schema: dict[str, Any]) -> Any:
    """tfplugin6.Schema for one `{"version", "block"}` entry."""
    return pb.Schema(version=schema.get("version", 0), block=block_message(pb, schema["block"]))


def block_message(pb: Any, block: Block) -> Any:
    """tfplugin6.Schema.Block, attributes and nested blocks sorted by name."""
    attributes = block.get("attributes", {})
    block_types = block.get("block_types", {})
    return pb.Schema.Block(
        attributes=[attribute_message(pb, n, attributes[n]) for n in sorted(attributes)],
        block_types=[nested_block_message(pb, n, block_types[n]) for n in sorted(block_types)],
        description=block.get("description", ""),
        deprecated=block.get("deprecated", False),
    )


def attribute_message(pb: Any, name: str, attribute: dict[str, Any]) -> Any:
    """tfplugin6.Schema.Attribute with its cty type or nested object type and flags."""
    flags = {flag: bool(attribute.get(flag, False)) for flag in _ATTRIBUTE_FLAGS}
    message = pb.Schema.Attribute(name=name, description=attribute.get("description", ""), **flags)
    if "nested_type" in attribute:
        nested = attribute["nested_type"]
        inner = nested.get("attributes", {})
        message.nested_type.CopyFrom(
            pb.Schema.Object(
                attributes=[attribute_message(pb, n, inner[n]) for n in sorted(inner)],
                nesting=pb.Schema.Object.NestingMode.Value(nested["nesting_mode"].upper()),
            )
        )
    else:
        message.type = json.dumps(attribute["type"], separators=(",", ":")).encode()
    return message


def nested_block_message(pb: Any, name: str, nested: dict[str, Any]) -> Any:
    """tfplugin6.Schema.NestedBlock with nesting mode and item limits."""
    return pb.Schema.NestedBlock(
        type_name=name,
        block=block_message(pb, nested["block"]),
        nesting=pb.Schema.NestedBlock.NestingMode.Value(nested["nesting_mode"].upper()),
        min_items=nested.get("min_items", 0),
        max_items=nested.get("max_items", 0),
    )
