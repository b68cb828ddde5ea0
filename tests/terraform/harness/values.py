"""Schema-directed walks over object values: planning, data-source answers, config checks.

Paths are tuples of steps: a `str` is an attribute or block name, an `int` a list/set index and
a `Key` a map key, mirroring tfplugin6.AttributePath steps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .cty import UNKNOWN
from .schema import Block


@dataclass(frozen=True)
class Key:
    """A map element key in a path."""

    name: str


Step = str | int | Key
Path = tuple[Step, ...]
LeafFn = Callable[[str, dict[str, Any], Any, Path], Any]

_EMPTY_BLOCK_VALUE: dict[str, Any] = {"list": [], "set": [], "map": {}}

# Static defaults of optional+computed attributes: the real provider plans these values (not
# "known after apply") when the configuration leaves the attribute out. Only what the tests need
# is listed; okta_push_group's default is what makes removing a push group delete the Grafana
# team unless the configuration says otherwise.
PLAN_DEFAULTS: dict[tuple[str, str], Any] = {
    ("okta_push_group", "delete_target_group_on_destroy"): True,
}


def _elements(value: Any, mode: str) -> Iterator[tuple[Step | None, Any]]:
    """(step, element) pairs of a nested value; step None for single/group nesting."""
    if value is None or value is UNKNOWN:
        return
    if mode in ("single", "group"):
        yield None, value
    elif mode == "map":
        for key in sorted(value):
            yield Key(key), value[key]
    else:
        yield from enumerate(value)


def _rebuild(value: Any, mode: str, fn: Callable[[Any, Path], Any], path: Path) -> Any:
    """Apply fn to each element of a nested value, keeping its collection shape."""
    if value is None or value is UNKNOWN:
        return value
    if mode in ("single", "group"):
        return fn(value, path)
    if mode == "map":
        return {key: fn(element, (*path, Key(key))) for key, element in value.items()}
    return [fn(element, (*path, index)) for index, element in enumerate(value)]


def transform(obj: dict[str, Any], block: Block, leaf: LeafFn, path: Path = ()) -> dict[str, Any]:
    """Copy of a conformed object whose non-nested attributes are replaced by `leaf`'s result.

    Nested attributes that hold a value are walked element by element; a null or unknown
    nested attribute is passed to `leaf` whole. Nested blocks are always walked.
    """
    result = dict(obj)
    for name, attribute in block.get("attributes", {}).items():
        value = obj.get(name)
        nested = attribute.get("nested_type")
        if nested is None or value is None or value is UNKNOWN:
            result[name] = leaf(name, attribute, value, (*path, name))
            continue
        inner: Block = {"attributes": nested.get("attributes", {})}
        result[name] = _rebuild(
            value,
            nested["nesting_mode"],
            lambda o, p, b=inner: transform(o, b, leaf, p),  # type: ignore[misc]
            (*path, name),
        )
    for name, nested_block in block.get("block_types", {}).items():
        result[name] = _rebuild(
            obj.get(name),
            nested_block["nesting_mode"],
            lambda o, p, b=nested_block["block"]: transform(o, b, leaf, p),  # type: ignore[misc]
            (*path, name),
        )
    return result


def conform(value: Any, block: Block) -> dict[str, Any]:
    """An object with every attribute and block of `block` present (nulls / empty blocks)."""
    obj = dict(value or {})
    for name in block.get("attributes", {}):
        obj.setdefault(name, None)
    for name, nested in block.get("block_types", {}).items():
        mode = nested["nesting_mode"]
        current = obj.get(name)
        if current is None:
            empty = _EMPTY_BLOCK_VALUE.get(mode)
            obj[name] = type(empty)() if empty is not None else None
            continue
        obj[name] = _rebuild(current, mode, lambda o, _p, b=nested["block"]: conform(o, b), ())  # type: ignore[misc]
    return obj


def plan_create_or_update(proposed: dict[str, Any], block: Block, type_name: str = "") -> dict[str, Any]:
    """The planned state: computed attributes left null become unknown (or take the provider's
    static default from `PLAN_DEFAULTS`); write-only ones null."""

    def leaf(name: str, attribute: dict[str, Any], value: Any, path: Path) -> Any:
        if attribute.get("write_only"):
            return None
        if attribute.get("computed") and value is None:
            if len(path) == 1 and (type_name, name) in PLAN_DEFAULTS:
                return PLAN_DEFAULTS[(type_name, name)]
            return UNKNOWN
        return value

    return transform(proposed, block, leaf)


def strip_write_only(state: dict[str, Any], block: Block) -> dict[str, Any]:
    """State as a provider must return it: write-only attributes always null."""
    return transform(state, block, lambda _n, a, v, _p: None if a.get("write_only") else v)


def computed_only_paths(config: dict[str, Any], block: Block) -> list[Path]:
    """Paths of computed-only attributes (neither required nor optional) set in config."""
    found: list[Path] = []

    def leaf(_name: str, attribute: dict[str, Any], value: Any, path: Path) -> Any:
        settable = attribute.get("required") or attribute.get("optional")
        if attribute.get("computed") and not settable and value is not None:
            found.append(path)
        return value

    transform(config, block, leaf)
    return found


def flat_key(path: Path) -> str:
    """SDKv2-style flattened key, e.g. `attribute_statements.0.name`."""
    return ".".join(step.name if isinstance(step, Key) else str(step) for step in path)


def fill_computed(config: dict[str, Any], block: Block, type_name: str) -> dict[str, Any]:
    """A data source's answer: computed attributes left null get deterministic values."""
    seed = json.dumps(config, sort_keys=True, default=repr)

    def leaf(name: str, attribute: dict[str, Any], value: Any, path: Path) -> Any:
        if not attribute.get("computed") or value is not None or "nested_type" in attribute:
            return value
        digest = hashlib.sha256(f"{type_name}|{flat_key(path)}|{seed}".encode()).hexdigest()
        return plausible(type_name, name, attribute["type"], digest)

    return transform(config, block, leaf)


