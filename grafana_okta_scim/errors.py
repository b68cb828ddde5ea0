"""Errors that carry the user's problems, one line each, and how values appear in those lines."""

from __future__ import annotations

from typing import Any

SHORT_LIMIT = 80


class ProblemsError(Exception):
    """Bad input or a refused action; `problems` holds one line per problem, naming the field."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = problems.splitlines() if isinstance(problems, str) else problems
        super().__init__("\n".join(self.problems))


def short(value: Any, limit: int = SHORT_LIMIT) -> str:
    """`repr(value)`, cut to `limit` characters with an ellipsis, for a problem line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
