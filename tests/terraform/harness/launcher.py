"""The launcher folder and CLI configuration that make Terraform run the replay plugins.

Terraform's `dev_overrides` maps a provider source address to a folder holding an executable
named `terraform-provider-<type>`; with overrides in effect `validate` and `plan` need no
`terraform init` (which would try the registry) and no lock file.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from . import schema, tls

HARNESS_PARENT = Path(__file__).resolve().parent.parent
REPOSITORY = HARNESS_PARENT.parent.parent
SCHEMA_FILES = ("grafana-4.45.1.json", "okta-6.12.0.json")


def vendored_schema_dir() -> Path:
    """provider-schemas/ at the repository's root: the vendored `terraform providers schema -json`
    files the replay providers serve, the conformance checks read and scripts/gen_bindings.py
    generates the typed CDK classes from (the package itself never reads them)."""
    return REPOSITORY / "provider-schemas"


@dataclass(frozen=True)
class PluginSetup:
    """Where the launchers and the CLI configuration were written."""

    plugin_dir: Path
    cli_config: Path
    providers: dict[str, Path]  # source address -> schema file


def plugin_command(schema_file: Path, *options: str) -> list[str]:
    """The command running one replay plugin (needs `plugin_environment()`)."""
    return [sys.executable, "-m", "harness.plugin", "--schema", str(schema_file), *options]


def plugin_environment() -> dict[str, str]:
    """What the plugin command needs in its environment besides Terraform's variables."""
    return {"PYTHONPATH": str(HARNESS_PARENT)}


def _launcher_script(schema_file: Path, tls_dir: Path) -> str:
    command = plugin_command(schema_file, "--tls-dir", str(tls_dir))
    return (
        "#!/bin/sh\n"
        "# Schema-replay provider written by the grafana-okta-scim Terraform test harness.\n"
        f"PYTHONPATH={shlex.quote(str(HARNESS_PARENT))}\n"
        "export PYTHONPATH\n"
        f"exec {shlex.join(command)}\n"
    )


def write(root: Path, schema_dir: Path | None = None) -> PluginSetup:
    """Write launchers and `terraform.rc` under `root` (which must exist)."""
    schema_dir = schema_dir or vendored_schema_dir()
    plugin_dir = root / "plugins"
    plugin_dir.mkdir(mode=0o700)
    tls.save(tls.generate(), plugin_dir)
    providers: dict[str, Path] = {}
    for name in SCHEMA_FILES:
        schema_file = schema_dir / name
        loaded = schema.load(schema_file)
        launcher = plugin_dir / f"terraform-provider-{loaded.type_name}"
        launcher.write_text(_launcher_script(schema_file, plugin_dir), encoding="utf-8")
        launcher.chmod(0o755)
        providers[loaded.address] = schema_file
    overrides = "\n".join(
        f"    {json.dumps(address)} = {json.dumps(str(plugin_dir))}" for address in providers
    )
    cli_config = root / "terraform.rc"
    cli_config.write_text(
        "provider_installation {\n"
        "  dev_overrides {\n"
        f"{overrides}\n"
        "  }\n"
        "  direct {}\n"
        "}\n"
        "disable_checkpoint = true\n",
        encoding="utf-8",
    )
    return PluginSetup(plugin_dir=plugin_dir, cli_config=cli_config, providers=providers)
