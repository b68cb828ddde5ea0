"""Escaping shared by the HCL and JSON emitters: Terraform strings are templates in both."""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_template(text: str) -> str:
    """Escape template sequences so Terraform reads `text` literally (`${` -> `$${`, `%{` -> `%%{`)."""
    return text.replace("${", "$${").replace("%{", "%%{")


def hcl_string(text: str) -> str:
    """A quoted HCL string literal whose value is exactly `text` (UTF-8 kept)."""
    body = "".join(_HCL_ESCAPES.get(char, char) for char in escape_template(text))
    body = "".join(
        f"\\u{ord(char):04X}" if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 else char for char in body
    )
    return f'"{body}"'


def hcl_key(key: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return key if _IDENTIFIER.match(key) else hcl_string(key)
