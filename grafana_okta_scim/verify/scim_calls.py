"""One SCIM request at a time, as Okta sends and reads it: the answer, or StepFailed naming what
went wrong and what to do. Shared by the read-only checks (scim_checks.py) and the write test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..live import ScimAnswer, ScimClient, TransportError, transport_hint
from .diagnosis import ScimContext, status_hint
from .scim_api import Unreadable, UserView, list_of, user_of

OKTA_READS = (
    "Okta reads only totalResults, Resources, id, userName, active and a group's "
    "displayName and members; this answer lacks what Okta needs."
)


class StepFailed(Exception):
    """A SCIM call that did not succeed; `hint` explains it."""

    def __init__(self, detail: str, hint: str) -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(detail)


class ScimCalls:
    """SCIM requests as Okta sends and reads them; every failure is a StepFailed with a hint."""

    def __init__(self, api: ScimClient, ctx: ScimContext) -> None:
        self.api = api
        self.ctx = ctx

    # -- one request --------------------------------------------------------------------------
    def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        label: str | None = None,
    ) -> ScimAnswer:
        """One request; StepFailed (with a hint) when no HTTP answer came."""
        try:
            answer = self.api.call(method, path, params=params, body=body)
        except TransportError as exc:
            raise StepFailed(
                f"{label or f'{method} /{path}'}: {exc.message}",
                transport_hint(
                    exc, f"the Grafana SCIM API ({self.api.http.client.base_url})", self.ctx.timeout
                ),
            ) from None
        if label:
            answer = ScimAnswer(label, answer.status, answer.body, answer.text)
        return answer

    def expect(self, answer: ScimAnswer, statuses: tuple[int, ...] = (200,)) -> ScimAnswer:
        """The answer if its status is one of `statuses`; StepFailed with a hint otherwise."""
        if answer.status in statuses:
            if answer.body is None and answer.status != 204:
                raise StepFailed(
                    f"{answer.what}: HTTP {answer.status} without a JSON body",
                    "not a SCIM answer: something in front of Grafana (a proxy or "
                    "login page) answers instead of the SCIM API.",
                )
            return answer
        raise self.failure(answer)

    def failure(self, answer: ScimAnswer) -> StepFailed:
        """StepFailed describing an unexpected status."""
        text = self.api.http.redact(" ".join(answer.text[:300].split()))
        return StepFailed(
            f"{answer.what}: HTTP {answer.status} {text}".strip(), status_hint(answer.status, text, self.ctx)
        )

    def read(self, answer: ScimAnswer, parse: Callable[[Any], Any]) -> Any:
        """Parse an answer like Okta; StepFailed naming what is missing."""
        try:
            return parse(answer.body)
        except Unreadable as exc:
            raise StepFailed(f"{answer.what}: {exc.detail}", OKTA_READS) from None

    def find(self, resource: str, attribute: str, value: str, parse: Callable[[Any], Any]) -> list[Any]:
        """Okta's lookup: GET /<resource>?filter=<attribute> eq "..." with every match read by
        `parse`; a 404 with a SCIM Error body means no match."""
        query = f'{attribute} eq "{value}"'
        answer = self.send(
            "GET",
            resource,
            params={"filter": query, "startIndex": "1", "count": "100"},
            label=f"GET /{resource}?filter={query}",
        )
        if answer.status == 404 and answer.scim_error:
            return []
        page: tuple[int, list[dict[str, Any]]] = self.read(self.expect(answer), list_of)
        return [self.read(ScimAnswer(answer.what, 200, r, ""), parse) for r in page[1]]

    def find_users(self, user_name: str) -> list[UserView]:
        """The users whose userName is `user_name`, as Okta looks them up."""
        return self.find("Users", "userName", user_name, user_of)
