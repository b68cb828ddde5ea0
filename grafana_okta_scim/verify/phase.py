"""Which of the three applies an integration is in, and which checks belong to a later one.

Phase 1: everything false (Terraform made the Okta app, Grafana's token and SCIM settings).
Phase 2: `provisioning_enabled=true`, after the manual Okta steps switched provisioning on;
creates the group push mappings. Phase 3: `reject_non_provisioned_users=true`, last, only when
the spec asks for rejection (and Terraform manages the SCIM settings).

The phase comes from `--phase`, else from the module's `phase` output (`terraform output
-json` in `--terraform-dir`); without either, verify assumes the latest phase the spec allows.
No network imports here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Facts
from .model import Check

PHASES = (1, 2, 3)


@dataclass(frozen=True)
class Phase:
    """The phase verify checks against and where it came from."""

    number: int
    source: str
    latest: int

    @property
    def assumed(self) -> bool:
        return self.source == "assumed"

    def check(self) -> Check:
        """The `verify.phase` check: which phase, and from where."""
        if self.assumed:
            return Check(
                "verify.phase",
                "skip",
                f"phase unknown; assuming phase {self.number}, the latest the spec allows",
                "pass --phase, or --terraform-dir with a module that has the `phase` "
                "output, to check an earlier phase.",
            )
        detail = f"phase {self.number} (from {self.source})"
        if self.number > self.latest:
            detail += f"; the spec's last phase is {self.latest}"
        return Check("verify.phase", "pass", detail)


def resolve_phase(facts: Facts, flag: int | None, output: int | None) -> Phase:
    """`--phase` wins, then the `phase` output, else the latest phase the spec allows."""
    latest = facts.last_phase
    if flag is not None:
        return Phase(flag, "--phase", latest)
    if output is not None:
        return Phase(output, "terraform output phase", latest)
    return Phase(latest, "assumed", latest)
