"""Provider-schema conformance: every example integration conforms, and the checker catches each
class of problem (each negative test mutates a copy of a generated module)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.conformance import check_module, references, template_parts
from tests.core._support_checks import example_documents

DOCUMENTS = example_documents()


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_example_integration_conforms_to_provider_schemas(key: str) -> None:
    assert check_module(DOCUMENTS[key].to_json()) == []


def test_examples_exercise_every_generated_resource_kind() -> None:
    """The conformance run above covers both providers, resources, data sources and nested blocks."""
    types = {
        (kind, type_name)
        for doc in DOCUMENTS.values()
        for kind, sections in doc.to_json().items()
        if kind in ("resource", "data")
        for type_name in sections
    }
    expected = {
        ("resource", "grafana_service_account"),
        ("resource", "grafana_service_account_token"),
        ("resource", "grafana_service_account_rotating_token"),
        ("resource", "grafana_sso_settings"),
        ("resource", "grafana_scim_config"),
        ("resource", "okta_app_saml"),
        ("resource", "okta_app_group_assignments"),
        ("resource", "okta_push_group"),
        ("resource", "okta_app_connection"),
        ("resource", "okta_app_features"),
        ("data", "okta_group"),
        ("data", "grafana_role"),
        ("resource", "grafana_role_assignment_item"),
    }
    assert expected <= types


def _module(key: str = "okta-api/prod") -> dict[str, Any]:
    """A deep copy of one generated module, safe to mutate."""
    return copy.deepcopy(DOCUMENTS[key].to_json())


def _unknown_attribute(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_saml"]["prod"]["sso_urll"] = "https://x.example/saml/acs"


def _missing_required(m: dict[str, Any]) -> None:
    del m["resource"]["okta_app_connection"]["prod"]["base_url"]


def _missing_required_nested(m: dict[str, Any]) -> None:
    del m["resource"]["okta_app_connection"]["prod"]["profile"]["auth_scheme"]


def _computed_only(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_connection"]["prod"]["status"] = "ACTIVE"


def _wrong_type_bool(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_saml"]["prod"]["response_signed"] = "yes"


def _wrong_type_number(m: dict[str, Any]) -> None:
    m["resource"]["grafana_service_account_rotating_token"]["prod"]["seconds_to_live"] = "31536000"


def _wrong_type_list_element(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_saml"]["prod"]["attribute_statements"][0]["values"] = ["user.login", 7]


def _wrong_type_provider(m: dict[str, Any]) -> None:
    m["provider"]["grafana"][0]["stack_id"] = True


def _block_as_attribute(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_connection"]["prod"]["profile"] = (
        '${{auth_scheme = "TOKEN", token = grafana_service_account_rotating_token.prod.key}}'
    )


def _list_block_as_object(m: dict[str, Any]) -> None:
    settings = m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"]
    m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"] = settings[0]


def _single_block_as_list(m: dict[str, Any]) -> None:
    profile = m["resource"]["okta_app_connection"]["prod"]["profile"]
    m["resource"]["okta_app_connection"]["prod"]["profile"] = [profile]


def _too_many_blocks(m: dict[str, Any]) -> None:
    settings = m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"]
    settings.append(copy.deepcopy(settings[0]))


def _unknown_resource_type(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_saml_v2"] = {"prod": copy.deepcopy(m["resource"]["okta_app_saml"]["prod"])}


def _unknown_data_source_type(m: dict[str, Any]) -> None:
    m["data"]["okta_groups_by_name"] = {"prod": {"name": "grafana-users"}}


def _unknown_provider(m: dict[str, Any]) -> None:
    m["provider"]["grafanaa"] = m["provider"]["grafana"]


def _reference_to_missing_attribute(m: dict[str, Any]) -> None:
    m["resource"]["grafana_sso_settings"]["prod"]["saml_settings"][0]["idp_metadata_url"] = (
        "${okta_app_saml.prod.metadata_uri}"
    )


def _reference_from_output(m: dict[str, Any]) -> None:
    m["output"]["grafana_scim_token"]["value"] = "${grafana_service_account_rotating_token.prod.token}"


def _reference_from_indexed_data_source(m: dict[str, Any]) -> None:
    group = m["resource"]["okta_app_group_assignments"]["prod"]["group"][0]
    group["id"] = '${data.okta_group.prod["grafana-users"].group_id}'


def _reference_to_undeclared_resource(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_connection"]["prod"]["id"] = "${okta_app_saml.staging.id}"


def _depends_on_undeclared(m: dict[str, Any]) -> None:
    m["resource"]["okta_app_features"]["prod"]["depends_on"] = ["okta_app_connection.staging"]


MUTATIONS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "unknown attribute": (_unknown_attribute, "okta_app_saml.prod.sso_urll: unknown attribute"),
    "missing required": (_missing_required, "okta_app_connection.prod.base_url: required attribute"),
    "missing required nested": (
        _missing_required_nested,
        "okta_app_connection.prod.profile.auth_scheme: required attribute",
    ),
    "computed-only set": (_computed_only, "okta_app_connection.prod.status: computed-only"),
    "wrong type bool": (_wrong_type_bool, 'okta_app_saml.prod.response_signed: got "yes"; expected bool'),
    "wrong type number": (
        _wrong_type_number,
        'grafana_service_account_rotating_token.prod.seconds_to_live: got "31536000"; expected number',
    ),
    "wrong type list element": (
        _wrong_type_list_element,
        "okta_app_saml.prod.attribute_statements[0].values[1]: got 7; expected string",
    ),
    "wrong type provider": (_wrong_type_provider, "provider.grafana.stack_id: got true; expected number"),
    "block as attribute": (
        _block_as_attribute,
        "okta_app_connection.prod.profile: block written as attribute",
    ),
    "list block as object": (
        _list_block_as_object,
        "grafana_sso_settings.prod.saml_settings: got dict; a set block is a JSON list",
    ),
    "single block as list": (
        _single_block_as_list,
        "okta_app_connection.prod.profile: got list; a single block",
    ),
    "too many blocks": (_too_many_blocks, "grafana_sso_settings.prod.saml_settings: at most 1 block(s)"),
    "unknown resource type": (_unknown_resource_type, "okta_app_saml_v2.prod: unknown resource type"),
    "unknown data source type": (
        _unknown_data_source_type,
        "data.okta_groups_by_name.prod: unknown data type",
    ),
    "unknown provider": (_unknown_provider, "provider.grafanaa: unknown provider type"),
    "reference to missing attribute": (
        _reference_to_missing_attribute,
        "grafana_sso_settings.prod.saml_settings[0].idp_metadata_url: okta_app_saml.prod has no attribute "
        "'metadata_uri'",
    ),
    "reference from output": (
        _reference_from_output,
        "output.grafana_scim_token.value: grafana_service_account_rotating_token.prod "
        "has no attribute 'token'",
    ),
    "reference through an index": (
        _reference_from_indexed_data_source,
        "okta_app_group_assignments.prod.group[0].id: data.okta_group.prod has no attribute 'group_id'",
    ),
    "reference to undeclared resource": (
        _reference_to_undeclared_resource,
        "okta_app_connection.prod.id: reference to undeclared okta_app_saml",
    ),
    "depends_on undeclared": (
        _depends_on_undeclared,
        "okta_app_features.prod.depends_on[0]: okta_app_connection.staging is not",
    ),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_checker_reports_the_mutation(name: str) -> None:
    mutate, expected = MUTATIONS[name]
    module = _module()
    mutate(module)
    problems = check_module(module)
    assert any(problem.startswith(expected) for problem in problems), problems
    assert len(problems) == 1, problems


def test_missing_required_block_is_reported() -> None:
    """A block with min_items (grafana_asserts_prom_rule_file.group) must be written at least once."""
    module = _module()
    module["resource"]["grafana_asserts_prom_rule_file"] = {"x": {"name": "rules"}}
    assert check_module(module) == [
        "grafana_asserts_prom_rule_file.x.group: at least 1 block(s) required; got none"
    ]
    module["resource"]["grafana_asserts_prom_rule_file"]["x"]["group"] = []
    assert check_module(module) == [
        "grafana_asserts_prom_rule_file.x.group: at least 1 block(s) required; got 0"
    ]


def test_expressions_are_not_type_checked_but_literal_templates_are() -> None:
    module = _module()
    saml = module["resource"]["okta_app_saml"]["prod"]
    saml["response_signed"] = "${var.signed}"
    assert check_module(module) == []
    saml["response_signed"] = "$${var.signed}"  # an escaped template is a literal string, not a bool
    assert check_module(module) == ['okta_app_saml.prod.response_signed: got "$${var.signed}"; expected bool']


def test_literal_text_that_looks_like_a_reference_is_not_one() -> None:
    module = _module()
    module["resource"]["okta_app_saml"]["prod"]["label"] = (
        "see okta_app_saml.prod.nope and $${okta_app_saml.prod.x}"
    )
    module["locals"]["note"] = '${upper("okta_app_saml.prod.nope")}'
    assert check_module(module) == []


def test_template_parts_and_references() -> None:
    assert template_parts("a$${b}%%{c}${d.e}%{ if f }") == ("a${b}%{c}", ["d.e", " if f "])
    assert template_parts("$$${x}") == ("$${x}", [])
    text = '${data.okta_group.prod["a]\\"${b}"].id} ${okta_app_saml.prod.metadata_url}'
    assert list(references(text)) == [
        ("data", "data.okta_group.prod", "id"),
        ("resource", "okta_app_saml.prod", "metadata_url"),
    ]
