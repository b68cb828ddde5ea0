"""OktaSamlApp: the Okta SAML app Grafana signs in with, and the groups assigned to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from constructs import Construct

from ..errors import short
from ..spec import AssertionAttributes, GroupAssignment, GroupsFilter, OktaApp, Saml
from ..synth import derive
from ..synth.parts import okta_app_part
from ._parts import (
    add_part,
    assertion_attributes,
    check_rules,
    construct_path,
    part_integration,
    spec_default,
)

PROPS = {
    "grafana.url": "grafana_url",
    "okta_app.label": "label",
    "okta_app.assignments": "assignments",
    "okta_app.groups_filter.type": "groups_filter_type",
    "okta_app.groups_filter.value": "groups_filter_value",
    "saml.assertion_attributes.login": "assertion_attribute_login",
    "saml.assertion_attributes.email": "assertion_attribute_email",
    "saml.assertion_attributes.name": "assertion_attribute_name",
    "saml.assertion_attributes.groups": "assertion_attribute_groups",
    "saml.assertion_attributes.external_uid": "assertion_attribute_external_uid",
    "saml.role_attribute": "assertion_attribute_role",
    "saml.name_id_format": "name_id_format",
    "saml.signature_algorithm": "signature_algorithm",
}


class OktaSamlApp(Construct):
    """The Okta SAML app integration for one Grafana, with its attribute statements and groups.

    Writes `okta_app_saml` (SSO/recipient/destination at Grafana's ACS URL, audience Grafana's
    entity id, signed response and assertion) and, with `assignments`, `okta_app_group_assignments`
    (groups given by name are looked up with `data.okta_group`). Values are decided by the core.

    - grafana_url: https URL of the Grafana (a literal, sub-path allowed); required.
    - label: the app label in Okta; default: "Grafana".
    - assertion_attribute_login / _email / _name / _external_uid: the attribute statement names
      carrying user.login, user.email, user.displayName and the Okta user id; default: "login",
      "email", "displayName", "userUID" (what Grafana reads by default).
    - assertion_attribute_groups: the group attribute statement name; default: "groups". None
      sends no groups.
    - groups_filter_type / groups_filter_value: which groups the group attribute carries;
      default: "REGEX" ".*", every group of the user.
    - assertion_attribute_role: an attribute sent from the Okta profile attribute of the same
      name; default: None, no role attribute.
    - name_id_format: the subject NameID format; default: emailAddress (SAML 1.1).
    - signature_algorithm: "rsa-sha256" or "rsa-sha512"; default: "rsa-sha256".
    - assignments: `GroupAssignment(group=name | group_id=id, priority=n)` items; default: none,
      no group is assigned.

    Attributes: `app_id`, `metadata_url` (tokens), `entity_id`, `acs_url` (strings).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        grafana_url: str,
        label: str = spec_default(OktaApp, "label"),
        assertion_attribute_login: str = spec_default(AssertionAttributes, "login"),
        assertion_attribute_email: str = spec_default(AssertionAttributes, "email"),
        assertion_attribute_name: str = spec_default(AssertionAttributes, "name"),
        assertion_attribute_external_uid: str = spec_default(AssertionAttributes, "external_uid"),
        assertion_attribute_groups: str | None = spec_default(AssertionAttributes, "groups"),
        groups_filter_type: Literal["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"] = spec_default(
            GroupsFilter, "type"
        ),
        groups_filter_value: str = spec_default(GroupsFilter, "value"),
        assertion_attribute_role: str | None = spec_default(Saml, "role_attribute"),
        name_id_format: str = spec_default(Saml, "name_id_format"),
        signature_algorithm: Literal["rsa-sha256", "rsa-sha512"] = spec_default(Saml, "signature_algorithm"),
        assignments: Sequence[GroupAssignment] = (),
    ) -> None:
        path = construct_path(scope, construct_id)
        check_rules(
            path,
            [
                (
                    isinstance(assignments, Sequence)
                    and all(isinstance(a, GroupAssignment) for a in assignments),
                    f"assignments: got {short(assignments)}; expected a list of GroupAssignment(...)",
                ),
            ],
        )
        integration = part_integration(
            path,
            {
                "saml": {
                    "assertion_attributes": assertion_attributes(
                        assertion_attribute_login,
                        assertion_attribute_email,
                        assertion_attribute_name,
                        assertion_attribute_groups,
                        assertion_attribute_external_uid,
                    ),
                    "role_attribute": assertion_attribute_role,
                    "name_id_format": name_id_format,
                    "signature_algorithm": signature_algorithm,
                },
                "okta_app": {
                    "label": label,
                    "assignments": list(assignments),
                    "groups_filter": {"type": groups_filter_type, "value": groups_filter_value},
                },
            },
            {"kind": "enterprise", "url": grafana_url},
            PROPS,
        )
        super().__init__(scope, construct_id)
        self._app = add_part(self, okta_app_part(integration)).resource("okta_app_saml")
        self.entity_id: str = derive.entity_id(integration)
        """Grafana's SAML entity id (the app's audience)."""
        self.acs_url: str = derive.acs_url(integration)
        """Grafana's assertion consumer service URL (the app's SSO URL)."""

    @property
    def app_id(self) -> str:
        """Token: id of the Okta app."""
        return self._app.get_string_attribute("id")

    @property
    def metadata_url(self) -> str:
        """Token: the app's SAML metadata URL (Grafana's `idp_metadata_url`)."""
        return self._app.get_string_attribute("metadata_url")
