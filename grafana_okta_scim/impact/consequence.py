"""One consequence of a plan: the record every renderer and the JSON contract use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalog import RULES, Severity


@dataclass
class Consequence:
    """What one rule found at one address.

    certain: false when it depends on values unknown until apply. objects: the things concerned
    (group ids or names, team names, attributes). people: how many people, with --live only.
    """

    rule: str
    address: str
    summary: str
    advice: str
    objects: list[str] = field(default_factory=list)
    certain: bool = True
    severity: Severity | None = None
    accepted: bool = False
    people: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    spec_keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = RULES[self.rule].severity

    @property
    def level(self) -> Severity:
        """The severity (always set after construction)."""
        assert self.severity is not None
        return self.severity

    def to_json(self) -> dict[str, Any]:
        """The contract keys (rule, severity, certain, accepted, address, summary, objects,
        people, advice) and, beside them, spec_keys."""
        found: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.level.label,
            "certain": self.certain,
            "accepted": self.accepted,
            "address": self.address,
            "summary": self.summary,
            "objects": list(self.objects),
            "people": self.people,
            "advice": self.advice,
        }
        if self.spec_keys:
            found["spec_keys"] = list(self.spec_keys)
        return found
