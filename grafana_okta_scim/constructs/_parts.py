"""Shared machinery of the small constructs: props -> the core's part -> CDK objects.

A small construct never decides a Terraform value. It validates its props through the spec's
models into a one-integration `Integration`, asks the core for its part (grafana_okta_scim.synth.parts),
passing the values other parts provide (the Okta app id, the token key, the key pair) as its props,
and maps the part's elements onto CDK objects. References inside the part are rewritten to the
CDK elements' own addresses, so any number of small constructs live side by side in one stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from constructs import Construct
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from ..document import Address, Element, Expr, Value
from ..emit.terraform_json import JsonWriter
from ..errors import short
from ..spec import Grafana, Integration
from ..synth.parts import Part
from ..terraform_types import META_ARGUMENTS
from ._cdk import cdk, check_scope
from ._generated import ELEMENTS
from ._typed import PropsError
from .secret import Secret

# The name of every part's integration; it only appears in addresses, which are rewritten.
PART = "part"

Rule = tuple[bool, str]
"""A declarative validation rule: (holds, message naming the prop, the value got and expected)."""


def spec_default(model: type[BaseModel], name: str) -> Any:
    """The default of a spec model's field: a construct's default is the spec's, written once."""
    return model.model_fields[name].default


def construct_path(scope: Construct, construct_id: str) -> str:
    """The path the construct will have, known before it joins the tree (the scope is checked to
    come from this process's CDK library)."""
    return check_scope(scope, construct_id)


def check_rules(path: str, rules: Iterable[Rule]) -> None:
    """Raise one PropsError listing every rule that does not hold, each prefixed by `path`."""
    failed = [f"{path}: {message}" for holds, message in rules if not holds]
    if failed:
        raise PropsError("\n".join(failed))


def part_integration(
    path: str, settings: Mapping[str, Any], grafana: Mapping[str, Any], props: Mapping[str, str]
) -> Integration:
    """A one-integration model named PART from `settings` and `grafana` (spec keys), validated by
    the core; its validation errors are re-raised as one PropsError naming the construct path and
    the props (`props` maps spec paths, e.g. "service_account.role", to prop names).

    A `grafana` without "url" is for a part that derives no value from Grafana's URL: the model
    has no `url` at all (reading it raises AttributeError). Each field is then checked by the
    spec's rule for that field, and the integration's cross-field rules by the model.
    """
    if "url" in grafana:
        try:
            return Integration.model_validate({"name": PART, "grafana": grafana, **settings})
        except ValidationError as exc:
            raise PropsError("\n".join(_messages(path, exc.errors(), props))) from None
    errors: list[Any] = []
    grafana_fields = _fields(Grafana, grafana, ("grafana",), errors)
    fields = _fields(Integration, settings, (), errors)
    if not errors:
        integration = Integration.model_construct(
            name=PART, grafana=Grafana.model_construct(**grafana_fields), **fields
        )
        try:
            return Integration.model_validate(integration)  # runs the model rules, not the fields'
        except ValidationError as exc:
            errors += exc.errors()
    raise PropsError("\n".join(_messages(path, errors, props)))


def _fields(
    model: type[BaseModel], values: Mapping[str, Any], loc: tuple[str, ...], errors: list[Any]
) -> dict[str, Any]:
    """`values` validated one by one by `model`'s field rules (strict); errors appended."""
    valid = {}
    for name, value in values.items():
        info = model.model_fields[name]
        is_model = isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
        adapter = TypeAdapter(  # a spec model is strict by its own config
            Annotated[info.annotation, info], config=None if is_model else ConfigDict(strict=True)
        )
        try:
            valid[name] = adapter.validate_python(value)
        except ValidationError as exc:
            errors += [{**error, "loc": (*loc, name, *error["loc"])} for error in exc.errors()]
    return valid


def _messages(path: str, errors: Iterable[Any], props: Mapping[str, str]) -> list[str]:
    messages = []
    for error in errors:
        loc = [str(part) for part in error["loc"]]
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


def secret_value(secret: Secret | None) -> Value | None:
    """A Secret as a core value: a reference (a CDK token) is an expression, which may be null
    at plan time; a plain-text secret a literal; None stays None (the attribute is left out)."""
    if secret is None:
        return None
    value = secret.unwrap()
    return Expr(value) if cdk.Token.is_unresolved(value) else value


