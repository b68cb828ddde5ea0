"""Reading a spec file: YAML -> Spec, with every problem reported as one line naming the field."""

from __future__ import annotations

import copy
import difflib
import re
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import spec_yaml
from .errors import ProblemsError, os_problem, short
from .spec import FIXED_ROLE_PATTERN, NAME_ID_FORMAT_PATTERN, NAME_PATTERN, Spec


class SpecError(ProblemsError):
    """A spec that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        super().__init__(problems)
        self.source = source


def _format_loc(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            name = part if _PLAIN_KEY.fullmatch(part) else short(part, 40)
            path += f".{name}" if path else name
    return path


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _problem_lines(error: Mapping[str, Any]) -> list[str]:
    """Turn one pydantic error into `<path>: got <value>; expected <what>` lines."""
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    path = _format_loc(loc) or "(top level)"
    kind = error["type"]
    message = str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "value_error":
        lines = []
        for line in message.split("\n"):
            field, sep, rest = line.partition(": ")
            if sep and " " not in field and not field.startswith(("expected", "got")):
                sub = f"{path}.{field}" if loc else field
                lines.append(f"{sub}: {rest}")
            else:
                lines.append(f"{path}: got {short(error.get('input'))}; {line}")
        return lines
    if kind == "missing":
        return [f"{path}: missing; expected a value (required)"]
    if kind == "extra_forbidden":
        return [_unknown_key_line(path, loc)]
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        words = PLAIN_PATTERNS.get(pattern, f"a value matching the regular expression {pattern}")
        return [f"{path}: got {short(error.get('input'))}; expected {words}"]
    expected = error["msg"]
    expected = expected[0].lower() + expected[1:] if expected else expected
    for prefix in (
        "input should be ",
        "string should have ",
        "string should ",
        "value should be ",
        "list should have ",
    ):
        if expected.lower().startswith(prefix):
            expected = expected[len(prefix) :]
            break
    expected = expected.replace("match pattern", "a value matching").replace(" after validation", "")
    return [f"{path}: got {short(error.get('input'))}; expected {expected}"]


PLAIN_PATTERNS: dict[str, str] = {
    NAME_PATTERN: "a name of lower-case letters, digits, - and _ that starts with a letter (e.g. prod)",
    FIXED_ROLE_PATTERN: "a role name such as fixed:org.users:writer (fixed:, basic:, plugins: or managed:, "
    "then letters, digits, '.', '_', ':' or '-')",
    r"^[A-Za-z0-9][A-Za-z0-9-]*$": "the org name alone, letters, digits and - "
    "(the `example` of example.okta.com)",
    r"^[a-z0-9.-]+\.[a-z]{2,}$": "a lower-case domain without scheme or path: okta.com, oktapreview.com or "
    "okta-emea.com",
    r"^[a-z0-9][a-z0-9-]*$": "a stack slug of lower-case letters, digits and - "
    "(the `example` of example.grafana.net)",
    r"^[A-Za-z][A-Za-z0-9_]*$": "an attribute name: a letter, then letters, digits or _",
    NAME_ID_FORMAT_PATTERN: "a SAML NameID format URN, e.g. "
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    r"^00g[A-Za-z0-9]+$": "an Okta group id: 00g followed by letters and digits",
    r"^0oa[A-Za-z0-9]+$": "an Okta app id: 0oa followed by letters and digits",
    r"^[A-Za-z0-9_.:-]+$": "an import id of letters, digits, '.', '_', ':' and '-'",
    r"^[a-z_]+$": "the SSO provider name, saml",
    r"^([0-9]+:)?scim-config$": "scim-config, or <org id>:scim-config",
    r"^0oa[A-Za-z0-9]+/00g[A-Za-z0-9]+$": "<app id>/<group id>, e.g. 0oa1b2c3/00g4d5e6",
    r"^0oa[A-Za-z0-9]+/[A-Za-z0-9]+$": "<app id>/<push group mapping id>, e.g. 0oa1b2c3/gPm4d5e6",
}
"""The spec's patterns in words, for problem lines (a pattern missing here is shown as is)."""


def _unknown_key_line(path: str, loc: tuple[int | str, ...]) -> str:
    """`<path>: got an unknown key; expected one of ... (did you mean ...?)`, from the models."""
    keys = _keys_at(loc[:-1])
    key = str(loc[-1]) if loc else ""
    if not keys:
        return f"{path}: got an unknown key; expected a key `grafana-okta-scim schema` lists"
    guess = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    hint = f"did you mean {guess[0]}? " if guess else ""
    return (
        f"{path}: got an unknown key; expected one of: {', '.join(keys)} "
        f"({hint}every key: `grafana-okta-scim schema --reference`)"
    )


