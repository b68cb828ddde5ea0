"""Hostile and careless input: refused fast in one line each, exit 2, no traceback, nothing written.

GIVEN a spec file (or command line, or output path) that would lose configuration silently, cost
unbounded time or memory, or point at the wrong kind of file WHEN a command runs THEN every
problem is one `error: <where>: got ...; expected ...` line and the exit code is 2.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grafana_okta_scim import SpecError, load_spec, spec_yaml
from grafana_okta_scim.cli import app
from grafana_okta_scim.spec_yaml import MAX_SPEC_BYTES

from ..conftest import EXAMPLES_DIR, ROOT
from .test_bad_input import VALID

BASE = yaml.safe_dump(VALID, sort_keys=False)


def _lines(result) -> list[str]:
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: ") and "got " in line for line in lines), lines
    return lines


def _synth(runner, tmp_path: Path, text: str | bytes) -> list[str]:
    spec = tmp_path / "scim.yaml"
    spec.write_bytes(text.encode() if isinstance(text, str) else text)
    result = runner.invoke(app, ["synth", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.stderr
    assert not (tmp_path / "out").exists()
    return _lines(result)


DUPLICATE_OKTA_APP = """version: 1
okta: {org_name: example}
integrations:
  - name: prod
    grafana: {kind: cloud, url: https://example.grafana.net, stack_slug: example, stack_id: 1}
    okta_app:
      assignments: [{group: grafana-users}]
    okta_app:
      label: Grafana
"""


def test_a_second_okta_app_block_is_refused_naming_the_key_path_and_both_lines(runner, tmp_path) -> None:
    lines = _synth(runner, tmp_path, DUPLICATE_OKTA_APP)
    assert lines == [
        "error: integrations[0].okta_app: got the key twice (lines 6 and 8); expected each key once "
        "(YAML keeps only the last, silently dropping the first)"
    ]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("version: 1\nversion: 1\n", "version: got the key twice (lines 1 and 2)"),
        ("okta:\n  org_name: a\n  org_name: b\n", "okta.org_name: got the key twice (lines 2 and 3)"),
        (
            "integrations:\n- name: a\n  grafana: {kind: cloud, kind: enterprise}\n",
            "integrations[0].grafana.kind: got the key twice (lines 3 and 3)",
        ),
    ],
)
def test_duplicate_keys_at_any_depth(runner, tmp_path, text: str, path: str) -> None:
    assert any(path in line for line in _synth(runner, tmp_path, text))


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        ("billion-laughs", LAUGHS, "values once aliases are expanded"),
        ("recursive-alias", "a: &a [*a]\n", "alias inside its own anchor"),
        ("deep-flow", "a: " + "[" * 200 + "]" * 200 + "\n", "nesting deeper than 32 levels"),
        ("deeper-than-libyaml", "a: " + "[" * 20000 + "]" * 20000 + "\n", "nesting"),
        ("deep-block", "".join("  " * i + f"k{i}:\n" for i in range(60)), "nesting deeper than 32 levels"),
        ("python-object", "version: !!python/object:os.system {}\n", "got the tag !!python/object:os.system"),
        ("python-name", "version: !!python/name:os.system\n", "got the tag !!python/name:os.system"),
        ("custom-tag", "version: !secret x\n", "got the tag !secret"),
        ("nul", b"version: 1\n\x00\n", "got a NUL byte on line 2"),
        ("latin-1", "version: 1\nokta: {org_name: caf\xe9}\n".encode("latin-1"), "not UTF-8 on line 2"),
        ("bom", b"\xef\xbb\xbf" + BASE.encode(), "got a byte-order mark"),
        ("utf16", BASE.encode("utf-16"), "got a byte-order mark"),
        ("too-large", b"# " + b"x" * (MAX_SPEC_BYTES + 10), f"expected at most {MAX_SPEC_BYTES:,}"),
    ],
)
def test_hostile_yaml_is_refused_in_one_line(runner, tmp_path, case: str, text, expected: str) -> None:
    lines = _synth(runner, tmp_path, text)
    assert len(lines) == 1 and expected in lines[0], (case, lines)


def test_hostile_yaml_is_refused_fast_with_bounded_memory(tmp_path: Path) -> None:
    """A child process limited to 512 MiB of address space refuses each one without a traceback."""
    cases = {
        "laughs.yaml": LAUGHS + "i: &i [" + ", ".join(["*h"] * 10) + "]\n",
        "deep.yaml": "a: " + "[" * 999 + "]" * 999,
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20));"
        "from grafana_okta_scim.cli import main; sys.argv = ['grafana-okta-scim', 'check', sys.argv[1], '.'];"
        "main()"
    )
    for name in cases:
        done = subprocess.run(
            [sys.executable, "-c", script, name], cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert done.returncode == 2, (name, done.stderr)
        assert "Traceback" not in done.stderr and done.stderr.startswith("error: "), done.stderr
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 512 * 1024


def test_the_1000_integration_benchmark_spec_is_within_the_limits(tmp_path: Path) -> None:
    from bench.specs import write_spec

    path = write_spec(1000, tmp_path)
    assert 500_000 < path.stat().st_size < MAX_SPEC_BYTES
    assert len(load_spec(path).integrations) == 1000


def test_field_and_cross_field_problems_are_reported_in_one_run(runner, tmp_path) -> None:
    spec = yaml.safe_load(BASE)
    spec["integrations"][0]["grafana"] = {
        "kind": "enterprise",
        "url": "https://g.example.com",
        "org_id": "one",
    }
    spec["integrations"][0]["okta_app"]["push_groups"] = ["nope"]
    lines = _synth(runner, tmp_path, yaml.safe_dump(spec))
    assert lines == [
        "error: integrations[0].grafana.org_id: got 'one'; expected a valid integer",
        "error: integrations[0].okta_app.push_groups[0]: got 'nope'; expected a group assigned by name in "
        "okta_app.assignments",
    ]


def test_an_unknown_key_gets_did_you_mean_and_the_valid_keys(runner, tmp_path) -> None:
    lines = _synth(runner, tmp_path, BASE.replace("label: Grafana", "lable: Grafana"))
    assert lines == [
        "error: integrations[0].okta_app.lable: got an unknown key; expected one of: label, assignments, "
        "assignments_authoritative, push_groups, delete_pushed_teams_on_destroy, groups_filter, tile, "
        "name_expression, authentication_policy, user_name_template, user_name_template_type, single_logout, "
        "acs_endpoints, honor_force_authn, saml_signed_request_enabled, accessibility_self_service "
        "(did you mean label? every key: `grafana-okta-scim schema --reference`)"
    ]
    reference = runner.invoke(app, ["schema", "--reference"])
    assert reference.exit_code == 0 and "| `label` |" in reference.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("okta", "base_url", "https://okta.com"), "expected a lower-case domain without scheme or path"),
        (("integrations", 0, "name", "Prod"), "expected a name of lower-case letters, digits, - and _"),
    ],
)
def test_patterns_are_in_plain_words(runner, tmp_path, change, expected: str) -> None:
    spec = yaml.safe_load(BASE)
    *path, key, value = change
    node = spec
    for part in path:
        node = node[part]
    node[key] = value
    lines = _synth(runner, tmp_path, yaml.safe_dump(spec))
    assert len(lines) == 1 and expected in lines[0] and "^" not in lines[0], lines


def test_duplicate_assignments_name_the_group(runner, tmp_path) -> None:
    spec = yaml.safe_load(BASE)
    spec["integrations"][0]["okta_app"]["assignments"] *= 2
    assert _synth(runner, tmp_path, yaml.safe_dump(spec)) == [
        "error: integrations[0].okta_app.assignments: got 'grafana-users' more than once; "
        "expected each group once"
    ]


def test_duplicate_integration_names_are_one_line(runner, tmp_path) -> None:
    spec = yaml.safe_load(BASE)
    spec["integrations"] *= 2
    assert _synth(runner, tmp_path, yaml.safe_dump(spec)) == [
        "error: integrations[1].name: got 'prod' a second time; expected a unique name (each integration "
        "gets its own folder)"
    ]


def test_an_upper_case_url_scheme_and_host_are_normalized(tmp_path: Path) -> None:
    spec = yaml.safe_load(BASE)
    spec["integrations"][0]["grafana"]["url"] = "HTTPS://Example.Grafana.NET/"
    path = tmp_path / "scim.yaml"
    path.write_text(yaml.safe_dump(spec))
    assert load_spec(path).integrations[0].grafana.url == "https://example.grafana.net"


def test_load_spec_raises_spec_error_with_the_lines(tmp_path: Path) -> None:
    (tmp_path / "scim.yaml").write_text(DUPLICATE_OKTA_APP)
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "scim.yaml")
    assert caught.value.problems[0].startswith("integrations[0].okta_app: got the key twice")


# --- the file system: every failure one line, exit 2 -------------------------------------------


def test_synth_into_a_file_is_one_line(runner, tmp_path) -> None:
    (tmp_path / "out").write_text("x")
    result = runner.invoke(app, ["synth", "--example", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert _lines(result) == [f"error: {tmp_path / 'out'}: got a file; expected the output folder"]


def test_synth_below_a_file_is_one_line(runner, tmp_path) -> None:
    (tmp_path / "f").write_text("x")
    result = runner.invoke(app, ["synth", "--example", "-o", str(tmp_path / "f" / "out")])
    assert result.exit_code == 2
    assert _lines(result) == [
        f"error: {tmp_path / 'f'}: got a file; expected a folder (on the way to {tmp_path / 'f' / 'out'})"
    ]


def test_a_symlink_loop_and_a_name_too_long_are_one_line(runner, tmp_path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = runner.invoke(app, ["synth", "--example", "-o", str(tmp_path / "loop")])
    assert result.exit_code == 2
    _lines(result)
    result = runner.invoke(app, ["synth", "--example", "-o", str(tmp_path / ("n" * 300))])
    assert result.exit_code == 2
    assert "got a name too long for the file system" in _lines(result)[0]


def test_a_directory_given_as_the_spec_is_one_line(runner, tmp_path) -> None:
    result = runner.invoke(app, ["synth", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert _lines(result) == [f"error: {tmp_path}: got a folder; expected a readable spec file"]


def test_init_cases_are_one_line(runner, tmp_path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "got a folder; expected a file path for the new spec" in _lines(result)[0]
    result = runner.invoke(app, ["init", str(tmp_path), "--force"])
    assert result.exit_code == 2
    assert "got a folder" in _lines(result)[0]
    result = runner.invoke(app, ["init", str(tmp_path / "new" / "scim.yaml")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new" / "scim.yaml").read_text().endswith((EXAMPLES_DIR / "cloud.yaml").read_text())


def test_check_of_a_missing_folder_is_one_line(runner, tmp_path) -> None:
    result = runner.invoke(app, ["check", "--example", str(tmp_path / "nope")])
    assert result.exit_code == 2
    _lines(result)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["synht"], "error: COMMAND: got 'synht'; expected one of: init, synth, "),
        (["synth", "--forse"], "error: --forse: got an unknown option; expected one of: --out, "),
        (["synth", "--format", "xml"], "error: --format: got 'xml'; expected one of 'hcl', 'json'"),
        # click's own wording of the range differs between releases (both are one line)
        (["verify", "--example", "--phase", "5"], "error: --phase: got "),
        (["init", "a", "b"], "error: b: got an extra argument; expected none"),
    ],
)
def test_typer_errors_are_one_line(runner, args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = _lines(result)
    assert len(lines) == 1 and lines[0].startswith(expected), lines
    if "--phase" in args:
        assert "3" in lines[0].split("expected", 1)[1], lines


def test_boolean_flags_are_shown_as_flags(runner) -> None:
    result = runner.invoke(app, ["synth", "--help"])
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout and "--force " in result.stdout


def test_discover_network_errors_name_the_url_and_give_a_hint(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OKTA_API_TOKEN", "x")
    monkeypatch.setenv("GRAFANA_AUTH", "y")
    result = runner.invoke(
        app,
        ["discover", "--okta-app", "0oa1", "--okta-org", "example", "--grafana", "https://example.grafana.net",
         "--stack-slug", "example", "--stack-id", "1", "-o", str(tmp_path / "d.yaml"),
         "--okta-url", "http://127.0.0.1:1", "--grafana-url", "http://127.0.0.1:1"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "GET http://127.0.0.1:1/api/v1/apps/0oa1: connect:" in result.stderr
    assert "nothing accepts connections at Okta (http://127.0.0.1:1/)" in result.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_a_stale_folder_names_synth_prune(runner, tmp_path) -> None:
    multi = tmp_path / "multi.yaml"
    multi.write_text((EXAMPLES_DIR / "multi.yaml").read_text())
    assert runner.invoke(app, ["synth", str(multi), "-o", str(tmp_path / "out")]).exit_code == 0
    spec = yaml.safe_load(multi.read_text())
    spec["integrations"] = spec["integrations"][:1]
    multi.write_text(yaml.safe_dump(spec))
    result = runner.invoke(app, ["synth", str(multi), "-o", str(tmp_path / "out")])
    assert "stale: " in result.stderr and "synth ... --prune` removes its generated files" in result.stderr
    result = runner.invoke(app, ["check", str(multi), str(tmp_path / "out")])
    assert result.exit_code == 1 and "with --prune for folders no longer in the spec" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]",  # no alias: the one-pass reader counts too
        "x: &x [1, 2, 3]\ny: [*x, *x, *x, *x]",  # aliases: the full walk counts each use
    ],
)
def test_too_many_values_are_refused_with_or_without_aliases(monkeypatch, text: str) -> None:
    monkeypatch.setattr(spec_yaml, "MAX_NODES", 10)
    with pytest.raises(spec_yaml.YamlProblems, match="more than 10 values"):
        spec_yaml.load(text, "spec.yaml")


def test_the_one_pass_reader_gives_what_pyyaml_gives(tmp_path: Path) -> None:
    from bench.specs import write_spec

    texts = [path.read_text() for path in sorted(EXAMPLES_DIR.glob("*.yaml"))]
    texts.append(write_spec(100, tmp_path).read_text())
    texts.append("when: 2024-01-02\nn: 0x1f\nf: 1.5e3\nyes_: yes\nnone: ~\nk: {1: a, true: b}\n")
    for text in texts:
        assert spec_yaml.load(text, "spec.yaml") == yaml.safe_load(text)
