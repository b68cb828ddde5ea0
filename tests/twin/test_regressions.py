"""Issue 16's findings as twin scenarios: each FAILS on the output frozen before the fixes
(tests/twin/regressions/, never regenerated) and PASSES on the current generator's output.

A finding's scenario is one function taking the output source; it asserts by hand what the
admin and the people should see. `test_fails_on_regression_output` checks that the frozen
output fails one of the scenario's own assertions (a broken harness does not count);
`test_passes_on_current_output` runs the same scenario on today's output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.terraform.harness.runner import Terraform

from .cast import ADA, CLOUD, ENTERPRISE, EVE, GRACE, SUBPATH, ada_grace, hand_made_app
from .chains import Outcomes, run_all
from .scenario import Person, Scenario, build_files, current, current_after, frozen, spec_data

pytestmark = pytest.mark.terraform


def finding_1_okta_api(terraform: Terraform, source: str) -> None:
    """okta-api mode: the first apply succeeds, SCIM is switched on by hand, the next apply
    sets the connection and features; no re-plan shows a change."""
    files = frozen("okta-api", "prod") if source == "frozen" else current("okta-api", "prod")
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(files)
        s.apply(1)
        s.twin.okta.enable_provisioning(s.output("okta_app_id"))  # the General tab checkbox
        s.apply(2)
        ada_grace(s)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}


def _adopt_files(s: Scenario, source: str, app_id: str, account_id: str) -> dict[str, str]:
    if source == "frozen":  # the frozen adopt output, pointed at the twin's hand-made objects
        files = frozen("adopt", "prod")
        imports = (
            files["imports.tf"].replace("0oa1b2c3d4e5f6g7h8i9", app_id).replace('"1:42"', f'"{account_id}"')
        )
        return dict(files, **{"imports.tf": imports})
    data = s.discover("prod", "Grafana")  # what the fix asks: discover carries the app's settings
    return build_files(data, "prod", "adopt.yaml")


def finding_2_adopted_app(terraform: Terraform, source: str) -> None:
    """An adopted app keeps what the admin set (username template, forced re-authentication,
    its sign-on policy) and SCIM stays on: provisioning still reaches Grafana."""
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        app_id, policy, account = hand_made_app(s)
        grafana = s.grafana()
        token = grafana.add_token(int(account.split(":")[1]), "okta-scim-by-hand")
        s.twin.okta.enable_provisioning(
            app_id,
            base_url=grafana.url + "/apis/scim.grafana.app/v0alpha1/namespaces/stacks-123456",
            token=token.key,
        )
        s.twin.okta.set_to_app(app_id, create=True, update=True, deactivate=True)
        s.twin.settle()
        s.write(_adopt_files(s, source, app_id, account))
        s.apply(1, "adopt")
        app = s.twin.okta.app(app_id)
        assert app.doc["credentials"]["userNameTemplate"]["template"] == "${source.email}"
        assert app.doc["settings"]["signOn"]["honorForceAuthn"] is True
        assert app.policy_id == policy
        assert app.provisioning_enabled
        newcomer = s.twin.okta.add_user(login="hedy@example.com", first_name="Hedy", last_name="Lamarr")
        s.twin.okta.add_member(s.group_ids["grafana-users"], newcomer)
        s.twin.settle()
        assert s.active() == {"ada@example.com", "grace@example.com", "hedy@example.com"}


def finding_3_org_sync(terraform: Terraform, source: str) -> None:
    """Org 2 routing: Ken is an Editor in org 1 (set by hand) and provisioned into org 2;
    signing in keeps both memberships."""
    ken = Person("Ken", "Thompson", ("ops",))
    files = (
        frozen("enterprise-org2-subpath", "ops")
        if source == "frozen"
        else current("enterprise-org2-subpath", "ops")
    )
    with Scenario(terraform, [SUBPATH], [ken, EVE]) as s:
        s.write(files)
        s.apply(1)
        s.set_grafana_ini_scim("org-2")
        s.switch_on_provisioning()
        user = s.grafana().user_by_login("ken@example.com")
        assert user is not None
        user.orgs[1] = "Editor"  # an org 1 admin made Ken an Editor there
        first = s.sign_ins()
        assert first["ken@example.com"] == {1: "Editor", 2: "Viewer"}, s.refusals
        assert s.sign_ins()["ken@example.com"] == {1: "Editor", 2: "Viewer"}, "a second sign-in changed roles"


def finding_4_role_values(terraform: Terraform, source: str) -> None:
    """Role values naming groups with spaces: "Grafana Admins" members are Admins, members of
    a group called "Admins" are not."""
    ada = Person("Ada", "Lovelace", ("Grafana Admins",))
    bob = Person("Bob", "Builder", ("Admins",))
    grace = Person("Grace", "Hopper", ("grafana-editors",))
    if source == "frozen":
        files = frozen("roles-with-spaces", "grafana")
    else:
        files = build_files(spec_data("roles-with-spaces"), "grafana", "roles-with-spaces.yaml")
    with Scenario(terraform, [ENTERPRISE], [ada, bob, grace]) as s:
        s.write(files)
        s.apply(1)
        s.switch_on_provisioning()
        assert s.sign_ins() == {
            "ada@example.com": {1: "Admin"},
            "bob@example.com": {1: "Viewer"},
            "grace@example.com": {1: "Editor"},
        }, s.refusals


def finding_5_per_group_switch(terraform: Terraform, source: str) -> None:
    """assignments_authoritative true -> false on a live module: grafana-users is never
    unassigned (Okta would deprovision its members), the re-plan is clean, people stay."""
    before = frozen("cloud", "prod") if source == "frozen" else current("cloud", "prod")
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(before)
        s.apply(1)
        s.switch_on_provisioning()
        s.apply(2)
        if source == "frozen":
            after = frozen("cloud-per-group", "prod")
        else:
            after = current_after(before, spec_data("cloud-per-group"), "prod", "cloud-per-group.yaml")
        s.write(after)
        app_id, group = s.output("okta_app_id"), s.group_ids["grafana-users"]
        seen = len(s.okta_requests())
        s.apply(2, "authoritative -> per group")
        unassign = ("DELETE", f"/api/v1/apps/{app_id}/groups/{group}")
        assert unassign not in s.okta_requests()[seen:], "grafana-users was unassigned during the switch"
        assert list(s.twin.okta.app(app_id).group_assignments) == [group]
        ada_grace(s)


def finding_6_app_group(terraform: Terraform, source: str) -> None:
    """grafana-users is mastered in AD (APP_GROUP): it is found, assigned and pushed."""
    files = frozen("cloud", "prod") if source == "frozen" else current("cloud", "prod")
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE], groups={"grafana-users": "APP_GROUP"}) as s:
        s.write(files)
        s.apply(1)
        s.switch_on_provisioning()
        ada_grace(s)
        s.apply(2)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}


def finding_7_push_error(terraform: Terraform, source: str) -> None:
    """A push mapping in ERROR blocks the next apply; SCIM_SETUP.md tells the admin to retry
    the push in Okta's Push Groups tab, after which the apply goes through."""
    files = frozen("cloud", "prod") if source == "frozen" else current("cloud", "prod")
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(files)
        s.apply(1)
        s.switch_on_provisioning()
        s.apply(2)
        (mapping,) = s.twin.okta.app_mappings(s.output("okta_app_id"))
        s.twin.okta.set_mapping_status(mapping.id, "ERROR", error="Grafana answered 500")
        blocked = s.try_apply(2)  # Read copies ERROR; the plan updates it to ACTIVE; Update refuses
        assert not blocked.ok and "disallowed status" in blocked.describe()
        says_how = "Push Groups" in s.runbook and "ERROR" in s.runbook
        assert says_how, "SCIM_SETUP.md has no step for a push mapping in ERROR"
        s.twin.okta.set_mapping_status(mapping.id, "ACTIVE")  # the admin's retry in the Push Groups tab
        s.apply(2, "after the retry")
        ada_grace(s)


