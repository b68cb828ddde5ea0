"""Every rule id, its default severity and one-line title: the table docs/impact.md follows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    """blocker: sign-in or provisioning lost for everyone; major: people lose access, teams,
    roles or memberships; minor: advisory. Ordered so that `>=` means "at least as bad"."""

    MINOR = 1
    MAJOR = 2
    BLOCKER = 3

    @property
    def label(self) -> str:
        """The lower-case name used in output and on the command line."""
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    """A stable rule id, its default severity and what it is about."""

    id: str
    severity: Severity
    title: str


_TABLE = [
    ("group-unassigned", Severity.MAJOR, "Okta groups unassigned from the app"),
    ("group-reassigned-unordered", Severity.MAJOR, "a group's assignment destroyed and created in one plan"),
    ("team-deleted", Severity.MAJOR, "a push mapping removed with its Grafana team"),
    ("app-destroyed", Severity.BLOCKER, "the Okta SAML app destroyed or replaced"),
    ("app-full-update", Severity.MINOR, "the Okta SAML app updated (a full PUT)"),
    ("user-matching-changed", Severity.MAJOR, "NameID or user name template changed"),
    ("user-uid-statement-changed", Severity.BLOCKER, "the userUID attribute statement changed or removed"),
    ("saml-endpoint-changed", Severity.BLOCKER, "audience, entity id or ACS URL changed"),
    ("saml-sign-in-disabled", Severity.BLOCKER, "Grafana's SAML settings destroyed or disabled"),
    ("sign-up-with-scim", Severity.MAJOR, "SAML sign-up on while SCIM user sync is on"),
    ("role-mapping-changed", Severity.MAJOR, "who gets Admin, Editor or Viewer from SAML changed"),
    ("org-mapping-changed", Severity.MAJOR, "org_mapping or skip_org_role_sync changed"),
    ("rejection-turned-on", Severity.MAJOR, "reject_non_provisioned_users turned on"),
    ("scim-sync-turned-off", Severity.BLOCKER, "SCIM user or group sync turned off"),
    ("scim-token-replaced", Severity.BLOCKER, "the SCIM token replaced or destroyed"),
    ("token-never-expires", Severity.MINOR, "a SCIM token created without expiry or rotation"),
    ("service-account-weakened", Severity.BLOCKER, "the SCIM service account destroyed or its role lowered"),
    ("provisioning-turned-off", Severity.BLOCKER, "okta_app_connection or okta_app_features turned off"),
    ("provisioning-settings-changed", Severity.MINOR, "okta_app_connection or okta_app_features changed"),
]

RULES: dict[str, Rule] = {rule_id: Rule(rule_id, sev, title) for rule_id, sev, title in _TABLE}
