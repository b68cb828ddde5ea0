"""Real plans for impact to judge: each applies a configuration with the replay providers, edits
it (a spec edit or a hand-written change), and returns the saved plan's `show -json`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.terraform.harness.runner import Terraform
from tests.terraform.test_lifecycle import OUTSIDE_FIXTURE, _build, _load, edited_spec, without_push_gate

REGRESSIONS = Path(__file__).resolve().parents[1] / "twin" / "regressions"  # read only, never written
PHASE1 = {"provisioning_enabled": False}
PHASE2 = {"provisioning_enabled": True}


def _files(
    example: str, edit: Callable[[dict[str, Any]], None] | None = None, name: str = "prod"
) -> dict[str, str]:
    spec = edited_spec(example, name, edit) if edit else _load(example)
    return _build(spec, example)[name].to_hcl_files()


def _two_groups(entry: dict[str, Any]) -> None:
    entry["okta_app"]["assignments"].append({"group": "grafana-admins", "priority": 1})
    entry["okta_app"]["push_groups"].append("grafana-admins")


def _reject(entry: dict[str, Any]) -> None:
    entry["scim"]["reject_non_provisioned_users"] = True


def _per_group(entry: dict[str, Any]) -> None:
    entry["okta_app"]["assignments_authoritative"] = False


def _steps(
    terraform: Terraform,
    files: dict[str, str],
    applies: list[dict[str, Any]],
    then: dict[str, str] | None,
    variables: dict[str, Any],
) -> dict[str, Any]:
    with terraform.workspace(files) as ws:
        for step in applies:
            applied = ws.apply(step)
            assert applied.ok, applied.describe()
        if then is not None:
            ws.write(then)
        planned = ws.plan(variables)
        assert planned.ok, planned.describe()
        return planned.plan


def phase1_first(terraform: Terraform) -> dict[str, Any]:
    """The cloud example's first plan (nothing applied yet)."""
    with terraform.workspace(_files("cloud")) as ws:
        planned = ws.plan(PHASE1)
        assert planned.ok, planned.describe()
        return planned.plan


def phase2_step(terraform: Terraform) -> dict[str, Any]:
    """cloud: phase 1 applied, then the plan of phase 2 (push groups, provisioning on)."""
    return _steps(terraform, _files("cloud"), [PHASE1], None, PHASE2)


def phase2_clean(terraform: Terraform) -> dict[str, Any]:
    """cloud: phase 2 applied, planned again: nothing to do."""
    return _steps(terraform, _files("cloud"), [PHASE1, PHASE2], None, PHASE2)


def group_removed(terraform: Terraform) -> dict[str, Any]:
    """cloud with grafana-admins assigned and pushed (phase 2), then the spec without it."""
    return _steps(terraform, _files("cloud", _two_groups), [PHASE2], _files("cloud"), PHASE2)


def rejection_on(terraform: Terraform) -> dict[str, Any]:
    """cloud asking for rejection: phase 2 applied, then the phase-3 plan."""
    files = _files("cloud", _reject)
    return _steps(
        terraform,
        files,
        [{**PHASE2, "reject_non_provisioned_users": False}],
        None,
        {**PHASE2, "reject_non_provisioned_users": True},
    )


def per_group_switch(terraform: Terraform) -> dict[str, Any]:
    """cloud phase 2 applied, then the spec with assignments_authoritative: false."""
    return _steps(terraform, _files("cloud"), [PHASE2], _files("cloud", _per_group), PHASE2)


def legacy_push_removed(terraform: Terraform) -> dict[str, Any]:
    """A 0.1.0-like cloud module (no delete_target_group_on_destroy): phase 2, then phase 1."""
    return _steps(terraform, without_push_gate(_files("cloud")), [PHASE2], None, PHASE1)


def current_push_removed(terraform: Terraform) -> dict[str, Any]:
    """Today's cloud module: phase 2, then phase 1 (push mappings removed, teams kept)."""
    return _steps(terraform, _files("cloud"), [PHASE2], None, PHASE1)


def okta_api_first(terraform: Terraform) -> dict[str, Any]:
    """The okta-api example applied in phase 1, then the phase 2 plan (okta_app_connection and
    okta_app_features wait for provisioning_enabled, the step after the admin's switch)."""
    with terraform.workspace(_files("okta-api")) as ws:
        applied = ws.apply(PHASE1)
        assert applied.ok, applied.describe()
        planned = ws.plan(PHASE2)
        assert planned.ok, planned.describe()
        return planned.plan


def outside_group(terraform: Terraform) -> dict[str, Any]:
    """cloud phase 2 applied; a group assigned to the app by hand in Okta; the phase-2 plan."""
    with terraform.workspace(_files("cloud")) as ws:
        applied = ws.apply(PHASE2)
        assert applied.ok, applied.describe()
        planned = ws.set_fixture(OUTSIDE_FIXTURE).plan(PHASE2)
        assert planned.ok, planned.describe()
        return planned.plan


def _frozen(folder: str) -> dict[str, str]:
    """The frozen pre-fix output of tests/twin/regressions/<folder>/prod (read, never changed)."""
    return {
        p.name: p.read_text(encoding="utf-8") for p in sorted((REGRESSIONS / folder / "prod").glob("*.tf"))
    }


def frozen_per_group_switch(terraform: Terraform) -> dict[str, Any]:
    """The frozen cloud output applied (phase 2), then the frozen cloud-per-group output."""
    return _steps(terraform, _frozen("cloud"), [PHASE2], _frozen("cloud-per-group"), PHASE2)


def frozen_legacy_push_removed(terraform: Terraform) -> dict[str, Any]:
    """The frozen cloud output as 0.1.0 wrote push groups (no delete flag): phase 2, then phase 1."""
    return _steps(terraform, without_push_gate(_frozen("cloud")), [PHASE2], None, PHASE1)


SCENARIOS: dict[str, Callable[[Terraform], dict[str, Any]]] = {
    "phase1-first": phase1_first,
    "phase2-step": phase2_step,
    "phase2-clean": phase2_clean,
    "group-removed": group_removed,
    "rejection-on": rejection_on,
    "per-group-switch": per_group_switch,
    "legacy-push-removed": legacy_push_removed,
    "current-push-removed": current_push_removed,
    "okta-api-first": okta_api_first,
    "outside-group": outside_group,
    "frozen-per-group-switch": frozen_per_group_switch,
    "frozen-legacy-push-removed": frozen_legacy_push_removed,
}
