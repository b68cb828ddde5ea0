"""Where verify connects: the spec's URLs from the built document, or their overrides."""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Facts
from ..live import UsageError, checked_url

__all__ = ["Target", "UsageError", "resolve_target"]


@dataclass(frozen=True)
class Target:
    """The SCIM base URL, the Grafana URL and the Okta org URL verify talks to."""

    scim_base_url: str
    okta_url: str
    grafana_url: str


def resolve_target(facts: Facts, grafana_url: str | None, okta_url: str | None) -> Target:
    """The document's URLs; an override replaces the whole Grafana / Okta URL and the SCIM
    path is appended to it as usual. Plain http is accepted for loopback addresses only."""
    scim_path = facts.scim_base_url.removeprefix(facts.grafana_url)
    scim_base = facts.scim_base_url
    grafana = facts.grafana_url
    if grafana_url is not None:
        grafana = checked_url("--grafana-url", grafana_url)
        scim_base = grafana + scim_path
    okta = facts.okta_org_url if okta_url is None else checked_url("--okta-url", okta_url)
    return Target(scim_base, okta, grafana)