def _prop(props: Mapping[str, str], loc: Sequence[str]) -> str:
    """The prop name for a spec location (longest mapped prefix; list indexes kept)."""
    for cut in range(len(loc), 0, -1):
        name = props.get(".".join(loc[:cut]))
        if name is not None:
            return name + "".join(f"[{part}]" for part in loc[cut:])
    return ".".join(loc)


@dataclass
class Added:
    """The CDK elements a small construct added, by the core's element type (data: `data.<type>`)."""

    elements: dict[str, cdk.TerraformElement]

    def resource(self, key: str) -> cdk.TerraformResource:
        element = self.elements[key]
        assert isinstance(element, cdk.TerraformResource)
        return element

    def first(self, *keys: str) -> cdk.TerraformResource:
        """The first of `keys` present (a part holds one of several alternative types)."""
        for key in keys:
            if key in self.elements:
                return self.resource(key)
        raise KeyError(keys)


def add_part(scope: Construct, part: Part) -> Added:
    """Add the part's locals and elements to `scope`, and its warnings as synth warnings.

    Construct ids are the element keys (e.g. "grafana_service_account", "data.grafana_role") and
    "local.<name>", so Terraform names stay stable. A value given by a prop is written as it is
    (a CDK token resolves to its reference); references inside the part are rewritten.
    """
    if not part.elements:
        raise RuntimeError(f"{scope.node.path}: the core wrote no element for this part")
    binder = _Binder(scope.node.path)
    for local in part.locals:
        construct = cdk.TerraformLocal(
            scope, f"local.{local.name.removeprefix(PART + '_')}", binder.prop(local.value)
        )
        binder.refs[local.ref.text] = construct.fqn
    added: dict[str, cdk.TerraformElement] = {}
    for element in part.elements:
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
    for warning in part.warnings:
        cdk.Annotations.of(scope).add_warning(warning.removeprefix(f"{PART}: "))
    return Added(added)


def _key(element: Element) -> str:
    return f"data.{element.type}" if element.kind == "data" else element.type


# A core reference the construct cannot write: a variable or local the stack does not declare, or
# an element of another part (core elements are named PART).
_UNBOUND = re.compile(rf"(?<![\w.])(var\.\w+|local\.\w+|(?:data\.)?\w+\.{PART})(?![\w-])")


class _Binder:
    """Turns core values into CDK props, references inside the part rewritten."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.refs: dict[str, str] = {}  # core reference -> CDK token of the added element
        self.addresses: dict[str, str] = {}  # core address -> the added element's address
        self.prop = _BoundWriter(self, tokens=True).value
        self.raw = _BoundWriter(self, tokens=False).value

    def rewrite(self, text: str) -> str:
        """`text` with references to elements and locals of the part replaced by CDK tokens."""
        if self.refs:
            pattern = "|".join(re.escape(key) for key in sorted(self.refs, key=len, reverse=True))
            text = re.sub(rf"(?<![\w.])({pattern})(?![\w-])", lambda m: self.refs[m.group(1)], text)
        left = _UNBOUND.search(text)
        if left:
            raise RuntimeError(
                f"{self.path}: the core refers to {left[1]}, which this construct does not bind"
            )
        return text


class _BoundWriter(JsonWriter):
    """Terraform JSON values with the part's references rewritten: CDK tokens for typed-class
    props (`tokens`), plain JSON for overrides. A literal holding CDK tokens is written as given."""

    def __init__(self, binder: _Binder, tokens: bool) -> None:
        self.binder = binder
        self.tokens = tokens

    def expression(self, expr: Expr) -> Any:
        text = "${" + self.binder.rewrite(expr.text) + "}"
        return cdk.Token.as_any(text) if self.tokens else text

    def address(self, address: Address) -> Any:
        if "." not in address.text:
            return address.text  # an attribute name (lifecycle ignore_changes), not an element
        return self.binder.addresses[address.text]

    def literal(self, text: str) -> Any:
        return text if cdk.Token.is_unresolved(text) else super().literal(text)


def assertion_attributes(
    login: str, email: str, name: str, groups: str | None, external_uid: str
) -> dict[str, str | None]:
    """The spec's `saml.assertion_attributes` from the constructs' assertion_attribute_* props."""
    return {"login": login, "email": email, "name": name, "groups": groups, "external_uid": external_uid}
