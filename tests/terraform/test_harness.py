"""The harness itself: value codec, planning and apply rules, fixtures, workspaces, backend
neutralising, clean-up, handshake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from .harness import cty, fixtures, launcher, runner, schema, stubs, tls, values, workdir
from .harness.runner import Terraform, run_parallel

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
    assert planned["attribute_statements"] == [{"name": "n", "type": "X", "evaluated": cty.UNKNOWN}]
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
        "rule": {
            "nesting_mode": "set",
            "min_items": 1,
            "max_items": 2,
            "block": {"attributes": {"x": {"type": "number", "optional": True}}},
        },
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
        {
            "label": "x",
            "metadata_url": "u",
            "id": "set-ok",
            "attribute_statements": [{"name": "a"}, {"name": "b", "evaluated": "no"}],
        },
        SAML_BLOCK,
    )
    paths = values.computed_only_paths(config, SAML_BLOCK)
    assert [values.flat_key(p) for p in paths] == ["metadata_url", "attribute_statements.1.evaluated"]


def test_data_source_answers_are_deterministic_and_plausible() -> None:
    """Same config, same answer; okta ids look like okta ids; configured values kept."""
    block = {
        "attributes": {
            "id": {"type": "string", "optional": True, "computed": True},
            "name": {"type": "string", "optional": True, "computed": True},
            "users": {"type": ["set", "string"], "computed": True},
        }
    }
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
    (source / "main.tf.json").write_text(
        json.dumps({"terraform": [{"backend": {"local": {"path": "s"}}, "required_version": ">= 1.5"}]})
    )
    copy = workdir.prepare(source, tmp_path / "copy", {"v": 1})
    assert (copy / "versions.tf").read_text() == (
        'terraform {\n\n  required_version = ">= 1.5"\n}\nresource "x" "y" {\n  backend "z" {}\n}\n'
    )
    assert json.loads((copy / "main.tf.json").read_text()) == {"terraform": [{"required_version": ">= 1.5"}]}
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
    files = {
        "main.tf": "terraform {\n  required_providers {\n    okta = {\n"
        '      source = "okta/okta"\n    }\n  }\n}\n'
        'data "okta_everyone_group" "all" {}\n'
    }
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
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "started by Terraform" in done.stderr
    assert done.stdout == ""


# -- apply, fixtures and workspaces ------------------------------------------------------------


def test_apply_fills_every_unknown_deterministically() -> None:
    """Unknowns at any depth get values; known and write-only values stay; same plan, same
    state; another object, other ids; okta ids look like okta ids."""
    proposed = values.conform(
        {"label": "Grafana", "attribute_statements": [{"name": "n", "type": "X"}]}, SAML_BLOCK
    )
    planned = values.plan_create_or_update(proposed, SAML_BLOCK, "okta_app_saml")
    applied = values.fill_unknown(planned, SAML_BLOCK, "okta_app_saml")
    assert cty.is_known(applied)
    assert applied == values.fill_unknown(planned, SAML_BLOCK, "okta_app_saml")
    assert applied["label"] == "Grafana" and applied["secret"] is None
    assert applied["id"].startswith("0oa") and len(applied["id"]) == 20
    assert applied["metadata_url"].startswith("https://")
    assert applied["attribute_statements"][0]["evaluated"]
    other = values.fill_unknown({**planned, "label": "Other"}, SAML_BLOCK, "okta_app_saml")
    assert other["id"] != applied["id"]


def test_fill_walks_collections_and_keeps_null_nested_attributes() -> None:
    """Unknown elements of lists, maps and objects are filled by their element type."""
    block: values.Block = {
        "attributes": {
            "tags": {"type": ["map", "string"], "computed": True},
            "ports": {"type": ["list", "number"], "computed": True},
            "owner": {"type": ["object", {"name": "string", "admin": "bool"}], "computed": True},
            "profile": NESTED_BLOCK["attributes"]["profile"],
        }
    }
    planned = {
        "tags": {"a": cty.UNKNOWN},
        "ports": [1, cty.UNKNOWN],
        "owner": {"name": cty.UNKNOWN, "admin": cty.UNKNOWN},
        "profile": cty.UNKNOWN,
    }
    filled = values.fill_unknown(planned, block, "grafana_thing")
    assert cty.is_known(filled)
    assert isinstance(filled["tags"]["a"], str) and filled["ports"][0] == 1
    assert isinstance(filled["ports"][1], int) and filled["owner"]["admin"] is False
    assert filled["profile"] is None


def test_plan_takes_the_providers_static_defaults() -> None:
    """okta_push_group's delete_target_group_on_destroy plans as true when left out, as the
    real provider's default; a configured false stays."""
    block = launcher_block("okta-6.12.0.json", "okta_push_group")
    left_out = values.conform({"app_id": "0oa1", "source_group_id": "00g1"}, block)
    planned = values.plan_create_or_update(left_out, block, "okta_push_group")
    assert planned["delete_target_group_on_destroy"] is True
    assert planned["id"] is cty.UNKNOWN
    set_false = {**left_out, "delete_target_group_on_destroy": False}
    assert (
        values.plan_create_or_update(set_false, block, "okta_push_group")["delete_target_group_on_destroy"]
        is False
    )


