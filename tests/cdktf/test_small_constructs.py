"""The small constructs, alone and composed with a user's own resources, on the synthesized JSON.

One app with two stacks is synthesized once per module; each test reads it.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from constructs import Construct

from grafana_okta_scim import build, example_spec
from grafana_okta_scim.constructs import (
    GrafanaSamlSettings,
    GrafanaScimConfig,
    GrafanaServiceAccount,
    GroupAssignment,
    OktaProvisioning,
    OktaSamlApp,
    PropsError,
    Secret,
    TokenRotation,
    TokenSettings,
    cdk,
    okta,
)
from grafana_okta_scim.spec import (
    AssertionAttributes,
    GroupsFilter,
    OktaApp,
    Saml,
    ScimSettings,
    ServiceAccount,
    ToApp,
)

GRAFANA_URL = "https://grafana.example.com/grafana"
BASE_URL = f"{GRAFANA_URL}/apis/scim.grafana.app/v0alpha1/namespaces/default"
Synth = dict[str, Any]


class Composed:
    """A user's stack: every small construct wired together, plus resources of the user's own."""

    def __init__(self, stack: cdk.TerraformStack) -> None:
        self.app = OktaSamlApp(
            stack,
            "app",
            grafana_url=GRAFANA_URL,
            label="Grafana prod",
            assignments=[
                GroupAssignment(group="grafana-admins"),
                GroupAssignment(group_id="00g1", priority=1),
            ],
        )
        self.account = GrafanaServiceAccount(
            stack,
            "account",
            role="None",
            fixed_roles=["fixed:org.users:writer"],
        )
        self.scim = GrafanaScimConfig(stack, "scim", group_sync=True)
        cert = cdk.TerraformVariable(stack, "saml_cert", type="string", sensitive=True)
        key = cdk.TerraformVariable(stack, "saml_key", type="string", sensitive=True)
        self.saml = GrafanaSamlSettings(
            stack,
            "saml",
            idp_metadata_url=self.app.metadata_url,
            entity_id=self.app.entity_id,
            certificate=Secret.from_variable(cert),
            private_key=Secret.from_variable(key),
        )
        self.provisioning = OktaProvisioning(
            stack,
            "provisioning",
            app_id=self.app.app_id,
            base_url=BASE_URL,
            token=self.account.token,
            deactivate_users=False,
        )
        # The user's own: a claim on the same app, and the token as a sensitive output.
        okta.OktaAppFederatedClaim(
            stack, "department", app_id=self.app.app_id, name="department", expression="user.department"
        )
        cdk.TerraformOutput(stack, "scim_token", value=self.account.token.unwrap(), sensitive=True)


class Alone(Construct):
    """Constructs used alone, in their other shapes (Cloud API, rotating token, defaults)."""

    def __init__(self, stack: cdk.TerraformStack) -> None:
        super().__init__(stack, "alone")
        GrafanaServiceAccount(
            self,
            "cloud",
            name="okta",
            via="cloud_api",
            stack_slug="acme",
            token=TokenSettings(
                rotation=TokenRotation(seconds_to_live=86400, early_rotation_window_seconds=3600)
            ),
        )
        GrafanaServiceAccount(self, "second")
        GrafanaSamlSettings(
            self,
            "saml",
            idp_metadata_url="https://acme.okta.com/app/x/sso/saml/metadata",
            entity_id="https://acme.grafana.net/saml/metadata",
        )


@pytest.fixture(scope="module")
def composed() -> tuple[Composed, str]:
    stack = cdk.TerraformStack(cdk.Testing.app(), "infra")
    return Composed(stack), cdk.Testing.synth(stack)


@pytest.fixture(scope="module")
def alone() -> str:
    stack = cdk.TerraformStack(cdk.Testing.app(), "alone")
    Alone(stack)
    return cdk.Testing.synth(stack)


def elements(synthesized: str, type_name: str, section: str = "resource") -> dict[str, Any]:
    """Logical id -> body of every `type_name` element."""
    return json.loads(synthesized).get(section, {}).get(type_name, {})


def only(synthesized: str, type_name: str, section: str = "resource") -> tuple[str, dict[str, Any]]:
    """The one `type_name` element: (address, body)."""
    found = elements(synthesized, type_name, section)
    assert len(found) == 1, found
    ((name, body),) = found.items()
    return (f"data.{type_name}.{name}" if section == "data" else f"{type_name}.{name}"), body


# -- GrafanaServiceAccount ---------------------------------------------------------------------
def test_service_account_with_fixed_roles(composed: tuple[Composed, str]) -> None:
    # GIVEN role None and one fixed role  WHEN synthesized
    _, synthesized = composed
    account, _ = only(synthesized, "grafana_service_account")
    lookup, lookup_body = only(synthesized, "grafana_role", "data")
    # THEN the account, a token named after it, the role looked up and assigned to the account
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized, "grafana_service_account", {"name": "okta-scim", "role": "None"}
    )
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized,
        "grafana_service_account_token",
        {"name": "okta-scim-okta", "service_account_id": f"${{{account}.id}}"},
    )
    local = re.fullmatch(r"\$\{toset\(local\.(\w+)\)\}", lookup_body["for_each"])
    assert local and json.loads(synthesized)["locals"][local[1]] == ["fixed:org.users:writer"]
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized,
        "grafana_role_assignment_item",
        {
            "for_each": f"${{{lookup}}}",
            "role_uid": "${each.value.uid}",
            "service_account_id": f"${{{account}.id}}",
        },
    )


def test_service_account_through_the_cloud_api_with_a_rotating_token(alone: str) -> None:
    # GIVEN via cloud_api and a rotating token  WHEN synthesized  THEN the Cloud API resources
    account, _ = only(alone, "grafana_cloud_stack_service_account")
    assert cdk.Testing.to_have_resource_with_properties(
        alone, "grafana_cloud_stack_service_account", {"stack_slug": "acme", "name": "okta", "role": "Admin"}
    )
    assert cdk.Testing.to_have_resource_with_properties(
        alone,
        "grafana_cloud_stack_service_account_rotating_token",
        {
            "stack_slug": "acme",
            "name_prefix": "okta-okta",
            "seconds_to_live": 86400,
            "early_rotation_window_seconds": 3600,
            "service_account_id": f"${{{account}.id}}",
        },
    )


def test_two_service_accounts_in_one_stack_get_their_own_addresses(alone: str) -> None:
    # GIVEN "second" beside nothing else of its kind  THEN defaults, and no name clash with "cloud"
    ((name, body),) = elements(alone, "grafana_service_account").items()
    assert name.startswith("alone_second_")
    assert body == {"name": "okta-scim", "role": "Admin"}
    assert len(elements(alone, "grafana_service_account_token")) == 1


# -- OktaSamlApp -------------------------------------------------------------------------------
def test_saml_app_points_at_grafana(composed: tuple[Composed, str]) -> None:
    # GIVEN a Grafana under a sub-path  WHEN synthesized  THEN Okta posts to its ACS URL
    _, synthesized = composed
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized,
        "okta_app_saml",
        {
            "label": "Grafana prod",
            "sso_url": "https://grafana.example.com/grafana/saml/acs",
            "recipient": "https://grafana.example.com/grafana/saml/acs",
            "audience": "https://grafana.example.com/grafana/saml/metadata",
            "signature_algorithm": "RSA_SHA256",
            "digest_algorithm": "SHA256",
            "subject_name_id_template": "$${user.userName}",
        },
    )


def test_saml_app_assigns_groups_by_name_and_by_id(composed: tuple[Composed, str]) -> None:
    _, synthesized = composed
    app, _ = only(synthesized, "okta_app_saml")
    lookup, _ = only(synthesized, "okta_group", "data")
    _, assignments = only(synthesized, "okta_app_group_assignments")
    assert assignments == {
        "app_id": f"${{{app}.id}}",
        "group": [
            {"id": f'${{{lookup}["grafana-admins"].id}}', "priority": 0},
            {"id": "00g1", "priority": 1},
        ],
    }


# -- GrafanaScimConfig -------------------------------------------------------------------------
def test_scim_config(composed: tuple[Composed, str]) -> None:
    _, synthesized = composed
    _, body = only(synthesized, "grafana_scim_config")
    assert body == {
        "enable_user_sync": True,
        "enable_group_sync": True,
        "reject_non_provisioned_users": False,
    }


# -- GrafanaSamlSettings -----------------------------------------------------------------------
def test_saml_settings_read_the_app_and_the_secret_variables(composed: tuple[Composed, str]) -> None:
    # GIVEN the app's metadata URL and a key pair from sensitive variables  WHEN synthesized
    _, synthesized = composed
    app, _ = only(synthesized, "okta_app_saml")
    _, body = only(synthesized, "grafana_sso_settings")
    # THEN Grafana reads the app's metadata, signs with the variables, and checks them as a pair
    (settings,) = body["saml_settings"]
    assert settings["idp_metadata_url"] == f"${{{app}.metadata_url}}"
    assert settings["entity_id"] == "https://grafana.example.com/grafana/saml/metadata"
    assert (settings["certificate"], settings["private_key"]) == ("${var.saml_cert}", "${var.saml_key}")
    (precondition,) = body["lifecycle"]["precondition"]
    assert precondition["condition"] == "${(var.saml_cert == null) == (var.saml_key == null)}"
    assert body["provider_name"] == "saml"


def test_saml_settings_without_a_key_pair_write_none(alone: str) -> None:
    _, body = only(alone, "grafana_sso_settings")
    (settings,) = body["saml_settings"]
    assert "certificate" not in settings and "private_key" not in settings
    assert "lifecycle" not in body  # nothing that could be null: no key pair precondition


# -- OktaProvisioning --------------------------------------------------------------------------
def test_provisioning_connects_the_app_with_the_token(composed: tuple[Composed, str]) -> None:
    # GIVEN the app id, base URL and the service account's token  WHEN synthesized
    _, synthesized = composed
    app, _ = only(synthesized, "okta_app_saml")
    token, _ = only(synthesized, "grafana_service_account_token")
    connection, body = only(synthesized, "okta_app_connection")
    # THEN the connection authenticates with the token key, and features wait for it
    assert body == {
        "id": f"${{{app}.id}}",
        "base_url": BASE_URL,
        "action": "activate",
        "profile": {"auth_scheme": "TOKEN", "token": f"${{{token}.key}}"},
        # Read sets action "" while Okta reports UNKNOWN: no perpetual diff (finding 1).
        "lifecycle": {"ignore_changes": ["action"]},
    }
    _, features = only(synthesized, "okta_app_features")
    assert features["depends_on"] == [connection]
    assert features["capabilities"]["update"]["password"] == {
        "status": "DISABLED", "seed": "RANDOM", "change": "KEEP_EXISTING",
    }  # fmt: skip
    assert features["capabilities"]["update"]["lifecycle_deactivate"] == {"status": "DISABLED"}
    assert features["capabilities"]["create"]["lifecycle_create"] == {"status": "ENABLED"}


def test_provisioning_warns_that_okta_may_not_support_it(composed: tuple[Composed, str]) -> None:
    scim, _ = composed
    messages = [str(entry.data) for entry in scim.provisioning.node.metadata]
    assert any("status UNKNOWN for a custom SAML app" in message for message in messages)


# -- composed with the user's own resources ------------------------------------------------------
def test_user_resources_use_the_tokens(composed: tuple[Composed, str]) -> None:
    _, synthesized = composed
    app, _ = only(synthesized, "okta_app_saml")
    token, _ = only(synthesized, "grafana_service_account_token")
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized, "okta_app_federated_claim", {"app_id": f"${{{app}.id}}", "name": "department"}
    )
    output = json.loads(synthesized)["output"]["scim_token"]
    assert output == {"value": f"${{{token}.key}}", "sensitive": True}


def test_parts_write_what_the_l3_construct_writes() -> None:
    # GIVEN the example spec  WHEN each part is given the same settings as props
    spec = example_spec()
    integration = spec.integrations[0]
    native = build(spec)[integration.name].to_json()["resource"]
    stack = cdk.TerraformStack(cdk.Testing.app(), "same")
    saml, app = integration.saml, integration.okta_app
    OktaSamlApp(
        stack,
        "app",
        grafana_url=integration.grafana.url,
        label=app.label,
        assignments=app.assignments,
        groups_filter_type=app.groups_filter.type,
        groups_filter_value=app.groups_filter.value,
    )
    GrafanaScimConfig(stack, "scim", **integration.scim.model_dump())
    pem = [
        Secret.from_variable(cdk.TerraformVariable(stack, name, type="string", sensitive=True))
        for name in ("cert", "key")
    ]
    GrafanaSamlSettings(
        stack,
        "saml",
        idp_metadata_url="m",
        entity_id=f"{integration.grafana.url}/saml/metadata",
        certificate=pem[0],
        private_key=pem[1],
        allow_sign_up=saml.allow_sign_up,
        auto_login=saml.auto_login,
    )
    synthesized = json.loads(cdk.Testing.synth(stack))["resource"]

    # THEN every literal attribute equals the native one (references differ only in name)
    def literals(body: Any) -> Any:
        if isinstance(body, dict):
            return {k: literals(v) for k, v in body.items() if k != "lifecycle"}
        if isinstance(body, list):
            return [literals(v) for v in body]
        return "<ref>" if (isinstance(body, str) and body.startswith("${")) or body == "m" else body

    for type_name in (
        "okta_app_saml",
        "grafana_scim_config",
        "grafana_sso_settings",
        "okta_app_group_assignments",
    ):
        if type_name not in native:
            continue
        (mine,) = synthesized[type_name].values()
        assert literals(mine) == literals(native[type_name][integration.name]), type_name


# -- props ---------------------------------------------------------------------------------------
INVALID: list[tuple[str, Callable[[Construct], object], str]] = [
    (
        "role",
        lambda s: GrafanaServiceAccount(s, "x", role="Owner"),
        r"^infra/x: role: got 'Owner'; expected 'Admin', 'Editor', 'Viewer' or 'None'$",
    ),
    (
        "fixed_roles with role None",
        lambda s: GrafanaServiceAccount(s, "x", role="None"),
        r"^infra/x: fixed_roles: got \[\]; expected fixed:org.users:writer",
    ),
    (
        "fixed_roles item",
        lambda s: GrafanaServiceAccount(s, "x", fixed_roles=["admin"]),
        r"^infra/x: fixed_roles\[0\]: got 'admin'; expected a string matching pattern",
    ),
    (
        "stack_slug",
        lambda s: GrafanaServiceAccount(s, "x", via="cloud_api"),
        r"^infra/x: stack_slug: got None; expected the Grafana Cloud stack slug",
    ),
    (
        "token",
        lambda s: GrafanaServiceAccount(s, "x", token=3600),  # type: ignore[arg-type]
        r"^infra/x: token: got 3600; expected TokenSettings",
    ),
    (
        "grafana_url",
        lambda s: OktaSamlApp(s, "x", grafana_url="http://grafana"),
        r"^infra/x: grafana_url: got 'http://grafana'; expected an https URL$",
    ),
    (
        "groups_filter_type",
        lambda s: OktaSamlApp(s, "x", grafana_url=GRAFANA_URL, groups_filter_type="ALL"),
        r"^infra/x: groups_filter_type: got 'ALL'; expected 'STARTS_WITH'",
    ),
    (
        "user_sync",
        lambda s: GrafanaScimConfig(s, "x", user_sync="yes"),  # type: ignore[arg-type]
        r"^infra/x: user_sync: got 'yes'; expected a valid boolean$",
    ),
    (
        "certificate alone",
        lambda s: GrafanaSamlSettings(
            s, "x", idp_metadata_url="u", entity_id="e", certificate=Secret.unsafe_plain_text("pem")
        ),
        r"^infra/x: certificate/private_key: got only certificate; expected both or neither$",
    ),
    (
        "role values",
        lambda s: GrafanaSamlSettings(
            s,
            "x",
            idp_metadata_url="u",
            entity_id="e",
            role_values_admin=["admins"],
            assertion_attribute_groups=None,
        ),
        r"^infra/x: assertion_attribute_role: got None with no groups attribute; expected",
    ),
    (
        "plain token",
        lambda s: OktaProvisioning(s, "x", app_id="0oa1", base_url=BASE_URL, token="glsa_secret"),  # type: ignore[arg-type]
        r"^infra/x: token: got str; expected a Secret",
    ),
]


@pytest.mark.parametrize(("case", "make", "message"), INVALID, ids=[case for case, _, _ in INVALID])
def test_invalid_props_name_the_construct_path_and_prop(
    case: str, make: Callable[[Construct], object], message: str
) -> None:
    # GIVEN an empty stack  WHEN a construct gets an invalid prop
    stack = cdk.TerraformStack(cdk.Testing.app(), "infra")
    # THEN the error names path, prop, value got and expected, and nothing joins the tree
    with pytest.raises(PropsError, match=message):
        make(stack)
    assert stack.node.children == []


def test_secrets_never_print_and_come_from_sensitive_values() -> None:
    stack = cdk.TerraformStack(cdk.Testing.app(), "infra")
    plain = cdk.TerraformVariable(stack, "plain", type="string")
    with pytest.raises(PropsError, match=r"^infra/plain: sensitive: got None; expected True"):
        Secret.from_variable(plain)
    with pytest.raises(TypeError, match=r"expected Secret\.from_variable"):
        Secret("glsa_x")
    secret = Secret.unsafe_plain_text("glsa_x")
    assert "glsa_x" not in f"{secret} {secret!r}"


def test_defaults_are_the_specs_defaults() -> None:
    """A construct's default is the spec's default, so both paths write the same thing."""
    expected = {
        GrafanaServiceAccount: {
            "name": ServiceAccount().name,
            "role": ServiceAccount().role,
            "via": ServiceAccount().via,
        },
        GrafanaScimConfig: ScimSettings().model_dump(),
        OktaProvisioning: ToApp().model_dump(),
        OktaSamlApp: {
            "label": OktaApp().label,
            "groups_filter_type": GroupsFilter().type,
            "groups_filter_value": GroupsFilter().value,
            "name_id_format": Saml().name_id_format,
            "signature_algorithm": Saml().signature_algorithm,
            "assertion_attribute_role": Saml().role_attribute,
            **{f"assertion_attribute_{k}": v for k, v in AssertionAttributes().model_dump().items()},
        },
        GrafanaSamlSettings: {
            "allow_sign_up": Saml().allow_sign_up,
            "auto_login": Saml().auto_login,
            "name_id_format": Saml().name_id_format,
            "signature_algorithm": Saml().signature_algorithm,
            "assertion_attribute_role": Saml().role_attribute,
            **{f"assertion_attribute_{k}": v for k, v in AssertionAttributes().model_dump().items()},
        },
    }
    for construct, defaults in expected.items():
        parameters = inspect.signature(construct.__init__).parameters
        assert {name: parameters[name].default for name in defaults} == defaults, construct.__name__
