"""GrafanaOktaScim in a user's stack, checked with cdktf's Testing helpers."""

from __future__ import annotations

import json
import subprocess
import sys

import cdktf
import pytest

from grafana_okta_scim import example_spec
from grafana_okta_scim.constructs import GrafanaOktaScim, PropsError

from .conftest import ROOT


@pytest.fixture(scope="module")
def example() -> tuple[cdktf.TerraformStack, GrafanaOktaScim, str]:
    spec = example_spec()
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "infra")
    scim = GrafanaOktaScim(stack, "scim", integration=spec.integrations[0], okta=spec.okta)
    cdktf.TerraformOutput(stack, "connector", value=scim.scim_base_url)
    cdktf.TerraformOutput(stack, "app", value=scim.okta_app_id)
    cdktf.TerraformOutput(stack, "token", value=scim.grafana_scim_token, sensitive=True)
    return stack, scim, cdktf.Testing.synth(stack)


def test_has_the_scim_resources(example: tuple[cdktf.TerraformStack, GrafanaOktaScim, str]) -> None:
    _, scim, synthesized = example
    assert cdktf.Testing.to_have_resource_with_properties(
        synthesized, "grafana_scim_config", {"enable_user_sync": True}
    )
    assert cdktf.Testing.to_have_resource_with_properties(
        synthesized, "okta_app_saml",
        {"sso_url": scim.document.derived.acs_url, "audience": scim.document.derived.entity_id},
    )
    assert cdktf.Testing.to_have_resource_with_properties(
        synthesized, "grafana_sso_settings", {"provider_name": "saml"}
    )
    assert cdktf.Testing.to_have_data_source_with_properties(synthesized, "okta_group", {})
    assert cdktf.Testing.to_have_provider_with_properties(
        synthesized, "grafana", {"url": "https://example.grafana.net"}
    )


def test_tokens_resolve_to_native_addresses(
    example: tuple[cdktf.TerraformStack, GrafanaOktaScim, str],
) -> None:
    _, scim, synthesized = example
    outputs = json.loads(synthesized)["output"]
    assert outputs["connector"]["value"] == scim.document.derived.scim_base_url
    assert outputs["app"]["value"] == "${okta_app_saml.prod.id}"
    assert outputs["token"]["value"] == "${grafana_service_account_token.prod.key}"


def test_literal_okta_expressions_are_escaped(
    example: tuple[cdktf.TerraformStack, GrafanaOktaScim, str],
) -> None:
    _, _, synthesized = example
    app = json.loads(synthesized)["resource"]["okta_app_saml"]["prod"]
    assert app["subject_name_id_template"] == "$${user.userName}"


def test_second_module_in_one_stack_is_refused() -> None:
    spec = example_spec()
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "infra")
    GrafanaOktaScim(stack, "a", integration=spec.integrations[0], okta=spec.okta)
    with pytest.raises(PropsError, match=r"infra/b: stack 'infra' already holds infra/a"):
        GrafanaOktaScim(stack, "b", integration=spec.integrations[0], okta=spec.okta)


def test_core_import_never_loads_cdktf() -> None:
    code = (
        "import sys, grafana_okta_scim as g\n"
        "g.build(g.example_spec())\n"
        "assert not {'cdktf', 'jsii', 'constructs'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_constructs_without_the_extra_say_how_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['cdktf'] = None\n"
        "try:\n"
        "    import grafana_okta_scim.constructs\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    assert "pip install 'grafana-okta-scim[cdktf]'" in result.stdout
