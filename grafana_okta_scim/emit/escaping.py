"""Escaping shared by the HCL and JSON emitters: Terraform strings are templates in both."""

from __future__ import annotations

import re
from functools import lru_cache

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_template(text: str) -> str:
    """Escape template sequences so Terraform reads `text` literally (`${` -> `$${`, `%{` -> `%%{`)."""
    if "{" not in text:
        return text  # most text: one search instead of two
    return text.replace("${", "$${").replace("%{", "%%{")


_HCL_TRANSLATION = {ord(char): escaped for char, escaped in _HCL_ESCAPES.items()} | {
    code: f"\\u{code:04X}" for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in _HCL_ESCAPES
}


def _nothing_to_escape(text: str) -> bool:
    """True only when `hcl_string` would escape nothing in `text` (False may mean "not sure").

    Every character the translation escapes, `\\` and `"` aside, is a control character, which
    `str.isprintable` refuses (it refuses a few more, e.g. U+00A0: those take the full path and
    come out unchanged); four substring searches cover the rest. Cheaper than one regex search.
    """
    return (
        text.isprintable() and '"' not in text and "\\" not in text and "${" not in text and "%{" not in text
    )


@lru_cache(maxsize=16384)
def hcl_string(text: str) -> str:
    """A quoted HCL string literal whose value is exactly `text` (UTF-8 kept).

    Cached: the same labels, URNs and descriptions recur in every integration of a spec.
    """
    if _nothing_to_escape(text):
        return f'"{text}"'  # the common case: nothing to escape
    return '"' + escape_template(text).translate(_HCL_TRANSLATION) + '"'


def hcl_key(key: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return key if _IDENTIFIER.match(key) else hcl_string(key)
