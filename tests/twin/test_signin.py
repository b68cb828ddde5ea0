"""Sign-in through the twin: Okta's signed assertion, Grafana's checks and its mapping rules."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.twin import TwinUnsupported
from tests.twin.builders import GRAFANA, NAMESPACE, example_org
from tests.twin.signin import SAML, accept, split_string


def test_grafanas_split_string() -> None:
    assert split_string("Grafana Admins, ops") == ["Grafana", "Admins", "ops"]
    assert split_string('["Grafana Admins", "ops"]') == ["Grafana Admins", "ops"]
    assert split_string(" [broken") == []
    assert split_string("") == []


def test_the_assertion_carries_the_apps_attribute_statements() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    signed = org.twin.sign_in("ada@example.com", GRAFANA)
    assert signed.ok, signed.reason
    assert signed.attributes == {
        "login": ["ada@example.com"],
        "email": ["ada@example.com"],
        "displayName": ["Ada Lovelace"],
        "userUID": [org.ada],
        "groups": ["Grafana Admins", "grafana-users"],
    }
    assert (signed.provenance, signed.roles) == ("saml", {1: "Viewer"})


def test_group_filters() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    on = org.twin.okta.app(org.app_id).doc["settings"]["signOn"]
    on["attributeStatements"] = [
        {
            "type": "GROUP",
            "name": "regex",
            "filterType": "REGEX",
            "filterValue": "grafana-.*",
            "namespace": "",
        },
        {
            "type": "GROUP",
            "name": "starts",
            "filterType": "STARTS_WITH",
            "filterValue": "Grafana",
            "namespace": "",
        },
        {
            "type": "GROUP",
            "name": "equals",
            "filterType": "EQUALS",
            "filterValue": "grafana-users",
            "namespace": "",
        },
        {
            "type": "GROUP",
            "name": "contains",
            "filterType": "CONTAINS",
            "filterValue": "Admin",
            "namespace": "",
        },
        {"type": "GROUP", "name": "none", "filterType": "EQUALS", "filterValue": "nobody", "namespace": ""},
        {"type": "EXPRESSION", "name": "login", "values": ["user.login"], "namespace": ""},
    ]
    for statement in on["attributeStatements"]:
        statement["namespace"] = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
    attributes = org.twin.sign_in("ada@example.com", GRAFANA).attributes
    assert attributes == {
        "regex": ["grafana-users"],
        "starts": ["Grafana Admins"],
        "equals": ["grafana-users"],
        "contains": ["Grafana Admins"],
        "login": ["ada@example.com"],
    }


def test_a_tampered_assertion_is_refused() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    signed = org.twin.sign_in("bob@example.com", GRAFANA)
    assert signed.ok
    root = etree.fromstring(signed.response)
    value = root.find(f".//{{{SAML}}}Attribute[@Name='login']/{{{SAML}}}AttributeValue")
    assert value is not None
    value.text = "ada@example.com"
    app = org.twin.okta.app(org.app_id)
    result = accept(
        org.twin, org.grafana, org.grafana.sso["saml"], etree.tostring(root), "id-grafana-" + org.bob, app
    )
    assert not result.ok and "signature" in result.reason


def test_audience_and_recipient_must_be_grafanas() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    org.twin.okta.app(org.app_id).doc["settings"]["signOn"]["audience"] = (
        "https://other.example.com/saml/metadata"
    )
    assert "audience" in org.twin.sign_in("ada@example.com", GRAFANA).reason
    org = example_org(reject=False, allow_sign_up=True)
    org.twin.okta.app(org.app_id).doc["settings"]["signOn"]["recipient"] = "https://old.example.com/saml/acs"
    assert "recipient" in org.twin.sign_in("ada@example.com", GRAFANA).reason


def test_okta_refuses_an_unassigned_user() -> None:
    org = example_org()
    signed = org.twin.sign_in("cyd@example.com", GRAFANA)
    assert (signed.ok, signed.reason) == (False, "okta: the user is not assigned to the app")


def test_reject_non_provisioned_users_refuses_until_scim_provisioned() -> None:
    org = example_org(reject=True, allow_sign_up=True)
    refused = org.twin.sign_in("ada@example.com", GRAFANA)
    assert not refused.ok
    assert "reject_non_provisioned_users" in refused.reason
    org.provision()
    org.twin.settle()
    signed = org.twin.sign_in("ada@example.com", GRAFANA)
    assert (signed.ok, signed.provenance) == (True, "scim")


def test_without_sign_up_only_existing_users_get_in() -> None:
    org = example_org(reject=False, allow_sign_up=False)
    assert "allow_sign_up" in org.twin.sign_in("ada@example.com", GRAFANA).reason
    org.grafana.add_user("ada@example.com", provenance="local")
    assert org.twin.sign_in("ada@example.com", GRAFANA).ok


def test_a_disabled_grafana_user_cannot_sign_in() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    bob = org.grafana.user_by_login("bob@example.com")
    assert bob is not None
    bob.active = False  # a Grafana admin disabled him; Okta still assigns him
    assert "disabled" in org.twin.sign_in("bob@example.com", GRAFANA).reason


def test_external_uid_links_the_saml_user_to_the_scim_user() -> None:
    org = example_org()
    org.provision()
    org.twin.settle()
    scim_user = org.grafana.user_by_login("ada@example.com")
    assert scim_user is not None
    # The login changes in Okta before SCIM pushes it: the uid still finds the SCIM user.
    org.twin.okta.update_profile(org.ada, login="ada.l@example.com", email="ada.l@example.com")
    signed = org.twin.sign_in("ada.l@example.com", GRAFANA)
    assert (signed.ok, signed.login) == (True, "ada@example.com")
    # Without the uid statement Grafana looks the login up, and finds nobody it may sign up.
    on = org.twin.okta.app(org.app_id).doc["settings"]["signOn"]
    on["attributeStatements"] = [s for s in on["attributeStatements"] if s["name"] != "userUID"]
    assert not org.twin.sign_in("ada.l@example.com", GRAFANA).ok


def test_role_values_with_spaces_are_split_unless_a_json_list() -> None:
    org = example_org(reject=False, allow_sign_up=True, role_values_admin="Grafana Admins, ops")
    # "Grafana Admins" splits into "Grafana" and "Admins": ada's group matches neither.
    assert org.twin.sign_in("ada@example.com", GRAFANA).roles == {1: "Viewer"}
    admins = org.twin.okta.add_group("Admins")
    org.twin.okta.add_member(admins, org.bob)
    assert org.twin.sign_in("bob@example.com", GRAFANA).roles == {1: "Admin"}
    org.grafana.sso["saml"]["role_values_admin"] = '["Grafana Admins", "ops"]'
    assert org.twin.sign_in("ada@example.com", GRAFANA).roles == {1: "Admin"}
    assert org.twin.sign_in("bob@example.com", GRAFANA).roles == {1: "Viewer"}


def test_org_sync_replaces_memberships_unless_skipped() -> None:
    org = example_org(
        reject=False,
        allow_sign_up=True,
        assertion_attribute_org="org",
        org_mapping="org-2:2:Viewer",
    )
    org.grafana.add_org("Team B")
    on = org.twin.okta.app(org.app_id).doc["settings"]["signOn"]
    on["attributeStatements"].append(
        {
            "type": "EXPRESSION",
            "name": "org",
            "values": ['"org-2"'],
            "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
        }
    )
    ada = org.grafana.add_user("ada@example.com", provenance="local", orgs={1: "Admin", 2: "Editor"})
    signed = org.twin.sign_in("ada@example.com", GRAFANA)
    # The constant org attribute maps everyone to org 2 as Viewer: org 1 membership is gone.
    assert signed.roles == {2: "Viewer"}
    assert ada.orgs == {2: "Viewer"}
    ada.orgs = {1: "Admin", 2: "Editor"}
    org.grafana.sso["saml"]["skip_org_role_sync"] = True
    assert org.twin.sign_in("ada@example.com", GRAFANA).roles == {1: "Admin", 2: "Editor"}


def test_idp_initiated_needs_allow_idp_initiated() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    refused = org.twin.sign_in("ada@example.com", GRAFANA, idp_initiated=True)
    assert "allow_idp_initiated" in refused.reason
    org.grafana.sso["saml"]["allow_idp_initiated"] = True
    assert org.twin.sign_in("ada@example.com", GRAFANA, idp_initiated=True).ok


def test_an_expression_the_twin_cannot_evaluate_fails_loudly() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    on = org.twin.okta.app(org.app_id).doc["settings"]["signOn"]
    on["attributeStatements"][0]["values"] = ['String.substringBefore(user.login, "@")']
    with pytest.raises(TwinUnsupported, match="okta expression"):
        org.twin.sign_in("ada@example.com", GRAFANA)


def test_unsigned_responses_are_refused() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    on = org.twin.okta.app(org.app_id).doc["settings"]["signOn"]
    on["assertionSigned"] = on["responseSigned"] = False
    assert "signed" in org.twin.sign_in("ada@example.com", GRAFANA).reason
    on["responseSigned"] = True
    assert org.twin.sign_in("ada@example.com", GRAFANA).ok
    assert NAMESPACE  # the builders' namespace is the stack's


def test_an_old_response_is_refused() -> None:
    org = example_org(reject=False, allow_sign_up=True)
    signed = org.twin.sign_in("ada@example.com", GRAFANA)
    org.twin.clock.advance(minutes=10)
    app = org.twin.okta.app(org.app_id)
    settings = org.grafana.sso["saml"]
    replayed = accept(org.twin, org.grafana, settings, signed.response, "id-grafana-" + org.ada, app)
    assert not replayed.ok and "NotOnOrAfter" in replayed.reason


def test_allowed_organizations_needs_one_of_the_org_attribute_values() -> None:
    org = example_org(reject=False, allow_sign_up=True, assertion_attribute_org="groups")
    org.grafana.sso["saml"]["allowed_organizations"] = '["Grafana Admins"]'
    assert org.twin.sign_in("ada@example.com", GRAFANA).ok
    assert "allowed_organizations" in org.twin.sign_in("bob@example.com", GRAFANA).reason