def _seed(value: Any) -> str:
    """Stable text of a value for hashing (unknowns spelled `?`)."""
    return json.dumps(value, sort_keys=True, default=lambda o: "?" if o is UNKNOWN else repr(o))


def fill_unknown(planned: dict[str, Any], block: Block, type_name: str) -> dict[str, Any]:
    """The new state after apply: every unknown in the planned state replaced by a value derived
    from the type, the attribute path and the planned object's known values (so the same plan
    always applies to the same state; different objects get different ids)."""
    seed = _seed(planned)

    def value_for(name: str, cty_type: Any, path: Path) -> Any:
        digest = hashlib.sha256(f"{type_name}|{flat_key(path)}|{seed}".encode()).hexdigest()
        return plausible(type_name, name, cty_type, digest)

    def fill(value: Any, cty_type: Any, name: str, path: Path) -> Any:
        if value is UNKNOWN:
            return value_for(name, cty_type, path)
        if value is None or not isinstance(cty_type, list):
            return value
        kind, inner = cty_type[0], cty_type[1]
        if kind in ("list", "set"):
            return [fill(v, inner, name, (*path, i)) for i, v in enumerate(value)]
        if kind == "map":
            return {k: fill(v, inner, name, (*path, Key(k))) for k, v in value.items()}
        if kind == "object":
            return {k: fill(value.get(k), t, k, (*path, k)) for k, t in inner.items()}
        if kind == "tuple":
            pairs = enumerate(zip(value, inner, strict=True))
            return [fill(v, t, name, (*path, i)) for i, (v, t) in pairs]
        return value

    def leaf(name: str, attribute: dict[str, Any], value: Any, path: Path) -> Any:
        if "nested_type" in attribute:
            return None if value is UNKNOWN else value  # walked by transform when it has a value
        return fill(value, attribute["type"], name, path)

    return transform(planned, block, leaf)


def _grafana_token(digest: str) -> str:
    return f"glsa_{digest[:32]}_{digest[32:40]}"


def plausible(type_name: str, name: str, cty_type: Any, digest: str) -> Any:
    """A deterministic value of `cty_type` shaped like what the real provider returns."""
    if cty_type == "string":
        if name == "id" and type_name.startswith("okta_"):
            prefix = "00g" if "group" in type_name else "0oa"
            return prefix + digest[:17]
        if name in ("id", "org_id"):
            return str(int(digest[:6], 16) % 10_000 + 1)
        if name == "uid":
            return digest[:14]
        if name == "key" and type_name.startswith("grafana_"):
            return _grafana_token(digest)
        if name == "status" and type_name.startswith("okta_"):
            return "ACTIVE"
        if name.endswith("url"):
            return f"https://replay.invalid/{type_name}/{digest[:8]}"
        return f"{name}-{digest[:8]}"
    if cty_type == "number":
        return int(digest[:6], 16) % 1000 + 1
    if cty_type == "bool":
        return False
    if isinstance(cty_type, list) and cty_type[0] in ("list", "set"):
        return []
    if isinstance(cty_type, list) and cty_type[0] == "map":
        return {}
    return None
