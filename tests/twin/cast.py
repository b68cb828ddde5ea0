"""The people, Grafanas and hand-made Okta objects the twin scenarios share, and the outcome
most of them expect, stated by hand."""

from __future__ import annotations

from .scenario import Grafana, Person, Scenario

CLOUD = Grafana("https://example.grafana.net", "cloud", 123456, "example")
STAGING = Grafana("https://example-staging.grafana.net", "cloud", 654321, "example-staging")
ENTERPRISE = Grafana("https://grafana.example.com", "enterprise")
SUBPATH = Grafana("https://tools.example.com/grafana", "enterprise", orgs=2)

ADA = Person("Ada", "Lovelace", ("grafana-users",))
GRACE = Person("Grace", "Hopper", ("grafana-users",))
ALAN = Person("Alan", "Turing", ("grafana-admins",))
EVE = Person("Eve", "Outsider", ())

REFUSED = "refused"
VIEWER = {1: "Viewer"}


def ada_grace(s: Scenario) -> None:
    """Ada and Grace (grafana-users) are provisioned and sign in as org 1 Viewers; Eve is not
    assigned to the app."""
    assert s.active() == {"ada@example.com", "grace@example.com"}
    signins = s.sign_ins()
    assert signins["ada@example.com"] == VIEWER, s.refusals
    assert signins["grace@example.com"] == VIEWER, s.refusals
    assert signins["eve@example.com"] == REFUSED


def nobody_yet(s: Scenario) -> None:
    """Phase 1, provisioning still off: nobody exists in Grafana, nobody signs in."""
    assert s.active() == set()
    assert set(s.sign_ins().values()) == {REFUSED}
    assert s.teams() == {}


def hand_made_app(s: Scenario, extras: bool = True) -> tuple[str, str, str]:
    """What an admin built before Terraform: a Grafana SAML app under its own sign-on policy,
    grafana-users assigned, and (`extras`) settings the adopt example does not mention (a
    username template, forced re-authentication); a service account."""
    okta = s.twin.okta
    template = "${source.email}" if extras else "${source.login}"
    app = okta.create_app(
        {
            "label": "Grafana",
            "signOnMode": "SAML_2_0",
            "credentials": {
                "userNameTemplate": {"template": template, "type": "CUSTOM" if extras else "BUILT_IN"}
            },
            "settings": {
                "signOn": {
                    "ssoAcsUrl": "https://example.grafana.net/saml/acs",
                    "recipient": "https://example.grafana.net/saml/acs",
                    "destination": "https://example.grafana.net/saml/acs",
                    "audience": "https://example.grafana.net/saml/metadata",
                    "subjectNameIdTemplate": "${user.userName}",
                    "subjectNameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
                    "honorForceAuthn": extras,
                    "attributeStatements": [],
                }
            },
        }
    )
    policy = okta.add_policy("Grafana: MFA required")
    okta.set_policy(app["id"], policy)
    okta.assign_group(app["id"], s.group_ids["grafana-users"], priority=0)
    account = s.grafana().add_account("okta-scim", role="Admin")
    return app["id"], policy, f"1:{account.id}"
