"""GET-only JSON reads of one service through HttpClient: an answer or a typed failure, and
every page of a list (Link rel="next", followed on the same origin only).

The failures carry what happened, not prose: verify, discover and impact each word them for
their own report (a check, an exit-1 line, a `--live` line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, Self

import httpx

from .http import HttpClient, TransportError

MAX_PAGES = 50
BadAnswerKind = Literal["not-json", "not-a-list", "other-host", "too-many-pages"]


class LiveError(Exception):
    """A read that did not give the answer asked for."""


class Unreachable(LiveError):
    """No HTTP answer (TLS, DNS, timeout, connection); `error.message` is redacted."""

    def __init__(self, path: str, url: str, error: TransportError) -> None:
        self.path = path
        self.url = url
        self.error = error
        super().__init__(error.message)


class StatusError(LiveError):
    """An HTTP status other than 200 and the ones the caller accepts.

    path: the path first asked for; url_path: the path of the request that failed (a later
    page's); body: the answer's JSON (None when there is none).
    """

    def __init__(self, path: str, url_path: str, status: int, body: Any) -> None:
        self.path = path
        self.url_path = url_path
        self.status = status
        self.body = body
        super().__init__(f"GET {path}: HTTP {status}")

    def fields(self, *keys: str) -> str:
        """The body's values of `keys` (Okta's errorCode, errorSummary; Grafana's message),
        space-separated; "" when the body has none."""
        if not isinstance(self.body, dict):
            return ""
        return " ".join(str(self.body.get(k)) for k in keys if self.body.get(k))


class BadAnswer(LiveError):
    """A 200 that is not what the API answers: not JSON, not a list, a next page on another
    host, or more pages than MAX_PAGES."""

    def __init__(self, path: str, kind: BadAnswerKind, pages: int = MAX_PAGES) -> None:
        self.path = path
        self.kind = kind
        self.pages = pages
        super().__init__(f"GET {path}: {kind}")


@dataclass(frozen=True)
class Answer:
    """The status and JSON body (None when empty) of one GET."""

    status: int
    body: Any


class Reader:
    """GET-only access to one service's JSON API."""

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.redact = http.redact

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def response(
        self, path: str, params: dict[str, Any] | None = None, first: str | None = None
    ) -> httpx.Response:
        """The raw answer of one GET (any status); Unreachable without one."""
        try:
            return self.http.request("GET", path, params=params)
        except TransportError as exc:
            url = str(self.http.base_url.join(path.lstrip("/")))
            raise Unreachable(first or path, url, exc) from None

    def get(self, path: str, params: dict[str, Any] | None = None, ok: tuple[int, ...] = ()) -> Answer:
        """Status and JSON body for 200 and the statuses in `ok`; StatusError otherwise."""
        response = self.response(path, params)
        self._check(path, path, response, ok)
        return Answer(response.status_code, _json(path, response))

    def get_all(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        ok: tuple[int, ...] = (),
        max_pages: int = MAX_PAGES,
    ) -> Answer:
        """Every item of a paged list, following Link rel="next" on the same origin; a status
        in `ok` answers (status, [])."""
        items: list[Any] = []
        url, query = path, params
        for _ in range(max_pages):
            response = self.response(url, query, first=path)
            if response.status_code in ok:
                return Answer(response.status_code, [])
            self._check(path, url, response, ())
            page = _json(path, response)
            if not isinstance(page, list):
                raise BadAnswer(path, "not-a-list")
            items.extend(page)
            next_url = response.links.get("next", {}).get("url")
            if not next_url:
                return Answer(200, items)
            if not self.http.same_origin(next_url):
                raise BadAnswer(path, "other-host")
            url, query = next_url, None
        raise BadAnswer(path, "too-many-pages", max_pages)

    @staticmethod
    def _check(path: str, url: str, response: httpx.Response, ok: tuple[int, ...]) -> None:
        if response.status_code == 200 or response.status_code in ok:
            return
        url_path = httpx.URL(url).path if "://" in url else url
        raise StatusError(path, url_path, response.status_code, _json_or_none(response))


def _json(path: str, response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadAnswer(path, "not-json") from None


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json() if response.content else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
