"""What the command-line process loads at start-up: only the command it runs, and no pydantic
plugin unless the user asks for them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

RUN_MAIN = (
    "import sys; from grafana_okta_scim.cli import main; sys.argv = ['grafana-okta-scim', *sys.argv[1:]]\n"
    "try:\n    main()\nfinally:\n"
    "    ours = ('grafana_okta_scim', 'httpx')\n"
    "    print(' '.join(sorted(name for name in sys.modules if name.startswith(ours))))"
)
OTHER_COMMANDS = (
    "grafana_okta_scim.discover",
    "grafana_okta_scim.impact",
    "grafana_okta_scim.verify",
    "grafana_okta_scim.live",
    "grafana_okta_scim.cli.companion",
    "grafana_okta_scim.cli.discover",
    "grafana_okta_scim.cli.impact",
    "httpx",
)


def run_main(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", RUN_MAIN, *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    return result, set(result.stdout.split())


def test_a_synth_imports_neither_the_other_commands_nor_the_live_api_layer(tmp_path: Path) -> None:
    result, modules = run_main("synth", "--example", "-o", str(tmp_path), "-q")
    assert result.returncode == 0, result.stderr
    assert "grafana_okta_scim.synth" in modules and "grafana_okta_scim.writer" in modules
    loaded = sorted(name for name in modules if name.startswith(OTHER_COMMANDS))
    assert loaded == []


def test_the_whole_app_still_lists_every_command() -> None:
    result, modules = run_main("--help")
    assert result.returncode == 0, result.stderr
    assert all(name in result.stdout for name in ("synth", "verify", "discover", "impact"))
    assert "grafana_okta_scim.cli.impact" in modules


def _fake_pydantic_plugin(root: Path, marker: Path) -> Path:
    """A distribution on its own path entry whose `pydantic` entry point writes `marker` on load."""
    site = root / "site"
    info = site / "markerplugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: markerplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nmarker = markerplugin:plugin\n")
    (site / "markerplugin.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('loaded')\n"
        "class _Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n        return None, None, None\n"
        "plugin = _Plugin()\n"
    )
    return site


def test_the_command_line_loads_pydantic_plugins_only_when_asked(tmp_path: Path) -> None:
    marker = tmp_path / "plugin-loaded"
    site = _fake_pydantic_plugin(tmp_path, marker)
    path = f"{ROOT}{os.pathsep}{site}"
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    plain = subprocess.run(
        [sys.executable, "-c", RUN_MAIN, "synth", "--example", "-o", str(tmp_path / "a"), "-q"],
        capture_output=True, text=True, cwd=ROOT, env={**env, "PYTHONPATH": path},
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert not marker.exists()
    asked = subprocess.run(
        [sys.executable, "-c", RUN_MAIN, "synth", "--example", "-o", str(tmp_path / "b"), "-q"],
        capture_output=True, text=True, cwd=ROOT,
        env={**env, "PYTHONPATH": path, "PYDANTIC_DISABLE_PLUGINS": ""},
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert marker.read_text() == "loaded"
    # The library itself never changes the setting: importing it loads plugins as pydantic does.
    marker.unlink()
    library = subprocess.run(
        [sys.executable, "-c", "import grafana_okta_scim as g; g.load_spec", ],
        capture_output=True, text=True, cwd=ROOT, env={**env, "PYTHONPATH": path},
    )  # fmt: skip
    assert library.returncode == 0, library.stderr
    assert marker.read_text() == "loaded"
