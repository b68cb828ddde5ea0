"""GrafanaSamlSettings: Grafana's SAML sign-in against an Okta app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from constructs import Construct

from ..errors import short
from ..spec import AssertionAttributes, Saml
from ..synth.parts import saml_settings_part
from ._parts import (
    add_part,
    assertion_attributes,
    check_rules,
    construct_path,
    part_integration,
    secret_value,
    spec_default,
)
from .secret import Secret

PROPS = {
    "saml.assertion_attributes.login": "assertion_attribute_login",
    "saml.assertion_attributes.email": "assertion_attribute_email",
    "saml.assertion_attributes.name": "assertion_attribute_name",
    "saml.assertion_attributes.groups": "assertion_attribute_groups",
    "saml.assertion_attributes.external_uid": "assertion_attribute_external_uid",
    "saml.role_attribute": "assertion_attribute_role",
    "saml.role_values.admin": "role_values_admin",
    "saml.role_values.editor": "role_values_editor",
    "saml.role_values.viewer": "role_values_viewer",
    "saml.allow_sign_up": "allow_sign_up",
    "saml.auto_login": "auto_login",
    "saml.name_id_format": "name_id_format",
    "saml.signature_algorithm": "signature_algorithm",
}


class GrafanaSamlSettings(Construct):
    """Grafana's SAML settings (`grafana_sso_settings`, provider "saml", named "Okta").

    Values are decided by the core, as `synth` writes them; when the key pair comes from references
    (variables, attributes), a lifecycle precondition keeps `certificate` and `private_key`
    together at plan time too. Without a key pair there is no precondition (nothing can be null).

    - idp_metadata_url: the Okta app's SAML metadata URL, e.g. `OktaSamlApp.metadata_url`; required.
    - entity_id: Grafana's entity id, e.g. `OktaSamlApp.entity_id`; required.
    - certificate, private_key: `Secret`s with the pair Grafana signs requests with (base64 of the
      PEM files, the key PKCS#8); set both or neither; default: none, requests are not signed.
    - assertion_attribute_login / _email / _name / _external_uid / _groups: the attribute names
      Grafana reads; default: "login", "email", "displayName", "userUID", "groups" (what
      `OktaSamlApp` sends). assertion_attribute_groups None: Grafana reads no groups.
    - assertion_attribute_role: the attribute carrying the role; default: None, roles come from
      the groups attribute when role_values_* is set (values are group names), else no mapping.
    - role_values_admin / _editor / _viewer: attribute values mapped to each role; default: none
      for that role.
    - allow_sign_up: create users on first sign-in; default: None, off (SCIM provisions users;
      sign-up would bypass it).
    - auto_login: skip Grafana's login page; default: False.
    - name_id_format: default: emailAddress (SAML 1.1).
    - signature_algorithm: "rsa-sha256" or "rsa-sha512"; default: "rsa-sha256".
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        idp_metadata_url: str,
        entity_id: str,
        certificate: Secret | None = None,
        private_key: Secret | None = None,
        assertion_attribute_login: str = spec_default(AssertionAttributes, "login"),
        assertion_attribute_email: str = spec_default(AssertionAttributes, "email"),
        assertion_attribute_name: str = spec_default(AssertionAttributes, "name"),
        assertion_attribute_external_uid: str = spec_default(AssertionAttributes, "external_uid"),
        assertion_attribute_groups: str | None = spec_default(AssertionAttributes, "groups"),
        assertion_attribute_role: str | None = spec_default(Saml, "role_attribute"),
        role_values_admin: Sequence[str] = (),
        role_values_editor: Sequence[str] = (),
        role_values_viewer: Sequence[str] = (),
        allow_sign_up: bool | None = spec_default(Saml, "allow_sign_up"),
        auto_login: bool = spec_default(Saml, "auto_login"),
        name_id_format: str = spec_default(Saml, "name_id_format"),
        signature_algorithm: Literal["rsa-sha256", "rsa-sha512"] = spec_default(Saml, "signature_algorithm"),
    ) -> None:
        path = construct_path(scope, construct_id)
        role_values = {"admin": role_values_admin, "editor": role_values_editor, "viewer": role_values_viewer}
        check_rules(
            path,
            [
                (
                    isinstance(idp_metadata_url, str) and idp_metadata_url != "",
                    f"idp_metadata_url: got {short(idp_metadata_url)}; expected a URL or token",
                ),
                (
                    isinstance(entity_id, str) and entity_id != "",
                    f"entity_id: got {short(entity_id)}; expected a URL or token",
                ),
                *(
                    (
                        value is None or isinstance(value, Secret),
                        f"{name}: got {type(value).__name__}; expected a Secret (Secret.from_variable(...))",
                    )
                    for name, value in (("certificate", certificate), ("private_key", private_key))
                ),
                (
                    (certificate is None) == (private_key is None),
                    f"certificate/private_key: got only {'certificate' if certificate else 'private_key'}; "
                    "expected both or neither",
                ),
                (
                    assertion_attribute_role is not None
                    or assertion_attribute_groups is not None
                    or not any(role_values.values()),
                    "assertion_attribute_role: got None with no groups attribute; expected an "
                    "attribute name when role_values_* is set",
                ),
                *(
                    (
                        isinstance(values, Sequence) and not isinstance(values, str),
                        f"role_values_{role}: got {short(values)}; expected a list of values",
                    )
                    for role, values in role_values.items()
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
                    "role_values": (
                        {role: list(values) for role, values in role_values.items()}
                        if any(role_values.values())
                        else None
                    ),
                    "allow_sign_up": allow_sign_up,
                    "auto_login": auto_login,
                    "name_id_format": name_id_format,
                    "signature_algorithm": signature_algorithm,
                },
            },
            {"kind": "enterprise"},
            PROPS,
        )
        super().__init__(scope, construct_id)
        add_part(
            self,
            saml_settings_part(
                integration,
                idp_metadata_url,
                entity_id,
                secret_value(certificate),
                secret_value(private_key),
            ),
        )
