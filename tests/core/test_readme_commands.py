"""The README's commands and Python API snippet, run as written in a temporary folder.

GIVEN the README WHEN its `init`/`synth`/`check`/`schema`/`runbook`/`--version` lines and its
Python API block run in an empty folder THEN each succeeds, so the README stays true. (verify,
discover and terraform need live services: their own suites cover them.)
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from grafana_okta_scim import __version__

from ..conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OFFLINE = ("init", "synth", "check", "schema", "runbook", "--version")


def _section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.DOTALL)


def _commands() -> list[list[str]]:
    commands = []
    for block in _blocks(_section("Install"), "sh") + _blocks(_section("Commands"), "sh"):
        for line in block.splitlines():
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
    (snippet,) = _blocks(_section("Python API"), "python")
    (tmp_path / "scim.yaml").write_text((ROOT / "examples" / spec).read_text())
    monkeypatch.chdir(tmp_path)
    exec(compile(snippet, "README.md", "exec"), {})
    assert (tmp_path / "infra").is_dir()


def test_the_python_api_snippet_prints_the_problem_lines(tmp_path: Path, monkeypatch, capsys) -> None:
    from grafana_okta_scim import SpecError

    (snippet,) = _blocks(_section("Python API"), "python")
    (tmp_path / "scim.yaml").write_text("version: 1\nversion: 1\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError):
        exec(compile(snippet, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("version: got the key twice (lines 1 and 2)")
