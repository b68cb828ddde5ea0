"""Injected faults for the twin's loopback views: a status, headers or a stall, a few times."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass
class Fault:
    """Answer `times` requests matching method and path regex (and, if set, query regex) with
    status/headers/body (after a stall)."""

    method: str
    path: str
    status: int = 500
    headers: tuple[tuple[str, str], ...] = ()
    times: int = 1
    stall: float = 0.0
    body: Any = None
    query: str | None = None


class Faults:
    """Faults to apply, in order, and a log of every request seen."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        with self._lock:
            self.pending.append(fault)

    def apply(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        """Log the request; answer it with a matching fault, else return None."""
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self._lock:
            self.requests.append((method, f"{path}?{query}" if query else path))
            fault = next(
                (
                    f
                    for f in self.pending
                    if f.times > 0
                    and f.method == method
                    and re.search(f.path, path)
                    and (f.query is None or re.search(f.query, query))
                ),
                None,
            )
            if fault is not None:
                fault.times -= 1
        if fault is None:
            return None
        if fault.stall:
            time.sleep(fault.stall)
        start_response(f"{fault.status} Injected", [("Content-Type", "application/json"), *fault.headers])
        body = fault.body if fault.body is not None else {"detail": "injected", "status": str(fault.status)}
        return [json.dumps(body).encode()]


def json_response(
    start_response: Any, status: int, body: Any, headers: tuple[tuple[str, str], ...] = ()
) -> list[bytes]:
    """A JSON answer."""
    start_response(f"{status} X", [("Content-Type", "application/json"), *headers])
    return [json.dumps(body).encode()]