def finding_10_sign_on_policy(terraform: Terraform, source: str) -> None:
    """The org puts apps under its own access policy "Grafana MFA"; the new app gets it, not
    the org's default policy."""
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        policy = s.twin.okta.add_policy("Grafana MFA")
        if source == "frozen":
            files = frozen("cloud", "prod")
        else:

            def own_policy(entry: dict[str, Any]) -> None:
                entry["okta_app"]["authentication_policy"] = "Grafana MFA"

            files = current("cloud", "prod", own_policy)
        s.write(files)
        s.apply(1)
        assert s.twin.okta.app(s.output("okta_app_id")).policy_id == policy
        s.switch_on_provisioning()
        ada_grace(s)


FINDINGS: dict[str, Callable[[Terraform, str], None]] = {
    "1-okta-api": finding_1_okta_api,
    "2-adopted-app": finding_2_adopted_app,
    "3-org-sync": finding_3_org_sync,
    "4-role-values": finding_4_role_values,
    "5-per-group-switch": finding_5_per_group_switch,
    "6-app-group": finding_6_app_group,
    "7-push-error": finding_7_push_error,
    "10-sign-on-policy": finding_10_sign_on_policy,
}


@pytest.fixture(scope="module")
def outcomes(terraform: Terraform) -> Outcomes:
    chains = {}
    for name, scenario in FINDINGS.items():
        for source in ("frozen", "current"):
            chains[f"{name}/{source}"] = lambda f=scenario, src=source: f(terraform, src)
    return run_all(chains)  # type: ignore[arg-type]


@pytest.mark.parametrize("finding", sorted(FINDINGS))
def test_fails_on_regression_output(finding: str, outcomes: Outcomes) -> None:
    failure = outcomes.failure(f"{finding}/frozen")
    assert str(failure) or failure.__traceback__ is not None


@pytest.mark.parametrize("finding", sorted(FINDINGS))
def test_passes_on_current_output(finding: str, outcomes: Outcomes) -> None:
    outcomes.check(f"{finding}/current")
