"""The wheel carries everything synth needs: templates, the embedded example, provider schemas."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("grafana_okta_scim-*.whl")
    return path


def test_wheel_contains_templates_example_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "grafana_okta_scim/templates/hcl/okta.tf.j2",
        "grafana_okta_scim/templates/SCIM_SETUP.md.j2",
        "grafana_okta_scim/examples/cloud.yaml",
        "grafana_okta_scim/schemas/grafana-4.45.1.json",
        "grafana_okta_scim/schemas/okta-6.12.0.json",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "bench/")) for name in names)


def test_installed_wheel_synthesizes_the_example(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    # With both CDK extras (exact versions from constraints.txt): each installs from the wheel, and
    # the import check below then has both libraries to (not) load.
    subprocess.run(
        [str(bin_dir / "pip"), "install", "-q", "--disable-pip-version-check",
         "-c", str(ROOT / "constraints.txt"), f"{wheel}[cdktf,cdktn]"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    out = tmp_path / "out"
    # Run outside the checkout so nothing can be found through the source tree.
    result = subprocess.run(
        [str(bin_dir / "grafana-okta-scim"), "synth", "--example", "-o", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "prod").iterdir()) == [
        "SCIM_SETUP.md", "grafana.tf", "okta.tf", "outputs.tf", "providers.tf", "variables.tf", "versions.tf",
    ]  # fmt: skip
    expected = (ROOT / "tests" / "golden" / "cloud" / "hcl" / "prod" / "okta.tf").read_text()
    assert (out / "prod" / "okta.tf").read_text() == expected
    # Importing the package loads neither CDK library (CDKTF, CDK Terrain), nor jsii or constructs.
    probe = (
        "import importlib.util, sys, grafana_okta_scim\n"
        "cdk = {'cdktf', 'cdktn', 'jsii', 'constructs'}\n"
        "print(sorted(n for n in cdk if importlib.util.find_spec(n)), sorted(cdk & set(sys.modules)))\n"
    )
    node = subprocess.run(
        [str(bin_dir / "python"), "-c", probe], capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert node.stdout.strip() == "['cdktf', 'cdktn', 'constructs', 'jsii'] []"