def launcher_block(schema_file: str, type_name: str) -> values.Block:
    """A resource block of a vendored schema."""
    return schema.load(launcher.vendored_schema_dir() / schema_file).resources[type_name]["block"]


def test_fixture_entries_match_and_apply(tmp_path: Path) -> None:
    """Entries match on the object's values (imports on the id), replace values, append
    elements once, report objects gone; a misspelt attribute is an error."""
    block = launcher_block("okta-6.12.0.json", "okta_app_group_assignments")
    state = values.conform({"id": "0oa1", "app_id": "0oa1", "group": [{"id": "00g1"}]}, block)
    extra = {"id": "00g2", "priority": 5}
    document = {
        "read": [
            {"type": "okta_app_group_assignments", "match": {"app_id": "0oa1"}, "append": {"group": [extra]}},
            {"type": "okta_app_group_assignments", "match": {"app_id": "0oaOTHER"}, "gone": True},
        ],
        "import": [{"type": "okta_app_group_assignments", "id": "0oa9", "values": {"app_id": "0oa9"}}],
    }
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(document))
    loaded = fixtures.load({fixtures.ENV_VAR: str(path)})
    entries = fixtures.matching(loaded, "read", "okta_app_group_assignments", block, state)
    assert len(entries) == 1
    read = fixtures.apply_entries(state, entries + entries, block)
    assert [g["id"] for g in read["group"]] == ["00g1", "00g2"]
    assert read["group"][1] == {"id": "00g2", "priority": 5, "profile": None}
    gone = fixtures.matching(
        loaded, "read", "okta_app_group_assignments", block, {**state, "app_id": "0oaOTHER"}
    )
    assert fixtures.apply_entries(state, gone, block) is None
    assert fixtures.matching(loaded, "import", "okta_app_group_assignments", block, {}, "0oa8") == []
    assert fixtures.load({}) == {} and fixtures.load({fixtures.ENV_VAR: str(tmp_path / "no")}) == {}
    path.write_text(json.dumps({"read": [{"type": "okta_app_group_assignments", "values": {"groups": []}}]}))
    with pytest.raises(fixtures.FixtureError, match="no attribute"):
        fixtures.matching(
            fixtures.load({fixtures.ENV_VAR: str(path)}), "read", "okta_app_group_assignments", block, state
        )
    path.write_text(json.dumps({"reads": []}))
    with pytest.raises(fixtures.FixtureError, match="keys among"):
        fixtures.load({fixtures.ENV_VAR: str(path)})


