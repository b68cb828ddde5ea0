"""Rules about the Okta side: group assignments, push mappings, the SAML app, provisioning."""

from __future__ import annotations

from dataclasses import dataclass

from .changes import Change, Plan
from .consequence import Consequence

SAML_ENDPOINTS = ("sso_url", "recipient", "destination", "audience")
MATCHING = ("subject_name_id_template", "user_name_template")


@dataclass(frozen=True)
class GroupMove:
    """One group leaving or joining the app's assignments at one address."""

    address: str
    group_id: str
    certain: bool = True
    replaced: bool = False


def _label(group_id: str, names: dict[str, str]) -> str:
    return f"{names[group_id]} ({group_id})" if group_id in names else group_id


def _group_ids(change: Change, after: bool) -> tuple[set[str], bool]:
    """The group ids of an okta_app_group_assignments side, and whether all are known."""
    groups = (change.new("group") if after else change.old("group")) or []
    known = {str(g["id"]) for g in groups if isinstance(g, dict) and g.get("id")}
    unknown = after and (
        change.unknown("group") or any(not (isinstance(g, dict) and g.get("id")) for g in groups)
    )
    return known, not unknown


def group_moves(plan: Plan) -> tuple[list[GroupMove], list[GroupMove]]:
    """Every group unassigned and every group assigned by this plan."""
    removed: list[GroupMove] = []
    added: list[GroupMove] = []
    for change in plan.of_type("okta_app_group_assignments"):
        before, _ = _group_ids(change, after=False)
        after, all_known = _group_ids(change, after=True)
        if change.deletes:
            removed += [GroupMove(change.address, g, replaced=change.replaces) for g in sorted(before)]
            if change.replaces:
                added += [GroupMove(change.address, g, all_known) for g in sorted(after)]
        elif change.updates or change.creates:
            removed += [GroupMove(change.address, g, all_known) for g in sorted(before - after)]
            added += [GroupMove(change.address, g, all_known) for g in sorted(after - before)]
    for change in plan.of_type("okta_app_group_assignment"):
        if change.deletes and not change.old("retain_assignment") and change.old("group_id"):
            removed.append(GroupMove(change.address, str(change.old("group_id")), replaced=change.replaces))
        if change.creates:
            known = not change.unknown("group_id")
            added.append(
                GroupMove(change.address, str(change.new("group_id") or "(known after apply)"), known)
            )
    return removed, added


def group_assignment_rules(plan: Plan) -> list[Consequence]:
    """group-unassigned and group-reassigned-unordered."""
    names = plan.group_names()
    removed, added = group_moves(plan)
    created_elsewhere = {(a.group_id): a for a in added}
    unassigned: dict[str, list[GroupMove]] = {}
    found: list[Consequence] = []
    for move in removed:
        other = created_elsewhere.get(move.group_id)
        if other is not None and other.address != move.address:
            found.append(
                Consequence(
                    "group-reassigned-unordered",
                    move.address,
                    f"destroys the assignment of group {_label(move.group_id, names)} while "
                    f"{other.address} creates it: Terraform orders neither before the other, so the "
                    "destroy may run last and leave the group unassigned",
                    "Move the assignment with a `moved` block (same resource type), or `terraform state rm` "
                    "the old one, so nothing is destroyed.",
                    objects=[_label(move.group_id, names)],
                    certain=False,
                    details={"group_id": move.group_id, "created_by": other.address},
                )
            )
            continue
        unassigned.setdefault(move.address, []).append(move)
    for address, moves in unassigned.items():
        labels = [_label(m.group_id, names) for m in moves]
        replaced = all(m.replaced for m in moves)
        how = "unassigns and assigns again (replace)" if replaced else "unassigns"
        found.append(
            Consequence(
                "group-unassigned",
                address,
                f"{how} {', '.join(labels)} from the Okta app: its members lose Grafana sign-in and, "
                "with Deactivate Users on, Okta deactivates them in Grafana",
                "Keep the group in the spec, or accept it once you know who is in it (count with --live).",
                objects=labels,
                certain=all(m.certain for m in moves),
                details={"group_ids": [m.group_id for m in moves]},
            )
        )
    return found


def team_deleted(plan: Plan) -> list[Consequence]:
    """A push mapping destroyed or replaced while delete_target_group_on_destroy is true."""
    found = []
    for change in plan.of_type("okta_push_group"):
        if not change.deletes or change.old("delete_target_group_on_destroy") is False:
            continue
        team = change.show(change.old("target_group_name"), "target_group_name")
        how = "replaces" if change.replaces else "destroys"
        found.append(
            Consequence(
                "team-deleted",
                change.address,
                f"{how} the push mapping with delete_target_group_on_destroy true: Okta deletes the "
                f"Grafana team {team}, its members and its folder and dashboard permissions",
                "Apply `delete_target_group_on_destroy = false` first (an in-place update), then remove "
                "the mapping; generated modules do this unless okta_app.delete_pushed_teams_on_destroy.",
                objects=[team],
                details={"team": change.old("target_group_name")},
            )
        )
    return found


