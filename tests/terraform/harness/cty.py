"""cty values as Terraform sends them over the plugin protocol (msgpack, JSON for raw state).

An unknown value travels as msgpack extension type 0; a refined unknown (Terraform 1.6+) as
extension type 12 whose refinements this harness drops. Objects are maps with every attribute
present, lists and sets are arrays, and a value of a `dynamic` attribute is a two-element array
[type JSON, value] that this module passes through untouched.
"""

from __future__ import annotations

import json
from typing import Any, Final

import msgpack

UNKNOWN_EXT: Final = 0
REFINED_UNKNOWN_EXT: Final = 12


class Unknown:
    """The single "known after apply" value."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = Unknown()


def _ext_hook(code: int, data: bytes) -> Any:
    if code in (UNKNOWN_EXT, REFINED_UNKNOWN_EXT):
        return UNKNOWN
    return msgpack.ExtType(code, data)


def _default(obj: object) -> Any:
    if obj is UNKNOWN:
        return msgpack.ExtType(UNKNOWN_EXT, b"\x00")
    raise TypeError(f"cannot encode {type(obj).__name__} as a cty value")


def decode(data: bytes) -> Any:
    """Decode a msgpack DynamicValue into Python values with `UNKNOWN` for unknowns."""
    if not data:
        return None
    return msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)


def encode(value: Any) -> bytes:
    """Encode Python values (with `UNKNOWN`) as a msgpack DynamicValue."""
    return msgpack.packb(value, default=_default, use_bin_type=True)


def decode_json(data: bytes) -> Any:
    """Decode a JSON DynamicValue or raw state (never contains unknowns)."""
    return json.loads(data) if data else None


def is_known(value: Any) -> bool:
    """True when the value contains no unknown anywhere."""
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True
