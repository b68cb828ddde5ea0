"""Provider-schema conformance of a generated module, for the tests (never imported by synth).

`check_module(doc.to_json())` checks every provider block, resource and data source of a Terraform
JSON module against the vendored `terraform providers schema -json` files: the type exists, every
attribute exists, required ones are set, computed-only ones are not, literal values have the
attribute's cty type, nested blocks have the schema's nesting and item counts, and `${...}`
references to the module's own resources name attributes their types have. It returns one
`<address>.<path>: <problem>` line per problem; an empty list means conformant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any, cast

from .terraform_types import META_ARGUMENTS

SCHEMA_FILES = {"grafana": "grafana-4.45.1.json", "okta": "okta-6.12.0.json"}
ELEMENT_META = frozenset({*META_ARGUMENTS, "//"})
PROVIDER_META = frozenset({"alias", "//"})
_BLOCK_TYPES = ("terraform", "provider", "variable", "locals", "resource", "data", "output")
TOP_LEVEL = frozenset({"//", *_BLOCK_TYPES, "module", "import", "moved", "removed", "check"})
_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_REFERENCE = re.compile(
    r"(?<![\w.])(?P<data>data\.)?(?P<type>[a-z][a-z0-9]*_[a-z0-9_]+)\.(?P<name>[A-Za-z_][\w-]*)"
    r"(?:\[[^\]]*\])?(?:\.(?P<attr>[A-Za-z_][\w-]*))?"
)


@cache
def provider_schema(provider: str) -> dict[str, Any] | None:
    """The vendored schema of one provider (`provider`, `resource_schemas`, ...), or None if unknown."""
    file = SCHEMA_FILES.get(provider)
    if file is None:
        return None
    data = json.loads((files("grafana_okta_scim") / "schemas" / file).read_text(encoding="utf-8"))
    (schema,) = data["provider_schemas"].values()
    return cast(dict[str, Any], schema)


def schema_block(kind: str, type_name: str) -> dict[str, Any] | None:
    """The schema `block` of a provider (`kind` "provider"), resource or data source type, or None."""
    schema = provider_schema(type_name.split("_", 1)[0])
    if schema is None:
        return None
    if kind == "provider":
        return cast(dict[str, Any], schema["provider"]["block"])
    section = schema["resource_schemas" if kind == "resource" else "data_source_schemas"]
    entry = section.get(type_name)
    return None if entry is None else entry["block"]


def template_parts(text: str) -> tuple[str, list[str]]:
    """Split a Terraform string template into its literal text (escapes decoded) and its expressions.

    `$${` and `%%{` are the escapes for a literal `${` and `%{`; `${...}` and `%{...}` are an
    interpolation and a directive, returned (without the delimiters) in the second item.
    """
    literal: list[str] = []
    expressions: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith(("$${", "%%{"), index):
            literal.append(text[index + 1 : index + 3])
            index += 3
        elif text.startswith(("${", "%{"), index):
            end = closing_brace(text, index + 2)
            expressions.append(text[index + 2 : end])
            index = end + 1
        else:
            literal.append(text[index])
            index += 1
    return "".join(literal), expressions


def closing_brace(text: str, start: int) -> int:
    """Index of the `}` closing a template sequence opened just before `start` (len(text) if none)."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == '"':
            match = _STRING_LITERAL.match(text, index)
            index = match.end() if match else len(text)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return len(text)


def is_expression(value: Any) -> bool:
    """True for a string holding a `${...}` interpolation or `%{...}` directive (not a plain literal)."""
    return isinstance(value, str) and bool(template_parts(value)[1])


def type_problems(value: Any, cty: Any) -> list[str]:
    """Why a literal JSON value does not have cty type `cty` (expressions and null always fit)."""
    if value is None or is_expression(value) or cty == "dynamic":
        return []
    if isinstance(cty, str):
        expected = {"string": (str,), "number": (int, float), "bool": (bool,)}[cty]
        ok = isinstance(value, expected) and not (cty == "number" and isinstance(value, bool))
        return [] if ok else [f"got {json.dumps(value, ensure_ascii=False)}; expected {cty}"]
    kind, inner = cty
    if kind in ("list", "set"):
        if not isinstance(value, list):
            return [f"got {type(value).__name__}; expected {kind} of {json.dumps(inner)}"]
        return [f"[{i}]: {p}" for i, item in enumerate(value) for p in type_problems(item, inner)]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"got {type(value).__name__}; expected map of {json.dumps(inner)}"]
        return [f"[{k!r}]: {p}" for k, item in value.items() for p in type_problems(item, inner)]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"got {type(value).__name__}; expected an object"]
        return [f".{k}: unknown attribute" for k in value if k not in inner] + [
            f".{k}: {p}" for k, item in value.items() if k in inner for p in type_problems(item, inner[k])
        ]
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(inner):
            return [f"expected a tuple of {len(inner)} elements"]
        return [
            f"[{i}]: {p}"
            for i, (item, t) in enumerate(zip(value, inner, strict=True))
            for p in type_problems(item, t)
        ]
    return [f"unsupported cty type {json.dumps(cty)}"]


def _attribute_type(attribute: dict[str, Any]) -> Any:
    """The cty type of an attribute; a plugin-framework nested attribute becomes an object type."""
    if "type" in attribute:
        return attribute["type"]
    nested = attribute["nested_type"]
    obj = ["object", {name: _attribute_type(a) for name, a in nested["attributes"].items()}]
    return obj if nested["nesting_mode"] == "single" else [nested["nesting_mode"], obj]


