"""The documented commands and Python API snippet, run as written in a temporary folder.

GIVEN the README (its Install and Commands sections) and docs/python-api-and-cdk.md WHEN their
`init`/`synth`/`check`/`schema`/`runbook`/`--version` lines and the Python API block run in an
empty folder THEN each succeeds, so the pages stay true. (verify, discover, impact and terraform
need live services or plans: their own suites cover them.) Every link between the pages resolves.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from grafana_okta_scim import __version__

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_API_PAGE = ROOT / "docs" / "python-api-and-cdk.md"
OFFLINE = ("init", "synth", "check", "schema", "runbook", "--version")


def _section(title: str, text: str = README) -> str:
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _python_api_snippet() -> str:
    (snippet,) = _blocks(_section("Python API", PYTHON_API_PAGE.read_text(encoding="utf-8")), "python")
    return snippet


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.DOTALL)


def _commands() -> list[list[str]]:
    commands = []
    for block in _blocks(_section("Install"), "sh") + _blocks(_section("Commands"), "sh"):
        for line in block.replace("\\\n", " ").splitlines():  # continued lines joined
            words = shlex.split(line, comments=True)
            if words[:1] == ["grafana-okta-scim"] and words[1] in OFFLINE:
                commands.append([word for word in words[1:] if word not in ("[--integration", "NAME]")])
    return commands


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "grafana_okta_scim", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_readme_shows_the_offline_commands() -> None:
    assert {command[0] for command in _commands()} == set(OFFLINE)


def test_the_readmes_commands_run_as_written(tmp_path: Path) -> None:
    for args in _commands():
        result = _run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        if args == ["--version"]:
            assert result.stdout.strip() == f"grafana-okta-scim {__version__}" == "grafana-okta-scim 0.2.0"
    assert (tmp_path / "infra" / "prod" / "okta.tf.json").is_file()
    assert "next steps:" in _run(["synth", "scim.yaml", "-o", "infra/"], tmp_path).stderr


@pytest.mark.parametrize("spec", ["cloud.yaml", "multi.yaml"])
def test_the_python_api_snippet_runs_for_any_spec(tmp_path: Path, spec: str, monkeypatch) -> None:
    snippet = _python_api_snippet()
    (tmp_path / "scim.yaml").write_text((ROOT / "examples" / spec).read_text())
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, str(PYTHON_API_PAGE), "exec"), {})
    assert (tmp_path / "infra").is_dir()


def test_the_python_api_snippet_prints_the_problem_lines(tmp_path: Path, monkeypatch, capsys) -> None:
    from grafana_okta_scim import SpecError

    snippet = _python_api_snippet()
    (tmp_path / "scim.yaml").write_text("version: 1\nversion: 1\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError):
        exec(compile(snippet, str(PYTHON_API_PAGE), "exec"), {})
    assert capsys.readouterr().out.startswith("version: got the key twice (lines 1 and 2)")


def test_the_spec_pages_example_is_a_valid_spec() -> None:
    from grafana_okta_scim import parse_spec_text

    page = (ROOT / "docs" / "spec-and-synth.md").read_text(encoding="utf-8")
    (block,) = _blocks(_section("The spec", page), "yaml")
    assert parse_spec_text(block, "spec-and-synth.md").integrations[0].name == "prod"


def test_the_python_api_snippet_uses_no_deprecated_name(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "scim.yaml").write_text((ROOT / "examples" / "cloud.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        exec(compile(_python_api_snippet(), str(PYTHON_API_PAGE), "exec"), {})


PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md")),
         ROOT / "examples" / "README.md", ROOT / "bench" / "README.md"]  # fmt: skip


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8"))
    local = [link.split("#", 1)[0] for link in links if not re.match(r"[a-z]+:", link)]
    missing = [link for link in local if link and not (page.parent / link).exists()]
    assert not missing, f"{page.relative_to(ROOT)} links to missing files: {missing}"


def test_the_front_page_links_every_user_page() -> None:
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in README, f"README.md does not link docs/{page.name}"
