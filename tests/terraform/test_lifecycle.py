"""Every example through its set-up phases in real Terraform, with state kept between runs.

For each integration of each example (HCL form) one workspace goes: phase 1 apply, plan (empty),
phase 2 apply (`provisioning_enabled`), plan (empty), phase 3 apply where the module declares
`reject_non_provisioned_users`, plan (empty); then, without applying, a plan rejecting users
without provisioning (must fail), a plan with a group assigned to the app outside Terraform
(a fixture), a plan back to phase 1, and a plan of the spec with one push group removed. Every
assertion reads Terraform's own `show -json` output (state or saved plan).

More workspaces: a group look-up answered with another group's name (must fail; bound to the
twin, whose Okta holds only "ops-team"), a 0.1.0-like module whose push groups delete their
Grafana teams (the check must flag it), two push groups of which one is removed, the opt-in to
team deletion, and adopting an app an admin made by hand in the twin (its import reads the app
through the twin's Okta). All workspaces run two at a time (`run_parallel`); a chain stops at its
first failed apply. Timing on 2 CPUs: about 15 s for the whole module (plugins reattached, see `runner`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from .harness import checks
from .harness.runner import ApplyResult, PlanResult, Result, Terraform, run_parallel

pytestmark = pytest.mark.terraform

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"

# A group assigned to the app in Okta by hand. The real okta_app_group_assignments reads every
# group assigned to the app, so its refreshed state gains this group; okta_app_group_assignment
# reads only its own group, so nothing of it ever sees this one.
OUTSIDE_GROUP_ID = "00gOUTSIDE1234567890"
OUTSIDE_FIXTURE = {
    "read": [
        {
            "type": "okta_app_group_assignments",
            "append": {"group": [{"id": OUTSIDE_GROUP_ID, "priority": 99}]},
        }
    ]
}
PUSH_GATE = "delete_target_group_on_destroy = false"


def _example_names() -> list[str]:
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.yaml"))


def _load(example: str) -> Any:
    from grafana_okta_scim import load_spec

    return load_spec(EXAMPLES_DIR / f"{example}.yaml")


def _build(spec: Any, example: str) -> dict[str, Any]:
    from grafana_okta_scim import build

    return build(spec, f"examples/{example}.yaml")


def edited_spec(example: str, integration: str, edit: Callable[[dict[str, Any]], None]) -> Any:
    """The example's spec with one integration's YAML mapping edited in place, re-validated."""
    from grafana_okta_scim.loader import parse_spec

    path = EXAMPLES_DIR / f"{example}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entry,) = [i for i in data["integrations"] if i["name"] == integration]
    edit(entry)
    return parse_spec(data, str(path))


def without_last_push_group(example: str, integration: str) -> Any:
    """The example's spec, re-validated, with the last push group of one integration removed
    (None when that integration pushes no group)."""

    def edit(entry: dict[str, Any]) -> None:
        entry["okta_app"]["push_groups"] = entry["okta_app"]["push_groups"][:-1]

    spec = _load(example)
    (found,) = [i for i in spec.integrations if i.name == integration]
    return edited_spec(example, integration, edit) if found.okta_app.push_groups else None


def _push_two_groups(entry: dict[str, Any]) -> None:
    """cloud/prod pushing a second group, grafana-admins."""
    entry["okta_app"]["assignments"].append({"group": "grafana-admins", "priority": 1})
    entry["okta_app"]["push_groups"].append("grafana-admins")


def _key(address: str) -> str:
    """The for_each key of an instance address: `type.name["key"]` -> `key`."""
    return address.split("[", 1)[1].rstrip("]").strip('"')


@dataclass
class Lifecycle:
    """One integration's run through the phases: the spec model, the document, each step."""

    example: str
    integration: Any  # grafana_okta_scim.spec.Integration
    doc: Any
    declares_reject: bool
    removed_push_group: str | None
    steps: dict[str, Result] = field(default_factory=dict)
    failure: str = ""

    @property
    def name(self) -> str:
        """The integration's name."""
        return self.integration.name

    @property
    def phases(self) -> list[int]:
        """The phases this module goes through."""
        return [1, 2, 3] if self.declares_reject else [1, 2]

    def variables(self, phase: int) -> dict[str, bool]:
        """The -var flags of a phase (every phase variable the module declares, explicitly)."""
        found = {"provisioning_enabled": phase >= 2}
        if self.declares_reject:
            found["reject_non_provisioned_users"] = phase == 3
        return found

    def apply(self, phase: int) -> ApplyResult:
        """The apply of a phase; fails the test with the reason when it did not succeed."""
        return self._step(f"apply{phase}")  # type: ignore[return-value]

    def plan(self, step: str) -> PlanResult:
        """A plan step (`plan1`, `outside`, `back1`, `edit`...), asserted successful."""
        return self._step(step)  # type: ignore[return-value]

    def _step(self, step: str) -> Result:
        where = f"{self.example}/{self.name} {step}"
        assert step in self.steps, f"{where}: not run. {self.failure or self._first_failure()}"
        result = self.steps[step]
        assert result.ok, f"{where} failed:\n{result.describe()}"
        return result

    def _first_failure(self) -> str:
        for step, result in self.steps.items():
            if not result.ok:
                return f"{step} failed:\n{result.describe()}"
        return ""

    @property
    def plans(self) -> dict[str, PlanResult]:
        """Every successful plan of the chain, by step."""
        return {s: r for s, r in self.steps.items() if isinstance(r, PlanResult) and r.ok}


