"""A real SCIM 2.0 server (scim2-server) mounted where Grafana serves SCIM, on 127.0.0.1.

Like Grafana: `/apis/scim.grafana.app/v0alpha1/namespaces/<namespace>/...`, bearer-token auth
(401 without the token), 403 "invalid namespace" for another namespace. Faults can be injected
per request (status, headers, stall) to exercise verify's diagnosis and retries.
"""

from __future__ import annotations

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


class GrafanaLikeScim:
    """WSGI app: namespace check, then scim2-server's bearer-token application."""

    def __init__(self, namespace: str, token: str) -> None:
        self.namespace = namespace
        self.storage = InMemoryStorage()
        self.app = BearerTokenApplication(
            self.storage, load_default_provider(), bearer_tokens=[token]
        )
        self.token = token
        self.faults = Faults()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        injected = self.faults.apply(environ, start_response)
        if injected is not None:
            return injected
        path = environ.get("PATH_INFO", "")
        if not path.startswith(SCIM_PREFIX):
            return json_response(start_response, 404, {"message": "Not found"})
        namespace, _, rest = path[len(SCIM_PREFIX):].partition("/")
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or token != self.token:
            return json_response(start_response, 401, {"message": "Unauthorized"})
        if namespace != self.namespace:
            return json_response(start_response, 403, {"message": "invalid namespace"})
        environ["SCRIPT_NAME"] = SCIM_PREFIX + namespace
        environ["PATH_INFO"] = "/" + rest
        return self.app(environ, start_response)


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
