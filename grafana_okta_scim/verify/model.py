"""The result of one check and of a whole verify run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Result = Literal["pass", "fail", "skip", "drift"]


@dataclass(frozen=True)
class Check:
    """One check: its name, how it ended, what was seen and what to do about it."""

    name: str
    result: Result
    detail: str
    hint: str = ""


@dataclass
class Report:
    """Every check of one integration, in the order they ran."""

    integration: str
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, result: Result, detail: str, hint: str = "") -> Check:
        """Record a check and return it."""
        check = Check(name, result, detail, hint)
        self.checks.append(check)
        return check

    def extend(self, checks: list[Check]) -> None:
        """Record several checks."""
        self.checks.extend(checks)

    @property
    def ok(self) -> bool:
        """True when no check failed or drifted (passed and skipped checks are fine)."""
        return all(check.result not in ("fail", "drift") for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The `--json` form: integration, ok and the checks."""
        return {
            "integration": self.integration,
            "ok": self.ok,
            "checks": [asdict(check) for check in self.checks],
        }
