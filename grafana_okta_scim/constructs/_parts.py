"""Shared machinery of the small constructs: props -> a one-integration Spec -> the core's elements.

A small construct never decides a Terraform value. It builds a minimal Spec from its props, lets
`build` decide, takes the elements of its part from the document and maps them onto cdktf objects.
References to elements of other parts (the Okta app id, the token key, the SAML variables) are
*bound* to the construct's props; references inside the part are rewritten to the cdktf elements'
own addresses, so any number of small constructs live side by side in one stack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cdktf
from constructs import Construct
from pydantic import ValidationError

from ..build import build
from ..document import Address, Block, BlockList, Element, Expr, TerraformDocument, Value
from ..spec import Spec
from ..syntax import escape_template, hcl_string
from ._generated import ELEMENTS
from ._mapping import META_ARGUMENTS
from ._typed import PropsError

# The integration of every minimal spec; its name only appears in addresses, which are rewritten.
PART = "part"
# Where a part needs a Grafana URL it does not take as a prop: every value derived from it is bound
# to a prop, and `add_part` refuses to write this host anywhere.
PLACEHOLDER_HOST = "grafana.invalid"
PLACEHOLDER_URL = f"https://{PLACEHOLDER_HOST}"
OKTA_ORG = {"org_name": "example"}

Rule = tuple[bool, str]
"""A declarative validation rule: (holds, message naming the prop, the value got and expected)."""


def construct_path(scope: Construct, construct_id: str) -> str:
    """The path the construct will have, known before it joins the tree."""
    parent = scope.node.path
    return f"{parent}/{construct_id}" if parent else construct_id


def short(value: Any) -> str:
    """A value for an error message, cut to 60 characters (secrets print redacted)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_rules(path: str, rules: Iterable[Rule]) -> None:
    """Raise one PropsError listing every rule that does not hold, each prefixed by `path`."""
    failed = [f"{path}: {message}" for holds, message in rules if not holds]
    if failed:
        raise PropsError("\n".join(failed))


def minimal_spec(path: str, integration: Mapping[str, Any], props: Mapping[str, str]) -> Spec:
    """A one-integration Spec named PART from `integration` (spec keys), validated by the core.

    `props` maps spec paths (e.g. "service_account.role") to the construct's prop names; the
    core's validation errors are re-raised as one PropsError naming the construct path and props.
    """
    data = {"version": 1, "okta": OKTA_ORG, "integrations": [{"name": PART, **integration}]}
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise PropsError("\n".join(_messages(path, exc, props))) from None


def _messages(path: str, exc: ValidationError, props: Mapping[str, str]) -> list[str]:
    messages = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"][2:]]  # drop ("integrations", 0)
        text = error["msg"].removeprefix("Value error, ")
        lines = text.splitlines()
        if error["type"] == "value_error" and all(re.match(r"^[\w./\[\]]+: ", line) for line in lines):
            for line in lines:  # a model rule: "field.path: got ...; expected ..."
                where, rest = line.split(": ", 1)
                messages.append(f"{path}: {_prop(props, [*loc, *where.split('.')])}: {rest}")
        else:
            reason = re.sub(r"^(Input should be |String should have |expected )", "", text)
            reason = re.sub(r"^String should match pattern", "a string matching pattern", reason)
            messages.append(
                f"{path}: {_prop(props, loc)}: got {short(error.get('input'))}; expected {reason}"
            )
    return messages


def _prop(props: Mapping[str, str], loc: Sequence[str]) -> str:
    """The prop name for a spec location (longest mapped prefix; list indexes kept)."""
    for cut in range(len(loc), 0, -1):
        name = props.get(".".join(loc[:cut]))
        if name is not None:
            return name + "".join(f"[{part}]" for part in loc[cut:])
    return ".".join(loc)


def part_document(spec: Spec) -> TerraformDocument:
    """The core's document for the minimal spec."""
    return build(spec, "construct")[PART]


@dataclass
class Part:
    """The cdktf elements a small construct added, by the core's element type (data: `data.<type>`)."""

    elements: dict[str, cdktf.TerraformElement]

    def resource(self, key: str) -> cdktf.TerraformResource:
        element = self.elements[key]
        assert isinstance(element, cdktf.TerraformResource)
        return element

    def first(self, *keys: str) -> cdktf.TerraformResource:
        """The first of `keys` present (a part holds one of several alternative types)."""
        for key in keys:
            if key in self.elements:
                return self.resource(key)
        raise KeyError(keys)


