"""Running scenario chains two at a time and reporting each one as its own test.

A chain is a zero-argument callable that builds a `Scenario`, applies, and asserts; `run_all`
runs every chain of a module in a thread pool (`run_parallel`, two workers for two CPUs) and
keeps, per chain, nothing (it passed) or the failure; `Outcomes.check(name)` fails a test with
that failure, `Outcomes.failure(name)` returns it (the regression tests expect one).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.terraform.harness.runner import run_parallel


@dataclass
class Outcome:
    """What one chain did: None for a pass, else the assertion (or error) and its traceback."""

    error: BaseException | None = None
    trace: str = ""


@dataclass(repr=False)
class Outcomes:
    """Every chain's outcome by name."""

    found: dict[str, Outcome] = field(default_factory=dict)

    def check(self, name: str) -> None:
        """Fail (with the chain's own message) unless the chain passed."""
        outcome = self.found[name]
        if outcome.error is not None:
            raise AssertionError(f"{name}:\n{outcome.trace}")

    def failure(self, name: str) -> AssertionError:
        """The assertion a chain failed with (fails the test when it passed or broke otherwise)."""
        outcome = self.found[name]
        assert outcome.error is not None, f"{name}: passed, but it must fail"
        assert isinstance(outcome.error, AssertionError), (
            f"{name}: broke instead of failing:\n{outcome.trace}"
        )
        return outcome.error


def _guarded(chain: Callable[[], Any]) -> Callable[[], Outcome]:
    def run() -> Outcome:
        try:
            chain()
        except BaseException as error:  # recorded: the other chains still run
            return Outcome(error, traceback.format_exc())
        return Outcome()

    return run


def run_all(chains: dict[str, Callable[[], Any]]) -> Outcomes:
    """Run every chain, two at a time."""
    return Outcomes(run_parallel({name: _guarded(chain) for name, chain in chains.items()}))
