"""bench/run.py keeps working: a smoke run writes every results.json key with sane types.

Timings are never asserted (the machines are noisy); only shapes, types and the one fact that
must hold anywhere: importing grafana_okta_scim starts no node process.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench import report
from bench.run import REQUIRED_KEYS
from bench.specs import generate_spec
from grafana_okta_scim.loader import parse_spec_text

ROOT = Path(__file__).resolve().parents[2]
NUMBER_KEYS = [key for key in REQUIRED_KEYS if key not in ("import_starts_node", "scale")]
ALWAYS_MEASURED = (
    "native_synth_s",
    "native_synth_rss_mb",
    "native_synth_json_s",
    "floor_s",
    "import_s",
    "ratio_native_over_floor",
)
CDKTF_KEYS = {
    "cdktf_cli_synth_s": "cdktf_cli",
    "cdktf_cli_rss_mb": "cdktf_cli",
    "ratio_cdktf_cli_over_native": "cdktf_cli",
    "ratio_rss_cdktf_cli_over_native": "cdktf_cli",
    "cdktf_inprocess_synth_s": "cdktf_inprocess",
    "cdktn_cli_synth_s": "cdktn_cli",
    "cdktn_cli_rss_mb": "cdktn_cli",
    "ratio_cdktn_cli_over_native": "cdktn_cli",
    "ratio_rss_cdktn_cli_over_native": "cdktn_cli",
    "cdktn_inprocess_synth_s": "cdktn_inprocess",
    "cdktn_inprocess_rss_mb": "cdktn_inprocess",
    "cdktf_import_s": "cdktf_import",
    "cdktn_import_s": "cdktn_import",
}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """One `bench/run.py --smoke` run (about 20-60 s; the cdktf and cdktn CLIs are most of it)."""
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "results.json").read_text(encoding="utf-8")), out


def test_results_have_every_key_with_sane_types(smoke: tuple[dict, Path]) -> None:
    results, _ = smoke
    assert set(REQUIRED_KEYS) <= set(results)
    for key in NUMBER_KEYS:
        value = results[key]
        assert value is None or (isinstance(value, float) and value > 0), (key, value)
    for key in ALWAYS_MEASURED:
        assert isinstance(results[key], float), (key, results["errors"])
    for key, bench in CDKTF_KEYS.items():
        # Either measured, or null with the reason recorded.
        assert results[key] is not None or bench in results["errors"], key
    assert isinstance(results["import_starts_node"], bool)
    assert isinstance(results["date"], str)
    assert {"nproc", "uname_m"} <= set(results["machine"])
    assert isinstance(results["python"]["version"], str)
    expected_targets = {
        "cli_speed",
        "cli_memory",
        "floor",
        "floor_stretch",
        "impact_time",
        "scale_time",
        "scale_time_tmpfs",
        "scale_memory_linear",
    }
    assert set(results["targets"]) == expected_targets


def test_scale_points(smoke: tuple[dict, Path]) -> None:
    results, _ = smoke
    assert list(results["scale"]) == ["1", "10"]
    for point in results["scale"].values():
        assert isinstance(point["s"], float) and point["s"] > 0
        assert isinstance(point["rss_mb"], float) and point["rss_mb"] > 0


def test_import_starts_no_node(smoke: tuple[dict, Path]) -> None:
    results, _ = smoke
    assert results["import_starts_node"] is False
    assert results["import_loads_cdktf_modules"] == []
    if shutil.which("node"):
        # The detector itself works: it does see a short-lived node grandchild.
        assert results["node_detection_selfcheck"] is True


@pytest.mark.parametrize(
    ("library", "cli"),
    [
        ("cdktf", ROOT / "node_modules" / ".bin" / "cdktf"),
        ("cdktn", ROOT / "cdk" / "terrain" / "node_modules" / ".bin" / "cdktn"),
    ],
)
def test_cdk_rows_measured_when_the_cli_is_installed(
    smoke: tuple[dict, Path], library: str, cli: Path
) -> None:
    results, _ = smoke
    if not cli.exists():
        pytest.skip(f"{cli.relative_to(ROOT)} absent (make test runs npm ci)")
    assert results[f"{library}_cli_synth_s"] is not None, results["errors"].get(f"{library}_cli")
    assert results[f"{library}_inprocess_synth_s"] is not None, results["errors"].get(f"{library}_inprocess")
    assert "node" in results["details"][f"{library}_cli"]["process_names"]
    assert "node" in results["details"][f"{library}_inprocess"]["process_names"]
    assert results[f"{library}_import_s"] is not None, results["errors"].get(f"{library}_import")
    assert "node" in results["details"][f"{library}_import"]["process_names"]


def test_report_files(smoke: tuple[dict, Path]) -> None:
    results, out = smoke
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "native synth >= 15x faster" in table
    assert results["date"] in table
    assert (out / "scale.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("count", [1, 10, 100])
def test_generated_specs_are_valid_and_varied(count: int) -> None:
    spec = parse_spec_text(yaml.safe_dump(generate_spec(count)), f"scale-{count}.yaml")
    assert len(spec.integrations) == count
    if count >= 10:
        assert {i.grafana.kind for i in spec.integrations} == {"cloud", "enterprise"}
        assert any(i.okta_app.push_groups for i in spec.integrations)
        assert any(not i.okta_app.push_groups for i in spec.integrations)


def test_linear_fit_tells_linear_from_quadratic() -> None:
    linear = {str(n): {"s": 0.2 + n / 1000, "rss_mb": 40 + 0.1 * n} for n in (1, 10, 100, 1000)}
    quadratic = {str(n): {"s": 0.2, "rss_mb": 40 + 1e-4 * n * n} for n in (1, 10, 100, 1000)}
    assert report.linear_fit(linear)["linear"] is True
    assert report.linear_fit(quadratic)["linear"] is False
