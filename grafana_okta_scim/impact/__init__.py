"""`impact`: what a Terraform plan (`terraform show -json`) does to people, before it is applied.

read a plan (`plan_file`) -> its resource changes (`changes`) -> the rules (`rules_okta`,
`rules_grafana`, severities in `catalog`) -> consequences judged against `--accept` and
`--fail-on` (`judge`) -> counted with `--live` (`live`, the only module talking HTTP) ->
rendered as a table, markdown or JSON (`render`). `harm` gives the people-level prediction
(groups unassigned, teams deleted, sign-ins refused, roles changed) in a comparable form.
"""

from __future__ import annotations

from .catalog import RULES, Severity
from .changes import Plan
from .consequence import Consequence
from .harm import Harm, predicted_harm
from .judge import Verdict, judge
from .plan_file import PlanInputError, load_plan, parse_plan

__all__ = [
    "RULES",
    "Consequence",
    "Harm",
    "Plan",
    "PlanInputError",
    "Severity",
    "Verdict",
    "judge",
    "load_plan",
    "parse_plan",
    "predicted_harm",
]
