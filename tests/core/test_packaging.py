"""The wheel carries everything synth needs (templates, the embedded example) and nothing test-only
(the provider schemas and the conformance checker stay in the repository)."""

from __future__ import annotations

import subprocess
import sys
import tarfile
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


def test_sdist_carries_the_documentation(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("grafana_okta_scim-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    pages = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md", "examples/README.md"]
    pages += [str(page.relative_to(ROOT)) for page in sorted((ROOT / "docs").glob("*.md"))]
    assert [page for page in pages if page not in names] == []


def test_wheel_contains_templates_and_example_and_nothing_test_only(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "grafana_okta_scim/templates/hcl/okta.tf.j2",
        "grafana_okta_scim/templates/SCIM_SETUP.md.j2",
        "grafana_okta_scim/examples/cloud.yaml",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "bench/", "provider-schemas/")) for name in names)
    assert not any(name.endswith(".json") or "conformance" in name for name in names), sorted(names)


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
