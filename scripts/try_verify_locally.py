"""Try `grafana-okta-scim verify` against a local SCIM server, before touching a real Grafana.

Starts scim2-server (pip install scim2-server; it is in the dev extra) on 127.0.0.1, mounted
where Grafana serves SCIM (`/apis/scim.grafana.app/v0alpha1/namespaces/<namespace>`) with a
bearer token, then runs verify with the spec's integration pointed at it. scim2-server is a
generic SCIM 2.0 server, not Grafana: it shows what verify checks and how it reports, not that a
Grafana is set up right.

    python scripts/try_verify_locally.py [SPEC] [--integration NAME] [--write-test]

SPEC defaults to the embedded example. Exit code: verify's (0 all passed, 1 a check failed).
The Okta checks are skipped unless OKTA_API_TOKEN is set.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_provider

from grafana_okta_scim.loader import example_spec, load_spec
from grafana_okta_scim.synth import plan

PREFIX = "/apis/scim.grafana.app/v0alpha1/namespaces/"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def mounted(namespace: str, token: str, subpath: str = "") -> Any:
    """scim2-server under Grafana's SCIM path for `namespace` (404 elsewhere, 403 other namespaces)."""
    inner = BearerTokenApplication(InMemoryStorage(), load_default_provider(), bearer_tokens=[token])

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if subpath and path.startswith(f"/{subpath}/"):
            path = path[len(subpath) + 1 :]  # Grafana served from a sub-path
        if not path.startswith(PREFIX):
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message": "Not found"}']
        found, _, rest = path[len(PREFIX) :].partition("/")
        if found != namespace:
            start_response("403 Forbidden", [("Content-Type", "application/json")])
            return [b'{"message": "invalid namespace"}']
        environ["SCRIPT_NAME"], environ["PATH_INFO"] = PREFIX + found, "/" + rest
        return inner(environ, start_response)

    return app


def main(argv: list[str]) -> int:
    """Serve, run verify against the server, return verify's exit code."""
    spec_path = argv[0] if argv and not argv[0].startswith("-") else None
    rest = argv[1:] if spec_path else argv
    spec = load_spec(spec_path) if spec_path else example_spec()
    plans = plan(spec, "scim.yaml")
    name = rest[rest.index("--integration") + 1] if "--integration" in rest else next(iter(plans))
    facts = plans[name].facts
    namespace = facts.scim_base_url.rsplit("/", 1)[-1]
    path = urlsplit(facts.scim_base_url).path.split("/apis/", 1)[0].strip("/")  # a sub-path, if any
    token = secrets.token_urlsafe(24)
    server = make_server(
        "127.0.0.1", 0, mounted(namespace, token, path), server_class=_Server, handler_class=_Quiet
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    grafana_url = f"http://127.0.0.1:{server.server_port}" + (f"/{path}" if path else "")
    print(f"scim2-server at {grafana_url}{PREFIX}{namespace} (token in GRAFANA_SCIM_TOKEN)", file=sys.stderr)
    command = [
        sys.executable,
        "-m",
        "grafana_okta_scim",
        "verify",
        *([spec_path] if spec_path else ["--example"]),
    ]
    command += ["--integration", name, "--grafana-url", grafana_url, "--phase", "1"]
    command += [arg for arg in rest if arg == "--write-test"]
    print("$ " + " ".join(command[2:]), file=sys.stderr)
    try:
        return subprocess.call(command, env={**os.environ, "GRAFANA_SCIM_TOKEN": token})
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
