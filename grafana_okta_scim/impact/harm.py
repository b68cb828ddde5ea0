"""The people-level harm a verdict predicts, in a form a test can compare with what happened."""

from __future__ import annotations

from dataclasses import dataclass, field

from .consequence import Consequence

EVERYONE = "everyone"
NOT_PROVISIONED = "people SCIM has not provisioned"
SCIM_USERS = "SCIM-provisioned users"
SIGN_IN = {
    "app-destroyed": EVERYONE,
    "saml-sign-in-disabled": EVERYONE,
    "saml-endpoint-changed": EVERYONE,
    "user-uid-statement-changed": SCIM_USERS,
    "rejection-turned-on": NOT_PROVISIONED,
}


@dataclass
class Harm:
    """What people lose if the plan is applied; `may_*` for what depends on apply order or
    unknown values. Group ids, team names, role -> groups gained/lost."""

    groups_unassigned: set[str] = field(default_factory=set)
    may_groups_unassigned: set[str] = field(default_factory=set)
    teams_deleted: set[str] = field(default_factory=set)
    sign_ins_refused: set[str] = field(default_factory=set)
    provisioning_stopped: bool = False
    roles_gained: dict[str, set[str]] = field(default_factory=dict)
    roles_lost: dict[str, set[str]] = field(default_factory=dict)

    @property
    def none(self) -> bool:
        """Nothing is lost."""
        return not (
            self.groups_unassigned
            or self.may_groups_unassigned
            or self.teams_deleted
            or self.sign_ins_refused
            or self.provisioning_stopped
            or self.roles_gained
            or self.roles_lost
        )


STOPS_PROVISIONING = {
    "app-destroyed",
    "scim-sync-turned-off",
    "scim-token-replaced",
    "service-account-weakened",
    "provisioning-turned-off",
}


def predicted_harm(consequences: list[Consequence]) -> Harm:
    """Fold consequences into one Harm (accepted ones included: accepting is not undoing)."""
    harm = Harm()
    for found in consequences:
        if found.rule == "group-unassigned":
            target = harm.groups_unassigned if found.certain else harm.may_groups_unassigned
            target.update(found.details.get("group_ids", []))
        elif found.rule == "group-reassigned-unordered":
            harm.may_groups_unassigned.add(found.details["group_id"])
        elif found.rule == "team-deleted" and found.details.get("team"):
            harm.teams_deleted.add(str(found.details["team"]))
        elif found.rule == "role-mapping-changed":
            for role, groups in found.details.get("gained", {}).items():
                harm.roles_gained.setdefault(role, set()).update(groups)
            for role, groups in found.details.get("lost", {}).items():
                harm.roles_lost.setdefault(role, set()).update(groups)
        if found.rule in SIGN_IN:
            harm.sign_ins_refused.add(SIGN_IN[found.rule])
        if found.rule in STOPS_PROVISIONING and found.level.label == "blocker":
            harm.provisioning_stopped = True
    return harm
