"""Every example, and discover's round trip, applied with real Terraform to the twin.

Each chain: phase 1 -> (the admin switches SCIM on, as SCIM_SETUP.md says) -> 2 -> 3 where
declared -> back to 1, with spec edits in between; after every apply the twin settles (Okta's
SCIM client delivers) and the re-plan must show no change. After each step the test states BY
HAND who is active in Grafana, who can sign in (org -> role) and which teams exist with which
members. The chains run two at a time (`chains.run_all`); each example is its own test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.terraform.harness.runner import Terraform

from .cast import (
    ADA,
    ALAN,
    CLOUD,
    ENTERPRISE,
    EVE,
    GRACE,
    REFUSED,
    STAGING,
    SUBPATH,
    VIEWER,
    ada_grace,
    hand_made_app,
    nobody_yet,
)
from .chains import Outcomes, run_all
from .scenario import Person, Scenario, build_files, current, current_after, spec_data

pytestmark = pytest.mark.terraform

# -- cloud: the full chain and the spec edits ---------------------------------------------------


def _add_admins(entry: dict[str, Any]) -> None:
    entry["okta_app"]["assignments"].append({"group": "grafana-admins", "priority": 1})
    entry["okta_app"]["push_groups"].append("grafana-admins")


def _admins_not_pushed(entry: dict[str, Any]) -> None:
    entry["okta_app"]["assignments"].append({"group": "grafana-admins", "priority": 1})


def chain_cloud(terraform: Terraform) -> None:
    with Scenario(terraform, [CLOUD], [ADA, GRACE, ALAN, EVE]) as s:
        s.write(current("cloud", "prod"))
        s.apply(1)
        nobody_yet(s)

        s.switch_on_provisioning()
        ada_grace(s)
        assert s.teams() == {}, "no group is pushed before phase 2"

        s.apply(2)
        ada_grace(s)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}

        s.write(current("cloud", "prod", _add_admins))  # edit: a second group, assigned and pushed
        s.apply(2, "assign + push grafana-admins")
        assert s.active() == {"ada@example.com", "grace@example.com", "alan@example.com"}
        assert s.sign_ins()["alan@example.com"] == VIEWER
        assert s.teams() == {
            "grafana-users": ["ada@example.com", "grace@example.com"],
            "grafana-admins": ["alan@example.com"],
        }

        s.write(current("cloud", "prod", _admins_not_pushed))  # edit: remove a push group
        s.apply(2, "push group removed")
        assert s.teams() == {  # delete_pushed_teams_on_destroy: false keeps the team
            "grafana-users": ["ada@example.com", "grace@example.com"],
            "grafana-admins": ["alan@example.com"],
        }

        s.write(current("cloud", "prod"))  # edit: remove an assignment
        s.apply(2, "assignment removed")
        ada_grace(s)
        assert s.sign_ins()["alan@example.com"] == REFUSED  # unassigned: deactivated, never deleted
        assert "alan@example.com" not in s.active()

        s.apply(1, "back to phase 1")
        ada_grace(s)
        assert s.teams()["grafana-users"] == ["ada@example.com", "grace@example.com"]


def chain_cloud_assignment_forms(terraform: Terraform) -> None:
    """cloud live in phase 2; then assignments_authoritative true -> false, then grafana-users
    assigned by group_id instead of by name: each apply keeps the group assigned the whole
    time (no unassignment reaches Okta) and nobody loses access."""
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(current("cloud", "prod"))
        s.apply(1)
        s.switch_on_provisioning()
        s.apply(2)
        app_id, group = s.output("okta_app_id"), s.group_ids["grafana-users"]
        unassign = ("DELETE", f"/api/v1/apps/{app_id}/groups/{group}")

        def per_group(entry: dict[str, Any]) -> None:
            entry["okta_app"]["assignments_authoritative"] = False

        def by_id(entry: dict[str, Any]) -> None:
            per_group(entry)
            entry["okta_app"]["assignments"] = [{"group_id": group, "priority": 0}]
            entry["okta_app"]["push_groups"] = []

        for label, edit in (("authoritative -> per group", per_group), ("group -> group_id", by_id)):
            data = spec_data("cloud")
            edit(data["integrations"][0])
            seen = len(s.okta_requests())
            s.write(current_after(s.files, data, "prod", "cloud.yaml"))
            s.apply(2, label)
            assert unassign not in s.okta_requests()[seen:], f"{label}: grafana-users was unassigned"
            assert list(s.twin.okta.app(app_id).group_assignments) == [group]
            ada_grace(s)


# -- enterprise: roles from groups, phase 3, a role value changed --------------------------------

LINUS = Person("Linus", "Torvalds", ("engineering", "grafana-viewers"))
MARGARET = Person("Margaret", "Hamilton", ("engineering", "grafana-admins"))
KATHERINE = Person("Katherine", "Johnson", ("support", "grafana-editors"))


def chain_enterprise(terraform: Terraform) -> None:
    with Scenario(terraform, [ENTERPRISE], [LINUS, MARGARET, KATHERINE, EVE]) as s:
        s.write(current("enterprise", "grafana"))
        s.apply(1)
        nobody_yet(s)
        s.switch_on_provisioning()
        everyone = {"linus@example.com", "margaret@example.com", "katherine@example.com"}
        roles = {
            "linus@example.com": {1: "Viewer"},
            "margaret@example.com": {1: "Admin"},
            "katherine@example.com": {1: "Editor"},
            "eve@example.com": REFUSED,
        }
        assert s.active() == everyone
        assert s.sign_ins() == roles, s.refusals
        s.apply(2)
        assert s.teams() == {}  # group sync off: no team
        s.apply(3)  # reject_non_provisioned_users
        assert s.sign_ins() == roles, s.refusals

        def engineering_admins(entry: dict[str, Any]) -> None:  # edit: a role value changes
            entry["saml"]["role_values"]["admin"] = ["engineering"]

        s.write(current("enterprise", "grafana", engineering_admins))
        s.apply(3, "admin role value -> engineering")
        assert s.sign_ins() == dict(roles, **{"linus@example.com": {1: "Admin"}}), s.refusals

        s.write(current("enterprise", "grafana"))
        s.apply(1, "back to phase 1")
        assert s.active() == everyone
        assert s.sign_ins() == roles, s.refusals


# -- okta-api: Terraform fills the Integration tab, and the token rotates ------------------------


def chain_okta_api(terraform: Terraform) -> None:
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(current("okta-api", "prod"))
        s.apply(1)
        nobody_yet(s)
        # SCIM_SETUP.md (okta-api): switch SCIM on in the General tab, then apply phase 2
        s.twin.okta.enable_provisioning(s.output("okta_app_id"))
        s.apply(2)
        ada_grace(s)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}
        token = s.output("grafana_scim_token")

        s.twin.clock.advance(days=340)  # inside the 30-day early rotation window of a 1-year token
        rotation = s.plan(2)
        assert rotation.ok, rotation.describe()
        assert rotation.actions("grafana_service_account_rotating_token.prod") == ["delete", "create"]
        s.apply(2, "rotation")
        assert s.output("grafana_scim_token") != token
        newcomer = s.twin.okta.add_user(login="hedy@example.com", first_name="Hedy", last_name="Lamarr")
        s.twin.okta.add_member(s.group_ids["grafana-users"], newcomer)
        s.twin.settle()  # Okta provisions with the token Terraform handed over
        assert s.active() == {"ada@example.com", "grace@example.com", "hedy@example.com"}

        s.apply(1, "back to phase 1")
        assert s.active() == {"ada@example.com", "grace@example.com", "hedy@example.com"}


# -- adopt: an app and a service account made by hand ---------------------------------------------


def adopt_files(app_id: str, account_id: str) -> dict[str, str]:
    """The adopt example with the ids of the twin's hand-made objects (edit: adopt an app)."""
    data = spec_data("adopt")
    data["integrations"][0]["adopt"] = {"okta_app_id": app_id, "service_account_id": account_id}
    return build_files(data, "prod", "adopt.yaml")


