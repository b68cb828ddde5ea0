"""Helpers shared by the output checks: example documents, terraform fmt, and the HCL normaliser.

The normaliser turns both forms of one generated file into the same canonical shape so they can
be compared with `==`:

* a file is a list of top-level blocks `(type, labels, body)`, sorted by type and labels (block
  order across a file carries no meaning; repeated blocks keep their relative order);
* a body maps attribute names to values and nested block names to `Blocks`;
* a string is its Terraform template source as Terraform JSON writes it: literal text with `$${`
  and `%%{` escapes, interpolations as `${...}`. HCL's quoted-string escapes (`\\"`, `\\n`,
  `\\u00e9`, ...) are decoded; a bare HCL expression `x.y` becomes `"${x.y}"`, which is what the
  JSON form writes and what Terraform reads the same way.

python-hcl2 8 (`hcl2.loads`, default options) represents HCL as follows, which `hcl_file` undoes:

* a quoted string keeps its quotes and escapes: `label = "a\\"b"` -> `'"a\\\\"b"'`;
* an expression is wrapped in `${...}`: `app_id = okta_app_saml.prod.id` ->
  `'${okta_app_saml.prod.id}'`, except a lone identifier, which comes back bare (`type = string`
  -> `'string'`);
* every block is a list item: a dict with `"__is_block__": True`; each label is one more level of
  one-key dicts whose key keeps its quotes (`resource "a" "b" {}` ->
  `{"resource": [{'"a"': {'"b"': {..., "__is_block__": True}}}]}`);
* object keys keep their quotes when quoted in the source (`{ "b-c" = 1 }` -> `{'"b-c"': 1}`);
* comments appear under `__comments__` / `__inline_comments__` keys; numbers, bools and null
  are Python values.

The JSON side needs to know which keys are blocks (Terraform decides that from the provider
schema, and so does `json_file`, through the vendored schemas) and which strings are bare
expressions rather than templates (`variable.type`, `depends_on`, `import.to`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from grafana_okta_scim import TerraformDocument, build, load_spec
from tests.conformance import closing_brace, schema_block
from tests.conftest import EXAMPLE_SPECS

TERRAFORM = shutil.which("terraform")
NO_TERRAFORM = "terraform is not on PATH (Terraform 1.11 is expected on the machine image)"
_HCL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_UNICODE_ESCAPE = re.compile(r"u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})")

Top = tuple[str, tuple[str, ...], dict[str, Any]]


@cache
def example_documents() -> dict[str, TerraformDocument]:
    """Every example's every integration, keyed `<example>/<integration>`."""
    return {
        f"{path.stem}/{name}": doc
        for path in EXAMPLE_SPECS
        for name, doc in build(load_spec(path), path.name).items()
    }