def _declares_reject(integration: Any, doc: Any) -> bool:
    """What the contract says: reject_non_provisioned_users is a variable exactly when the spec
    asks for rejection and the module manages grafana_scim_config."""
    return bool(integration.scim.reject_non_provisioned_users) and (
        f"grafana_scim_config.{integration.name}" in doc.addresses
    )


def run_lifecycle(terraform: Terraform, life: Lifecycle, edited_doc: Any) -> Lifecycle:
    """Apply every phase (each followed by a plan), then the what-if plans; never raises."""
    try:
        with terraform.workspace(life.doc.to_hcl_files()) as ws:
            for phase in life.phases:
                applied = life.steps[f"apply{phase}"] = ws.apply(life.variables(phase))
                if not applied.ok:
                    return life
                life.steps[f"plan{phase}"] = ws.plan(life.variables(phase))
            last = life.variables(life.phases[-1])
            if life.declares_reject:
                life.steps["reject_alone"] = ws.plan(
                    {"provisioning_enabled": False, "reject_non_provisioned_users": True}
                )
            ws.set_fixture(OUTSIDE_FIXTURE)
            life.steps["outside"] = ws.plan(last)
            ws.set_fixture(None)
            life.steps["back1"] = ws.plan(life.variables(1))
            if edited_doc is not None:
                ws.write(edited_doc.to_hcl_files())
                life.steps["edit"] = ws.plan(last)
    except Exception:  # recorded, so the other chains still run and the tests say why
        life.failure = traceback.format_exc()
    return life


# -- scenarios with fixtures ------------------------------------------------------------------


def lookup_mismatch(terraform: Terraform) -> PlanResult:
    """enterprise-org2-subpath assigns group "ops"; the twin's Okta has only "ops-team", which
    Okta's starts-with name search answers (the data source keeps a single partial match)."""
    from tests.twin import Twin, serve

    (doc,) = _build(_load("enterprise-org2-subpath"), "enterprise-org2-subpath").values()
    twin = Twin(okta_org="example", okta_base_url="oktapreview.com")
    twin.add_grafana("https://tools.example.com/grafana", kind="enterprise")
    twin.okta.add_group("ops-team")
    with serve(twin) as endpoints:
        env = {"TWIN_ENDPOINTS": endpoints.environment()["TWIN_ENDPOINTS"]}
        with terraform.workspace(doc.to_hcl_files(), env=env) as ws:
            return ws.plan({"provisioning_enabled": False, "okta_api_token": "twin-okta-api-token"})