def chain_adopt(terraform: Terraform) -> None:
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        app_id, policy, account = hand_made_app(s, extras=False)
        s.write(adopt_files(app_id, account))
        s.apply(1, "adopt")
        app = s.twin.okta.app(app_id)
        assert app.policy_id == policy  # the app keeps its own sign-on policy
        assert app.doc["credentials"]["userNameTemplate"]["template"] == "${source.login}"
        s.switch_on_provisioning()
        ada_grace(s)
        s.apply(2)
        ada_grace(s)
        s.apply(1, "back to phase 1")
        ada_grace(s)
        assert s.twin.okta.app(app_id).policy_id == policy


# -- least privilege, multi, org 2 on a sub-path ------------------------------------------------


def chain_least_privilege(terraform: Terraform) -> None:
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(current("least-privilege", "prod"))
        s.apply(1)
        nobody_yet(s)
        s.switch_on_provisioning()  # the account holds only the two fixed writer roles
        ada_grace(s)
        s.apply(2)
        ada_grace(s)
        s.apply(1, "back to phase 1")
        ada_grace(s)


def chain_multi_prod(terraform: Terraform) -> None:
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(current("multi", "prod"))
        s.apply(1)
        s.switch_on_provisioning()
        ada_grace(s)
        s.apply(2)
        s.apply(1, "back to phase 1")
        ada_grace(s)


