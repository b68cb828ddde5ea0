"""The twin: a stateful model of an Okta org and Grafana instances, with loopback HTTP views.

See CONTRACT.md for the parts and their interfaces.
"""

from __future__ import annotations

from .clock import Clock
from .errors import TwinError, TwinUnsupported
from .server import Endpoints, serve
from .twin import Twin

__all__ = ["Clock", "Endpoints", "Twin", "TwinError", "TwinUnsupported", "serve"]