def without_push_gate(files: dict[str, str]) -> dict[str, str]:
    """The generated files as version 0.1.0 wrote them: okta_push_group without
    `delete_target_group_on_destroy` (so the provider default, true, applies)."""
    edited = {}
    for name, text in files.items():
        lines = text.splitlines(keepends=True)
        edited[name] = "".join(line for line in lines if line.strip() != PUSH_GATE)
    return edited


@dataclass
class Legacy:
    """The 0.1.0-like cloud module: phase 2 applied, then a plan back to phase 1."""

    files: dict[str, str]
    applied: ApplyResult | None = None
    back: PlanResult | None = None


def legacy_push_groups(terraform: Terraform) -> Legacy:
    """Apply phase 2 of the 0.1.0-like cloud module, then plan phase 1 (push groups removed)."""
    (doc,) = _build(_load("cloud"), "cloud").values()
    legacy = Legacy(files=without_push_gate(doc.to_hcl_files()))
    with terraform.workspace(legacy.files) as ws:
        legacy.applied = ws.apply({"provisioning_enabled": True})
        if legacy.applied.ok:
            legacy.back = ws.plan({"provisioning_enabled": False})
    return legacy


@dataclass
class Upgrade:
    """A cloud module applied by 0.1.0 (phase 2), then today's output planned over its state."""

    legacy: ApplyResult | None = None
    upgrade_and_remove: PlanResult | None = None
    upgrade: PlanResult | None = None
    upgraded: ApplyResult | None = None
    remove_after: PlanResult | None = None


def upgrade_from_0_1_0(terraform: Terraform) -> Upgrade:
    """0.1.0-like phase 2 applied; then today's files with the push group removed (one step),
    and today's files alone, applied, before the removal (two steps)."""
    (doc,) = _build(_load("cloud"), "cloud").values()
    removed = _build(without_last_push_group("cloud", "prod"), "cloud")["prod"]
    phase2 = {"provisioning_enabled": True}
    result = Upgrade()
    with terraform.workspace(without_push_gate(doc.to_hcl_files())) as ws:
        result.legacy = ws.apply(phase2)
        if not result.legacy.ok:
            return result
        ws.write(removed.to_hcl_files())
        result.upgrade_and_remove = ws.plan(phase2)
        ws.write(doc.to_hcl_files())
        result.upgrade = ws.plan(phase2)
        result.upgraded = ws.apply(phase2)
        if result.upgraded.ok:
            ws.write(removed.to_hcl_files())
            result.remove_after = ws.plan(phase2)
    return result


@dataclass
class TwoGroups:
    """cloud/prod with two push groups applied in phase 2, then one removed from the spec."""

    applied: ApplyResult | None = None
    edit: PlanResult | None = None


def remove_one_of_two_push_groups(terraform: Terraform) -> TwoGroups:
    """Apply phase 2 with grafana-users and grafana-admins pushed; plan without grafana-admins."""
    two = _build(edited_spec("cloud", "prod", _push_two_groups), "cloud")["prod"]

    def drop_admins(entry: dict[str, Any]) -> None:
        _push_two_groups(entry)
        entry["okta_app"]["push_groups"].remove("grafana-admins")

    one = _build(edited_spec("cloud", "prod", drop_admins), "cloud")["prod"]
    result = TwoGroups()
    with terraform.workspace(two.to_hcl_files()) as ws:
        result.applied = ws.apply({"provisioning_enabled": True})
        if result.applied.ok:
            ws.write(one.to_hcl_files())
            result.edit = ws.plan({"provisioning_enabled": True})
    return result


