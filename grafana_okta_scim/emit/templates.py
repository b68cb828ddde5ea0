"""The Jinja2 environment over templates/ (top level in a checkout, package data in the wheel)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2


def templates_dir() -> Path:
    """templates/ shipped inside the package (wheel), else the checkout's top-level folder."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """One cached environment: templates compile once per process."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, **context: object) -> str:
    """Render one template by its path under templates/."""
    return environment().get_template(template).render(**context)