MINI_CONFIG = {
    "main.tf": """terraform {
  required_providers {
    okta = {
      source = "okta/okta"
    }
    grafana = {
      source = "grafana/grafana"
    }
  }
}

variable "push" {
  type    = bool
  default = false
}

data "okta_group" "ops" {
  name = "ops"
}

resource "okta_app_saml" "app" {
  label = "Grafana"
}

resource "okta_push_group" "ops" {
  count           = var.push ? 1 : 0
  app_id          = okta_app_saml.app.id
  source_group_id = data.okta_group.ops.id
}

resource "grafana_service_account" "sa" {
  name = "okta-scim"
  role = "Admin"
}

resource "grafana_service_account_token" "sa" {
  name               = "okta"
  service_account_id = grafana_service_account.sa.id
}

output "group_name" {
  value = data.okta_group.ops.name
}

output "token" {
  value     = grafana_service_account_token.sa.key
  sensitive = true
}
"""
}
LOOKUP_FIXTURE = {
    "data_sources": [{"type": "okta_group", "match": {"name": "ops"}, "values": {"name": "ops-team"}}]
}


def _workspace_story(terraform: Terraform) -> dict[str, object]:
    """apply, plan, apply with a variable, fixture changes between plans, destroy."""
    story: dict[str, object] = {}
    with terraform.workspace(MINI_CONFIG) as ws:
        ws.set_fixture(LOOKUP_FIXTURE)
        story["apply"] = ws.apply()
        story["plan"] = ws.plan()
        story["apply_push"] = ws.apply({"push": True})
        ws.set_fixture(
            {
                "read": [
                    {"type": "okta_push_group", "gone": True},
                    {"type": "okta_app_saml", "values": {"label": "Renamed by hand"}},
                ]
            }
        )
        story["drift"] = ws.plan({"push": True})
        ws.set_fixture({"read": [{"type": "okta_app_saml", "values": {"lable": "typo"}}]})
        story["bad_fixture"] = ws.plan({"push": True})
        ws.set_fixture(None)
        story["destroy"] = ws.destroy({"push": True})
        story["folder"] = ws.root
    story["closed"] = not story["folder"].exists()  # type: ignore[attr-defined]
    return story


def _import_story(terraform: Terraform) -> dict[str, object]:
    """A fresh workspace applying the same configuration, with plugins Terraform launches itself
    (dev_overrides, fixture through Terraform's environment); then an import with a fixture."""
    story: dict[str, object] = {}
    with terraform.workspace(MINI_CONFIG, reattach=False) as ws:
        ws.set_fixture(LOOKUP_FIXTURE)
        story["apply"] = ws.apply()
    files = {
        "main.tf": MINI_CONFIG["main.tf"]
        + ('import {\n  to = okta_app_saml.app\n  id = "0oaEXISTING000000000"\n}\n')
    }
    with terraform.workspace(files) as ws:
        ws.set_fixture(
            {
                "import": [
                    {
                        "type": "okta_app_saml",
                        "id": "0oaEXISTING000000000",
                        "values": {"label": "Old label", "name": "example_1"},
                    }
                ]
            }
        )
        story["import_plan"] = ws.plan()
    return story


@pytest.fixture(scope="module")
def stories(terraform: Terraform) -> dict[str, dict[str, object]]:
    """Both workspace stories, run side by side."""
    return run_parallel(
        {
            "main": lambda: _workspace_story(terraform),
            "import": lambda: _import_story(terraform),
        }
    )


def test_workspace_applies_and_replans_with_no_change(stories: dict) -> None:
    """Apply creates everything with shaped ids and a non-empty sensitive key; the plan right
    after shows no change; applying a -var adds the gated instance."""
    story = stories["main"]
    applied = story["apply"]
    assert applied.ok, applied.describe()
    state = applied.resources
    assert state["okta_app_saml.app"]["id"].startswith("0oa")
    assert state["data.okta_group.ops"]["id"].startswith("00g")
    assert state["grafana_service_account.sa"]["id"].isdigit()
    key = state["grafana_service_account_token.sa"]["key"]
    assert key and applied.outputs["token"] == key
    assert story["plan"].ok and story["plan"].changes is False and story["plan"].no_op
    pushed = story["apply_push"].of_type("okta_push_group")
    assert list(pushed) == ["okta_push_group.ops[0]"]
    assert pushed["okta_push_group.ops[0]"]["app_id"] == state["okta_app_saml.app"]["id"]
    assert pushed["okta_push_group.ops[0]"]["delete_target_group_on_destroy"] is True


