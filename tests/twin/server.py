"""Loopback HTTP for the twin's views: one threaded WSGI server per view, on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from .twin import Twin


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        """A view whose `down` is set drops the connection without answering (a service that
        went away mid-run; the client sees the server disconnect)."""
        if getattr(self.server.get_app(), "down", False):  # type: ignore[attr-defined]
            self.close_connection = True
            return
        super().handle()


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve one WSGI app on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Endpoints:
    """Where the twin's views listen."""

    okta_url: str
    okta_org_url: str
    grafana_urls: dict[str, str] = field(default_factory=dict)
    grafana_cloud_url: str = ""

    def environment(self, clock_file: str | None = None) -> dict[str, str]:
        """{"TWIN_ENDPOINTS": json} for the replay providers (format: CONTRACT.md)."""
        payload: dict[str, object] = {
            "okta": self.okta_url,
            "okta_org_url": self.okta_org_url,
            "grafana": dict(self.grafana_urls),
            "grafana_cloud": self.grafana_cloud_url,
        }
        if clock_file is not None:
            payload["clock_file"] = clock_file
        return {"TWIN_ENDPOINTS": json.dumps(payload, sort_keys=True)}

    def loopback(self, url: str) -> str:
        """A real URL (Okta org, a Grafana, with any path) rewritten to its loopback view."""
        for real, local in [(self.okta_org_url, self.okta_url), *self.grafana_urls.items()]:
            if url == real or url.startswith(real.rstrip("/") + "/"):
                return local + url[len(real.rstrip("/")) :]
        raise KeyError(url)


@contextmanager
def serve(twin: Twin) -> Iterator[Endpoints]:
    """Serve the twin's Okta view, each Grafana's view and the Cloud API view on 127.0.0.1.

    Grafanas added while serving are not served: add them first.
    """
    from contextlib import ExitStack

    with ExitStack() as stack:
        okta_url = stack.enter_context(serve_app(twin.okta_view))
        endpoints = Endpoints(okta_url, twin.okta.org_url)
        for url, view in twin.grafana_views.items():
            endpoints.grafana_urls[url] = stack.enter_context(serve_app(view))
        endpoints.grafana_cloud_url = stack.enter_context(serve_app(twin.cloud_view))
        previous = twin.endpoints
        twin.endpoints = endpoints
        try:
            yield endpoints
        finally:
            twin.endpoints = previous
