"""Reading a spec file: YAML -> Spec, with every problem reported as one line naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import ProblemsError, short
from .spec import Spec


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
            path += f".{part}" if path else str(part)
    return path


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
        return [f"{path}: got unknown key; expected only the keys documented in docs/spec-reference.md"]
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
    """Validate already-parsed data into a Spec, raising SpecError with one line per problem."""
    if data is None:
        raise SpecError(
            ["(top level): got an empty file; expected a spec mapping with version, okta and integrations"],
            source,
        )
    if not isinstance(data, dict):
        raise SpecError([f"(top level): got {type(data).__name__}; expected a mapping"], source)
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(validation_problems(exc), source) from None


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _load_yaml(text: str) -> Any:
    """YAML with libyaml's safe loader where available (~4x faster on large specs).

    On a YAML error the pure-Python safe loader parses again, so messages and marks are the same
    whichever loader is installed.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # libyaml's SafeLoader: no arbitrary objects
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def parse_spec_text(text: str, source: str = "<spec>") -> Spec:
    """Parse YAML text into a Spec (SpecError on YAML syntax or validation problems)."""
    try:
        data = _load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise SpecError(
            [f"{source}: got invalid YAML at {where}; expected YAML ({exc.problem})"], source
        ) from None
    except yaml.YAMLError as exc:
        raise SpecError([f"{source}: got invalid YAML; expected YAML ({exc})"], source) from None
    return parse_spec(data, source)


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec file (SpecError with one line per problem)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([f"{path}: got a missing file; expected a readable spec file"], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(
            [f"{path}: got an unreadable file ({exc.__class__.__name__}); expected a UTF-8 spec file"],
            str(path),
        ) from None
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
