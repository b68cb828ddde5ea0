"""A plan's resource changes, with before/after values, unknowns and sensitivity at hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SENSITIVE = "(sensitive)"
UNKNOWN = "(known after apply)"


def _get(tree: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(tree, list) or step >= len(tree):
                return None
            tree = tree[step]
        else:
            if not isinstance(tree, dict):
                return None
            tree = tree.get(step)
    return tree


def _marked(tree: Any, path: tuple[str | int, ...]) -> bool:
    """True when `path` or any prefix of it is marked true in an unknown/sensitive tree."""
    for depth in range(len(path) + 1):
        found = _get(tree, path[:depth])
        if found is True:
            return True
        if found is None or found is False:
            return False
    return _any_true(_get(tree, path))


def _any_true(tree: Any) -> bool:
    if tree is True:
        return True
    if isinstance(tree, dict):
        return any(_any_true(v) for v in tree.values())
    if isinstance(tree, list):
        return any(_any_true(v) for v in tree)
    return False


@dataclass(frozen=True)
class Change:
    """One managed resource instance's planned change."""

    address: str
    type: str
    actions: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]
    after_unknown: Any
    before_sensitive: Any
    after_sensitive: Any

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Change:
        """From one `resource_changes` entry."""
        change = raw["change"]
        return cls(
            address=str(raw.get("address", "")),
            type=str(raw.get("type", "")),
            actions=tuple(change.get("actions") or ()),
            before=change.get("before") or {},
            after=change.get("after") or {},
            after_unknown=change.get("after_unknown") or {},
            before_sensitive=change.get("before_sensitive") or {},
            after_sensitive=change.get("after_sensitive") or {},
        )

    @property
    def creates(self) -> bool:
        """A create (alone or as the second half of a replace)."""
        return "create" in self.actions

    @property
    def deletes(self) -> bool:
        """A destroy (alone or as part of a replace)."""
        return "delete" in self.actions

    @property
    def replaces(self) -> bool:
        """Destroy and create of the same instance."""
        return self.creates and self.deletes

    @property
    def destroys(self) -> bool:
        """A destroy with no replacement."""
        return self.actions == ("delete",)

    @property
    def updates(self) -> bool:
        """An in-place update."""
        return self.actions == ("update",)

    @property
    def changes_anything(self) -> bool:
        """Anything other than no-op or read."""
        return any(action in ("create", "delete", "update") for action in self.actions)

    def old(self, *path: str | int) -> Any:
        """The value in state before the plan."""
        return _get(self.before, path)

    def new(self, *path: str | int) -> Any:
        """The planned value (None when unknown; see `unknown`)."""
        return _get(self.after, path)

    def unknown(self, *path: str | int) -> bool:
        """The planned value (or part of it) is known only after apply."""
        return _marked(self.after_unknown, path)

    def sensitive(self, *path: str | int) -> bool:
        """The value is sensitive before or after: never print it."""
        return _marked(self.before_sensitive, path) or _marked(self.after_sensitive, path)

    def changed(self, *path: str | int) -> bool:
        """The plan changes this value (an unknown planned value counts as a change)."""
        if not self.changes_anything:
            return False
        return self.unknown(*path) or self.old(*path) != self.new(*path)

    def changed_attributes(self) -> list[str]:
        """The top-level attributes the plan changes, sorted."""
        return sorted(k for k in set(self.before) | set(self.after) if self.changed(k))

    def show(self, value: Any, *path: str | int) -> str:
        """A value as it may be printed: sensitive ones never are."""
        if self.sensitive(*path):
            return SENSITIVE
        return "(none)" if value is None or value == "" else str(value)

    def show_new(self, *path: str | int) -> str:
        """The planned value as it may be printed."""
        return UNKNOWN if self.unknown(*path) else self.show(self.new(*path), *path)


class Plan:
    """A validated plan document: its managed changes, data sources read, provider config."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.changes = [
            Change.parse(raw)
            for raw in document.get("resource_changes", [])
            if raw.get("mode", "managed") == "managed"
        ]

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def of_type(self, *types: str) -> list[Change]:
        """The changes of these resource types, in plan order."""
        return [change for change in self.changes if change.type in types]

    @property
    def has_changes(self) -> bool:
        """Any managed resource is created, updated or destroyed."""
        return any(change.changes_anything for change in self.changes)

    def group_names(self) -> dict[str, str]:
        """Okta group id -> name: the okta_group data sources read, then push mappings' names."""
        names: dict[str, str] = {}
        for module in _modules(self.document.get("prior_state", {}).get("values", {}).get("root_module", {})):
            for resource in module.get("resources", []):
                values = resource.get("values") or {}
                if resource.get("type") == "okta_group" and values.get("id") and values.get("name"):
                    names[str(values["id"])] = str(values["name"])
        for change in self.of_type("okta_push_group"):  # a group removed from the config
            group_id, name = change.old("source_group_id"), change.old("target_group_name")
            if group_id and name and not change.sensitive("target_group_name"):
                names.setdefault(str(group_id), str(name))
        return names

    def provider_value(self, provider: str, key: str) -> str | None:
        """A constant in the plan's provider configuration (`configuration.provider_config`)."""
        config = self.document.get("configuration", {}).get("provider_config", {})
        for name, entry in config.items():
            if name.split(".")[0] == provider or entry.get("name") == provider:
                found = (entry.get("expressions") or {}).get(key) or {}
                value = found.get("constant_value") if isinstance(found, dict) else None
                if isinstance(value, str | int) and not isinstance(value, bool):
                    return str(value)
        return None

    def variable(self, name: str) -> Any:
        """A root variable's value in this plan (None when absent)."""
        return (self.document.get("variables", {}).get(name) or {}).get("value")


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield module
    for child in module.get("child_modules", []) or []:
        yield from _modules(child)
