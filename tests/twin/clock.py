"""An injectable clock: the twin's time moves only when a test moves it."""

from __future__ import annotations

import datetime

DEFAULT_START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class Clock:
    """Now, for every timestamp and expiry the twin computes; `advance` moves it."""

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._now = start or DEFAULT_START
        if self._now.tzinfo is None:
            self._now = self._now.replace(tzinfo=datetime.UTC)

    def now(self) -> datetime.datetime:
        """The current time (timezone-aware UTC)."""
        return self._now

    def advance(self, **delta: float) -> datetime.datetime:
        """Move forward by a timedelta's keywords (days=, hours=, seconds=...); returns now."""
        self._now += datetime.timedelta(**delta)
        return self._now

    def set(self, when: datetime.datetime) -> None:
        """Jump to a time (never backwards)."""
        if when < self._now:
            raise ValueError(f"clock: got {when.isoformat()}; expected at or after {self._now.isoformat()}")
        self._now = when

    def iso(self) -> str:
        """Now as Okta and Grafana print it: 2026-01-01T00:00:00.000Z."""
        return stamp(self._now)


def stamp(when: datetime.datetime) -> str:
    """A timestamp as Okta's and Grafana's APIs print it."""
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