def app_rules(plan: Plan) -> list[Consequence]:
    """app-destroyed, app-full-update, user-matching-changed, user-uid-statement-changed and
    the Okta half of saml-endpoint-changed."""
    found: list[Consequence] = []
    uid_names = _uid_statement_names(plan)
    for change in plan.of_type("okta_app_saml"):
        label = change.show(change.old("label"), "label")
        if change.deletes:
            how = "replaces" if change.replaces else "destroys"
            found.append(
                Consequence(
                    "app-destroyed",
                    change.address,
                    f"{how} the Okta app {label}: everyone loses Grafana sign-in, provisioning stops and "
                    "the app's assignments, push mappings and Provisioning tab go with it",
                    "Find the attribute forcing replacement in `terraform plan` and keep it; to stop "
                    "managing the app, `terraform state rm` it instead of destroying it.",
                    objects=[label],
                )
            )
            continue
        if not change.updates:
            continue
        changed = change.changed_attributes()
        found.append(
            Consequence(
                "app-full-update",
                change.address,
                f"updates the Okta app {label} ({', '.join(changed)}): the provider sends the whole app "
                "(a PUT): app settings changed by hand in the Admin Console go back to this "
                "configuration, and unset ones to the provider's defaults (hide_web, auto_submit_toolbar, "
                "accessibility_self_service...)",
                "After apply, re-check the app's Provisioning tab (To App, SCIM connection) and sign "
                "in once.",
                objects=changed,
            )
        )
        for key in MATCHING:
            if change.changed(key):
                found.append(
                    Consequence(
                        "user-matching-changed",
                        change.address,
                        f"changes {key} from {change.show(change.old(key), key)} to {change.show_new(key)}: "
                        "Grafana matches people by the new value, so existing users may not be found "
                        "(new duplicate accounts, or sign-in refused)",
                        "Keep the template; if it must change, plan the re-match of every user first.",
                        objects=[key],
                        certain=not change.unknown(key),
                    )
                )
        before = _statements(change, after=False)
        after = _statements(change, after=True)
        for name in uid_names:
            if name in before and before.get(name) != after.get(name):
                gone = name not in after
                found.append(
                    Consequence(
                        "user-uid-statement-changed",
                        change.address,
                        f"{'removes' if gone else 'changes'} the {name} attribute statement: Grafana links "
                        "SAML sign-ins to SCIM users by it, so SCIM-provisioned users can no longer sign in",
                        'Keep the statement as user.getInternalProperty("id").',
                        objects=[name],
                        certain=not change.unknown("attribute_statements"),
                    )
                )
        endpoints = [k for k in SAML_ENDPOINTS if change.changed(k)]
        if endpoints:
            found.append(
                Consequence(
                    "saml-endpoint-changed",
                    change.address,
                    "changes "
                    + ", ".join(f"{k} to {change.show_new(k)}" for k in endpoints)
                    + ": sign-in fails until Grafana's SAML settings agree",
                    "Change the Grafana URL in one plan that updates both sides, and apply it in a "
                    "quiet hour.",
                    objects=endpoints,
                    certain=not any(change.unknown(k) for k in endpoints),
                )
            )
    return found


def _statements(change: Change, after: bool) -> dict[str, object]:
    raw = (change.new("attribute_statements") if after else change.old("attribute_statements")) or []
    return {str(s.get("name")): s.get("values") for s in raw if isinstance(s, dict)}


def _uid_statement_names(plan: Plan) -> list[str]:
    """The attribute Grafana reads the user's UID from (assertion_attribute_external_uid)."""
    names = set()
    for change in plan.of_type("grafana_sso_settings"):
        for side in (change.old, change.new):
            value = side("saml_settings", 0, "assertion_attribute_external_uid")
            if isinstance(value, str) and value:
                names.add(value)
    return sorted(names or {"userUID"})


def provisioning_rules(plan: Plan) -> list[Consequence]:
    """provisioning-turned-off and provisioning-settings-changed (okta_app_connection,
    okta_app_features)."""
    found = []
    for change in plan.of_type("okta_app_connection", "okta_app_features"):
        if not change.changes_anything:
            continue
        if change.destroys:  # Delete only warns "Delete Not Supported": Okta keeps provisioning
            found.append(
                Consequence(
                    "provisioning-settings-changed",
                    change.address,
                    f"removes {change.type} from Terraform's state only: the provider sends nothing to "
                    "Okta on destroy, so provisioning stays as it is and is no longer managed here",
                    "To switch provisioning off, do it in the app's Provisioning tab; re-check that tab.",
                    objects=[change.type],
                )
            )
            continue
        if change.old("status") == "ENABLED" and change.new("status") == "DISABLED":
            found.append(
                Consequence(
                    "provisioning-turned-off",
                    change.address,
                    f"disables {change.type}: Okta stops "
                    "provisioning to Grafana (new people are not created, leavers not deactivated)",
                    "Keep provisioning on; to stop managing it, `terraform state rm` the resource.",
                    objects=[change.type],
                )
            )
            continue
        changed = change.changed_attributes()
        found.append(
            Consequence(
                "provisioning-settings-changed",
                change.address,
                f"{'creates' if change.creates else 'updates'} {change.type} "
                f"({', '.join(changed) or 'settings'})",
                "After apply, re-check the app's Provisioning tab and run `grafana-okta-scim verify`.",
                objects=changed,
                certain=not change.unknown(),
            )
        )
    return found
