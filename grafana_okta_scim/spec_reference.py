"""Generate docs/spec-reference.md from the spec models (run: python -m grafana_okta_scim.spec_reference)."""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import spec_yaml
from .spec import Spec

REFERENCE_PATH = Path("docs") / "spec-reference.md"


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{arg!r}`".replace("'", '"') for arg in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in args)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"map of {_type_name(args[1])}"
    if annotation is type(None):
        return "null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None:
        # the spec's factories take no argument; pydantic's type also allows one taking the data
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see its section"
        return f"`{json.dumps(value, ensure_ascii=False)}`"
    if info.default is None:
        return "`null`"
    return f"`{json.dumps(info.default, ensure_ascii=False)}`"


_CONSTRAINT_WORDS = {
    "gt": "more than {}",
    "ge": "at least {}",
    "min_length": "at least {} long",
    "max_length": "at most {} long",
}


def _constraints(info: FieldInfo) -> str:
    """The field's constraints in words (patterns as the problem lines describe them)."""
    from .loader import PLAIN_PATTERNS

    parts = []
    metadata = list(info.metadata)
    for arg in get_args(info.annotation):  # list[Annotated[str, Field(pattern=...)]]
        metadata += [m for inner in get_args(arg) for m in getattr(inner, "metadata", [])]
        metadata += list(getattr(arg, "__metadata__", ()))
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if pattern is not None:
            parts.append(PLAIN_PATTERNS.get(pattern, f"matching {pattern}"))
        for name, words in _CONSTRAINT_WORDS.items():
            value = getattr(item, name, None)
            if value is not None:
                parts.append(words.format(value))
    return "; ".join(parts)


def _model_summary(annotation: Any) -> str:
    """First docstring line of the model a field holds, if it holds one."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return _doc(candidate)
        if get_origin(candidate) is list:
            return _model_summary(get_args(candidate)[0])
    return ""


def _doc(model: type[BaseModel]) -> str:
    """The model's whole first paragraph, on one line."""
    return " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every model reachable from `root`, in first-seen order."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.append(annotation)
            for info in annotation.model_fields.values():
                visit(info.annotation)
            return
        for arg in get_args(annotation):
            visit(arg)

    visit(root)
    return seen


def render_reference() -> str:
    """The Markdown reference of every spec key: type, default, constraints, meaning."""
    lines = [
        "# Spec reference",
        "",
        "<!-- Generated from grafana_okta_scim/spec.py by "
        "`python -m grafana_okta_scim.spec_reference`. Do not edit. -->",
        "",
        "A spec file is YAML. Unknown keys are errors; values are not coerced between types "
        '(`"1"` is not a number). Secrets are never spec values. '
        "`grafana-okta-scim schema` prints the same as JSON Schema, and "
        "`grafana-okta-scim schema --reference` prints this page.",
        "",
        "**required** means always required; a key required only in some cases says when in its "
        "meaning (e.g. `stack_slug` on kind cloud, `okta_app.assignments_authoritative` with "
        "`adopt.okta_app_id`).",
        "",
        "## Limits",
        "",
        f"A spec file may be at most {spec_yaml.MAX_SPEC_BYTES:,} bytes (4 MiB; the 1,000-integration "
        "benchmark spec is about 600 KB), UTF-8 without a byte-order mark or NUL bytes, nested at "
        f"most {spec_yaml.MAX_DEPTH} levels, and at most {spec_yaml.MAX_NODES:,} values once YAML "
        "aliases are expanded. Tags (`!!python/object`, `!secret`, ...) and a key given twice in "
        "one mapping are refused. Each refusal is one problem line, exit 2.",
        "",
    ]
    for model in _models(Spec):
        doc = " ".join(" ".join(part.split()) for part in [(model.__doc__ or "").strip()])
        lines += [
            f"## {model.__name__}",
            "",
            doc,
            "",
            "| key | type | default | meaning |",
            "|---|---|---|---|",
        ]
        for name, info in model.model_fields.items():
            meaning = info.description or _model_summary(info.annotation)
            constraints = _constraints(info)
            if constraints:
                meaning = f"{meaning} ({constraints})" if meaning else f"({constraints})"
            meaning = meaning.replace("|", "\\|")
            lines.append(f"| `{name}` | {_type_name(info.annotation)} | {_default(info)} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Write the reference to docs/spec-reference.md, to stdout with `-`, or with `--check` exit 1
    when the file on disk is stale."""
    text = render_reference()
    if sys.argv[1:] == ["-"]:
        sys.stdout.write(text)
        return
    if sys.argv[1:] == ["--check"]:
        current = REFERENCE_PATH.read_text(encoding="utf-8") if REFERENCE_PATH.is_file() else ""
        if current != text:
            print(f"{REFERENCE_PATH} is stale: run python -m grafana_okta_scim.spec_reference")
            sys.exit(1)
        return
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