def opted_in_team_deletion(terraform: Terraform) -> Legacy:
    """cloud with okta_app.delete_pushed_teams_on_destroy: true, phase 2 then back to phase 1."""

    def opt_in(entry: dict[str, Any]) -> None:
        entry["okta_app"]["delete_pushed_teams_on_destroy"] = True

    doc = _build(edited_spec("cloud", "prod", opt_in), "cloud")["prod"]
    opted = Legacy(files=doc.to_hcl_files())
    with terraform.workspace(opted.files) as ws:
        opted.applied = ws.apply({"provisioning_enabled": True})
        if opted.applied.ok:
            opted.back = ws.plan({"provisioning_enabled": False})
    return opted


ADOPTED_APP = {
    "label": "Grafana (set up by hand)",
    "sso_url": "https://example.grafana.net/login/saml",
}


def adopt_existing_app(terraform: Terraform) -> tuple[str, PlanResult, str]:
    """The adopt example importing an app (and a service account) an admin made by hand in
    the twin, its ids put in the spec; (app id, plan, the app's metadata URL)."""
    from grafana_okta_scim.loader import parse_spec
    from tests.twin import Twin, serve

    twin = Twin(okta_org="example", okta_base_url="okta.com")
    grafana = twin.add_grafana(
        "https://example.grafana.net", kind="cloud", stack_id=123456, stack_slug="example"
    )
    twin.okta.add_group("grafana-users")
    app = twin.okta.create_app(
        {
            "label": ADOPTED_APP["label"],
            "signOnMode": "SAML_2_0",
            "settings": {"signOn": {"ssoAcsUrl": ADOPTED_APP["sso_url"]}},
        }
    )
    account = grafana.add_account("okta-scim", role="Admin")
    path = EXAMPLES_DIR / "adopt.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["integrations"][0]["adopt"] = {"okta_app_id": app["id"], "service_account_id": f"1:{account.id}"}
    (doc,) = _build(parse_spec(data, str(path)), "adopt").values()
    with serve(twin) as endpoints:
        env = {"TWIN_ENDPOINTS": endpoints.environment()["TWIN_ENDPOINTS"]}
        with terraform.workspace(doc.to_hcl_files(), env=env) as ws:
            credentials = {"okta_api_token": "twin-okta-api-token", "grafana_auth": "admin:twin"}
            plan = ws.plan({"provisioning_enabled": False, **credentials})
    metadata = app["_links"]["metadata"]["href"]
    return app["id"], plan, metadata


@pytest.fixture(scope="module")
def runs(terraform: Terraform) -> dict[Any, Any]:
    """Every lifecycle ((example, integration) -> Lifecycle) and scenario, two at a time."""
    jobs: dict[Any, Any] = {}
    for example in _example_names():
        try:
            spec = _load(example)
            docs = _build(spec, example)
        except Exception:  # reported by this example's tests only
            failure = traceback.format_exc()
            jobs[(example, "")] = lambda failure=failure: failure
            continue
        for integration in spec.integrations:
            edited_spec = without_last_push_group(example, integration.name)
            edited = _build(edited_spec, example)[integration.name] if edited_spec else None
            doc = docs[integration.name]
            life = Lifecycle(
                example,
                integration,
                doc,
                _declares_reject(integration, doc),
                integration.okta_app.push_groups[-1] if edited else None,
            )
            jobs[(example, integration.name)] = lambda life=life, edited=edited: run_lifecycle(
                terraform, life, edited
            )
    scenarios: dict[str, Callable[[Terraform], Any]] = {
        "lookup-mismatch": lookup_mismatch,
        "legacy": legacy_push_groups,
        "adopt-import": adopt_existing_app,
        "two-push-groups": remove_one_of_two_push_groups,
        "opt-in": opted_in_team_deletion,
        "upgrade": upgrade_from_0_1_0,
    }
    for key, scenario in scenarios.items():
        jobs[key] = lambda scenario=scenario: _guarded(scenario, terraform)
    return run_parallel(jobs)


