"""GrafanaOktaScim in a user's stack, checked with the CDK library's Testing helpers."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from grafana_okta_scim import example_spec, load_spec
from grafana_okta_scim.constructs import GrafanaOktaScim, PropsError, cdk
from grafana_okta_scim.constructs._mapping import semver_range

from .conftest import ROOT


@pytest.fixture(scope="module")
def example() -> tuple[cdk.TerraformStack, GrafanaOktaScim, str]:
    spec = example_spec()
    stack = cdk.TerraformStack(cdk.Testing.app(), "infra")
    scim = GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta)
    cdk.TerraformOutput(stack, "connector", value=scim.scim_base_url)
    cdk.TerraformOutput(stack, "app", value=scim.okta_app_id)
    cdk.TerraformOutput(stack, "token", value=scim.grafana_scim_token, sensitive=True)
    return stack, scim, cdk.Testing.synth(stack)


def test_has_the_scim_resources(example: tuple[cdk.TerraformStack, GrafanaOktaScim, str]) -> None:
    _, scim, synthesized = example
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized, "grafana_scim_config", {"enable_user_sync": True}
    )
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized,
        "okta_app_saml",
        {"sso_url": scim.document.facts.acs_url, "audience": scim.document.facts.entity_id},
    )
    assert cdk.Testing.to_have_resource_with_properties(
        synthesized, "grafana_sso_settings", {"provider_name": "saml"}
    )
    assert cdk.Testing.to_have_data_source_with_properties(synthesized, "okta_group", {})
    assert cdk.Testing.to_have_provider_with_properties(
        synthesized, "grafana", {"url": "https://example.grafana.net"}
    )


def test_tokens_resolve_to_native_addresses(
    example: tuple[cdk.TerraformStack, GrafanaOktaScim, str],
) -> None:
    _, scim, synthesized = example
    outputs = json.loads(synthesized)["output"]
    assert outputs["connector"]["value"] == scim.document.facts.scim_base_url
    assert outputs["app"]["value"] == "${okta_app_saml.prod.id}"
    assert outputs["token"]["value"] == "${grafana_service_account_token.prod.key}"


def test_literal_okta_expressions_are_escaped(
    example: tuple[cdk.TerraformStack, GrafanaOktaScim, str],
) -> None:
    _, _, synthesized = example
    app = json.loads(synthesized)["resource"]["okta_app_saml"]["prod"]
    assert app["subject_name_id_template"] == "$${user.userName}"


def test_second_module_in_one_stack_is_refused() -> None:
    spec = example_spec()
    stack = cdk.TerraformStack(cdk.Testing.app(), "infra")
    GrafanaOktaScim(stack, "a", integration=spec.integrations[0], okta=spec.okta)
    with pytest.raises(PropsError, match=r"infra/b: stack 'infra' already holds infra/a"):
        GrafanaOktaScim(stack, "b", integration=spec.integrations[0], okta=spec.okta)


def test_core_import_never_loads_a_cdk_library() -> None:
    code = (
        "import sys, grafana_okta_scim as g\n"
        "g.build(g.example_spec())\n"
        "assert not {'cdktf', 'cdktn', 'jsii', 'constructs'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        (">= 1.5", ">=1.5.0"),
        (">= 1.5, >= 1.10", ">=1.5.0 >=1.10.0"),
        ("~> 1.9", ">=1.9.0 <2.0.0"),
        ("~> 1.9.3", ">=1.9.3 <1.10.0"),
        ("1.10.2", "=1.10.2"),
        ("!= 1.9.1, < 2", "<2.0.0"),
        (">= 1.10.0-beta1", None),
    ],
)
def test_terraform_constraints_become_semver_ranges(constraint: str, expected: str | None) -> None:
    assert semver_range(constraint) == expected


@pytest.mark.parametrize(
    "declared", [None, {"terraform": ">=1.11.0", "opentofu": ">=1.8.0 <1.9.0 || >=1.10.0"}]
)
def test_required_version_narrows_the_target_versions(declared: dict[str, str] | None) -> None:
    # GIVEN an app with or without target versions (cdktf.json `targetVersions`, via the CLI)
    app = cdk.Testing.app(context={"targetVersions": declared} if declared else None)
    spec = load_spec(ROOT / "examples" / "multi.yaml")  # s3 state, S3-native locking
    stack = cdk.TerraformStack(app, "prod")
    # WHEN the module is added
    scim = GrafanaOktaScim(
        stack, "scim", integration=spec.integrations[0], okta=spec.okta, terraform=spec.terraform
    )
    # THEN its subtree targets what is declared (else CDK Terrain's defaults) AND its required_version
    required = semver_range(scim.document.required_version)
    assert required is not None and ">=1.10.0" in required
    targets = declared or {"terraform": ">=1.5.7", "opentofu": ">=1.6.0"}
    assert scim.node.try_get_context("targetVersions") == {
        product: " || ".join(f"{alternative.strip()} {required}" for alternative in ranges.split("||"))
        for product, ranges in targets.items()
    }
    assert stack.node.try_get_context("targetVersions") == declared  # the app's own stay as they were
    cdk.Testing.synth(stack, True)  # and the library's validations pass