def chain_multi_staging(terraform: Terraform) -> None:
    oncall = Person("Joan", "Clarke", ("on-call",))
    with Scenario(terraform, [STAGING], [ADA, GRACE, oncall, EVE]) as s:

        def by_id(entry: dict[str, Any]) -> None:  # the example's group_id is the twin's on-call
            entry["okta_app"]["assignments"][1]["group_id"] = s.group_ids["on-call"]

        s.write(current("multi", "staging", by_id))
        s.apply(1)
        s.switch_on_provisioning()
        assert s.active() == {"ada@example.com", "grace@example.com", "joan@example.com"}
        s.apply(2)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}
        s.apply(1, "back to phase 1")
        assert s.active() == {"ada@example.com", "grace@example.com", "joan@example.com"}


def chain_org2_subpath(terraform: Terraform) -> None:
    ops = [Person("Ken", "Thompson", ("ops",)), Person("Dennis", "Ritchie", ("ops",)), EVE]
    with Scenario(terraform, [SUBPATH], ops) as s:
        s.write(current("enterprise-org2-subpath", "ops"))
        s.apply(1)
        s.set_grafana_ini_scim("org-2")  # grafana_scim_config cannot reach org 2 on a sub-path
        s.switch_on_provisioning()
        assert s.active(org_id=2) == {"ken@example.com", "dennis@example.com"}
        s.apply(2)
        assert s.teams(org_id=2) == {"ops": ["dennis@example.com", "ken@example.com"]}
        signins = s.sign_ins()  # SCIM put them in org 2 (and org 1, auto_assign_org)
        assert signins["ken@example.com"] == {1: "Viewer", 2: "Viewer"}, s.refusals
        assert signins["eve@example.com"] == REFUSED
        s.apply(1, "back to phase 1")
        assert s.active(org_id=2) == {"ken@example.com", "dennis@example.com"}


# -- discover's round trip ----------------------------------------------------------------------


def chain_discover(terraform: Terraform) -> None:
    """cloud applied and provisioned; discover reads the twin; the discovered spec's output,
    applied from an empty state in a second workspace against the same twin, adopts
    everything (imports) and changes nobody's access."""
    with Scenario(terraform, [CLOUD], [ADA, GRACE, EVE]) as s:
        s.write(current("cloud", "prod"))
        s.apply(1)
        s.switch_on_provisioning()
        s.apply(2)
        discovered = s.discover("prod", "Grafana")
        # finding 11: the account already has okta-scim-okta; Grafana refuses a duplicate name
        assert discovered["integrations"][0]["service_account"]["token"] == {"name": "okta-scim-okta-2"}
        s.adopt_in_new_workspace(build_files(discovered, "prod", "discovered.yaml"))
        grafana = s.grafana()
        (old,) = [t for t in grafana.tokens.values() if t.name == "okta-scim-okta"]
        s.apply(2, "discovered spec adopted")
        assert "revoke the old token" in s.runbook
        # SCIM_SETUP.md: the new token into the Integration tab, then the old one revoked
        s.twin.okta.enable_provisioning(
            s.output("okta_app_id"), base_url=s.output("scim_base_url"), token=s.output("grafana_scim_token")
        )
        grafana.revoke(old.id)
        assert [t.name for t in grafana.tokens.values()] == ["okta-scim-okta-2"]
        s.twin.settle()
        ada_grace(s)
        assert s.teams() == {"grafana-users": ["ada@example.com", "grace@example.com"]}


CHAINS: dict[str, Callable[[Terraform], None]] = {
    "cloud": chain_cloud,
    "cloud-assignment-forms": chain_cloud_assignment_forms,
    "enterprise": chain_enterprise,
    "okta-api": chain_okta_api,
    "adopt": chain_adopt,
    "least-privilege": chain_least_privilege,
    "multi-prod": chain_multi_prod,
    "multi-staging": chain_multi_staging,
    "enterprise-org2-subpath": chain_org2_subpath,
    "discover-round-trip": chain_discover,
}


@pytest.fixture(scope="module")
def outcomes(terraform: Terraform) -> Outcomes:
    return run_all({name: (lambda c=chain: c(terraform)) for name, chain in CHAINS.items()})  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_scenario(name: str, outcomes: Outcomes) -> None:
    outcomes.check(name)