@dataclass
class Crash:
    """A scenario that raised instead of returning its results."""

    text: str


def _guarded(scenario: Callable[[Terraform], Any], terraform: Terraform) -> Any:
    try:
        return scenario(terraform)
    except Exception:  # reported by that scenario's test only
        return Crash(traceback.format_exc())


def _scenario(runs: dict[Any, Any], key: str) -> Any:
    found = runs[key]
    if isinstance(found, Crash):
        pytest.fail(f"scenario {key} raised:\n{found.text}")
    return found


def _lifecycles(runs: dict[Any, Any], example: str) -> list[Lifecycle]:
    found = [life for key, life in runs.items() if isinstance(key, tuple) and key[0] == example]
    for life in found:
        if isinstance(life, str):
            pytest.fail(f"example {example} did not build:\n{life}")
    assert found, f"example {example} produced no integration"
    return found


def _scim_rejects(state: dict[str, dict[str, Any]]) -> dict[str, bool]:
    return {
        address: values["reject_non_provisioned_users"]
        for address, values in state.items()
        if address.startswith("grafana_scim_config.")
    }


def _deleted(plan: PlanResult, type_name: str) -> set[str]:
    return {
        address
        for address, change in plan.resource_changes.items()
        if change["type"] == type_name and "delete" in change["change"]["actions"]
    }


# -- the phases --------------------------------------------------------------------------------


@pytest.mark.parametrize("example", _example_names())
def test_reject_variable_is_declared_as_the_contract_says(runs: dict, example: str) -> None:
    """Terraform sees `provisioning_enabled` everywhere and `reject_non_provisioned_users` only
    where the spec rejects non-provisioned users and the module manages grafana_scim_config."""
    for life in _lifecycles(runs, example):
        variables = life.plan("plan1").plan["configuration"]["root_module"].get("variables", {})
        assert "provisioning_enabled" in variables
        assert variables["provisioning_enabled"].get("default") is False
        assert ("reject_non_provisioned_users" in variables) == life.declares_reject


def test_some_example_goes_through_phase_3(runs: dict) -> None:
    """The phase 3 assertions below are not vacuous: at least one module declares rejection."""
    assert any(
        life.declares_reject
        for key, life in runs.items()
        if isinstance(key, tuple) and isinstance(life, Lifecycle)
    )


@pytest.mark.parametrize("example", _example_names())
def test_phase_1_pushes_no_group_and_rejects_no_user(runs: dict, example: str) -> None:
    """After the first apply: no okta_push_group in state, rejection off, output phase 1."""
    for life in _lifecycles(runs, example):
        applied = life.apply(1)
        assert applied.of_type("okta_push_group") == {}
        assert all(value is False for value in _scim_rejects(applied.resources).values())
        assert applied.outputs["phase"] == 1


@pytest.mark.parametrize("example", _example_names())
def test_plan_after_every_apply_is_empty(runs: dict, example: str) -> None:
    """Re-planning with the same variables right after an apply changes nothing (exit code 0
    from -detailed-exitcode, and every resource and output change a no-op)."""
    for life in _lifecycles(runs, example):
        for phase in life.phases:
            plan = life.plan(f"plan{phase}")
            assert plan.changes is False, f"{life.name} phase {phase}: {plan.resource_changes}"
            assert plan.no_op


