"""The Jinja2 environment over templates/ (top level in a checkout, package data in the wheel)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2


def templates_dir() -> Path:
    """templates/ shipped inside the package (wheel), else the checkout's top-level folder."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept like .pyc files; a cache that cannot be written is skipped."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_folder() -> Path | None:
    """Where compiled templates are kept between runs: beside this module's own bytecode.

    That is this package's __pycache__, or its mirror under PYTHONPYCACHEPREFIX; None when
    Python writes no bytecode (PYTHONDONTWRITEBYTECODE) or the folder cannot be made or written
    (a read-only install compiles the templates on every run, as before).
    """
    if sys.dont_write_bytecode:
        return None
    here = Path(__file__).resolve().parent
    folder = Path(sys.pycache_prefix, *here.parts[1:]) if sys.pycache_prefix else here / "__pycache__"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def make_environment(templates: Path, cache_folder: Path | None) -> jinja2.Environment:
    """The Jinja2 environment over `templates`, compiled templates kept in `cache_folder`.

    Each cache entry is checked against its template's source checksum and the Python version,
    so an edited template or another interpreter never runs a stale entry. Templates are not
    re-checked on disk within a run (auto_reload off): one synth renders one version of them.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        bytecode_cache=_QuietBytecodeCache(str(cache_folder), "jinja2-%s.cache") if cache_folder else None,
    )


@cache
def environment() -> jinja2.Environment:
    """One cached environment: templates compile once per process, and once per install."""
    return make_environment(templates_dir(), bytecode_folder())


@cache
def macro(template: str, name: str) -> Callable[..., Any]:
    """The macro `name` of a template under templates/, from its module (built once per process).

    Calling a macro costs a tenth of a template's `render` (no new context merged with the globals), which
    counts for files rendered once per integration.
    """
    return getattr(environment().get_template(template).module, name)  # type: ignore[no-any-return]


def render_file(template: str, **values: object) -> str:
    """A generated file's text: the `file` macro of its template called with `values`."""
    return str(macro(template, "file")(**values))
