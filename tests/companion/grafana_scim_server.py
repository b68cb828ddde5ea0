"""A real SCIM 2.0 server (scim2-server) mounted where Grafana serves SCIM, on 127.0.0.1.

Like Grafana: `/apis/scim.grafana.app/v0alpha1/namespaces/<namespace>/...`, bearer-token auth
(401 without the token), 403 "invalid namespace" for another namespace. Faults can be injected
per request (status, headers, body, stall) to exercise verify's diagnosis and retries.

`strict=True` narrows it to what Grafana documents (Grafana's SCIM server is closed source):
- "After a user is provisioned through SCIM, they cannot be deleted from Grafana - they can
  only be deactivated" (Manage users and teams with SCIM): DELETE /Users/{id} answers 405;
- the discovery endpoints (/ServiceProviderConfig, /Schemas, /ResourceTypes) are not part of
  Grafana's documented API: 404;
- user answers carry the enterprise extension schema
  (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User) with its attribute object;
- the SCIM user's externalId links it to the SAML user (Configure SCIM with Okta): a user or
  group written without externalId is refused with 400.
Teams (groups) are deleted with DELETE /Groups/{id}, as Grafana deletes a team when its group
is removed.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_provider

from .faults import Faults, json_response

SCIM_PREFIX = "/apis/scim.grafana.app/v0alpha1/namespaces/"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
DISCOVERY = ("ServiceProviderConfig", "Schemas", "ResourceTypes")
FIXED_TIME = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def scim_error(status: int, detail: str, scim_type: str | None = None) -> dict[str, Any]:
    """An RFC 7644 Error body."""
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


class SequentialStorage(InMemoryStorage):
    """Predictable ids (1, 2, ...) and dates, for golden reports."""

    def __init__(self) -> None:
        super().__init__(clock=lambda: FIXED_TIME)
        self._ids = itertools.count(1)

    def generate_id(self, resource_type: Any, resource: Any) -> str:
        return str(next(self._ids))


class GrafanaLikeScim:
    """WSGI app: namespace check, the strict rules, then scim2-server's bearer-token app."""

    def __init__(
        self, namespace: str, token: str, strict: bool = False, sequential_ids: bool = False
    ) -> None:
        self.namespace = namespace
        self.storage = SequentialStorage() if sequential_ids else InMemoryStorage()
        self.app = BearerTokenApplication(self.storage, load_default_provider(), bearer_tokens=[token])
        self.token = token
        self.strict = strict
        self.faults = Faults()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        path = environ.get("PATH_INFO", "")
        if not path.startswith(SCIM_PREFIX):
            return json_response(start_response, 404, {"message": "Not found"})
        namespace, _, rest = path[len(SCIM_PREFIX) :].partition("/")
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            return json_response(start_response, 401, {"message": "Unauthorized"})
        if namespace != self.namespace:
            return json_response(start_response, 403, {"message": "invalid namespace"})
        environ["SCRIPT_NAME"] = SCIM_PREFIX + namespace
        environ["PATH_INFO"] = "/" + rest
        if self.strict:
            refused = self._refuse(environ, rest, start_response)
            if refused is not None:
                return refused
            if rest.split("/")[0] == "Users":
                return self._with_extension(environ, start_response)
        return self.app(environ, start_response)

    # -- strict mode --------------------------------------------------------------------------
    def _refuse(self, environ: dict[str, Any], rest: str, start_response: Any) -> list[bytes] | None:
        method = environ["REQUEST_METHOD"]
        segments = rest.split("/")
        if segments[0] in DISCOVERY:
            return json_response(
                start_response,
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "message": "the server could not find the requested resource",
                },
            )
        if method == "DELETE" and segments[0] == "Users" and len(segments) == 2:
            return json_response(
                start_response,
                405,
                scim_error(405, "users provisioned by SCIM cannot be deleted, only deactivated"),
                (("Allow", "GET, PUT, PATCH"),),
            )
        if method in ("POST", "PUT") and segments[0] in ("Users", "Groups"):
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size) if size else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {}
            if not isinstance(body, dict) or not body.get("externalId"):
                return json_response(
                    start_response, 400, scim_error(400, "externalId is required", "invalidValue")
                )
        return None

    def _with_extension(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """scim2-server's answer with the enterprise extension added to every user in it."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        raw = b"".join(self.app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
        if isinstance(body, dict):
            for user in [body, *(body.get("Resources") or [])]:
                if isinstance(user, dict) and USER_SCHEMA in (user.get("schemas") or []):
                    user["schemas"] = [*user["schemas"], ENTERPRISE]
                    user[ENTERPRISE] = {"employeeNumber": f"E{user.get('id')}", "organization": "loopback"}
            raw = json.dumps(body).encode()
        start_response(captured["status"], [*headers, ("Content-Length", str(len(raw)))])
        return [raw]

    # -- state, for assertions ----------------------------------------------------------------
    def users(self) -> list[tuple[str, bool | None]]:
        """(userName, active) of every stored user."""
        return sorted((r.user_name, r.active) for r in self.storage.resources if USER_SCHEMA in r.schemas)

    def groups(self) -> list[str]:
        """displayName of every stored group."""
        return sorted(r.display_name for r in self.storage.resources if GROUP_SCHEMA in r.schemas)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 (free port) in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
