"""The differential check of `impact` against the twin: plan, judge, apply that plan, compare.

For one step of a scenario: `terraform plan -out` and `show -json`; `impact` judges the plan
(its people-level prediction, `impact.harm.predicted_harm`, and its exit code); the twin is
snapshotted; the saved plan is applied; Okta's SCIM client settles; the twin is snapshotted
again (`observe`). The prediction names groups, teams, roles' groups and kinds of people
("everyone", "people SCIM has not provisioned"); they are resolved to people with the twin's
state before the apply (its group members and Grafana users, as `--live` would count them),
then compared with what the twin showed:
- groups unassigned and users deactivated: the certain ones happened, and nothing beyond the
  certain and the "may" ones;
- teams deleted: the same names; provisioning stopped: the same;
- sign-ins refused: as groups (the members of unassigned groups and the kinds of people named);
- roles changed: only people in the groups whose roles the plan changes.
impact counts with `--live` against the twin's views before the apply (GET only), so its exit
code is the one a reviewer would see; a step where the twin shows no harm gives exit 0 (unless
what fails the run is a "may", `certain: false`, or a rule in `UNOBSERVED`). A disagreement
raises `Disagreement` (not an AssertionError, so a regression scenario that must fail its own
assertions cannot pass by it). Groups count as unassigned when the apply asked Okta to unassign
them, even if a later request of the same apply assigned them again.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from grafana_okta_scim.impact import Harm, judge, parse_plan, predicted_harm
from grafana_okta_scim.impact.harm import EVERYONE, NOT_PROVISIONED, SCIM_USERS
from tests.terraform.harness.runner import (
    COMMON_FLAGS,
    ApplyResult,
    PlanResult,
    _stream_diagnostics,
    _var_flags,
)

from .observe import Observed, Snapshot, observed, snapshot

if TYPE_CHECKING:
    from .scenario import Scenario

PLAN_FILE = "judged.tfplan"
# Major rules whose harm is not among what the twin's snapshots compare (groups, users, teams,
# sign-ins, roles, provisioning): people re-matched under a new user name, accounts made by
# SAML sign-up outside SCIM, org memberships moved. Their own tests are in tests/impact.
UNOBSERVED = {"user-matching-changed", "sign-up-with-scim", "org-mapping-changed"}


class Disagreement(Exception):
    """impact's prediction and the twin's observation differ for one step."""


@dataclass
class Expected:
    """impact's prediction resolved to people with the twin's state before the apply."""

    groups: set[str] = field(default_factory=set)
    may_groups: set[str] = field(default_factory=set)
    deactivated: set[str] = field(default_factory=set)
    may_deactivated: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    may_refused: set[str] = field(default_factory=set)
    role_groups: set[str] = field(default_factory=set)  # logins in groups whose role mapping changes
    teams: set[str] = field(default_factory=set)
    provisioning_stopped: bool = False


@dataclass
class Comparison:
    """One judged step: the rules impact reported, its exit code, predicted vs observed."""

    step: str
    rules: list[str]
    exit_code: int
    expected: Expected
    seen: Observed
    problems: list[str]

    def row(self) -> str:
        """One line of the comparison table."""
        seen = self.seen
        parts = [
            f"unassigned={sorted(seen.groups_unassigned)}" if seen.groups_unassigned else "",
            f"deactivated={sorted(seen.users_deactivated)}" if seen.users_deactivated else "",
            f"teams deleted={sorted(seen.teams_deleted)}" if seen.teams_deleted else "",
            f"refused={sorted(seen.sign_ins_refused)}" if seen.sign_ins_refused else "",
            f"roles changed={sorted(seen.roles_changed)}" if seen.roles_changed else "",
            "provisioning stopped" if seen.provisioning_stopped else "",
        ]
        observed_text = "; ".join(p for p in parts if p) or "no harm"
        verdict = "AGREE" if not self.problems else "DISAGREE: " + "; ".join(self.problems)
        rules = ", ".join(self.rules) or "-"
        return f"{self.step} | {rules} | exit {self.exit_code} | {observed_text} | {verdict}"


_LOCK = threading.Lock()
LOG: list[Comparison] = []  # every comparison of this process (the report's table)


def _members(before: Snapshot, groups: set[str]) -> set[str]:
    return {login for g in groups for login in before.members.get(g, frozenset())}


def expected_people(harm: Harm, before: Snapshot) -> Expected:
    """Resolve the prediction to people with the twin's state before the apply."""
    found = Expected(set(harm.groups_unassigned), set(harm.may_groups_unassigned))
    gone = found.groups | found.may_groups
    kept = {g for (_, g) in before.assigned} - gone
    stays = _members(before, kept)
    signed_in = {key for key, roles in before.sign_ins.items() if roles is not None}
    active = {login for (_, login) in before.active}
    for certain, groups in ((True, found.groups), (False, gone)):
        losing = _members(before, groups) - stays
        (found.deactivated if certain else found.may_deactivated).update(losing & active)
        (found.refused if certain else found.may_refused).update(
            login for (_, login) in signed_in if login in losing
        )
    for kind in harm.sign_ins_refused:
        for key in signed_in:
            provisioned = key in before.scim_users
            if (
                kind == EVERYONE
                or (kind == NOT_PROVISIONED and not provisioned)
                or (kind == SCIM_USERS and provisioned)
            ):
                found.refused.add(key[1])
    found.may_refused |= found.refused
    found.may_deactivated |= found.deactivated
    by_name = {name: gid for gid, name in before.group_names.items()}
    for groups in [*harm.roles_gained.values(), *harm.roles_lost.values()]:
        found.role_groups |= _members(before, {by_name[n] for n in groups if n in by_name})
    found.teams = set(harm.teams_deleted)
    found.provisioning_stopped = harm.provisioning_stopped
    return found