def terraform_fmt_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """`terraform fmt -check -diff -recursive` on `folder` (needs TERRAFORM)."""
    assert TERRAFORM is not None
    return subprocess.run(
        [TERRAFORM, "fmt", "-check", "-diff", "-recursive", "-no-color", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@dataclass(frozen=True)
class Blocks:
    """The nested blocks of one name in a body: `(labels, body)` in order."""

    items: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]


# --- HCL side (python-hcl2) -------------------------------------------------------------------


def unescape_hcl(source: str) -> str:
    """Decode the HCL escapes of a quoted string's body, keeping its template syntax as is.

    `\\"`, `\\\\`, `\\n`, `\\r`, `\\t`, `\\uNNNN`, `\\UNNNNNNNN` are decoded in the literal parts;
    `$${`, `%%{` and whole `${...}` / `%{...}` sequences are copied unchanged, which yields the
    template source Terraform JSON writes for the same value.
    """
    out: list[str] = []
    index = 0
    while index < len(source):
        if source.startswith(("$${", "%%{"), index):
            out.append(source[index : index + 3])
            index += 3
        elif source.startswith(("${", "%{"), index):
            end = closing_brace(source, index + 2)
            assert end < len(source), f"unterminated template sequence in {source!r}"
            out.append(source[index : end + 1])
            index = end + 1
        elif source[index] == "\\":
            marker = source[index + 1]
            if marker in _HCL_ESCAPES:
                out.append(_HCL_ESCAPES[marker])
                index += 2
            else:
                match = _UNICODE_ESCAPE.match(source, index + 1)
                assert match, f"invalid HCL escape at {index} in {source!r}"
                out.append(chr(int(match[1] or match[2], 16)))
                index = match.end()
        else:
            out.append(source[index])
            index += 1
    return "".join(out)


def _is_quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == '"' and text[-1] == '"'


def hcl_key(key: str) -> str:
    """An object key or block label as its string value (quotes removed, escapes decoded)."""
    return unescape_hcl(key[1:-1]) if _is_quoted(key) else key


def hcl_value(value: Any) -> Any:
    """A python-hcl2 attribute value in canonical form (see the module docstring)."""
    if isinstance(value, str):
        if _is_quoted(value):
            return unescape_hcl(value[1:-1])
        return value if value.startswith("${") and value.endswith("}") else "${" + value + "}"
    if isinstance(value, list):
        return [hcl_value(item) for item in value]
    if isinstance(value, dict):
        return {hcl_key(key): hcl_value(item) for key, item in value.items() if not _is_marker(key)}
    return value


def _is_marker(key: str) -> bool:
    """python-hcl2's own keys: `__is_block__`, `__comments__`, `__inline_comments__`, ..."""
    return key.startswith("__") and key.endswith("__")


def _is_block_item(item: Any) -> bool:
    """True for a python-hcl2 block: a body with `__is_block__`, or one label level above one."""
    if not isinstance(item, dict):
        return False
    if item.get("__is_block__") is True:
        return True
    return bool(item) and all(_is_quoted(k) and _is_block_item(v) for k, v in item.items())


def _hcl_blocks(item: dict[str, Any]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(labels, canonical body) for each block in one python-hcl2 block item."""
    if item.get("__is_block__") is True:
        return [((), hcl_body(item))]
    return [
        ((hcl_key(label), *labels), body)
        for label, nested in item.items()
        for labels, body in _hcl_blocks(nested)
    ]


def hcl_body(body: dict[str, Any]) -> dict[str, Any]:
    """A python-hcl2 block body in canonical form; nested blocks become `Blocks`."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if _is_marker(key):
            continue
        if isinstance(value, list) and value and all(_is_block_item(item) for item in value):
            out[key] = Blocks(tuple(block for item in value for block in _hcl_blocks(item)))
        else:
            out[key] = hcl_value(value)
    return out


def hcl_file(text: str) -> list[Top]:
    """One HCL file, parsed with python-hcl2, in canonical form."""
    import hcl2

    top: list[Top] = []
    for block_type, items in hcl2.loads(text).items():
        if _is_marker(block_type):
            continue
        for item in items:
            top += [(block_type, labels, body) for labels, body in _hcl_blocks(item)]
    return sorted(top, key=lambda block: (block[0], block[1]))


# --- JSON side (Terraform JSON) ---------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How Terraform reads a JSON block body: nested block names (with label counts) and bare keys."""

    blocks: dict[str, tuple[int, Shape]] = field(default_factory=dict)
    bare: frozenset[str] = frozenset()


CONDITION = Shape()
LIFECYCLE = Shape(
    {"precondition": (0, CONDITION), "postcondition": (0, CONDITION)},
    frozenset({"ignore_changes", "replace_triggered_by"}),
)
TOP_SHAPES = {
    "terraform": (
        0,
        Shape({"required_providers": (0, Shape()), "backend": (1, Shape()), "cloud": (0, Shape())}),
    ),
    "variable": (1, Shape({"validation": (0, CONDITION)}, frozenset({"type"}))),
    "locals": (0, Shape()),
    "output": (1, Shape({"precondition": (0, CONDITION)}, frozenset({"depends_on"}))),
    "import": (0, Shape(bare=frozenset({"to", "provider"}))),
}


def schema_shape(kind: str, type_name: str) -> Shape:
    """The Shape of a provider block, resource or data source body, from the vendored schemas."""
    block = schema_block(kind, type_name)
    assert block is not None, f"no schema for {kind} {type_name}"
    shape = _block_shape(block)
    if kind == "provider":
        return shape
    return Shape({**shape.blocks, "lifecycle": (0, LIFECYCLE)}, frozenset({"depends_on", "provider"}))


def _block_shape(block: dict[str, Any]) -> Shape:
    return Shape(
        {name: (0, _block_shape(nested["block"])) for name, nested in block.get("block_types", {}).items()}
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _bare(value: Any) -> Any:
    """A bare-expression string (or list of them) as the `${...}` form."""
    if isinstance(value, list):
        return [_bare(item) for item in value]
    return "${" + value + "}"


def json_body(body: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """A Terraform JSON block body in canonical form (`//` comments dropped)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "//":
            continue
        if key in shape.blocks:
            labels, nested = shape.blocks[key]
            out[key] = Blocks(tuple(json_blocks(value, labels, nested)))
        elif key in shape.bare:
            out[key] = _bare(value)
        else:
            out[key] = value
    return out


def json_blocks(value: Any, labels: int, shape: Shape) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(labels, canonical body) for a JSON block value with `labels` label levels."""
    if labels == 0:
        return [((), json_body(body, shape)) for body in _as_list(value)]
    return [
        ((label, *rest), body)
        for label, nested in value.items()
        for rest, body in json_blocks(nested, labels - 1, shape)
    ]


def json_file(data: dict[str, Any]) -> list[Top]:
    """One Terraform JSON file (parsed) in canonical form."""
    top: list[Top] = []
    for block_type, value in data.items():
        if block_type == "//":
            continue
        if block_type in ("resource", "data"):
            top += [
                (block_type, (type_name, name), json_body(body, schema_shape(block_type, type_name)))
                for type_name, named in value.items()
                for name, body in named.items()
            ]
        elif block_type == "provider":
            top += [
                ("provider", (name,), json_body(body, schema_shape("provider", name)))
                for name, configs in value.items()
                for body in _as_list(configs)
            ]
        else:
            assert block_type in TOP_SHAPES, f"unexpected top-level key {block_type!r}"
            labels, shape = TOP_SHAPES[block_type]
            top += [(block_type, lbls, body) for lbls, body in json_blocks(value, labels, shape)]
    return sorted(top, key=lambda block: (block[0], block[1]))


def json_text_file(text: str) -> list[Top]:
    """`json_file` of a `.tf.json` file's text."""
    return json_file(json.loads(text))
