"""python-hcl2 parse of every generated HCL file equals its Terraform JSON twin, file by file.

Both forms go through the canonical shape documented in tests/core/_support_checks.py: top-level
blocks with labels, attribute values with HCL string escapes decoded (template escapes kept, as
Terraform JSON writes them), bare expressions as `${...}`, and nested blocks told apart from
object attributes (by python-hcl2's `__is_block__` on one side and the provider schema on the other).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core._support_checks import (
    Blocks,
    Top,
    example_documents,
    hcl_file,
    hcl_value,
    json_file,
    json_text_file,
    unescape_hcl,
)

DOCUMENTS = example_documents()


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_hcl_parses_back_to_the_json_form(key: str) -> None:
    doc = DOCUMENTS[key]
    hcl_files = doc.to_hcl_files()
    json_files = doc.to_json_files()
    assert sorted(json_files) == sorted(name + ".json" for name in hcl_files)
    for name, text in hcl_files.items():
        assert hcl_file(text) == json_text_file(json_files[name + ".json"]), name


@pytest.mark.parametrize("key", sorted(DOCUMENTS))
def test_json_files_together_are_the_module(key: str) -> None:
    """The per-file JSON adds up to `to_json()`, so the round trip covers the whole module.

    (Each file has its own `locals` block; `to_json()` has one, so locals are compared merged.)
    """
    doc = DOCUMENTS[key]
    blocks = [block for text in doc.to_json_files().values() for block in json_text_file(text)]
    merged = sorted(blocks, key=lambda block: (block[0], block[1]))
    assert _merge_locals(merged) == _merge_locals(json_file(doc.to_json()))


def _merge_locals(blocks: list[Top]) -> list[Top]:
    """All `locals` blocks as one (Terraform merges them; a name may be defined only once)."""
    values: dict[str, Any] = {}
    for block_type, _, body in blocks:
        if block_type == "locals":
            assert not values.keys() & body.keys(), "a local value is defined twice"
            values.update(body)
    return [block for block in blocks if block[0] != "locals"] + [("locals", (), values)]


# --- the normaliser itself: it must see the differences the round trip is meant to catch ---------


RESOURCE = """
resource "okta_app_connection" "prod" {
  id       = okta_app_saml.prod.id
  base_url = "https://g.example/a\\"b$${c}%%{d}\\u00e9\\n"
  action   = "activate"

  profile {
    auth_scheme = "TOKEN"
    token       = grafana_service_account_token.prod.key
  }
}
"""
RESOURCE_JSON = {
    "resource": {
        "okta_app_connection": {
            "prod": {
                "id": "${okta_app_saml.prod.id}",
                "base_url": 'https://g.example/a"b$${c}%%{d}\u00e9\n',
                "action": "activate",
                "profile": {"auth_scheme": "TOKEN", "token": "${grafana_service_account_token.prod.key}"},
            }
        }
    }
}


def test_normaliser_equates_equivalent_forms() -> None:
    assert hcl_file(RESOURCE) == json_file(RESOURCE_JSON)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('auth_scheme = "TOKEN"', 'auth_scheme = "TOKEN "'),  # a literal value
        ("$${c}", "${c}"),  # escaped template vs interpolation
        ("%%{d}", "%{ if true }d%{ endif }"),  # escaped directive vs directive
        ("\\u00e9", "e"),  # a unicode escape
        ("okta_app_saml.prod.id", "okta_app_saml.staging.id"),  # an expression
        ("profile {", "profile = {"),  # block written as attribute
        ('"prod" {', '"prod2" {'),  # a label
    ],
)
def test_normaliser_sees_a_difference(old: str, new: str) -> None:
    changed = RESOURCE.replace(old, new, 1)
    assert changed != RESOURCE
    assert hcl_file(changed) != json_file(RESOURCE_JSON)


def test_normaliser_representation_details() -> None:
    """python-hcl2 8: quoted strings keep quotes, expressions are ${...}, identifiers come back bare."""
    assert (
        unescape_hcl('a\\\\b\\"c\\t\\U0001F600${x["q\\"]"]}$${y}') == 'a\\b"c\t\U0001f600${x["q\\"]"]}$${y}'
    )
    assert hcl_value('"x"') == "x"
    assert hcl_value("string") == "${string}"
    assert hcl_value("${var.a}") == "${var.a}"
    assert hcl_value({'"b-c"': '"d"', "e": [1, True, None]}) == {"b-c": "d", "e": [1, True, None]}
    (top,) = hcl_file('variable "v" {\n  type = map(string)\n}\n')
    assert top == ("variable", ("v",), {"type": "${map(string)}"})
    (top,) = hcl_file('terraform {\n  backend "s3" {\n    bucket = "b"\n  }\n}\n')
    assert top == ("terraform", (), {"backend": Blocks(((("s3",), {"bucket": "b"}),))})
