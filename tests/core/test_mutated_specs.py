"""Hypothesis over mutated specs: the commands never crash, whatever the spec holds.

GIVEN an example spec with keys deleted, renamed, duplicated or given values of other types, or
its text cut, spliced or sprinkled with odd bytes WHEN `synth`, `check`, `runbook` and `schema`
run THEN no traceback is printed and the exit code is 0 or 2 (`check`: also 1 with a drift diff),
with every stderr line of a refusal in the one-line form.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from grafana_okta_scim.cli import app

from ..conftest import EXAMPLE_SPECS

BASES = [yaml.safe_load(path.read_text()) for path in EXAMPLE_SPECS]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.sampled_from(
        ["", "https://", "HTTP://x", "${x}", "0oa", "00g", "fixed:", "a" * 300, "\u2028", "null"]
    ),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def mutated_spec(draw: st.DrawFn) -> str:
    """The text of an example spec after a few structural mutations and, sometimes, a textual one."""
    spec = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(spec)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = spec
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "rename", "copy"]))
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(ODD_VALUES)
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(last)
        elif action == "copy" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True)
    edit = draw(st.sampled_from(["none", "none", "cut", "splice", "byte", "duplicate-line"]))
    lines = text.splitlines(keepends=True)
    where = draw(st.integers(0, max(len(text) - 1, 0)))
    if edit == "cut":
        text = text[:where]
    elif edit == "splice":
        text = (
            text[:where]
            + draw(st.sampled_from(["&a ", "*a ", "!!python/object {} ", "- ", ": ", "{", "\t"]))
            + text[where:]
        )
    elif edit == "byte":
        return (
            text[:where].encode()
            + draw(st.sampled_from([b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xc3"]))
            + text[where:].encode()
        ).decode("utf-8", "surrogateescape")
    elif edit == "duplicate-line" and lines:
        index = draw(st.integers(0, len(lines) - 1))
        lines.insert(index, lines[index])
        text = "".join(lines)
    return text


def _assert_clean(result, allowed: set[int]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in allowed, (result.exit_code, output, result.exception)
    if result.exit_code == 2:
        lines = result.stderr.strip().split("\n")
        assert lines and all(line.startswith("error: ") for line in lines), lines


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutated_spec())
def test_commands_never_crash_on_a_mutated_spec(tmp_path_factory, text: str) -> None:
    work = tmp_path_factory.mktemp("mutated")
    spec = work / "scim.yaml"
    spec.write_bytes(text.encode("utf-8", "surrogateescape"))
    runner = CliRunner()
    synth = runner.invoke(app, ["synth", str(spec), "-o", str(work / "out")])
    _assert_clean(synth, {0, 2})
    if synth.exit_code == 2:
        assert not (work / "out").exists(), "nothing written on bad input"
    (work / "out").mkdir(exist_ok=True)
    _assert_clean(runner.invoke(app, ["check", str(spec), str(work / "out")]), {0, 1, 2})
    _assert_clean(runner.invoke(app, ["runbook", str(spec)]), {0, 2})


def test_schema_never_crashes() -> None:
    result = CliRunner().invoke(app, ["schema"])
    _assert_clean(result, {0})
