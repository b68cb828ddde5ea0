"""A go-plugin gRPC server for one schema-replay provider (run by the launcher script).

Handshake: Terraform starts the plugin with TF_PLUGIN_MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS and
PLUGIN_CLIENT_CERT set, and reads one stdout line
`1|6|unix|<socket>|grpc|<server certificate>`. The plugin serves tfplugin6.Provider plus
go-plugin's GRPCController (Shutdown), GRPCStdio, GRPCBroker and the gRPC health service, on a
unix socket in a fresh 0700 folder that it removes on exit. It also exits when its parent dies.

With `--reattach` the test harness itself starts it (with the magic cookie set): it serves
without TLS, as go-plugin expects of a reattached provider, prints the same line with an empty
certificate, and serves every Terraform run of a workspace until SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc

from . import schema, stubs, tls
from .provider import ReplayProvider

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 6
_HEALTH_SERVING = b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}


def servicer_class(provider_grpc: Any) -> type:
    """ReplayProvider mixed into the generated ProviderServicer (unimplemented RPCs fall back)."""
    return type("ReplayProviderServicer", (ReplayProvider, provider_grpc.ProviderServicer), {})


def _health_handler() -> grpc.GenericRpcHandler:
    """grpc.health.v1.Health/Check answering SERVING, with raw bytes (no extra stub package)."""

    def check(_request: bytes, _context: Any) -> bytes:
        return _HEALTH_SERVING

    handler = grpc.unary_unary_rpc_method_handler(check)
    return grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": handler})


class PluginServer:
    """The gRPC server and the go-plugin side services."""

    def __init__(self, schemas: schema.ProviderSchemas, tls_dir: Path | None, reattach: bool = False) -> None:
        self.mods = stubs.load()
        self.schemas = schemas
        self.tls_dir = tls_dir
        self.reattach = reattach
        self.stopping = threading.Event()
        self.socket_dir = Path(tempfile.mkdtemp(prefix="tfreplay-"))  # mode 0700
        self.socket = self.socket_dir / "plugin.sock"
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))

    def _register(self) -> None:
        mods = self.mods
        provider = servicer_class(mods["tfplugin6_grpc"])(mods["tfplugin6_pb2"], self.schemas)
        mods["tfplugin6_grpc"].add_ProviderServicer_to_server(provider, self.server)
        server = self

        class Controller(mods["controller_grpc"].GRPCControllerServicer):  # type: ignore[misc]
            def Shutdown(self, request: Any, context: Any) -> Any:
                server.stopping.set()
                return mods["controller_pb2"].Empty()

        class Stdio(mods["stdio_grpc"].GRPCStdioServicer):  # type: ignore[misc]
            def StreamStdio(self, request: Any, context: Any) -> Iterator[Any]:
                # Held open until the plugin stops or, for a long-lived (reattached) plugin
                # that many Terraform runs connect to, until this client goes away.
                gone = threading.Event()
                context.add_callback(gone.set)
                while not gone.wait(0.5) and not server.stopping.is_set():
                    pass
                yield from ()

        class Broker(mods["broker_grpc"].GRPCBrokerServicer):  # type: ignore[misc]
            def StartStream(self, request_iterator: Any, context: Any) -> Iterator[Any]:
                for _ in request_iterator:
                    pass
                yield from ()

        mods["controller_grpc"].add_GRPCControllerServicer_to_server(Controller(), self.server)
        mods["stdio_grpc"].add_GRPCStdioServicer_to_server(Stdio(), self.server)
        mods["broker_grpc"].add_GRPCBrokerServicer_to_server(Broker(), self.server)
        self.server.add_generic_rpc_handlers((_health_handler(),))

    def _watch_parent(self, parent: int) -> None:
        while not self.stopping.wait(0.5):
            if os.getppid() != parent:
                self.stopping.set()

    def serve(self) -> int:
        """Listen, print the handshake, and block until Shutdown or the parent's exit."""
        try:
            self._register()
            if self.reattach:  # Terraform connects without TLS to a reattached provider
                self.server.add_insecure_port(f"unix:{self.socket}")
                handshake = ""
            else:
                cert = tls.load(self.tls_dir) if self.tls_dir else tls.generate()
                credentials = grpc.ssl_server_credentials(
                    [(cert.key_pem, cert.cert_pem)], require_client_auth=False
                )
                self.server.add_secure_port(f"unix:{self.socket}", credentials)
                handshake = cert.handshake
            self.server.start()
            threading.Thread(target=self._watch_parent, args=(os.getppid(),), daemon=True).start()
            line = "|".join(
                [
                    str(CORE_PROTOCOL_VERSION),
                    str(APP_PROTOCOL_VERSION),
                    "unix",
                    str(self.socket),
                    "grpc",
                    handshake,
                ]
            )
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            self.stopping.wait()
            self.server.stop(grace=0.5).wait()
            return 0
        finally:
            shutil.rmtree(self.socket_dir, ignore_errors=True)


USAGE = "usage: python -m harness.plugin --schema FILE [--tls-dir DIR] [--reattach]"


def _parse(argv: list[str]) -> tuple[Path, Path | None, bool]:
    """`--schema FILE [--tls-dir DIR] [--reattach]` (no argparse: it costs every plugin start
    15 ms). `--reattach`: a long-lived plaintext server Terraform reaches through
    TF_REATTACH_PROVIDERS instead of starting it (see `runner.Workspace`)."""
    reattach = "--reattach" in argv
    argv = [arg for arg in argv if arg != "--reattach"]
    options = dict(zip(argv[::2], argv[1::2], strict=False))
    if "--schema" not in options or set(options) - {"--schema", "--tls-dir"} or len(argv) % 2:
        raise SystemExit(USAGE)
    tls_dir = options.get("--tls-dir")
    return Path(options["--schema"]), Path(tls_dir) if tls_dir else None, reattach


def main(argv: list[str] | None = None) -> int:
    """Entry point: `python -m harness.plugin --schema FILE [--tls-dir DIR] [--reattach]`."""
    schema_file, tls_dir, reattach = _parse(sys.argv[1:] if argv is None else argv)
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        sys.stderr.write("This is a Terraform plugin: it is started by Terraform, not by hand.\n")
        return 1
    versions = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", str(APP_PROTOCOL_VERSION)).split(",")
    if str(APP_PROTOCOL_VERSION) not in versions:
        sys.stderr.write(f"Terraform offers protocol versions {versions}; this serves 6 only.\n")
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Terraform itself handles interrupts
    server = PluginServer(schema.load(schema_file), tls_dir, reattach)
    signal.signal(signal.SIGTERM, lambda *_: server.stopping.set())
    return server.serve()


if __name__ == "__main__":
    sys.exit(main())
