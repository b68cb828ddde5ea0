"""What building one integration collects: elements in file order, locals, variables, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..terraform_types import Element, Import, Local, Moved, Removed, Value, Variable


@dataclass
class Collector:
    """The growing parts of one integration's module; every build function adds to one."""

    name: str
    elements: list[Element] = field(default_factory=list)
    locals: list[Local] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    moves: list[Moved] = field(default_factory=list)
    removals: list[Removed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, kind: Literal["resource", "data"], type_: str, body: dict[str, Value]) -> Element:
        """A resource or data source named after the integration, appended in file order."""
        element = Element(kind, type_, self.name, body)
        self.elements.append(element)
        return element

    def local(self, suffix: str, value: Value, file: str) -> Local:
        """A local value `<integration>_<suffix>` held in `file`."""
        local = Local(f"{self.name}_{suffix}", value, file)
        self.locals.append(local)
        return local

    def warn(self, text: str) -> None:
        """A synth warning, prefixed with the integration's name."""
        self.warnings.append(f"{self.name}: {text}")
