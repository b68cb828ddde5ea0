"""The CDK path (cdktf or cdktn, whichever this process uses) and the native path write the same
Terraform, address by address."""

from __future__ import annotations

import json
from typing import Any

import pytest

from grafana_okta_scim.constructs import CDK_LIBRARY

from .addresses import by_address
from .conftest import EXAMPLES, ROOT, load_spec

CASES = [
    (example, integration.name)
    for example in EXAMPLES
    for integration in load_spec(ROOT / "examples" / example).integrations
]


@pytest.mark.parametrize(("example", "integration"), CASES)
def test_cdk_synth_equals_native_json(
    synthesized: dict[str, dict[str, dict[str, Any]]], example: str, integration: str
) -> None:
    # GIVEN one integration synthesized both ways
    pair = synthesized[example][integration]
    # WHEN both are flattened to Terraform addresses
    got, want = by_address(pair["cdk"]), by_address(pair["native"])
    # THEN the same addresses hold the same values
    assert sorted(got) == sorted(want)
    for address, value in want.items():
        assert got[address] == value, (
            f"{example} {integration} {address}:\n"
            f"{CDK_LIBRARY}:  {json.dumps(got[address], sort_keys=True)}\n"
            f"native: {json.dumps(value, sort_keys=True)}"
        )


def test_every_section_is_covered(synthesized: dict[str, dict[str, dict[str, Any]]]) -> None:
    # GIVEN all examples together
    sections = {
        section
        for integrations in synthesized.values()
        for pair in integrations.values()
        for section in pair["native"]
    }
    # THEN the comparison above saw every kind of top-level block the native emitter writes
    assert {"resource", "data", "provider", "variable", "output", "locals", "import", "terraform"} <= sections


def test_nested_block_shapes_follow_the_schema(
    synthesized: dict[str, dict[str, dict[str, Any]]],
) -> None:
    # GIVEN the okta-api example's CDK synth
    resources = synthesized["okta-api.yaml"]["prod"]["cdk"]["resource"]
    # THEN set/list blocks are JSON lists and single blocks JSON objects
    assert isinstance(resources["grafana_sso_settings"]["prod"]["saml_settings"], list)
    assert isinstance(resources["okta_app_saml"]["prod"]["attribute_statements"], list)
    assert isinstance(resources["okta_app_connection"]["prod"]["profile"], dict)
    assert isinstance(resources["okta_app_features"]["prod"]["capabilities"]["create"], dict)