@pytest.mark.parametrize("example", _example_names())
def test_phase_2_creates_the_push_mappings(runs: dict, example: str) -> None:
    """provisioning_enabled=true creates one okta_push_group per push group, pushing the looked-up
    group under its own name and keeping the team when the mapping goes; rejection still off."""
    for life in _lifecycles(runs, example):
        applied = life.apply(2)
        state = applied.resources
        pushed = applied.of_type("okta_push_group")
        assert {_key(a) for a in pushed} == set(life.integration.okta_app.push_groups)
        deletes_teams = life.integration.okta_app.delete_pushed_teams_on_destroy
        for address, values in pushed.items():
            group = _key(address)
            looked_up = state[f'data.okta_group.{life.name}["{group}"]']
            assert values["source_group_id"] == looked_up["id"]
            assert values["target_group_name"] == group
            assert values["delete_target_group_on_destroy"] is deletes_teams
            assert values["app_id"] == applied.outputs["okta_app_id"]
        assert all(value is False for value in _scim_rejects(state).values())
        assert applied.outputs["phase"] == 2


@pytest.mark.parametrize("example", _example_names())
def test_phase_3_rejects_only_then(runs: dict, example: str) -> None:
    """Where the module declares it, reject_non_provisioned_users is true in state after phase 3
    and false after phases 1 and 2; elsewhere no phase ever sets it."""
    for life in _lifecycles(runs, example):
        for phase in life.phases:
            applied = life.apply(phase)
            rejects = _scim_rejects(applied.resources)
            assert all(value is (phase == 3) for value in rejects.values()), (phase, rejects)
            assert applied.outputs["phase"] == phase
        if life.declares_reject:
            assert _scim_rejects(life.apply(3).resources)


@pytest.mark.parametrize("example", _example_names())
def test_rejection_without_provisioning_is_refused(runs: dict, example: str) -> None:
    """reject_non_provisioned_users=true without provisioning_enabled stops the plan at
    grafana_scim_config's precondition (it would lock every user out of SAML sign-in)."""
    for life in _lifecycles(runs, example):
        if not life.declares_reject:
            assert "reject_alone" not in life.steps
            continue
        plan = life.steps["reject_alone"]
        assert not plan.ok and plan.plan == {}  # type: ignore[attr-defined]
        failed = [d for d in plan.errors if d.summary == "Resource precondition failed"]
        assert failed and "provisioning_enabled" in failed[0].detail, plan.describe()


# -- what-if plans ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", _example_names())
def test_back_to_phase_1_keeps_the_teams(runs: dict, example: str) -> None:
    """Planning phase 1 after the last phase removes every push mapping, each with
    delete_target_group_on_destroy false in its prior state, and turns rejection off."""
    for life in _lifecycles(runs, example):
        plan = life.plan("back1")
        in_state = set(life.apply(life.phases[-1]).of_type("okta_push_group"))
        assert _deleted(plan, "okta_push_group") == in_state
        expected = sorted(in_state) if life.integration.okta_app.delete_pushed_teams_on_destroy else []
        assert checks.push_groups_deleting_teams(plan.plan) == expected
        for address, change in plan.resource_changes.items():
            if address.startswith("grafana_scim_config."):
                assert change["change"]["after"]["reject_non_provisioned_users"] is False


@pytest.mark.parametrize("example", _example_names())
def test_removing_a_push_group_keeps_its_team(runs: dict, example: str) -> None:
    """A spec edit removing one push group plans exactly that mapping's deletion, and the
    mapping's prior state keeps the Grafana team (the reusable check finds nothing)."""
    for life in _lifecycles(runs, example):
        if life.removed_push_group is None:
            assert not life.integration.okta_app.push_groups
            assert "edit" not in life.steps
            continue
        plan = life.plan("edit")
        removed = f'okta_push_group.{life.name}["{life.removed_push_group}"]'
        assert _deleted(plan, "okta_push_group") == {removed}
        assert {a for a, c in plan.resource_changes.items() if "delete" in c["change"]["actions"]} == {
            removed
        }
        assert checks.push_groups_deleting_teams(plan.plan) == []
        assert plan.resource_changes[removed]["change"]["before"]["delete_target_group_on_destroy"] is False