def disagreements(expected: Expected, seen: Observed, failing: set[str]) -> list[str]:
    """Where the prediction and the observation differ (empty: they agree). `failing`: the
    certain consequences that fail the run and whose harm these observations can see."""
    problems = []

    def bounded(what: str, certain: set[str], may: set[str], got: set[str]) -> None:
        if not certain <= got:
            problems.append(f"{what}: predicted {sorted(certain - got)}, the twin shows not")
        if not got <= (certain | may):
            problems.append(f"{what}: the twin shows {sorted(got - certain - may)}, not predicted")

    bounded("groups unassigned", expected.groups, expected.may_groups, seen.groups_unassigned)
    bounded("users deactivated", expected.deactivated, expected.may_deactivated, seen.users_deactivated)
    bounded("sign-ins refused", expected.refused, expected.may_refused, seen.sign_ins_refused)
    if expected.teams != seen.teams_deleted:
        problems.append(
            f"teams deleted: predicted {sorted(expected.teams)}, the twin shows {sorted(seen.teams_deleted)}"
        )
    if not seen.roles_changed <= expected.role_groups:
        extra = sorted(seen.roles_changed - expected.role_groups)
        problems.append(f"roles changed: the twin shows {extra}, not predicted")
    if expected.provisioning_stopped != seen.provisioning_stopped:
        problems.append(
            f"provisioning stopped: predicted {expected.provisioning_stopped}, "
            f"the twin shows {seen.provisioning_stopped}"
        )
    if seen.none and failing:
        problems.append(f"the twin shows no harm, impact fails the run on {', '.join(sorted(failing))}")
    return problems


def _plan(scenario: Scenario, variables: dict[str, Any], extra: tuple[str, ...] = ()) -> PlanResult:
    """`terraform plan -out` (refreshing from the twin) and `show -json` of the saved plan."""
    ws = scenario.ws
    started = time.monotonic()
    done = ws._run(["plan", *COMMON_FLAGS, "-json", f"-out={PLAN_FILE}", *_var_flags(variables), *extra])
    diagnostics = _stream_diagnostics(done.stdout)
    plan: dict[str, Any] = {}
    if done.returncode == 0:
        shown = ws._run(["show", "-json", "-no-color", PLAN_FILE])
        plan = json.loads(shown.stdout) if shown.returncode == 0 else {}
    return PlanResult(diagnostics, time.monotonic() - started, done.returncode, done.stderr, plan)


def _apply_saved(scenario: Scenario) -> ApplyResult:
    """`terraform apply` of the saved plan (exactly what impact judged), then the state."""
    ws = scenario.ws
    started = time.monotonic()
    done = ws._run(["apply", *COMMON_FLAGS, "-json", PLAN_FILE])
    (ws.config / PLAN_FILE).unlink(missing_ok=True)
    diagnostics = _stream_diagnostics(done.stdout)
    state: dict[str, Any] = {}
    if done.returncode == 0:
        state, problems = ws.show()
        diagnostics += problems
    return ApplyResult(diagnostics, time.monotonic() - started, done.returncode, done.stderr, state)


