"""A loopback Okta org + Grafana instance answering the GETs `impact --live` makes, recording
every request (method, path, auth) so a test can assert GET only. To be replaced by the twin."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class World:
    """Okta groups (id -> name, members), app users (id -> externalId), Grafana teams."""

    groups: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    app_users: dict[str, dict[str, str | None]] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    page_size: int = 2


def _handler(world: World) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def _record(self) -> None:
            world.requests.append((self.command, self.path, self.headers.get("Authorization", "")))

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _refuse(self) -> None:
            self._record()
            self._send(405, {"error": "impact must only GET"})

        do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

        def do_GET(self) -> None:
            self._record()
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            parts = url.path.strip("/").split("/")
            if parts[:3] == ["api", "v1", "groups"] and len(parts) == 5 and parts[4] == "users":
                self._paged([{"id": u} for u in world.members.get(parts[3], [])], query)
            elif parts[:3] == ["api", "v1", "groups"] and len(parts) == 4 and parts[3] in world.groups:
                self._send(200, {"id": parts[3], "profile": {"name": world.groups[parts[3]]}})
            elif parts == ["api", "v1", "groups"]:
                name = query.get("q", [""])[0]
                found = [
                    {"id": i, "profile": {"name": n}} for i, n in world.groups.items() if n.startswith(name)
                ]
                self._send(200, found)
            elif parts[:3] == ["api", "v1", "apps"] and len(parts) == 5 and parts[4] == "users":
                users = [{"id": u, "externalId": e} for u, e in world.app_users.get(parts[3], {}).items()]
                self._paged(users, query)
            elif parts == ["api", "teams", "search"]:
                name = query.get("name", [""])[0]
                teams = [{"id": 1, "name": n, "memberCount": c} for n, c in world.teams.items() if n == name]
                self._send(200, {"teams": teams, "totalCount": len(teams)})
            else:
                self._send(404, {"error": url.path})

        def _paged(self, items: list[dict[str, Any]], query: dict[str, list[str]]) -> None:
            start = int(query.get("after", ["0"])[0])
            page = items[start : start + world.page_size]
            headers = {}
            if start + world.page_size < len(items):
                host = self.headers.get("Host")
                path = urlsplit(self.path).path
                headers["Link"] = f'<http://{host}{path}?after={start + world.page_size}>; rel="next"'
            self._send(200, page, headers)

    return Handler


@contextmanager
def serving(world: World) -> Iterator[str]:
    """Serve the world on 127.0.0.1 (a free port); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(world))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
