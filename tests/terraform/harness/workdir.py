"""Scratch copies of a configuration that Terraform may run in without `init`.

A backend (or `cloud`) block would make `plan` demand `terraform init`, so the copy has it
removed; validate ignores backends but runs on a copy too, so the source folder never gets a
`.terraform` folder or plan file.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

_TERRAFORM_BLOCK = re.compile(r"(?m)^[ \t]*terraform[ \t]*\{")
_BACKEND_BLOCK = re.compile(r'(?m)^[ \t]*(?:backend[ \t]+"[^"\n]*"|cloud)[ \t]*\{')
_IGNORED = shutil.ignore_patterns(".terraform", "*.tfstate", "*.tfstate.*", ".terraform.lock.hcl")


def _block_end(text: str, open_brace: int) -> int:
    """Index just past the `}` matching the `{` at `open_brace` (quoted strings skipped)."""
    depth, index, in_string = 0, open_brace, False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#" or text.startswith("//", index):
            index = text.find("\n", index)
            if index < 0:
                break
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError("unbalanced braces in a terraform block")


def strip_backend_hcl(text: str) -> str:
    """The HCL text without `backend "..." {}` / `cloud {}` inside `terraform {}` blocks."""
    result, position = [], 0
    for match in _TERRAFORM_BLOCK.finditer(text):
        if match.start() < position:
            continue
        end = _block_end(text, match.end() - 1)
        body = text[match.start() : end]
        while inner := _BACKEND_BLOCK.search(body, 1):
            body = body[: inner.start()] + body[_block_end(body, inner.end() - 1) :]
        result.append(text[position : match.start()] + body)
        position = end
    result.append(text[position:])
    return "".join(result)


def strip_backend_json(document: dict[str, Any]) -> dict[str, Any]:
    """The Terraform JSON document without terraform.backend / terraform.cloud."""
    terraform = document.get("terraform")
    blocks = terraform if isinstance(terraform, list) else [terraform] if terraform else []
    for block in blocks:
        block.pop("backend", None)
        block.pop("cloud", None)
    return document


def neutralise(folder: Path) -> None:
    """Remove backends from every `.tf` / `.tf.json` file under `folder`, in place."""
    for path in folder.rglob("*.tf"):
        path.write_text(strip_backend_hcl(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in folder.rglob("*.tf.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(strip_backend_json(document), indent=2), encoding="utf-8")


def prepare(source: Path, dest: Path, variables: dict[str, Any] | None = None) -> Path:
    """Copy `source` to `dest` without backends; optionally write the variables as tfvars."""
    shutil.copytree(source, dest, ignore=_IGNORED)
    neutralise(dest)
    if variables:
        tfvars = dest / "zz-harness.auto.tfvars.json"
        tfvars.write_text(json.dumps(variables, indent=2), encoding="utf-8")
    return dest


def replace_config(files: dict[str, str], dest: Path) -> Path:
    """Make `dest` hold exactly the configuration `files` (backends removed), keeping the state
    and any other non-configuration file Terraform left there."""
    for name in files:
        if "/" in name or not name.endswith((".tf", ".tf.json")):
            raise ValueError(f"{name}: a workspace takes top-level .tf / .tf.json files only")
    dest.mkdir(parents=True, exist_ok=True)
    for pattern in ("*.tf", "*.tf.json"):
        for path in dest.glob(pattern):
            path.unlink()
    for name, text in files.items():
        (dest / name).write_text(text, encoding="utf-8")
    neutralise(dest)
    return dest


def write_files(files: dict[str, str], dest: Path) -> Path:
    """Write a `name -> text` mapping (as the emitters return it) into a new folder."""
    dest.mkdir(parents=True)
    for name, text in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest
