"""Module -> HCL files through the Jinja2 templates in templates/hcl/.

This module only turns values into HCL text and lays out lines (`terraform fmt` alignment);
the templates arrange the files. Every decision was made in synth.

Lines are appended to one list per top-level block and joined once: at 1,000 integrations
this runs for every attribute of every file, so each line costs one f-string.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..terraform_types import META_FIRST, META_LAST, Address, Block, BlockList, Expr, Module, Value
from .escaping import hcl_key, hcl_string
from .file_names import FILE_ORDER, element_file
from .templates import render_file

_META = frozenset(META_FIRST + META_LAST)
_BLOCKS = (Block, BlockList)
_BLANK_LINE = "\n"


def _list(value: list[Value]) -> str:
    return "[" + ", ".join(map(hcl_value, value)) + "]"


def _map(value: dict[str, Value]) -> str:
    if not value:
        return "{}"
    return "{ " + ", ".join(f"{hcl_key(k)} = {hcl_value(v)}" for k, v in value.items()) + " }"


def _reference(value: Expr | Address) -> str:
    return value.text


# One formatter per value type, looked up by exact type; subclasses go by isinstance in this order
# (str before everything, bool before int).
_FORMATTERS: dict[type, Callable[[Any], str]] = {
    str: hcl_string,
    type(None): lambda _: "null",
    Expr: _reference,
    Address: _reference,
    bool: lambda value: "true" if value else "false",
    int: str,
    list: _list,
    dict: _map,
}


def hcl_value(value: Value | None) -> str:
    """A single-line HCL expression for a body value."""
    formatter = _FORMATTERS.get(type(value))
    if formatter is None:
        formatter = next((f for kind, f in _FORMATTERS.items() if isinstance(value, kind)), None)
        if formatter is None:
            raise TypeError(f"cannot write {type(value).__name__} as an HCL value")
    return formatter(value)


def attribute_lines(pairs: Sequence[tuple[str, str]], indent: str, lines: list[str]) -> None:
    """Append `key = value` lines (values already HCL text), `=` aligned as `terraform fmt` does
    in a run of consecutive attributes (a run ends at a blank line or a block)."""
    if not pairs:
        return
    width = max([len(key) for key, _ in pairs])
    lines.extend([f"{indent}{key.ljust(width)} = {text}\n" for key, text in pairs])


def _values(pairs: Sequence[tuple[str, Value]]) -> list[tuple[str, str]]:
    return [(key, hcl_value(value)) for key, value in pairs]


def _separate(lines: list[str], start: int) -> None:
    """A blank line before the next item, unless it is the body's first or follows a blank."""
    if len(lines) > start and lines[-1] != _BLANK_LINE:
        lines.append(_BLANK_LINE)


def body_lines(body: Mapping[str, Value], indent: str, lines: list[str]) -> None:
    """Append a block body: meta-arguments first, attributes, nested blocks, depends_on last."""
    start = len(lines)
    first = [(key, hcl_value(body[key])) for key in META_FIRST if key in body]
    if first:
        attribute_lines(first, indent, lines)
        lines.append(_BLANK_LINE)
    attributes: list[tuple[str, str]] = []
    nested: list[tuple[str, Mapping[str, Value]]] = []
    for key, value in body.items():
        if isinstance(value, Block):
            nested.append((key, value.body))
        elif isinstance(value, BlockList):
            nested += [(key, each) for each in value.bodies]
        elif key not in _META:
            attributes.append((key, hcl_value(value)))
    attribute_lines(attributes, indent, lines)
    for key, each in nested:
        _separate(lines, start)
        block_lines(key, each, indent, lines)
    last = [(key, hcl_value(body[key])) for key in META_LAST if key in body]
    if last:
        _separate(lines, start)
        attribute_lines(last, indent, lines)


def block_lines(header: str, body: Mapping[str, Value], indent: str, lines: list[str]) -> None:
    """Append `header {`, the body one level in, and `}`."""
    lines.append(f"{indent}{header} {{\n")
    body_lines(body, indent + "  ", lines)
    lines.append(f"{indent}}}\n")


