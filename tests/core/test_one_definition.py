"""Facts the package states once: exit codes, Terraform's meta-arguments, the name-id format."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grafana_okta_scim

PACKAGE = Path(grafana_okta_scim.__file__).parent
NAME_ID_DEFAULT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "_generated" not in path.parts
    }


def _assigned(module: ast.Module, pattern: str) -> set[str]:
    names = set()
    for node in ast.walk(module):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name) and re.fullmatch(pattern, t.id)}
    return names


def test_exit_codes_and_meta_arguments_are_assigned_in_one_module_each() -> None:
    # GIVEN every module of the package WHEN the assignments of exit codes and meta-arguments
    # are collected THEN each lives in exactly one module
    where = {
        "EXIT_*": {name for name, tree in _modules().items() if _assigned(tree, r"EXIT_[A-Z_]+")},
        "META_ARGUMENTS": {name for name, tree in _modules().items() if _assigned(tree, "META_ARGUMENTS")},
    }
    assert where == {"EXIT_*": {"exit_codes.py"}, "META_ARGUMENTS": {"terraform_types.py"}}


def test_the_name_id_format_default_is_written_in_the_spec_only() -> None:
    # GIVEN the package's string constants THEN the default NameID URN is the spec model's alone
    # (discover/compose.py still compares with its own copy: the composer split removes it)
    holders = {
        name
        for name, tree in _modules().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == NAME_ID_DEFAULT
    }
    assert holders - {"discover/compose.py"} == {"spec.py"}
