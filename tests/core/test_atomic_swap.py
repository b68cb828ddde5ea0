"""atomic_swap: when the undo itself fails, the problem lines name what is left where."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from grafana_okta_scim.atomic_swap import TEMP_PREFIX, ChangeSet, SwapError, apply


def test_a_failed_undo_names_what_is_left_where(tmp_path: Path, monkeypatch) -> None:
    """GIVEN two folders WHEN the second install fails and then moving a backup back fails
    THEN SwapError's lines give the cause, then each leftover path and what to do with it."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "okta.tf").write_text(f"old {name}\n")
    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if Path(dst) == tmp_path / "b" / "okta.tf" and Path(src).name.endswith(".new"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        if Path(dst) == tmp_path / "a" / "okta.tf" and Path(src).name.endswith(".old"):
            raise OSError(errno.EACCES, "Permission denied", str(src))
        real_replace(src, dst)

    monkeypatch.setattr("grafana_okta_scim.atomic_swap.os.replace", replace)
    changes = ChangeSet(writes={tmp_path / n / "okta.tf": f"new {n}\n" for n in ("a", "b")})
    with pytest.raises(SwapError) as caught:
        apply(changes)
    cause, *left = caught.value.problems
    assert cause.startswith(f"{tmp_path / 'b' / 'okta.tf'}: got a full disk; expected ")
    assert cause.endswith("(the undo failed too; see below)")
    backup = next(p for p in (tmp_path / "a").iterdir() if p.name.startswith(TEMP_PREFIX))
    assert left == [
        f"{backup}: got permission denied; expected nothing left behind; left: the previous okta.tf: "
        f"move it back to {tmp_path / 'a' / 'okta.tf'}"
    ]
    assert backup.read_text() == "old a\n"  # nothing lost: the previous file is where the line says
    assert (tmp_path / "b" / "okta.tf").read_text() == "old b\n"


def test_nothing_else_in_a_folder_is_touched(tmp_path: Path) -> None:
    (tmp_path / "terraform.tfvars").write_text("x = 1\n")
    (tmp_path / ".terraform").mkdir()
    apply(ChangeSet(writes={tmp_path / "okta.tf": "new\n"}))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".terraform", "okta.tf", "terraform.tfvars"]
    assert (tmp_path / "terraform.tfvars").read_text() == "x = 1\n"
