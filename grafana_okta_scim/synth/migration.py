"""State migrations between the two group-assignment forms, emitted only on the transition.

Switching okta_app.assignments_authoritative, or re-keying one assignment from `group` to
`group_id`, changes resource addresses. Without a migration Terraform destroys the old address
(okta_app_group_assignments Delete unassigns every listed group; okta_app_group_assignment Delete
unassigns its group) and creates the new one with no ordering between them, so groups can end
unassigned and, with Deactivate Users on, their users deprovisioned in Grafana. The previous output
in the target folder (previous_output) says what the state holds; on a fresh folder nothing is
emitted (import blocks for assignments that do not exist fail an apply).
"""

from __future__ import annotations

from ..emit.escaping import hcl_string
from ..previous_output import PreviousOutput
from ..spec import Integration
from ..terraform_types import Element, Expr, Import, Moved, Removed
from .collector import Collector

# removed blocks exist from Terraform 1.7 (import ids as expressions from 1.6).
MIGRATION_TERRAFORM = ">= 1.7"


def assignment_migration(
    integration: Integration,
    out: Collector,
    previous: PreviousOutput | None,
    app: Element,
    assignments: Element | None,
    group_ids: dict[str, str],
) -> bool:
    """Add the moved/removed/import blocks the transition from `previous` needs; True when the
    module then needs MIGRATION_TERRAFORM. `group_ids`: assignment key -> group id expression."""
    if previous is None or assignments is None or previous.form is None:
        return False
    now = "authoritative" if assignments.type == "okta_app_group_assignments" else "per-group"
    keys = set(group_ids)
    if now == "per-group" and (previous.form == "authoritative" or previous.migrated_from == "authoritative"):
        kept = previous.keys if previous.form == "authoritative" else previous.migrated_keys
        imported = sorted(keys & set(kept))
        out.removals.append(Removed(f"okta_app_group_assignments.{out.name}"))
        for key in imported:
            out.imports.append(
                Import(
                    f"{assignments.address}[{hcl_string(key)}]",
                    Expr(f'format("%s/%s", {app.address}.id, {group_ids[key]})'),
                )
            )
        if previous.form == "per-group":
            _rekey(integration, out, previous, assignments, keys)
        return True
    if now == "authoritative" and (previous.form == "per-group" or previous.migrated_from == "per-group"):
        out.removals.append(Removed(f"okta_app_group_assignment.{out.name}"))
        out.imports.append(Import(assignments.address, Expr(f"{app.address}.id")))
        return True
    if now == "per-group" and previous.form == "per-group":
        _rekey(integration, out, previous, assignments, keys)
    return False


def _rekey(
    integration: Integration, out: Collector, previous: PreviousOutput, assignments: Element, keys: set[str]
) -> None:
    """One assignment moved between `group` and `group_id`: a moved block keeps it assigned."""
    by_name = {a.group for a in integration.okta_app.assignments if a.group}
    gone = sorted(set(previous.keys) - keys)
    new = sorted(keys - set(previous.keys))
    gone_names = [k for k in gone if not k.startswith("00g")]
    gone_ids = [k for k in gone if k.startswith("00g")]
    new_names = [k for k in new if k in by_name]
    new_ids = [k for k in new if k not in by_name]
    pairs = []
    if len(gone_names) == 1 and len(new_ids) == 1:
        pairs.append((gone_names[0], new_ids[0]))
    if len(gone_ids) == 1 and len(new_names) == 1:
        pairs.append((gone_ids[0], new_names[0]))
    moves = [
        (f"{assignments.address}[{hcl_string(old)}]", f"{assignments.address}[{hcl_string(key)}]")
        for old, key in pairs
    ]
    # A move written before stays while its target exists, so a re-synth (and `check`) keeps it.
    current = {f"{assignments.address}[{hcl_string(key)}]" for key in keys}
    kept = [move for move in previous.moves if move[1] in current and move not in moves]
    for old_address, new_address in sorted(kept) + moves:
        out.moves.append(Moved(old_address, new_address))
    if not pairs and ((gone_names and new_ids) or (gone_ids and new_names)):
        out.warn(
            "okta_app.assignments: several assignments changed between group and group_id at once; "
            "Terraform would unassign and reassign them in no order. Change one per synth, or move "
            "each in the state first: terraform state mv "
            f"'{assignments.address}[\"<old key>\"]' '{assignments.address}[\"<new key>\"]'"
        )