def _keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at `loc` (a path into the Spec) accepts; [] for a free-form mapping."""
    model: Any = Spec
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if _is_model(model) else None
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return list(model.model_fields) if _is_model(model) else []


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside `X`, `X | None` or `list[X]`, if any."""
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "bool", "function-after"})


def validation_problems(exc: ValidationError) -> list[str]:
    """All problems of a pydantic ValidationError, one line each, de-duplicated, in order."""
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        for line in _problem_lines(error):
            if line not in lines:
                lines.append(line)
    return lines


def parse_spec(data: Any, source: str | None = None) -> Spec:
    """Validate already-parsed data into a Spec, raising SpecError with one line per problem.

    Every problem is reported in one run: after the field problems, the fields at fault are set
    aside and the rest is validated again, so cross-field problems show up beside them.
    """
    if data is None:
        raise SpecError(
            [
                f"{source or '(top level)'}: got an empty file; expected a spec mapping with version, "
                "okta and integrations"
            ],
            source,
        )
    if not isinstance(data, dict):
        raise SpecError(
            [
                f"{source or '(top level)'}: got a {type(data).__name__}; expected a mapping with "
                "version, okta and integrations"
            ],
            source,
        )
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_all_problems(data, exc), source) from None


_MAX_PASSES = 4


def _all_problems(data: dict[str, Any], first: ValidationError) -> list[str]:
    """The first pass's problems, then those found once the faulty fields are set aside."""
    lines = validation_problems(first)
    pruned: list[tuple[int | str, ...]] = []
    errors = first.errors(include_url=False)
    current: Any = data
    for _ in range(_MAX_PASSES):
        locs = [loc for loc in map(_prunable_loc, errors) if loc and loc not in pruned]
        if not locs:
            break
        current = copy.deepcopy(current)
        for loc in locs:
            _remove(current, loc)
        pruned.extend(locs)
        try:
            Spec.model_validate(current)
            break
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        set_aside = {str(loc[-1]) for loc in pruned}
        for error in errors:
            loc = _field_loc(error["loc"])
            if any(loc[: len(p)] == p for p in pruned):
                continue  # a consequence of setting the field aside (e.g. now missing)
            for line in _problem_lines(error):
                if line not in lines and not any(_mentions(line, name) for name in set_aside):
                    lines.append(line)
    return lines


def _prunable_loc(error: Mapping[str, Any]) -> tuple[int | str, ...]:
    """The field to set aside for an error; () for a cross-field problem of a list item (such as
    one integration), which cannot be set aside without hiding the item's other problems."""
    parts = tuple(part for part in error["loc"] if not _is_union_tag(part))
    if error["type"] == "value_error" and parts and isinstance(parts[-1], int):
        return ()
    return _field_loc(parts)


def _field_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The loc without union tags, cut after its last key (a list element is set aside whole)."""
    parts = tuple(part for part in loc if not _is_union_tag(part))
    while parts and isinstance(parts[-1], int):
        parts = parts[:-1]
    return parts


def _remove(data: Any, loc: tuple[int | str, ...]) -> None:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(loc[-1], None)


def _mentions(line: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", line) is not None


def parse_spec_text(text: str, source: str = "<spec>") -> Spec:
    """Parse YAML text into a Spec (SpecError on refused YAML or validation problems)."""
    try:
        data = spec_yaml.load(text, source)
    except spec_yaml.YamlProblems as exc:
        raise SpecError(exc.problems, source) from None
    return parse_spec(data, source)


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec file (SpecError with one line per problem).

    Limits (docs/spec-reference.md, "Limits"): at most 4 MiB, UTF-8 without a byte-order mark or
    NUL bytes, nesting at most 32 levels, at most 1,000,000 values once aliases are expanded.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(spec_yaml.MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SpecError([os_problem(exc, path, "a readable spec file")], str(path)) from None
    try:
        text = spec_yaml.decode(data, str(path))
    except spec_yaml.YamlProblems as exc:
        raise SpecError(exc.problems, str(path)) from None
    return parse_spec_text(text, path.name)


def example_text() -> str:
    """The embedded example spec, with its comments (what `init` writes)."""
    packaged = resources.files("grafana_okta_scim") / "examples" / "cloud.yaml"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # Editable install / source checkout: the file lives at the repository root.
    return (Path(__file__).resolve().parent.parent / "examples" / "cloud.yaml").read_text(encoding="utf-8")


def example_spec() -> Spec:
    """The embedded example spec (examples/cloud.yaml)."""
    return parse_spec_text(example_text(), "cloud.yaml")
