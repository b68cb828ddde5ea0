"""Failures explained in the terms of Grafana's SCIM troubleshooting guide."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScimContext:
    """What a hint may name: the namespace expected and how to replace the token."""

    namespace: str
    token_address: str
    group_sync: bool
    timeout: float


def status_hint(status: int, body: str, ctx: ScimContext) -> str:
    """What an HTTP status from Grafana's SCIM API means and what to do about it."""
    if status == 401:
        return (
            "401 Unauthorized: the token is invalid or expired. Create a new one "
            f"(terraform apply -replace={ctx.token_address}), then enter it in Okta again."
        )
    if status == 403:
        if "namespace" in body.lower():
            return (
                "403 invalid namespace: the URL's namespace does not match this Grafana; "
                f"expected {ctx.namespace} (stacks-<stack id> on Cloud, default for org 1, "
                "org-<id> for other orgs)."
            )
        actions = "org.users:read, org.users:write, org.users:add, org.users:remove"
        roles = "fixed:org.users:writer"
        if ctx.group_sync:
            actions += ", teams:read, teams:create, teams:write, teams:delete"
            roles += " and fixed:teams:writer"
        return (
            "403 Forbidden: the token may belong to another stack or org (a service account "
            "token only works where it was created), the service account may lack "
            f"permissions, or the namespace may be wrong (expected {ctx.namespace}). Use a "
            f"token of this stack/org whose service account has the actions {actions} "
            f"(fixed roles {roles}, or basic role Admin)."
        )
    if status == 404:
        return (
            "404 Not Found: SCIM is not enabled (feature toggle enableSCIM, Grafana Enterprise "
            "12+ or a Cloud plan with SCIM) or the URL is wrong."
        )
    if status == 409:
        return (
            "409 Conflict: a user or team with this name or email already exists, yet the "
            "look-up by name did not return it; Okta would fail the same way."
        )
    if status == 429:
        return "429 Too Many Requests: still rate limited after the retries; try again later."
    if 300 <= status < 400:
        return (
            f"{status} redirect: something in front of Grafana (a proxy or login page) "
            "redirects the SCIM API; use Grafana's own URL."
        )
    if status >= 500:
        return f"{status} server error from Grafana (after retries); check Grafana's logs."
    return f"unexpected HTTP {status} from the SCIM API."
