"""A generated Terraform plan JSON of N resource changes for the `impact` benchmark.

Every tenth change is harmful in its own way (groups unassigned, a team deleted, rejection on,
a token replaced, role mapping changed, an app updated in place); the rest are no-ops or
harmless creates, the mix a large monorepo plan has. Deterministic for a given N.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

IMPACT_CHANGES = 1000


def _change(address: str, actions: list[str], before: Any, after: Any, **extra: Any) -> dict[str, Any]:
    type_name, name = address.split("[")[0].split(".")[-2:]
    change = {"actions": actions, "before": before, "after": after, "after_unknown": {}, **extra}
    return {"address": address, "mode": "managed", "type": type_name, "name": name, "change": change}


def change(index: int) -> dict[str, Any]:
    """The change number `index`."""
    name = f"int{index:04d}"
    kind = index % 10
    if kind == 0:
        groups = [{"id": f"00g{index:04d}{g}", "priority": g} for g in range(3)]
        return _change(
            f"okta_app_group_assignments.{name}", ["update"], {"group": groups}, {"group": groups[:1]}
        )
    if kind == 1:
        push = {
            "target_group_name": f"team-{index}",
            "source_group_id": f"00g{index}",
            "delete_target_group_on_destroy": True,
        }
        return _change(f'okta_push_group.{name}["team-{index}"]', ["delete"], push, None)
    if kind == 2:
        return _change(
            f"grafana_scim_config.{name}",
            ["update"],
            {"reject_non_provisioned_users": False},
            {"reject_non_provisioned_users": True},
        )
    if kind == 3:
        token = {"name": f"okta-{index}", "seconds_to_live": 0}
        return _change(
            f"grafana_service_account_token.{name}",
            ["delete", "create"],
            token,
            token,
            after_sensitive={"key": True},
            before_sensitive={"key": True},
        )
    if kind == 4:
        before = {"provider_name": "saml", "saml_settings": [{"enabled": True, "role_values_admin": "a"}]}
        after = {"provider_name": "saml", "saml_settings": [{"enabled": True, "role_values_admin": "a b"}]}
        return _change(f"grafana_sso_settings.{name}", ["update"], before, after)
    if kind == 5:
        return _change(f"okta_app_saml.{name}", ["update"], {"label": "A"}, {"label": "B"})
    if kind in (6, 7):
        account: dict[str, Any] = {"name": f"okta-scim-{index}", "role": "Admin"}
        return _change(f"grafana_service_account.{name}", ["create"], None, account)
    values: dict[str, Any] = {"app_id": f"0oa{index}", "group": [{"id": f"00g{index}", "priority": 0}]}
    return _change(f"okta_app_group_assignments.{name}", ["no-op"], values, values)


def write_plan(count: int, folder: Path) -> Path:
    """plan-N.json in `folder`: a `terraform show -json` document with `count` changes."""
    folder.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [change(i) for i in range(count)],
    }
    path = folder / f"plan-{count}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
