"""hcl_string's shortcut for text with nothing to escape gives what the full escaping gives."""

from __future__ import annotations

from itertools import product

from hypothesis import given
from hypothesis import strategies as st

from grafana_okta_scim.emit.escaping import _HCL_TRANSLATION, escape_template, hcl_string

PIECES = ["a", "$", "%", "{", "}", "\\", '"', "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x9f", "\xa0", "é"]


def full_escaping(text: str) -> str:
    """The general path: template escapes, then the character translation."""
    return '"' + escape_template(text).translate(_HCL_TRANSLATION) + '"'


def test_every_short_text_is_escaped_as_by_the_full_translation() -> None:
    for length in range(4):
        for pieces in product(PIECES, repeat=length):
            text = "".join(pieces)
            assert hcl_string(text) == full_escaping(text), text


ANY_TEXT = st.lists(st.one_of(st.characters(), st.sampled_from([*PIECES, "${", "%{", "$${"]))).map("".join)


@given(ANY_TEXT)
def test_any_text_is_escaped_as_by_the_full_translation(text: str) -> None:
    # Uncached: a result cached by another test must not hide the shortcut under test.
    assert hcl_string.__wrapped__(text) == full_escaping(text)
    assert hcl_string(text) == full_escaping(text)
