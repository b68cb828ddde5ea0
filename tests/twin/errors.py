"""Errors the twin raises to a test (never answered over HTTP)."""

from __future__ import annotations


class TwinUnsupported(Exception):
    """The twin cannot model this (an expression, a setting): the scenario must fail loudly."""


class TwinError(Exception):
    """A test asked the twin for something that does not exist or is inconsistent."""