def body_problems(block: dict[str, Any], body: Any, path: str, meta: frozenset[str]) -> list[str]:
    """Problems of one block body against its schema `block`; `path` prefixes every line."""
    if not isinstance(body, dict):
        return [f"{path}: got {type(body).__name__}; expected a block body (object)"]
    attributes = block.get("attributes", {})
    block_types = block.get("block_types", {})
    problems: list[str] = []
    for key, value in body.items():
        where = f"{path}.{key}"
        if key in meta:
            continue
        if key in attributes:
            attribute = attributes[key]
            if attribute.get("computed") and not attribute.get("optional") and not attribute.get("required"):
                problems.append(f"{where}: computed-only attribute is set")
            problems += [
                f"{where}: {p}" if not p.startswith(("[", ".")) else f"{where}{p}"
                for p in type_problems(value, _attribute_type(attribute))
            ]
        elif key in block_types:
            problems += _nested_problems(block_types[key], value, where)
        else:
            problems.append(f"{where}: unknown attribute or block")
    for key, attribute in attributes.items():
        if attribute.get("required") and body.get(key) is None:
            problems.append(f"{path}.{key}: required attribute is not set")
    for key, nested in block_types.items():
        if key not in body and nested.get("min_items", 0) > 0:
            problems.append(f"{path}.{key}: at least {nested['min_items']} block(s) required; got none")
    return problems


def _nested_problems(nested: dict[str, Any], value: Any, where: str) -> list[str]:
    """Problems of a nested block value: JSON shape for its nesting mode, item counts, bodies."""
    mode = nested["nesting_mode"]
    if isinstance(value, str):
        return [f"{where}: block written as attribute (a {mode} block must be a JSON object or list)"]
    if mode in ("single", "group"):
        if not isinstance(value, dict):
            return [f"{where}: got {type(value).__name__}; a {mode} block is one JSON object"]
        bodies = {"": value}
    elif mode in ("list", "set"):
        if not isinstance(value, list):
            return [f"{where}: got {type(value).__name__}; a {mode} block is a JSON list of objects"]
        bodies = {f"[{i}]": item for i, item in enumerate(value)}
    elif mode == "map":
        if not isinstance(value, dict):
            return [f"{where}: got {type(value).__name__}; a map block is an object of labelled objects"]
        bodies = {f"[{k!r}]": item for k, item in value.items()}
    else:
        return [f"{where}: unsupported nesting mode {mode!r}"]
    problems: list[str] = []
    low, high = nested.get("min_items", 0), nested.get("max_items", 0)
    if len(bodies) < low:
        problems.append(f"{where}: at least {low} block(s) required; got {len(bodies)}")
    if high and len(bodies) > high:
        problems.append(f"{where}: at most {high} block(s) allowed; got {len(bodies)}")
    for suffix, body in bodies.items():
        problems += body_problems(nested["block"], body, where + suffix, frozenset({"//"}))
    return problems


def _elements(module: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """(kind, type, address, body) for every provider block, resource and data source."""
    for name, configs in module.get("provider", {}).items():
        configs = configs if isinstance(configs, list) else [configs]
        for index, body in enumerate(configs):
            suffix = f"[{index}]" if len(configs) > 1 else ""
            yield "provider", name, f"provider.{name}{suffix}", body
    for kind, prefix in (("resource", ""), ("data", "data.")):
        for type_name, named in module.get(kind, {}).items():
            for name, body in named.items():
                yield kind, type_name, f"{prefix}{type_name}.{name}", body


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) for every string inside a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")


def references(text: str) -> Iterator[tuple[str, str, str | None]]:
    """(kind, address, first attribute or None) for each resource/data reference in a template."""
    for expression in template_parts(text)[1]:
        for match in _REFERENCE.finditer(_STRING_LITERAL.sub('""', expression)):
            kind = "data" if match["data"] else "resource"
            address = f"{match['data'] or ''}{match['type']}.{match['name']}"
            yield kind, address, match["attr"]


def reference_problems(module: dict[str, Any]) -> list[str]:
    """`${...}` references to this module's resources and data sources name attributes they have."""
    declared = {
        address: (kind, type_name) for kind, type_name, address, _ in _elements(module) if kind != "provider"
    }
    owners: list[tuple[str, Any]] = [(address, body) for _, _, address, body in _elements(module)]
    owners += [(f"output.{name}", body) for name, body in module.get("output", {}).items()]
    owners += [(f"local.{name}", value) for name, value in module.get("locals", {}).items()]
    problems: list[str] = []
    for owner, body in owners:
        for path, text in _strings(body, owner):
            for kind, address, attr in references(text):
                type_name = address.removeprefix("data.").split(".")[0]
                if address not in declared:
                    if schema_block(kind, type_name) is not None:
                        problems.append(f"{path}: reference to undeclared {address}")
                    continue
                block = schema_block(kind, type_name) or {}
                names = {*block.get("attributes", {}), *block.get("block_types", {})}
                if attr is not None and attr not in names:
                    problems.append(f"{path}: {address} has no attribute {attr!r}")
        if isinstance(body, dict):
            for index, target in enumerate(body.get("depends_on", [])):
                if target not in declared:
                    problems.append(f"{owner}.depends_on[{index}]: {target} is not declared in the module")
    return problems


def check_module(module: dict[str, Any]) -> list[str]:
    """Every conformance problem of a Terraform JSON module (e.g. `doc.to_json()`); [] if none."""
    problems = [f"{key}: unknown top-level block type" for key in module if key not in TOP_LEVEL]
    for kind, type_name, address, body in _elements(module):
        block = schema_block(kind, type_name)
        if block is None:
            problems.append(f"{address}: unknown {kind} type {type_name!r}")
            continue
        meta = PROVIDER_META if kind == "provider" else ELEMENT_META
        problems += body_problems(block, body, address, meta)
    return problems + reference_problems(module)