def live_count(scenario: Scenario, plan: Any, consequences: list[Any]) -> None:
    """impact's `--live` counting against the twin's loopback views (GET only)."""
    from grafana_okta_scim.impact.live import Targets, count, open_counter
    from grafana_okta_scim.live.http import HttpSettings, RetryPolicy

    from .scenario import GRAFANA_AUTH, OKTA_TOKEN

    endpoints = scenario.twin.endpoints
    assert endpoints is not None
    counter = open_counter(
        Targets(endpoints.okta_url, endpoints.grafana_urls[scenario.grafanas[0].url]),
        {"OKTA_API_TOKEN": OKTA_TOKEN, "GRAFANA_AUTH": GRAFANA_AUTH},
        HttpSettings(timeout=5.0, retry=RetryPolicy(attempts=1, backoff=0.01, max_wait=0.1)),
    )
    count(plan, consequences, counter)


def live_disagreements(consequences: list[Any], before: Snapshot, methods: set[str]) -> list[str]:
    """--live's counts against the twin's state before the apply, and its calls GET only."""
    problems = [f"--live sent {sorted(methods - {'GET'})}, expected GET only"] if methods - {"GET"} else []
    by_name = {name: gid for gid, name in before.group_names.items()}
    for found in consequences:
        if found.rule == "group-unassigned":
            want: int | None = len(_members(before, set(found.details.get("group_ids", []))))
        elif found.rule == "group-reassigned-unordered":
            want = len(_members(before, {found.details["group_id"]}))
        elif found.rule == "team-deleted" and found.details.get("team"):
            want = before.team_sizes.get(str(found.details["team"]), 0)
        elif found.rule == "role-mapping-changed":
            groups = [
                g for gs in [*found.details["gained"].values(), *found.details["lost"].values()] for g in gs
            ]
            want = len(_members(before, {by_name[g] for g in groups if g in by_name}))
        elif found.rule == "rejection-turned-on":
            want = max(before.unprovisioned.values(), default=0) if len(before.unprovisioned) == 1 else None
        else:
            continue
        if want is not None and found.people != want:
            problems.append(f"--live counts {found.people} for {found.rule}, the twin has {want}")
    return problems


def judged_apply(
    scenario: Scenario, label: str, variables: dict[str, Any], plan_args: tuple[str, ...] = ()
) -> ApplyResult:
    """Plan (with `plan_args`, e.g. `-replace=...`), judge, apply the saved plan, settle and
    compare (raises Disagreement)."""
    planned = _plan(scenario, variables, plan_args)
    if not planned.ok:
        return ApplyResult(planned.diagnostics, planned.seconds, planned.returncode or 1, planned.stderr)
    plan = parse_plan(json.dumps(planned.plan))
    verdict = judge(plan)
    logs: list[list[tuple[str, str]]] = [scenario.twin.okta_view.faults.requests]
    logs += [view.faults.requests for view in scenario.twin.grafana_views.values()]
    marks = [len(log) for log in logs]
    live_count(scenario, plan, verdict.consequences)
    methods = {m for log, mark in zip(logs, marks, strict=True) for m, _ in log[mark:]}
    logins = [p.login for p in scenario.people]
    urls = [g.url for g in scenario.grafanas]
    before = snapshot(scenario.twin, urls, logins)
    seen_requests = len(scenario.twin.okta_view.faults.requests)
    applied = _apply_saved(scenario)
    requests = list(scenario.twin.okta_view.faults.requests)[seen_requests:]
    scenario.twin.settle()
    if not applied.ok:
        return applied
    after = snapshot(scenario.twin, urls, logins)
    expected = expected_people(predicted_harm(verdict.consequences), before)
    seen = observed(before, after, requests)
    failing = {c.rule for c in verdict.failing}
    rules = [
        f"{c.rule}{'' if c.certain else '?'}{'' if c.people is None else f'({c.people})'}"
        f"{'!' if c.rule in failing else ''}"
        for c in verdict.consequences
    ]
    certain_failing = {c.rule for c in verdict.failing if c.certain and c.rule not in UNOBSERVED}
    problems = disagreements(expected, seen, certain_failing)
    problems += live_disagreements(verdict.consequences, before, methods)
    comparison = Comparison(label, rules, verdict.exit_code, expected, seen, problems)
    with _LOCK:
        LOG.append(comparison)
    scenario.comparisons.append(comparison)
    if comparison.problems:
        raise Disagreement(f"{label}: impact and the twin disagree: {'; '.join(comparison.problems)}")
    return applied
