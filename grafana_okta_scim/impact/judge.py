"""Run every rule over a plan, mark what --accept acknowledges, and decide the exit code."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..exit_codes import EXIT_FAILURE, EXIT_OK
from .catalog import RULES, Severity
from .changes import Plan
from .consequence import Consequence
from .rules_grafana import scim_config_rules, service_account_rules, sso_rules, token_rules
from .rules_okta import app_rules, group_assignment_rules, provisioning_rules, team_deleted

RULE_FUNCTIONS: tuple[Callable[[Plan], list[Consequence]], ...] = (
    group_assignment_rules,
    team_deleted,
    app_rules,
    provisioning_rules,
    sso_rules,
    scim_config_rules,
    token_rules,
    service_account_rules,
)
FAIL_ON = {"blocker": Severity.BLOCKER, "major": Severity.MAJOR, "minor": Severity.MINOR, "none": None}


@dataclass(frozen=True)
class Acceptance:
    """`--accept RULE[:ADDRESS]`: a rule everywhere, or at one address."""

    rule: str
    address: str | None = None

    @classmethod
    def parse(cls, text: str) -> Acceptance:
        """From the option's text; ValueError (one line) for an unknown rule id."""
        rule, _, address = text.partition(":")
        if rule not in RULES:
            raise ValueError(
                f"--accept: got {text!r}; expected RULE[:ADDRESS] with RULE one of: {', '.join(RULES)}"
            )
        return cls(rule, address or None)

    def covers(self, found: Consequence) -> bool:
        """This acceptance acknowledges that consequence."""
        return found.rule == self.rule and self.address in (None, found.address)


@dataclass
class Verdict:
    """The consequences of one plan and the threshold they are judged against."""

    consequences: list[Consequence]
    fail_on: Severity | None

    @property
    def failing(self) -> list[Consequence]:
        """Unaccepted consequences at or above --fail-on."""
        if self.fail_on is None:
            return []
        return [c for c in self.consequences if not c.accepted and c.level >= self.fail_on]

    @property
    def ok(self) -> bool:
        """True exactly when the run exits 0."""
        return not self.failing

    @property
    def exit_code(self) -> int:
        """0 when ok, 1 otherwise."""
        return EXIT_OK if self.ok else EXIT_FAILURE

    def reevaluate(self, accepted: Iterable[Acceptance]) -> None:
        """Mark the accepted consequences (after --live may have raised a severity)."""
        marks = list(accepted)
        for found in self.consequences:
            found.accepted = any(mark.covers(found) for mark in marks)


def consequences_of(plan: Plan) -> list[Consequence]:
    """Every rule's findings, worst first, then by address and rule id."""
    found = [c for rule in RULE_FUNCTIONS for c in rule(plan)]
    return sorted(found, key=lambda c: (-c.level, c.address, c.rule))


def judge(
    plan: Plan, accept: Iterable[Acceptance] = (), fail_on: Severity | None = Severity.MAJOR
) -> Verdict:
    """The verdict on a plan: its consequences, accepted ones marked."""
    verdict = Verdict(consequences_of(plan), fail_on)
    verdict.reevaluate(accept)
    return verdict
