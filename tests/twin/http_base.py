"""What the twin's WSGI views share: the request, routing by method and path regex, JSON
answers, Okta-style cursor paging."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

StartResponse = Callable[..., Any]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    origin: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(size) if size else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if "CONTENT_TYPE" in environ:
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = {
            k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()
        }
        origin = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}"
        return cls(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), query, headers, raw, origin)

    def json(self) -> Any:
        """The JSON body (an empty body is {})."""
        if not self.raw.strip():
            return {}
        try:
            return json.loads(self.raw)
        except json.JSONDecodeError as error:
            raise HttpError(400, {"message": f"bad JSON: {error}"}) from error


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json"

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


class HttpError(Exception):
    """Answer with this status and body."""

    def __init__(self, status: int, body: Any, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(str(body))
        self.answer = Answer(status, body, list(headers))


Handler = Callable[[Request], Answer]


class Router:
    """Routes (method, path regex) to handlers; named groups become `request.params`."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(pattern), handler))

    def find(self, request: Request) -> Handler | None:
        path_matched = False
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(request.path)
            if match:
                path_matched = True
                if method == request.method:
                    request.params = match.groupdict()
                    return handler
        if path_matched:
            raise HttpError(405, {"message": "Method not allowed"})
        return None


def unsupported(twin: Any, request: Request, error: Exception) -> Answer:
    """A request the twin cannot model: 501, and kept in `twin.unsupported` so the test that
    sent it (through Terraform, say) can fail loudly."""
    message = f"{request.method} {request.path}: {error}"
    twin.unsupported.append(message)
    return Answer(
        501, {"message": f"twin unsupported: {message}", "errorSummary": f"twin unsupported: {message}"}
    )


def send(start_response: StartResponse, answer: Answer) -> list[bytes]:
    raw = answer.encode()
    headers = [("Content-Type", answer.content_type), ("Content-Length", str(len(raw))), *answer.headers]
    start_response(f"{answer.status} {STATUS_TEXT.get(answer.status, 'Status')}", headers)
    return [raw]


STATUS_TEXT = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


def page(
    request: Request, items: list[Any], key: Callable[[Any], str], default_limit: int = 200
) -> tuple[list[Any], list[tuple[str, str]]]:
    """Okta's cursor paging: `limit` and `after` (the last id of the previous page); a
    `Link: <...>; rel="next"` header while more remain (Okta's pagination guide)."""
    limit = int(request.query.get("limit") or default_limit)
    start = 0
    if "after" in request.query:
        ids = [key(i) for i in items]
        after = request.query["after"]
        start = ids.index(after) + 1 if after in ids else len(ids)
    chunk = items[start : start + limit]
    links = [("Link", f'<{request.origin}{request.path}?{urlencode(request.query)}>; rel="self"')]
    if chunk and start + limit < len(items):
        query = {**request.query, "after": key(chunk[-1]), "limit": str(limit)}
        links.append(("Link", f'<{request.origin}{request.path}?{urlencode(query)}>; rel="next"'))
    return chunk, links


class Lock:
    """One lock for the whole twin: views answer one request at a time."""

    _lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
