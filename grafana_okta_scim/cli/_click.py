"""The click that typer runs on: its parser raises these exception classes and builds these
commands. Recent typer releases vendor click as `typer._click`; older ones (the lowest the
declared range allows) use the click package itself."""

from __future__ import annotations

import importlib
from types import ModuleType


def _click_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"typer._click.{name}")
    except ModuleNotFoundError:
        return importlib.import_module(f"click.{name}")


click = _click_module("exceptions")
