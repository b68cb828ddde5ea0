"""TerraformDocument: one integration's root module, with its HCL and JSON forms.

The data lives in `terraform_types` (a leaf the emitters import); this module adds the emitters,
so the document can be written without an import cycle. Element types are re-exported here.
"""

from __future__ import annotations

import warnings
from typing import Any

from .emit.hcl import hcl_files
from .emit.terraform_json import document_json, json_files
from .facts import Facts
from .terraform_types import (
    Address,
    Block,
    BlockList,
    Element,
    Expr,
    Import,
    Local,
    Module,
    Output,
    Value,
    Variable,
)

__all__ = [
    "Address",
    "Block",
    "BlockList",
    "Element",
    "Expr",
    "Facts",
    "Import",
    "Local",
    "Output",
    "TerraformDocument",
    "Value",
    "Variable",
]


class TerraformDocument(Module):
    """One integration's root module, independent of HCL or JSON syntax."""

    def to_json(self) -> dict[str, Any]:
        """The whole module as one Terraform JSON object (exact Terraform JSON syntax)."""
        return document_json(self)

    def to_json_files(self) -> dict[str, str]:
        """File name -> text of the `*.tf.json` files."""
        return json_files(self)

    def to_hcl_files(self) -> dict[str, str]:
        """File name -> text of the `.tf` files."""
        return hcl_files(self)

    @property
    def derived(self) -> Facts:
        """Deprecated (removed after 0.2): the old name of `.facts`."""
        warnings.warn(
            "TerraformDocument.derived is deprecated; use TerraformDocument.facts",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.facts
