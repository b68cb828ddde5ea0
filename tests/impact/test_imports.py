"""impact stays out of the synth path: importing the package and running `synth` load none of
its modules, nor rich or httpx; `impact` itself loads rich only for the table, httpx only with
--live."""

from __future__ import annotations

import subprocess
import sys

PROBE = (
    "import sys; {run}; print(sorted(m for m in sys.modules "
    "if m.startswith('grafana_okta_scim.impact') or m in ('rich', 'httpx')))"
)


def _loaded(run: str) -> str:
    code = PROBE.format(run=run)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_import_and_synth_do_not_load_impact(tmp_path: object) -> None:
    synth = (
        "from grafana_okta_scim.cli import app; "
        f'exec(\'try:\\n app(["synth", "--example", "-o", "{tmp_path}"])\\nexcept SystemExit: pass\')'
    )
    assert _loaded("import grafana_okta_scim") == "[]"
    assert _loaded(synth) == "[]"


def test_impact_json_loads_neither_rich_nor_httpx(tmp_path: object) -> None:
    from pathlib import Path

    plan = Path(str(tmp_path)) / "plan.json"
    plan.write_text('{"format_version": "1.2", "resource_changes": []}', encoding="utf-8")
    run = (
        "from grafana_okta_scim.cli import app; "
        f'exec(\'try:\\n app(["impact", "{plan}", "--format", "json"])\\nexcept SystemExit: pass\')'
    )
    loaded = _loaded(run)
    assert (
        "'rich'" not in loaded and "'httpx'" not in loaded and "grafana_okta_scim.impact.live" not in loaded
    )
