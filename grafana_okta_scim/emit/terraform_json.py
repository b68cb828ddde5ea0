"""Module -> Terraform JSON. Translates only; every decision was made in synth."""

from __future__ import annotations

import json
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

from ..terraform_types import Address, Block, BlockList, Element, Expr, Module, Value
from .escaping import escape_template
from .file_names import FILE_ORDER, element_file

JSON_SUFFIX = ".json"
_AS_IS = (bool, int, type(None))  # tuples built once: `bool | int` in a call builds a union each time
_ARRAYS = (list, tuple)


class JsonWriter:
    """Writes document values in Terraform JSON syntax.

    The leaves (expressions, addresses, literal strings) are methods, so the CDKTF mapping can
    write tokens or rewritten references while the walk over blocks, lists and maps stays here.
    """

    def expression(self, expr: Expr) -> Any:
        """An expression as a template string `${...}`."""
        return "${" + expr.text + "}"

    def address(self, address: Address) -> Any:
        """A bare address (depends_on)."""
        return address.text

    def literal(self, text: str) -> Any:
        """A literal string, escaped so Terraform does not read it as a template."""
        return escape_template(text)

    def value(self, value: Value) -> Any:
        """Any body value (the most frequent kinds tested first; no kind is another's subclass)."""
        if isinstance(value, str):
            return self.literal(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, Expr):
            return self.expression(value)
        if isinstance(value, _AS_IS):
            return value
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, BlockList):
            return [self.body(body) for body in value.bodies]
        if isinstance(value, Block):
            return self.body(value.body)
        if isinstance(value, Address):
            return self.address(value)
        raise TypeError(f"cannot write {type(value).__name__} as Terraform JSON")

    def body(self, body: Mapping[str, Value]) -> dict[str, Any]:
        """A block body."""
        return {key: self.value(item) for key, item in body.items()}


_WRITER = JsonWriter()
json_value = _WRITER.value
json_body = _WRITER.body


def _terraform_block(doc: Module) -> dict[str, Any]:
    block: dict[str, Any] = {
        "required_version": doc.required_version,
        "required_providers": {name: dict(req) for name, req in doc.required_providers.items()},
    }
    if doc.backend is not None:
        kind, config = doc.backend
        block["backend"] = {kind: {key: json_value(value) for key, value in config.items()}}
    return block


def _variables(doc: Module) -> dict[str, Any]:
    return {variable.name: dict(variable.arguments()) for variable in doc.variables}


def _elements(elements: list[Element]) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    for element in elements:
        sections.setdefault(element.kind, {}).setdefault(element.type, {})[element.name] = json_body(
            element.body
        )
    return sections


def _outputs(doc: Module) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    for output in doc.outputs:
        entry: dict[str, Any] = {"description": output.description, "value": json_value(output.value)}
        if output.sensitive:
            entry["sensitive"] = True
        outputs[output.name] = entry
    return outputs


def _file_sections(doc: Module) -> dict[str, dict[str, Any]]:
    """Top-level JSON sections per generated file (without the header)."""
    files: dict[str, dict[str, Any]] = {
        "versions.tf": {"terraform": _terraform_block(doc)},
        "providers.tf": {"provider": {name: [json_body(body)] for name, body in doc.providers.items()}},
        "variables.tf": {"variable": _variables(doc)},
    }
    for file in ("grafana.tf", "okta.tf"):
        section: dict[str, Any] = {}
        file_locals = {local.name: json_value(local.value) for local in doc.locals if local.file == file}
        if file_locals:
            section["locals"] = file_locals
        section.update(_elements([e for e in doc.elements if element_file(e) == file]))
        if section:
            files[file] = section
    files["outputs.tf"] = {"output": _outputs(doc)}
    state_blocks: dict[str, Any] = {}
    if doc.moves:
        state_blocks["moved"] = [{"from": m.from_, "to": m.to} for m in doc.moves]
    if doc.removals:
        state_blocks["removed"] = [{"from": r.from_, "lifecycle": {"destroy": False}} for r in doc.removals]
    if doc.imports:
        state_blocks["import"] = [{"to": i.to, "id": json_value(i.id)} for i in doc.imports]
    if state_blocks:
        files["imports.tf"] = state_blocks
    return {name: files[name] for name in FILE_ORDER if name in files}


def document_json(doc: Module) -> dict[str, Any]:
    """The whole module as one Terraform JSON object, with the header as a `//` comment."""
    merged: dict[str, Any] = {"//": doc.header}
    for sections in _file_sections(doc).values():
        for key, value in sections.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                _merge(merged[key], value)
            elif isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key].extend(value)
            else:
                merged[key] = value
    return merged


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def dump_json(data: dict[str, Any]) -> str:
    """Stable JSON text: two-space indent, UTF-8 kept, trailing newline.

    The text of `json.dumps(data, indent=2, ensure_ascii=False)`, written without the standard
    library's pure-Python indenting encoder (its C encoder does not indent), at a third of the cost.
    """
    chunks: list[str] = []
    _write_json(data, "\n", chunks)
    chunks.append("\n")
    return "".join(chunks)


_CONSTANTS = {True: "true", False: "false", None: "null"}


def _write_json(value: Any, newline: str, chunks: list[str]) -> None:
    """Append `value` as indented JSON; `newline` is a line break and the current indentation."""
    if isinstance(value, str):
        chunks.append(encode_basestring(value))
    elif isinstance(value, dict):
        _write_object(value, newline, chunks)
    elif isinstance(value, _ARRAYS):
        _write_array(value, newline, chunks)
    elif value is None or isinstance(value, bool):
        chunks.append(_CONSTANTS[value])
    else:
        chunks.append(json.dumps(value))  # numbers; TypeError for what JSON cannot hold


def _write_object(value: dict[str, Any], newline: str, chunks: list[str]) -> None:
    if not value:
        chunks.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for key, item in value.items():
        member = separator + encode_basestring(key) + ": "
        if isinstance(item, str):  # most members: one chunk, no call
            chunks.append(member + encode_basestring(item))
        else:
            chunks.append(member)
            _write_json(item, inner, chunks)
        separator = "," + inner
    chunks.append(newline + "}")


def _write_array(value: list[Any] | tuple[Any, ...], newline: str, chunks: list[str]) -> None:
    if not value:
        chunks.append("[]")
        return
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        if isinstance(item, str):
            chunks.append(separator + encode_basestring(item))
        else:
            chunks.append(separator)
            _write_json(item, inner, chunks)
        separator = "," + inner
    chunks.append(newline + "]")


def json_files(doc: Module) -> dict[str, str]:
    """File name -> text for the `*.tf.json` form; each file starts with the `//` header."""
    return {
        name + JSON_SUFFIX: dump_json({"//": doc.header, **sections})
        for name, sections in _file_sections(doc).items()
    }