def _block_text(header: str, fill: Callable[[list[str]], None]) -> str:
    """A top-level block whose inner lines (indented two spaces) `fill` appends."""
    lines = [f"{header} {{\n"]
    fill(lines)
    lines.append("}\n")
    return "".join(lines)


def _attributes_block(header: str, pairs: Sequence[tuple[str, str]]) -> str:
    return _block_text(header, lambda lines: attribute_lines(pairs, "  ", lines))


def _body_block(header: str, body: Mapping[str, Value]) -> str:
    return _block_text(header, lambda lines: body_lines(body, "  ", lines))


def _labels(*labels: str) -> str:
    return " ".join(map(hcl_string, labels))


def _terraform_block(doc: Module) -> str:
    def fill(lines: list[str]) -> None:
        attribute_lines([("required_version", hcl_string(doc.required_version))], "  ", lines)
        lines += [_BLANK_LINE, "  required_providers {\n"]
        for name, requirement in doc.required_providers.items():
            lines.append(f"    {name} = {{\n")
            attribute_lines(_values(list(requirement.items())), "      ", lines)
            lines.append("    }\n")
        lines.append("  }\n")
        if doc.backend is not None:
            kind, config = doc.backend
            lines += [_BLANK_LINE, f"  backend {_labels(kind)} {{\n"]
            attribute_lines(_values(list(config.items())), "    ", lines)
            lines.append("  }\n")

    return _block_text("terraform", fill)


def _variable_blocks(doc: Module) -> list[str]:
    return [
        _attributes_block(
            f"variable {_labels(variable.name)}",
            [(key, value if key == "type" else hcl_value(value)) for key, value in variable.arguments()],
        )
        for variable in doc.variables
    ]


def _element_blocks(doc: Module, file: str) -> list[str]:
    blocks: list[str] = []
    file_locals = [(local.name, hcl_value(local.value)) for local in doc.locals if local.file == file]
    if file_locals:
        blocks.append(_attributes_block("locals", file_locals))
    blocks += [
        _body_block(f"{element.kind} {_labels(element.type, element.name)}", element.body)
        for element in doc.elements
        if element_file(element) == file
    ]
    return blocks


def _output_blocks(doc: Module) -> list[str]:
    blocks = []
    for output in doc.outputs:
        pairs = [("description", hcl_string(output.description)), ("value", hcl_value(output.value))]
        if output.sensitive:
            pairs.append(("sensitive", "true"))
        blocks.append(_attributes_block(f"output {_labels(output.name)}", pairs))
    return blocks


def _import_blocks(doc: Module) -> list[str]:
    moved = [_attributes_block("moved", [("from", m.from_), ("to", m.to)]) for m in doc.moves]
    removed = [
        _body_block("removed", {"from": Address(r.from_), "lifecycle": Block({"destroy": False})})
        for r in doc.removals
    ]
    imports = [_attributes_block("import", [("to", i.to), ("id", hcl_value(i.id))]) for i in doc.imports]
    return moved + removed + imports


def hcl_files(doc: Module) -> dict[str, str]:
    """File name -> HCL text, each rendered by templates/hcl/<file>.j2."""
    blocks_by_file: dict[str, list[str]] = {
        "versions.tf": [_terraform_block(doc)],
        "providers.tf": [
            _body_block(f"provider {_labels(name)}", body) for name, body in doc.providers.items()
        ],
        "variables.tf": _variable_blocks(doc),
        "grafana.tf": _element_blocks(doc, "grafana.tf"),
        "okta.tf": _element_blocks(doc, "okta.tf"),
        "outputs.tf": _output_blocks(doc),
        "imports.tf": _import_blocks(doc),
    }
    return {
        name: render_file(f"hcl/{name}.j2", header=doc.header, blocks=blocks)
        for name in FILE_ORDER
        if (blocks := blocks_by_file[name])
    }
