"""Print `terraform validate` and `plan` (+ show) seconds per example, one run at a time.

    .venv/bin/python -m tests.terraform.timings

Sequential on purpose, so the numbers are not inflated by the test suite's parallel runs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .harness import launcher
from .harness.runner import Terraform

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def main() -> None:
    """One line per example, integration and form: validate seconds, plan seconds, verdicts."""
    from grafana_okta_scim import build, load_spec

    root = Path(tempfile.mkdtemp(prefix="tf-timings-"))
    try:
        setup = launcher.write(root)
        (root / "scratch").mkdir()
        (root / "tmp").mkdir()
        terraform = Terraform(setup, root / "scratch", root / "tmp")
        print(f"{'example':26} {'integration':12} {'form':5} {'validate s':>10} {'plan s':>8}  ok")
        for spec_path in sorted(EXAMPLES_DIR.glob("*.yaml")):
            docs = build(load_spec(spec_path), f"examples/{spec_path.name}")
            for name, doc in docs.items():
                for form, files in (("hcl", doc.to_hcl_files()), ("json", doc.to_json_files())):
                    validated, planned = terraform.check_files(files)
                    print(
                        f"{spec_path.stem:26} {name:12} {form:5} {validated.seconds:10.2f} "
                        f"{planned.seconds:8.2f}  {validated.ok and planned.ok}"
                    )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
