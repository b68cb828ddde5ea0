"""The compiled-template cache: it serves an edited template's new text, and is optional."""

from __future__ import annotations

import sys
from pathlib import Path

from grafana_okta_scim.emit import templates


def test_an_edited_template_is_recompiled_not_served_from_the_cache(tmp_path: Path) -> None:
    source, cache = tmp_path / "templates", tmp_path / "cache"
    source.mkdir()
    cache.mkdir()
    (source / "a.j2").write_text("one {{ x }}\n")
    assert templates.make_environment(source, cache).get_template("a.j2").render(x=1) == "one 1\n"
    assert list(cache.glob("jinja2-*.cache")), "the compiled template was kept"
    (source / "a.j2").write_text("two {{ x }}\n")
    assert templates.make_environment(source, cache).get_template("a.j2").render(x=1) == "two 1\n"


def test_no_cache_without_bytecode_or_in_a_read_only_place(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert templates.bytecode_folder() is None
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "prefix"))
    folder = templates.bytecode_folder()
    assert folder is not None and folder.is_relative_to(tmp_path / "prefix")
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(sys, "pycache_prefix", str(blocked))
    assert templates.bytecode_folder() is None
    source = tmp_path / "t"
    source.mkdir()
    (source / "a.j2").write_text("{{ x }}")
    read_only = tmp_path / "ro"
    read_only.mkdir(mode=0o500)
    environment = templates.make_environment(source, read_only)  # root may still write: either way
    assert environment.get_template("a.j2").render(x=3) == "3"
