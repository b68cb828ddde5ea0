"""Golden files: generated text compared with the copy stored under tests/golden/.

With `UPDATE_GOLDEN=1` (what `make golden` sets) the generated text is written there first, so
the test passes and the diff shows in git: regenerate on purpose and review it. Every golden test
goes through these two functions, and `make golden` runs every test that does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
HOW = "run `make golden` (UPDATE_GOLDEN=1) after an intended change"


def assert_golden_file(relative: str, text: str) -> None:
    """`text` equals the golden file `tests/golden/<relative>`."""
    golden = GOLDEN / relative
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no {golden.relative_to(ROOT)}; {HOW}"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.relative_to(ROOT)} differs; {HOW}"


def assert_golden_folder(
    relative: str, files: Mapping[str, str], ignore: frozenset[str] = frozenset()
) -> None:
    """`files` ({path inside the folder: text}) are exactly the files of the golden folder
    `tests/golden/<relative>`, byte for byte; file names in `ignore` are left out of both sides."""
    folder = GOLDEN / relative
    if UPDATE:
        for path in folder.rglob("*") if folder.exists() else []:
            if path.is_file():
                path.unlink()
        for name, text in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stored = {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in ignore
    }
    expected = {name: text for name, text in files.items() if Path(name).name not in ignore}
    assert stored, f"no golden output in {folder.relative_to(ROOT)}; {HOW}"
    where = folder.relative_to(ROOT)
    assert sorted(stored) == sorted(expected), f"{where}: other files than the golden ones; {HOW}"
    for name, text in expected.items():
        assert stored[name] == text, f"{where}/{name} differs from golden; {HOW}"


def golden_test_files() -> list[Path]:
    """The test modules that compare with golden files (what `make golden` must run)."""
    tests = ROOT / "tests"
    return sorted(
        path for path in tests.rglob("test_*.py") if "golden_files import" in path.read_text(encoding="utf-8")
    )
