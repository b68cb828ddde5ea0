"""Which URLs the live layer talks to: https, or plain http on a loopback address only."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import ProblemsError


class UsageError(ProblemsError):
    """A command-line value the live layer cannot use (exit 2)."""


def checked_url(option: str, url: str) -> str:
    """`url` without a trailing slash; UsageError naming `option` unless it is an https URL
    (plain http for loopback addresses only) without query or fragment."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(f"{option}: got {url!r}; expected an https URL")
    if parts.query or parts.fragment:
        raise UsageError(f"{option}: got {url!r}; expected a URL without query or fragment")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(
            f"{option}: got plain http for {parts.hostname}; expected https "
            "(http only for loopback addresses)"
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback IP addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
