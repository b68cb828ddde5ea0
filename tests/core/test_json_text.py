"""The Terraform JSON files' own indenting writer writes what `json.dumps(indent=2)` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from grafana_okta_scim.emit.terraform_json import dump_json

PIECES = st.one_of(st.characters(), st.sampled_from(['"', "\\", "\n", "\x00", "\x7f", "\u2028", "${"]))
TEXT = st.lists(PIECES, max_size=6).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=12,
)


@given(st.dictionaries(TEXT, JSON_VALUES, max_size=4))
@example({"numbers": [0, -1, 0.0, -0.0, 1e300, float("nan"), float("-inf")], "flags": [True, False, None]})
def test_the_text_is_json_dumps_with_two_space_indent(data: dict[str, Any]) -> None:
    assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_empty_containers_and_nesting() -> None:
    data = {"a": {}, "b": [], "c": [{}, [], {"d": [1, True, None, "é"]}], "//": "x"}
    assert dump_json(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