def test_removing_one_of_two_push_groups_leaves_the_other(runs: dict) -> None:
    """With two groups pushed, removing one from the spec deletes only its mapping (keeping
    its team); the other mapping is untouched."""
    two = _scenario(runs, "two-push-groups")
    assert two.applied is not None and two.applied.ok, two.applied.describe()
    assert set(two.applied.of_type("okta_push_group")) == {
        'okta_push_group.prod["grafana-users"]',
        'okta_push_group.prod["grafana-admins"]',
    }
    assert two.edit is not None and two.edit.ok, two.edit.describe()
    assert _deleted(two.edit, "okta_push_group") == {'okta_push_group.prod["grafana-admins"]'}
    assert two.edit.actions('okta_push_group.prod["grafana-users"]') == ["no-op"]
    assert checks.push_groups_deleting_teams(two.edit.plan) == []


def test_opting_in_to_team_deletion_is_what_the_check_reports(runs: dict) -> None:
    """delete_pushed_teams_on_destroy: true is the one way to get true in state; the check then
    reports the removal (the spec asked for it)."""
    opted = _scenario(runs, "opt-in")
    assert "delete_target_group_on_destroy = true" in opted.files["okta.tf"]
    assert opted.applied is not None and opted.applied.ok, opted.applied.describe()
    (address,) = opted.applied.of_type("okta_push_group")
    assert opted.applied.resources[address]["delete_target_group_on_destroy"] is True
    assert opted.back is not None and opted.back.ok, opted.back.describe()
    assert checks.push_groups_deleting_teams(opted.back.plan) == [address]


def _managed_group_ids(applied: ApplyResult) -> set[str]:
    ids = set()
    for values in applied.of_type("okta_app_group_assignments").values():
        ids |= {group["id"] for group in values["group"]}
    for values in applied.of_type("okta_app_group_assignment").values():
        ids.add(values["group_id"])
    return ids


@pytest.mark.parametrize("example", _example_names())
def test_assignments_outside_the_spec(runs: dict, example: str) -> None:
    """With a group assigned to the app outside Terraform: an authoritative module plans to
    unassign it (okta_app_group_assignments owns every assignment), a non-authoritative one
    (assignments_authoritative: false) touches it in no plan; no plan of either touches any
    other assignment outside the spec."""
    for life in _lifecycles(runs, example):
        authoritative = life.integration.okta_app.assignments_authoritative is not False
        applied = life.apply(life.phases[-1])
        managed = _managed_group_ids(applied)
        assert managed and OUTSIDE_GROUP_ID not in managed
        kind = "okta_app_group_assignments" if authoritative else "okta_app_group_assignment"
        assert applied.of_type(kind), f"{life.name}: no {kind} in state"
        for step, plan in life.plans.items():
            touched = checks.touched_outside(plan.plan, managed)
            if step == "outside" and authoritative:
                assert touched == {OUTSIDE_GROUP_ID: [f"okta_app_group_assignments.{life.name}"]}
            else:
                assert touched == {}, f"{life.name} {step}: {touched}"
        assert "outside" in life.plans, life.failure or life._first_failure()


def test_adopt_example_is_not_authoritative(runs: dict) -> None:
    """The adopt example manages only its listed groups (one okta_app_group_assignment each)."""
    (life,) = _lifecycles(runs, "adopt")
    assert life.integration.okta_app.assignments_authoritative is False
    assignments = life.apply(1).of_type("okta_app_group_assignment")
    assert len(assignments) == len(life.integration.okta_app.assignments)
    assert life.apply(1).of_type("okta_app_group_assignments") == {}


# -- fixtures that must fail -------------------------------------------------------------------


def test_group_lookup_answering_another_name_fails_the_plan(runs: dict) -> None:
    """Okta answering the look-up of "ops" with "ops-team" stops the plan at the data source's
    postcondition, whose message names both."""
    plan = _scenario(runs, "lookup-mismatch")
    assert not plan.ok and plan.plan == {}
    failed = [d for d in plan.errors if d.summary == "Resource postcondition failed"]
    assert failed, plan.describe()
    assert any('"ops"' in d.detail and '"ops-team"' in d.detail for d in failed), plan.describe()


