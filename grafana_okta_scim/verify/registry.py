"""Every check verify reports, registered once: its name (contract), its group, what it needs,
and the first phase it belongs to. Skips cascade from here: a check whose prerequisite failed or
is missing, or whose phase is still ahead, is skipped with the reason, in report order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import PhaseExpects, phase_expects
from .model import Check


@dataclass(frozen=True)
class CheckSpec:
    """One check: `needs` names the check (or the input) it cannot run without; `expects` the
    PhaseExpects field that must hold in the integration's phase (None: every phase)."""

    name: str
    group: str
    needs: str | None = None
    expects: str | None = None
    later_because: str = ""

    def due(self, phase: PhaseExpects) -> bool:
        """True when the live setup of `phase` holds what this check reads."""
        return self.expects is None or bool(getattr(phase, self.expects))

    def passed(self, detail: str, hint: str = "") -> Check:
        """This check, passed."""
        return Check(self.name, "pass", detail, hint)

    def failed(self, detail: str, hint: str = "") -> Check:
        """This check, failed."""
        return Check(self.name, "fail", detail, hint)

    def skipped(self, detail: str, hint: str = "") -> Check:
        """This check, skipped."""
        return Check(self.name, "skip", detail, hint)


GRAFANA_TOKEN = "a Grafana token"
OKTA_TOKEN = "an Okta API token"
WRITE_TEST = "--write-test"

REGISTRY: tuple[CheckSpec, ...] = (
    CheckSpec("verify.phase", "verify"),
    CheckSpec("grafana.token", "grafana"),
    CheckSpec("grafana.token_expiry", "grafana"),
    CheckSpec("scim.test_connector", "scim", needs=GRAFANA_TOKEN),
    CheckSpec("scim.user_lookup", "scim", needs="scim.test_connector"),
    CheckSpec("scim.groups", "scim", needs="scim.test_connector"),
    CheckSpec("scim.discovery", "scim", needs="scim.test_connector"),
    CheckSpec("scim.write_user", "write", needs="scim.test_connector"),
    CheckSpec("scim.write_group", "write", needs="scim.test_connector"),
    CheckSpec("scim.cleanup", "write", needs="scim.test_connector"),
    CheckSpec("okta.app", "okta", needs=OKTA_TOKEN),
    CheckSpec("okta.sign_on_mode", "okta", needs="okta.app"),
    CheckSpec(
        "okta.provisioning",
        "okta",
        needs="okta.app",
        expects="provisioning",
        later_because="provisioning is switched on in Okta by hand before phase 2",
    ),
    CheckSpec(
        "okta.connection",
        "okta",
        needs="okta.app",
        expects="provisioning",
        later_because="the SCIM connection is set in phase 2 (by hand, or in okta-api mode by "
        "okta_app_connection once provisioning is switched on)",
    ),
    CheckSpec(
        "okta.user_provisioning",
        "okta",
        needs="okta.app",
        expects="provisioning",
        later_because="the To App settings exist once provisioning is on (phase 2)",
    ),
    CheckSpec("okta.attribute_statement", "okta", needs="okta.app"),
    CheckSpec(
        "okta.group_push",
        "okta",
        needs="okta.app",
        expects="push_mappings",
        later_because="group push mappings are created in phase 2 "
        "(terraform apply -var provisioning_enabled=true)",
    ),
    CheckSpec("okta.integration_tab", "okta"),
)
BY_NAME = {spec.name: spec for spec in REGISTRY}


def check(name: str) -> CheckSpec:
    """The registered check called `name` (KeyError for an unregistered name)."""
    return BY_NAME[name]


def names(group: str) -> tuple[str, ...]:
    """The names of one group's checks, in report order."""
    return tuple(spec.name for spec in REGISTRY if spec.group == group)


def dependents(name: str) -> tuple[str, ...]:
    """The checks that need `name` (directly), in report order."""
    return tuple(spec.name for spec in REGISTRY if spec.needs == name)


def skip_all(found: tuple[str, ...] | list[str], reason: str) -> list[Check]:
    """A skip for each named check, with one reason."""
    return [Check(name, "skip", reason) for name in found]


def deferred(name: str, phase: int) -> Check | None:
    """A skip for a check belonging to a later phase than `phase`, else None."""
    spec = BY_NAME[name]
    if spec.due(phase_expects(phase)):
        return None
    return Check(name, "skip", f"skipped in phase {phase}: {spec.later_because}")
