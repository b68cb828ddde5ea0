"""Okta's SCIM client against the twin's Grafana: what people end up as in Grafana."""

from __future__ import annotations

from tests.twin.builders import NAMESPACE, example_org
from tests.twin.faults import Fault


def logins(org_users: dict[str, object]) -> list[str]:
    return sorted(org_users)


def test_nothing_is_delivered_before_provisioning_is_switched_on() -> None:
    org = example_org()
    assert org.twin.settle() == []
    assert org.grafana.active_users() == {}


def test_an_assigned_groups_users_are_provisioned() -> None:
    org = example_org()
    org.provision()
    sent = [str(d) for d in org.twin.settle()]
    assert sent == [
        'GET Users?filter=userName eq "ada@example.com" -> 200',
        "POST Users -> 201",
        'GET Users?filter=userName eq "bob@example.com" -> 200',
        "POST Users -> 201",
    ]
    active = org.grafana.active_users()
    assert sorted(active) == ["ada@example.com", "bob@example.com"]
    assert {u.provenance for u in active.values()} == {"scim"}
    assert active["ada@example.com"].external_uid == org.ada  # Okta sends its user id as externalId
    assert active["ada@example.com"].orgs == {1: "Viewer"}
    assert org.twin.settle() == []  # nothing changed: nothing sent


def test_unassignment_and_deactivation_deactivate_and_never_delete() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    org.twin.okta.remove_member(org.users_group, org.bob)
    org.twin.okta.deactivate_user(org.ada)
    sent = org.twin.settle()
    assert [(d.method, d.body["active"]) for d in sent] == [("PUT", False), ("PUT", False)]
    assert not any(d.method == "DELETE" for d in org.twin.provisioning.log)
    assert org.grafana.active_users() == {}
    assert org.grafana.scim.users(NAMESPACE) == [("ada@example.com", False), ("bob@example.com", False)]


def test_unassigning_the_group_deactivates_its_users() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    org.twin.okta.unassign_group(org.app_id, org.users_group)
    org.twin.settle()
    assert org.grafana.active_users() == {}


def test_without_deactivate_users_stay_active() -> None:
    org = example_org()
    org.provision(deactivate=False)
    org.twin.settle()
    org.twin.okta.remove_member(org.users_group, org.bob)
    assert org.twin.settle() == []
    assert sorted(org.grafana.active_users()) == ["ada@example.com", "bob@example.com"]


def test_a_profile_change_is_put() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    org.twin.okta.update_profile(org.ada, lastName="King")
    sent = org.twin.settle()
    assert [(d.method, d.body["name"]["familyName"]) for d in sent] == [("PUT", "King")]
    assert org.grafana.active_users()["ada@example.com"].name == "Ada King"


def test_a_push_mapping_becomes_a_team_with_its_members() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    mapping = org.twin.okta.create_mapping(org.app_id, org.users_group, None, None, "ACTIVE")
    org.twin.settle()
    assert org.grafana.teams(1) == {"grafana-users": ["ada@example.com", "bob@example.com"]}
    org.twin.okta.remove_member(org.users_group, org.bob)
    org.twin.settle()
    assert org.grafana.teams(1) == {"grafana-users": ["ada@example.com"]}
    org.twin.okta.update_mapping(org.app_id, mapping.id, "INACTIVE")
    org.twin.okta.add_member(org.users_group, org.cyd)
    org.twin.settle()
    # An INACTIVE mapping is not pushed: cyd is assigned through the group and provisioned as a
    # user, but does not join the team.
    assert org.grafana.teams(1) == {"grafana-users": ["ada@example.com"]}
    assert "cyd@example.com" in org.grafana.active_users()
    org.twin.okta.delete_mapping(org.app_id, mapping.id, delete_target_group=True)
    assert [(d.method, d.path) for d in org.twin.settle()] == [("DELETE", "Groups/00000003-twin")]
    assert org.grafana.teams(1) == {}


def test_a_mapping_deleted_without_the_target_group_keeps_the_team() -> None:
    org = example_org()
    org.provision()
    mapping = org.twin.okta.create_mapping(org.app_id, org.users_group, None, None, "ACTIVE")
    org.twin.settle()
    org.twin.okta.update_mapping(org.app_id, mapping.id, "INACTIVE")
    org.twin.okta.delete_mapping(org.app_id, mapping.id, delete_target_group=False)
    assert org.twin.settle() == []
    assert org.grafana.teams(1) == {"grafana-users": ["ada@example.com", "bob@example.com"]}


def test_a_refused_delivery_shows_as_errors_in_okta() -> None:
    org = example_org()
    org.provision()
    org.grafana.scim_config[NAMESPACE]["enableGroupSync"] = False
    mapping = org.twin.okta.create_mapping(org.app_id, org.users_group, None, None, "ACTIVE")
    org.twin.settle()
    assert org.twin.okta.mappings[mapping.id].status == "ERROR"
    assert "403" in (org.twin.okta.mappings[mapping.id].error_summary or "")
    org.grafana.scim_config[NAMESPACE]["enableUserSync"] = False
    org.twin.okta.update_profile(org.ada, lastName="King")
    org.twin.settle()
    assert org.twin.okta.app(org.app_id).app_users[org.ada].sync_state == "ERROR"


def test_user_name_comes_from_the_apps_template() -> None:
    org = example_org()
    org.twin.okta.app(org.app_id).doc["credentials"]["userNameTemplate"]["template"] = "${source.email}"
    org.twin.okta.update_profile(org.ada, email="ada.lovelace@example.com")
    org.provision()
    org.twin.settle()
    assert sorted(org.grafana.active_users()) == ["ada.lovelace@example.com", "bob@example.com"]


def test_a_delivery_failing_half_way_is_retried_at_the_next_settle() -> None:
    org = example_org()
    org.provision()
    view = org.twin.grafana_view(org.grafana.url)
    view.faults.add(Fault("POST", r"/Users$", status=500, after=1))
    org.twin.settle()
    assert sorted(org.grafana.active_users()) == ["ada@example.com"]
    assert org.twin.okta.app(org.app_id).app_users[org.bob].sync_state == "ERROR"
    org.twin.settle()
    assert sorted(org.grafana.active_users()) == ["ada@example.com", "bob@example.com"]
    assert org.twin.okta.app(org.app_id).app_users[org.bob].sync_state == "SYNCHRONIZED"