def test_same_configuration_applies_to_the_same_ids(stories: dict) -> None:
    """Two workspaces, one with reattached plugin servers and one whose plugins Terraform
    launches on every run, produce identical states (fixture included)."""
    first, second = stories["main"]["apply"], stories["import"]["apply"]
    assert second.ok, second.describe()
    assert first.resources == second.resources


def test_data_source_fixture_reaches_terraform(stories: dict) -> None:
    """The look-up of "ops" answered "ops-team", as the fixture said."""
    applied = stories["main"]["apply"]
    assert applied.outputs["group_name"] == "ops-team"
    assert applied.resources["data.okta_group.ops"]["name"] == "ops-team"


def test_read_fixture_reports_drift(stories: dict) -> None:
    """An object gone outside Terraform is planned again; a field changed outside is updated
    back to the configuration."""
    plan = stories["main"]["drift"]
    assert plan.ok and plan.changes is True, plan.describe()
    assert plan.actions("okta_push_group.ops[0]") == ["create"]
    change = plan.resource_changes["okta_app_saml.app"]["change"]
    assert change["actions"] == ["update"]
    assert (change["before"]["label"], change["after"]["label"]) == ("Renamed by hand", "Grafana")


def test_bad_fixture_is_an_error(stories: dict) -> None:
    """A fixture naming an attribute the schema lacks fails the run, naming it."""
    plan = stories["main"]["bad_fixture"]
    assert not plan.ok
    assert any(d.summary == "Replay fixture" and "lable" in d.detail for d in plan.errors)


def test_import_fixture_answers_the_existing_object(stories: dict) -> None:
    """The import is seeded with the fixture's fields for that id."""
    plan = stories["import"]["import_plan"]
    assert plan.ok, plan.describe()
    change = plan.resource_changes["okta_app_saml.app"]["change"]
    assert change["importing"] == {"id": "0oaEXISTING000000000"}
    assert change["before"]["id"] == "0oaEXISTING000000000"
    assert change["before"]["name"] == "example_1"
    assert (change["before"]["label"], change["after"]["label"]) == ("Old label", "Grafana")


def test_destroy_empties_the_state_and_close_removes_the_folder(stories: dict) -> None:
    """Destroy answers null states: nothing is left in state; the workspace folder goes."""
    destroyed = stories["main"]["destroy"]
    assert destroyed.ok, destroyed.describe()
    assert {a for a in destroyed.resources if not a.startswith("data.")} == set()
    assert stories["main"]["closed"]


def test_closed_workspaces_leave_no_process_or_folder(stories: dict, terraform: Terraform) -> None:
    """Reattached plugin servers stop with their workspace: no process, socket or folder left."""
    assert stories["main"]["closed"]
    deadline = time.monotonic() + 5
    while _processes_using(terraform.setup.cli_config) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_using(terraform.setup.cli_config) == []
    assert list(terraform.scratch.iterdir()) == []
    assert list(terraform.tmpdir.glob("tfreplay-*")) == []


def test_workspace_refuses_files_it_cannot_hold(terraform: Terraform) -> None:
    """Only top-level .tf / .tf.json files: a workspace is one root module."""
    with terraform.workspace(reattach=False) as ws, pytest.raises(ValueError, match="top-level"):
        ws.write({"modules/x.tf": ""})
    assert not ws.root.exists()


def test_var_flags_spell_values_as_terraform_reads_them() -> None:
    """Booleans and numbers as HCL literals, strings raw, anything else as JSON."""
    assert runner._var_flags({"a": True, "b": False, "c": 3, "d": "x y", "e": ["p"]}) == [
        "-var=a=true",
        "-var=b=false",
        "-var=c=3",
        "-var=d=x y",
        '-var=e=["p"]',
    ]
