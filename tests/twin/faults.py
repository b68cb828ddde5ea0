"""Fault injection for the twin's views: tests/companion/faults.py's Fault and Faults, plus
`after` (let that many matching requests through first: a failure half-way through a run)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tests.companion import faults as base


@dataclass
class Fault(base.Fault):
    """A companion Fault that lets `after` matching requests through before it answers."""

    after: int = 0


class Faults(base.Faults):
    """Faults applied before authentication and routing, and the log of every request.

    Accepts tests.companion.faults.Fault too (no `after`)."""

    def apply(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self._lock:
            waiting = [
                f
                for f in self.pending
                if getattr(f, "after", 0) > 0
                and f.times > 0
                and f.method == method
                and re.search(f.path, path)
                and (f.query is None or re.search(f.query, query))
            ]
            if waiting:
                # The first matching fault still waiting lets this request through.
                waiting[0].after -= 1  # type: ignore[attr-defined]
                self.requests.append((method, f"{path}?{query}" if query else path))
                return None
        return super().apply(environ, start_response)
