"""Load only the generated protocol modules from the PyPI stub packages.

`pyvider` ships the tfplugin6 messages and services and `pyvider-rpcplugin` ships go-plugin's
GRPCController / GRPCStdio / GRPCBroker. Both are installed with `--no-deps`, so their package
`__init__` modules (which pull in their frameworks) must not run: this module registers empty
namespace packages for the parents and then imports the generated files themselves.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import types
from pathlib import Path
from typing import Any

_PARENTS = {
    "pyvider": ("pyvider", "pyvider"),
    "pyvider.protocols": ("pyvider", "pyvider/protocols"),
    "pyvider.protocols.tfprotov6": ("pyvider", "pyvider/protocols/tfprotov6"),
    "pyvider.protocols.tfprotov6.protobuf": ("pyvider", "pyvider/protocols/tfprotov6/protobuf"),
    "pyvider.rpcplugin": ("pyvider-rpcplugin", "pyvider/rpcplugin"),
    "pyvider.rpcplugin.protocol": ("pyvider-rpcplugin", "pyvider/rpcplugin/protocol"),
}

TFPLUGIN6 = "pyvider.protocols.tfprotov6.protobuf.tfplugin6"
GOPLUGIN = "pyvider.rpcplugin.protocol"


def _package_dir(distribution: str, relative: str) -> Path:
    """Folder of `relative` inside an installed distribution (raises if not installed)."""
    dist = importlib.metadata.distribution(distribution)
    return Path(str(dist.locate_file(relative)))


def _register_parents() -> None:
    """Put bare package objects for the generated modules' parents into sys.modules."""
    for name, (distribution, relative) in _PARENTS.items():
        existing = sys.modules.get(name)
        folder = str(_package_dir(distribution, relative))
        if existing is None:
            module = types.ModuleType(name)
            module.__path__ = [folder]
            sys.modules[name] = module
        elif folder not in list(getattr(existing, "__path__", [])):
            existing.__path__ = [*existing.__path__, folder]


def load() -> dict[str, Any]:
    """Import and return the generated modules by short name."""
    _register_parents()
    names = {
        "tfplugin6_pb2": f"{TFPLUGIN6}_pb2",
        "tfplugin6_grpc": f"{TFPLUGIN6}_pb2_grpc",
        "controller_pb2": f"{GOPLUGIN}.grpc_controller_pb2",
        "controller_grpc": f"{GOPLUGIN}.grpc_controller_pb2_grpc",
        "stdio_pb2": f"{GOPLUGIN}.grpc_stdio_pb2",
        "stdio_grpc": f"{GOPLUGIN}.grpc_stdio_pb2_grpc",
        "broker_grpc": f"{GOPLUGIN}.grpc_broker_pb2_grpc",
    }
    return {short: importlib.import_module(full) for short, full in names.items()}
