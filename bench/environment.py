"""Where and when a benchmark ran: machine, date, Python, Node and package versions, commit."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

PACKAGES = (
    "grafana-okta-scim",
    "pydantic",
    "pydantic-core",
    "jinja2",
    "pyyaml",
    "typer",
    "cdktf",
    "cdktn",
    "constructs",
    "jsii",
)


def _run(cmd: list[str], cwd: Path | None = None) -> str | None:
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def cpu_model() -> str | None:
    """The CPU model name from /proc/cpuinfo (Linux), else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages on the measured paths (None: not installed)."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def npm_package_version(node_modules: Path, name: str) -> str | None:
    """Version of the npm package `name` installed in `node_modules` (None when absent)."""
    import json

    manifest = node_modules / name / "package.json"
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return None


def cdktf_cli_version(root: Path) -> str | None:
    """cdktf-cli version installed in node_modules (None when absent)."""
    return npm_package_version(root / "node_modules", "cdktf-cli")


def describe(root: Path) -> dict[str, Any]:
    """`date`, `machine` and `python` blocks for results.json."""
    commit = _run(["git", "rev-parse", "--short", "HEAD"], root)
    dirty = _run(["git", "status", "--porcelain", "--untracked-files=no"], root)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu_count": os.cpu_count(),
            "uname_m": platform.machine(),
            "system": f"{platform.system()} {platform.release()}",
            "cpu_model": cpu_model(),
            "mem_total_gb": round(psutil.virtual_memory().total / 1024**3, 1),
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "node": _run(["node", "--version"]),
        "cdktf_cli": cdktf_cli_version(root),
        # CDK Terrain's toolchain (cdk/terrain): its CLI and the Node 22 the cdktn rows run on.
        "cdktn_cli": npm_package_version(root / "cdk" / "terrain" / "node_modules", "cdktn-cli"),
        "cdktn_node": _run([str(root / "cdk" / "terrain" / "node_modules" / ".bin" / "node"), "--version"]),
        "packages": package_versions(),
        "commit": f"{commit}{'+dirty' if dirty else ''}" if commit else None,
    }
