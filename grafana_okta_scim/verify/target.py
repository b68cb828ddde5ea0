"""Where verify connects: the spec's URLs from the built document, or their overrides."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ProblemsError
from ..facts import Facts


class UsageError(ProblemsError):
    """A command-line value verify cannot use (exit 2)."""


@dataclass(frozen=True)
class Target:
    """The SCIM base URL and the Okta org URL verify talks to."""

    scim_base_url: str
    okta_url: str


def resolve_target(facts: Facts, grafana_url: str | None, okta_url: str | None) -> Target:
    """The document's URLs; an override replaces the whole Grafana / Okta URL and the SCIM
    path is appended to it as usual. Plain http is accepted for loopback addresses only."""
    scim_path = facts.scim_base_url.removeprefix(facts.grafana_url)
    scim_base = facts.scim_base_url
    if grafana_url is not None:
        scim_base = _checked("--grafana-url", grafana_url) + scim_path
    okta = facts.okta_org_url if okta_url is None else _checked("--okta-url", okta_url)
    return Target(scim_base, okta)


def _checked(option: str, url: str) -> str:
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
