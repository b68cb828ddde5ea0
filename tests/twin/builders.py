"""Small builders for the twin's own model tests: an Okta org with people and groups, a SAML app
shaped like the project's output, a Grafana Cloud stack with SAML and SCIM set up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .grafana import GrafanaInstance
from .twin import Twin

GRAFANA = "https://example.grafana.net"
STACK_ID = 123456
NAMESPACE = f"stacks-{STACK_ID}"
SCIM_BASE_URL = f"{GRAFANA}/apis/scim.grafana.app/v0alpha1/namespaces/{NAMESPACE}"
USER_ID = 'user.getInternalProperty("id")'


def statements(groups: dict[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """The attribute statements the project emits (login, email, name, uid, groups)."""
    out: list[dict[str, Any]] = [
        {"type": "EXPRESSION", "name": "login", "values": ["user.login"]},
        {"type": "EXPRESSION", "name": "email", "values": ["user.email"]},
        {"type": "EXPRESSION", "name": "displayName", "values": ['user.firstName + " " + user.lastName']},
        {"type": "EXPRESSION", "name": "userUID", "values": [USER_ID]},
    ]
    for name, (filter_type, value) in (groups or {"groups": ("REGEX", ".*")}).items():
        out.append({"type": "GROUP", "name": name, "filterType": filter_type, "filterValue": value})
    return out


def saml_app_body(label: str = "Grafana", url: str = GRAFANA, **sign_on: Any) -> dict[str, Any]:
    return {
        "label": label,
        "signOnMode": "SAML_2_0",
        "settings": {
            "signOn": {
                "ssoAcsUrl": f"{url}/saml/acs",
                "recipient": f"{url}/saml/acs",
                "destination": f"{url}/saml/acs",
                "audience": f"{url}/saml/metadata",
                "responseSigned": True,
                "assertionSigned": True,
                "attributeStatements": statements(),
                **sign_on,
            }
        },
    }


def saml_settings(app_id: str, org_url: str = "https://example.okta.com", **extra: Any) -> dict[str, Any]:
    """grafana_sso_settings' saml_settings as stored (snake_case)."""
    return {
        "enabled": True,
        "idp_metadata_url": f"{org_url}/api/v1/apps/{app_id}/sso/saml/metadata",
        "assertion_attribute_login": "login",
        "assertion_attribute_email": "email",
        "assertion_attribute_name": "displayName",
        "assertion_attribute_external_uid": "userUID",
        "assertion_attribute_role": "groups",
        "allow_sign_up": False,
        **extra,
    }


@dataclass
class Org:
    """The example org: ada (grafana-users, Grafana Admins), bob (grafana-users), cyd (no group)."""

    twin: Twin
    grafana: GrafanaInstance
    app_id: str
    users_group: str
    admins_group: str
    ada: str
    bob: str
    cyd: str

    def provision(self, deactivate: bool = True) -> None:
        """The admin switches SCIM on with a Grafana service account token, To App all on."""
        account = self.grafana.add_account("okta-scim", "None")
        token = self.grafana.add_token(account.id, "okta").key
        self.twin.okta.enable_provisioning(self.app_id, base_url=SCIM_BASE_URL, token=token)
        self.twin.okta.set_to_app(self.app_id, create=True, update=True, deactivate=deactivate)


def example_org(reject: bool = True, **saml: Any) -> Org:
    twin = Twin()
    grafana = twin.add_grafana(GRAFANA, kind="cloud", stack_id=STACK_ID, stack_slug="example")
    okta = twin.okta
    ada = okta.add_user("ada@example.com", "Ada", "Lovelace")
    bob = okta.add_user("bob@example.com", "Bob", "Babbage")
    cyd = okta.add_user("cyd@example.com", "Cyd", "Charisse")
    users = okta.add_group("grafana-users")
    admins = okta.add_group("Grafana Admins")
    for user in (ada, bob):
        okta.add_member(users, user)
    okta.add_member(admins, ada)
    app_id = okta.create_app(saml_app_body())["id"]
    okta.assign_group(app_id, users)
    grafana.sso["saml"] = saml_settings(app_id, **saml)
    grafana.scim_config[NAMESPACE] = {
        "enableUserSync": True,
        "enableGroupSync": True,
        "rejectNonProvisionedUsers": reject,
    }
    return Org(twin, grafana, app_id, users, admins, ada, bob, cyd)
