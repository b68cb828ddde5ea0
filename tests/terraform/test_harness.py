"""The harness itself: value codec, planning rules, backend neutralising, clean-up, handshake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .harness import cty, launcher, schema, stubs, tls, values, workdir
from .harness.runner import Terraform

pytestmark = pytest.mark.terraform

SAML_BLOCK: values.Block = {
    "attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "label": {"type": "string", "required": True},
        "metadata_url": {"type": "string", "computed": True},
        "secret": {"type": "string", "optional": True, "write_only": True},
    },
    "block_types": {
        "attribute_statements": {
            "nesting_mode": "list",
            "block": {
                "attributes": {
                    "name": {"type": "string", "required": True},
                    "type": {"type": "string", "optional": True, "computed": True},
                    "evaluated": {"type": "string", "computed": True},
                }
            },
        },
        "timeouts": {"nesting_mode": "single", "block": {"attributes": {}}},
    },
}


def test_unknown_round_trips_as_msgpack_extension_zero() -> None:
    """Unknown is ext type 0; refined unknowns (ext 12) decode as unknown too."""
    encoded = cty.encode({"a": cty.UNKNOWN, "b": [1, "x", None]})
    assert bytes.fromhex("d40000") in encoded
    assert cty.decode(encoded) == {"a": cty.UNKNOWN, "b": [1, "x", None]}
    assert cty.decode(bytes.fromhex("c7010c80")) is cty.UNKNOWN
    assert not cty.is_known({"a": [cty.UNKNOWN]})


def test_plan_marks_null_computed_values_unknown_in_nested_blocks() -> None:
    """Computed nulls become unknown at every depth; configured values and write-only stay."""
    proposed = values.conform(
        {"label": "Grafana", "secret": "s", "attribute_statements": [{"name": "n", "type": "X"}]},
        SAML_BLOCK,
    )
    planned = values.plan_create_or_update(proposed, SAML_BLOCK)
    assert planned["id"] is cty.UNKNOWN and planned["metadata_url"] is cty.UNKNOWN
    assert planned["label"] == "Grafana" and planned["secret"] is None
    assert planned["attribute_statements"] == [
        {"name": "n", "type": "X", "evaluated": cty.UNKNOWN}
    ]
    assert planned["timeouts"] is None


NESTED_BLOCK: values.Block = {
    "attributes": {
        "profile": {
            "optional": True,
            "nested_type": {
                "nesting_mode": "list",
                "attributes": {
                    "token": {"type": "string", "required": True, "sensitive": True},
                    "status": {"type": "string", "computed": True},
                },
            },
        },
        "tags": {"type": ["map", "string"], "optional": True},
    },
    "block_types": {
        "rule": {"nesting_mode": "set", "min_items": 1, "max_items": 2,
                 "block": {"attributes": {"x": {"type": "number", "optional": True}}}},
    },
}


def test_schema_messages_carry_types_flags_nesting_and_limits() -> None:
    """Nested attributes, cty type JSON, flags, block nesting and item limits reach the proto."""
    pb = stubs.load()["tfplugin6_pb2"]
    block = schema.block_message(pb, NESTED_BLOCK)
    profile, tags = block.attributes
    assert (profile.name, profile.optional, profile.type) == ("profile", True, b"")
    assert profile.nested_type.nesting == pb.Schema.Object.NestingMode.LIST
    status, token = profile.nested_type.attributes
    assert (status.computed, token.required, token.sensitive) == (True, True, True)
    assert json.loads(tags.type) == ["map", "string"]
    (rule,) = block.block_types
    assert rule.nesting == pb.Schema.NestedBlock.NestingMode.SET
    assert (rule.min_items, rule.max_items) == (1, 2)


def test_plan_walks_nested_attributes() -> None:
    """Computed attributes inside a nested attribute's elements become unknown."""
    proposed = values.conform({"profile": [{"token": "t", "status": None}]}, NESTED_BLOCK)
    planned = values.plan_create_or_update(proposed, NESTED_BLOCK)
    assert planned["profile"] == [{"token": "t", "status": cty.UNKNOWN}]
    assert planned["rule"] == [] and planned["tags"] is None


