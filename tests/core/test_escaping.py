"""hcl_string's shortcut for text with nothing to escape gives what the full escaping gives."""

from __future__ import annotations

from itertools import product

from grafana_okta_scim.emit.escaping import _HCL_TRANSLATION, escape_template, hcl_string

PIECES = ["a", "$", "%", "{", "}", "\\", '"', "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\x9f", "\xa0", "é"]


def test_every_short_text_is_escaped_as_by_the_full_translation() -> None:
    for length in range(4):
        for pieces in product(PIECES, repeat=length):
            text = "".join(pieces)
            assert hcl_string(text) == '"' + escape_template(text).translate(_HCL_TRANSLATION) + '"', text