def add_part(
    scope: Construct,
    document: TerraformDocument,
    types: Sequence[str],
    bindings: Mapping[Expr | str, Any] | None = None,
) -> Part:
    """Add the document's elements whose type is in `types` (data sources as `data.<type>`).

    `bindings` replaces core values by the construct's props: an `Expr` key replaces that
    expression (also inside a larger expression), a `str` key that literal value; a bound value
    of None leaves the attribute out (or writes `null` inside an expression). Construct ids are
    the element keys (e.g. "grafana_service_account"), so Terraform names stay stable.
    """
    binder = _Binder(scope.node.path, document, bindings or {})
    selected = [element for element in document.elements if _key(element) in types]
    if not selected:
        raise RuntimeError(f"{scope.node.path}: the core wrote none of {', '.join(types)}")
    binder.unselected = {e.address for e in document.elements if e not in selected}
    for local in document.locals:
        if any(local.ref.text in json.dumps(_texts(e.body)) for e in selected):
            construct = cdktf.TerraformLocal(
                scope, f"local.{local.name.removeprefix(PART + '_')}", binder.prop(local.value)
            )
            binder.refs[local.ref.text] = construct.fqn
    added: dict[str, cdktf.TerraformElement] = {}
    for element in selected:
        element_class = ELEMENTS[(element.kind, element.type)]
        props = {k: binder.prop(v) for k, v in element.body.items() if k not in META_ARGUMENTS}
        construct = element_class(scope, _key(element), **props)
        for key, value in element.body.items():
            if key in META_ARGUMENTS:
                construct.add_override(key, binder.raw(value))
        binder.refs[element.address] = construct.fqn
        binder.addresses[element.address] = (
            f"data.{element.type}.{construct.friendly_unique_id}"
            if element.kind == "data"
            else f"{element.type}.{construct.friendly_unique_id}"
        )
        added[_key(element)] = construct
    for warning in document.warnings:
        cdktf.Annotations.of(scope).add_warning(warning.removeprefix(f"{PART}: "))
    return Part(added)


def _key(element: Element) -> str:
    return f"data.{element.type}" if element.kind == "data" else element.type


def _texts(value: Value) -> Any:
    """Expression texts of a body, for finding the locals it uses."""
    if isinstance(value, Expr):
        return value.text
    if isinstance(value, Block):
        return _texts(value.body)
    if isinstance(value, BlockList):
        return [_texts(body) for body in value.bodies]
    if isinstance(value, list):
        return [_texts(item) for item in value]
    if isinstance(value, dict):
        return {key: _texts(item) for key, item in value.items()}
    return None


class _Binder:
    """Turns core values into cdktf props: bindings applied, in-part references rewritten."""

    def __init__(self, path: str, document: TerraformDocument, bindings: Mapping[Expr | str, Any]) -> None:
        self.path = path
        self.exprs = {key.text: value for key, value in bindings.items() if isinstance(key, Expr)}
        self.literals = {key: value for key, value in bindings.items() if isinstance(key, str)}
        self.refs: dict[str, str] = {}  # core reference -> cdktf token of the added element
        self.addresses: dict[str, str] = {}  # core address -> the added element's address
        self.unselected: set[str] = set()
        self.variables = {f"var.{variable.name}" for variable in document.variables}

    def _rewrite(self, text: str) -> str:
        """`text` with in-part references and bound sub-expressions replaced."""
        replacements = {**{k: _embed(v) for k, v in self.exprs.items()}, **self.refs}
        if replacements:
            pattern = "|".join(re.escape(key) for key in sorted(replacements, key=len, reverse=True))
            text = re.sub(rf"(?<![\w.])({pattern})(?![\w-])", lambda m: replacements[m.group(1)], text)
        for left in (*self.unselected, *self.variables):
            if re.search(rf"(?<![\w.]){re.escape(left)}(?![\w-])", text):
                raise RuntimeError(
                    f"{self.path}: the core refers to {left}, which this construct does not bind"
                )
        return text

    def prop(self, value: Value) -> Any:
        """A value as a typed-class prop."""
        if isinstance(value, Expr):
            if value.text in self.exprs:
                return self.exprs[value.text]
            return cdktf.Token.as_any("${" + self._rewrite(value.text) + "}")
        if isinstance(value, str):
            return self.literals[value] if value in self.literals else self._literal(value)
        if isinstance(value, Address):
            return self.addresses[value.text]
        if isinstance(value, Block):
            return {key: self.prop(item) for key, item in value.body.items()}
        if isinstance(value, BlockList):
            return [{key: self.prop(item) for key, item in body.items()} for body in value.bodies]
        if isinstance(value, list):
            return [self.prop(item) for item in value]
        if isinstance(value, dict):
            return {key: self.prop(item) for key, item in value.items()}
        return value

    def raw(self, value: Value) -> Any:
        """A value in Terraform JSON syntax, for overrides (meta-arguments)."""
        if isinstance(value, Expr):
            if value.text in self.exprs:
                return self.exprs[value.text]
            return "${" + self._rewrite(value.text) + "}"
        if isinstance(value, Block):
            return {key: self.raw(item) for key, item in value.body.items()}
        if isinstance(value, BlockList):
            return [{key: self.raw(item) for key, item in body.items()} for body in value.bodies]
        if isinstance(value, list):
            return [self.raw(item) for item in value]
        if isinstance(value, dict):
            return {key: self.raw(item) for key, item in value.items()}
        return self.prop(value)

    def _literal(self, text: str) -> str:
        if PLACEHOLDER_HOST in text:
            raise RuntimeError(f"{self.path}: the core wrote {text!r}, which this construct does not bind")
        return escape_template(text)


def _embed(value: Any) -> str:
    """A bound value as a sub-expression: tokens as they are, literals quoted, None as null."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value if cdktf.Token.is_unresolved(value) else hcl_string(value)
    return json.dumps(value)