def test_computed_only_paths_use_sdk_flat_keys() -> None:
    """Only computed-only attributes are reported, with SDKv2's flattened key."""
    config = values.conform(
        {"label": "x", "metadata_url": "u", "id": "set-ok",
         "attribute_statements": [{"name": "a"}, {"name": "b", "evaluated": "no"}]},
        SAML_BLOCK,
    )
    paths = values.computed_only_paths(config, SAML_BLOCK)
    assert [values.flat_key(p) for p in paths] == [
        "metadata_url", "attribute_statements.1.evaluated"
    ]


def test_data_source_answers_are_deterministic_and_plausible() -> None:
    """Same config, same answer; okta ids look like okta ids; configured values kept."""
    block = {"attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "name": {"type": "string", "optional": True, "computed": True},
        "users": {"type": ["set", "string"], "computed": True},
    }}
    first = values.fill_computed({"id": None, "name": "a", "users": None}, block, "okta_group")
    again = values.fill_computed({"id": None, "name": "a", "users": None}, block, "okta_group")
    other = values.fill_computed({"id": None, "name": "b", "users": None}, block, "okta_group")
    assert first == again and first["id"] != other["id"]
    assert first["id"].startswith("00g") and len(first["id"]) == 20
    assert first["name"] == "a" and first["users"] == []


def test_backend_blocks_are_removed_from_the_copy(tmp_path: Path) -> None:
    """HCL and JSON backends go; everything else, including look-alike blocks, stays."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "versions.tf").write_text(
        'terraform {\n  backend "s3" {\n    bucket = "a}b"\n  }\n  required_version = ">= 1.5"\n}\n'
        'resource "x" "y" {\n  backend "z" {}\n}\n'
    )
    (source / "main.tf.json").write_text(json.dumps(
        {"terraform": [{"backend": {"local": {"path": "s"}}, "required_version": ">= 1.5"}]}
    ))
    copy = workdir.prepare(source, tmp_path / "copy", {"v": 1})
    assert (copy / "versions.tf").read_text() == (
        'terraform {\n\n  required_version = ">= 1.5"\n}\nresource "x" "y" {\n  backend "z" {}\n}\n'
    )
    assert json.loads((copy / "main.tf.json").read_text()) == {
        "terraform": [{"required_version": ">= 1.5"}]
    }
    assert json.loads((copy / "zz-harness.auto.tfvars.json").read_text()) == {"v": 1}
    assert "backend" in (source / "versions.tf").read_text()


def _processes_using(cli_config: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("TF_CLI_CONFIG_FILE") == str(cli_config):
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def test_runs_leave_no_process_or_folder(terraform: Terraform) -> None:
    """After validate and plan: no plugin alive, no scratch copy, no socket folder."""
    files = {"main.tf": 'terraform {\n  required_providers {\n    okta = {\n'
             '      source = "okta/okta"\n    }\n  }\n}\n'
             'data "okta_everyone_group" "all" {}\n'}
    assert terraform.validate_files(files).ok
    assert terraform.plan_files(files).ok
    deadline = time.monotonic() + 5
    while _processes_using(terraform.setup.cli_config) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_using(terraform.setup.cli_config) == []
    assert list(terraform.scratch.iterdir()) == []
    assert list(terraform.tmpdir.glob("tfreplay-*")) == []


def test_saved_certificate_gives_the_same_handshake(tmp_path: Path) -> None:
    """Plugins loading the session's certificate announce exactly the generated one."""
    generated = tls.generate()
    tls.save(generated, tmp_path)
    assert tls.load(tmp_path) == generated
    assert (tmp_path / tls.KEY_FILE).stat().st_mode & 0o077 == 0
    assert "=" not in generated.handshake and "\n" not in generated.handshake


def test_plugin_refuses_to_run_outside_terraform() -> None:
    """Started by hand (no magic cookie) the plugin explains itself and exits 1."""
    schema = launcher.vendored_schema_dir() / "okta-6.12.0.json"
    env = {k: v for k, v in os.environ.items() if k != "TF_PLUGIN_MAGIC_COOKIE"}
    env["PYTHONPATH"] = str(launcher.HARNESS_PARENT)
    done = subprocess.run(
        [sys.executable, "-m", "harness.plugin", "--schema", str(schema)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 1
    assert "started by Terraform" in done.stderr
    assert done.stdout == ""
