"""Escaping shared by the HCL and JSON emitters: Terraform strings are templates in both."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_template(text: str) -> str:
    """Escape template sequences so Terraform reads `text` literally (`${` -> `$${`, `%{` -> `%%{`)."""
    return text.replace("${", "$${").replace("%{", "%%{")


_HCL_TRANSLATION = {ord(char): escaped for char, escaped in _HCL_ESCAPES.items()} | {
    code: f"\\u{code:04X}" for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in _HCL_ESCAPES
}


_NEEDS_ESCAPING = re.compile(r'[\\"\x00-\x1f\x7f-\x9f]|[$%]\{')


def hcl_string(text: str) -> str:
    """A quoted HCL string literal whose value is exactly `text` (UTF-8 kept)."""
    if _NEEDS_ESCAPING.search(text) is None:
        return f'"{text}"'  # the common case: nothing to escape
    return '"' + escape_template(text).translate(_HCL_TRANSLATION) + '"'


def hcl_key(key: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return key if _IDENTIFIER.match(key) else hcl_string(key)
