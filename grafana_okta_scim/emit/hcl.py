"""Module -> HCL files through the Jinja2 templates in templates/hcl/.

This module only turns values into HCL text and lays out lines (`terraform fmt` alignment);
the templates arrange the files. Every decision was made in synth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..terraform_types import META_FIRST, META_LAST, Address, Block, BlockList, Element, Expr, Module, Value
from .escaping import hcl_key, hcl_string
from .file_names import FILE_ORDER, element_file
from .templates import render


@dataclass
class Item:
    """One line-level element of a body, as the template renders it."""

    kind: Literal["attr", "object", "block", "blank"]
    key: str = ""
    value: str = ""
    header: str = ""
    items: list[Item] = field(default_factory=list)


BLANK = Item("blank")
_META = frozenset(META_FIRST + META_LAST)
_BLOCKS = (Block, BlockList)
_REFERENCES = (Expr, Address)


def hcl_value(value: Value | None) -> str:
    """A single-line HCL expression for a body value."""
    if isinstance(value, str):
        return hcl_string(value)
    if value is None:
        return "null"
    if isinstance(value, _REFERENCES):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{hcl_key(k)} = {hcl_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as an HCL value")


def aligned(items: list[Item]) -> list[Item]:
    """Pad keys the way `terraform fmt` aligns `=` in runs of consecutive attributes.

    A run ends at a blank line or a block; a multi-line object value ends the run it opens.
    """
    run: list[Item] = []

    def flush() -> None:
        width = max(len(item.key) for item in run)
        for item in run:
            item.key = item.key.ljust(width)
        run.clear()

    for item in items:
        if item.kind in ("attr", "object"):
            run.append(item)
            if item.kind == "object":
                flush()
        elif run:
            flush()
    if run:
        flush()
    return items


def block_text(item: Item, indent: str = "") -> str:
    """One prepared item as HCL lines (keys already padded, values already HCL text)."""
    return "".join(_lines(item, indent))


def _lines(item: Item, indent: str) -> list[str]:
    if item.kind == "blank":
        return ["\n"]
    if item.kind == "attr":
        return [f"{indent}{item.key} = {item.value}\n"]
    opening = f"{indent}{item.key} = {{\n" if item.kind == "object" else f"{indent}{item.header} {{\n"
    inner = indent + "  "
    lines = [opening]
    for child in item.items:
        lines.extend(_lines(child, inner))
    lines.append(f"{indent}}}\n")
    return lines


def _attr(key: str, value: Value) -> Item:
    return Item("attr", key=key, value=hcl_value(value))


def body_items(body: dict[str, Value]) -> list[Item]:
    """Items of a block body: meta-arguments first, attributes, nested blocks, depends_on last."""
    items: list[Item] = [_attr(key, body[key]) for key in META_FIRST if key in body]
    if items:
        items.append(BLANK)
    attributes = [
        _attr(key, value)
        for key, value in body.items()
        if key not in _META and not isinstance(value, _BLOCKS)
    ]
    items.extend(attributes)
    for key, value in body.items():
        bodies = (
            (value.body,)
            if isinstance(value, Block)
            else value.bodies
            if isinstance(value, BlockList)
            else ()
        )
        for nested in bodies:
            if items and items[-1] is not BLANK:
                items.append(BLANK)
            items.append(Item("block", header=key, items=body_items(nested)))
    for key in META_LAST:
        if key in body:
            if items and items[-1] is not BLANK:
                items.append(BLANK)
            items.append(_attr(key, body[key]))
    return aligned(items)


def _labels(*labels: str) -> str:
    return " ".join(hcl_string(label) for label in labels)


def _terraform_block(doc: Module) -> Item:
    providers = [
        Item("object", key=name, items=aligned([_attr(k, v) for k, v in requirement.items()]))
        for name, requirement in doc.required_providers.items()
    ]
    items = aligned([_attr("required_version", doc.required_version)])
    items += [BLANK, Item("block", header="required_providers", items=aligned(providers))]
    if doc.backend is not None:
        kind, config = doc.backend
        backend_items = aligned([_attr(key, value) for key, value in config.items()])
        items += [BLANK, Item("block", header=f"backend {_labels(kind)}", items=backend_items)]
    return Item("block", header="terraform", items=items)


def _variable_block(doc: Module) -> list[Item]:
    blocks = []
    for variable in doc.variables:
        items = [
            Item("attr", key=key, value=value) if key == "type" else _attr(key, value)
            for key, value in variable.arguments()
        ]
        blocks.append(Item("block", header=f"variable {_labels(variable.name)}", items=aligned(items)))
    return blocks


def _element_blocks(doc: Module, file: str) -> list[Item]:
    blocks: list[Item] = []
    file_locals = [local for local in doc.locals if local.file == file]
    if file_locals:
        items = aligned([_attr(local.name, local.value) for local in file_locals])
        blocks.append(Item("block", header="locals", items=items))
    for element in doc.elements:
        if element_file(element) == file:
            blocks.append(_element_block(element))
    return blocks


def _element_block(element: Element) -> Item:
    return Item(
        "block",
        header=f"{element.kind} {_labels(element.type, element.name)}",
        items=body_items(element.body),
    )


def _output_blocks(doc: Module) -> list[Item]:
    blocks = []
    for output in doc.outputs:
        items = [_attr("description", output.description), _attr("value", output.value)]
        if output.sensitive:
            items.append(_attr("sensitive", True))
        blocks.append(Item("block", header=f"output {_labels(output.name)}", items=aligned(items)))
    return blocks


def _import_blocks(doc: Module) -> list[Item]:
    moved = [
        Item(
            "block",
            header="moved",
            items=aligned([Item("attr", key="from", value=m.from_), Item("attr", key="to", value=m.to)]),
        )
        for m in doc.moves
    ]
    removed = [
        Item(
            "block",
            header="removed",
            items=[
                Item("attr", key="from", value=r.from_),
                BLANK,
                Item("block", header="lifecycle", items=[_attr("destroy", False)]),
            ],
        )
        for r in doc.removals
    ]
    imports = [
        Item("block", header="import", items=aligned([Item("attr", key="to", value=i.to), _attr("id", i.id)]))
        for i in doc.imports
    ]
    return moved + removed + imports


def hcl_files(doc: Module) -> dict[str, str]:
    """File name -> HCL text, each rendered by templates/hcl/<file>.j2."""
    blocks_by_file: dict[str, list[Item]] = {
        "versions.tf": [_terraform_block(doc)],
        "providers.tf": [
            Item("block", header=f"provider {_labels(name)}", items=body_items(body))
            for name, body in doc.providers.items()
        ],
        "variables.tf": _variable_block(doc),
        "grafana.tf": _element_blocks(doc, "grafana.tf"),
        "okta.tf": _element_blocks(doc, "okta.tf"),
        "outputs.tf": _output_blocks(doc),
        "imports.tf": _import_blocks(doc),
    }
    return {
        name: render(f"hcl/{name}.j2", header=doc.header, blocks=[block_text(b) for b in blocks], doc=doc)
        for name in FILE_ORDER
        if (blocks := blocks_by_file[name])
    }