def test_the_check_flags_a_0_1_0_like_module(runs: dict) -> None:
    """Without `delete_target_group_on_destroy = false` (as 0.1.0 wrote it) the mapping takes the
    provider default, true, and the reusable check flags its removal."""
    legacy = _scenario(runs, "legacy")
    assert PUSH_GATE not in legacy.files["okta.tf"] and "okta_push_group" in legacy.files["okta.tf"]
    assert legacy.applied is not None and legacy.applied.ok, legacy.applied.describe()
    (address,) = legacy.applied.of_type("okta_push_group")
    assert legacy.applied.resources[address]["delete_target_group_on_destroy"] is True
    assert legacy.back is not None and legacy.back.ok, legacy.back.describe()
    assert checks.push_groups_deleting_teams(legacy.back.plan) == [address]


def test_upgrading_from_0_1_0_flips_the_flag_before_any_removal(runs: dict) -> None:
    """Over 0.1.0's state, today's output updates delete_target_group_on_destroy in place
    (true -> false). Removing a push group in that same apply would still delete its team (the
    prior state says true): the check flags it. Applied first, the removal is safe."""
    upgrade = _scenario(runs, "upgrade")
    address = 'okta_push_group.prod["grafana-users"]'
    for step in ("legacy", "upgrade_and_remove", "upgrade", "upgraded", "remove_after"):
        result = getattr(upgrade, step)
        assert result is not None and result.ok, f"{step}: {result and result.describe()}"
    assert upgrade.legacy.resources[address]["delete_target_group_on_destroy"] is True
    assert checks.push_groups_deleting_teams(upgrade.upgrade_and_remove.plan) == [address]
    flip = upgrade.upgrade.resource_changes[address]["change"]
    assert flip["actions"] == ["update"]
    assert (
        flip["before"]["delete_target_group_on_destroy"],
        flip["after"]["delete_target_group_on_destroy"],
    ) == (True, False)
    assert upgrade.upgraded.resources[address]["delete_target_group_on_destroy"] is False
    assert _deleted(upgrade.remove_after, "okta_push_group") == {address}
    assert checks.push_groups_deleting_teams(upgrade.remove_after.plan) == []


def test_current_cloud_output_has_the_line_the_legacy_test_removes() -> None:
    """The 0.1.0-like module really differs from today's output by that line only."""
    (doc,) = _build(_load("cloud"), "cloud").values()
    files = doc.to_hcl_files()
    assert PUSH_GATE in files["okta.tf"]
    legacy = without_push_gate(files)
    assert legacy["okta.tf"].count("\n") == files["okta.tf"].count("\n") - 1
    assert {n for n in files if legacy[n] != files[n]} == {"okta.tf"}


def test_adopting_an_existing_app_reads_its_fields(runs: dict) -> None:
    """The import answers the existing app's fields: Terraform plans an in-place update from
    them to the spec's values, and Grafana's SAML settings get the app's metadata URL at plan
    time (it is known from the imported state)."""
    app_id, plan, metadata_url = _scenario(runs, "adopt-import")
    assert plan.ok, plan.describe()
    change = plan.resource_changes["okta_app_saml.prod"]["change"]
    assert change["importing"] == {"id": app_id}
    assert change["actions"] == ["update"]
    assert change["before"]["label"] == ADOPTED_APP["label"]
    assert change["after"]["label"] == "Grafana"
    assert change["before"]["sso_url"] == ADOPTED_APP["sso_url"]
    assert change["after"]["sso_url"] == "https://example.grafana.net/saml/acs"
    assert change["after"]["metadata_url"] == metadata_url
    saml = plan.resource_changes["grafana_sso_settings.prod"]["change"]["after"]["saml_settings"]
    assert saml[0]["idp_metadata_url"] == metadata_url
