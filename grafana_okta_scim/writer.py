"""Writing generated folders safely, and comparing them with what would be written (`check`)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from . import str_paths
from .atomic_swap import ChangeSet, SwapError, apply
from .document import TerraformDocument
from .emit.file_names import RUNBOOK_FILE
from .errors import ProblemsError, os_problem
from .existing_files import GENERATED_MARK as GENERATED_MARK  # re-exported: the writer's public names
from .existing_files import FileTexts as FileTexts
from .runbook import render_runbook
from .synth import IntegrationPlan

Format = Literal["hcl", "json"]
FORMATS: tuple[Format, ...] = ("hcl", "json")
GENERATED_NAMES = re.compile(r"^(?:[a-z]+\.tf(?:\.json)?|SCIM_SETUP\.md)$")


class OutputError(ProblemsError):
    """Generated output cannot be written without losing a user's file; one line per problem."""


@dataclass
class WriteReport:
    """What write_output did, folder by folder."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    stale_folders: list[Path] = field(default_factory=list)
    pruned_folders: list[Path] = field(default_factory=list)


def render_files(doc: TerraformDocument, format: Format) -> dict[str, str]:
    """Every file of one integration folder: Terraform in `format` plus SCIM_SETUP.md."""
    if format not in FORMATS:
        raise ValueError(f"format: got {format!r}; expected one of {', '.join(FORMATS)}")
    files = doc.to_hcl_files() if format == "hcl" else doc.to_json_files()
    files[RUNBOOK_FILE] = render_runbook(IntegrationPlan.of(doc))
    return files


def is_generated(path: Path) -> bool:
    """True when the file starts with this tool's generated-file header."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            head = handle.read(400)
    except (OSError, UnicodeDecodeError):
        return False
    return bool(GENERATED_MARK.match(head))


def generated_files(folder: Path, reads: FileTexts | None = None) -> dict[str, Path]:
    """Generated files directly inside `folder`, by name."""
    return {name: folder / name for name in _generated_names(os.fspath(folder), reads or FileTexts())}


def _generated_names(folder: str, reads: FileTexts) -> list[str]:
    """The names of the generated files directly inside `folder`, sorted."""
    return [
        name
        for name in reads.names(folder)
        if GENERATED_NAMES.match(name)
        and reads.kind(str_paths.join(folder, name)) == "file"
        and reads.generated(str_paths.join(folder, name))
    ]


def _stale_folders(out_dir: str, names: set[str], reads: FileTexts) -> list[str]:
    """Folders under `out_dir` holding generated files of integrations not in `names`."""
    folders = [str_paths.join(out_dir, name) for name in reads.names(out_dir) if name not in names]
    return [
        folder for folder in folders if reads.kind(folder) == "folder" and _generated_names(folder, reads)
    ]


@dataclass(frozen=True)
class _Planned:
    """One integration folder to write: its path, its rendered files, whether it exists already."""

    folder: str
    files: dict[str, str]
    existed: bool


def plan_output(
    docs: Mapping[str, TerraformDocument],
    out_dir: Path,
    format: Format,
    force: bool = False,
    reads: FileTexts | None = None,
) -> dict[Path, dict[str, str]]:
    """Render everything and check every target before anything is written (OutputError).

    A target folder must be a folder this user can write, or creatable; no generated file's
    name may be taken by a folder or by a file this tool did not generate (unless `force`).
    """
    planned = _plan(docs, os.fspath(Path(out_dir)), format, force, reads or FileTexts())
    return {Path(item.folder): item.files for item in planned}


def _plan(
    docs: Mapping[str, TerraformDocument], out_dir: str, format: Format, force: bool, reads: FileTexts
) -> list[_Planned]:
    """plan_output's work on str paths, each folder listed once."""
    problem = _folder_problem(Path(out_dir), "the output folder")
    if problem:
        raise OutputError([problem])
    problems: list[str] = []
    planned: list[_Planned] = []
    for name, doc in docs.items():
        folder = str_paths.join(out_dir, name)
        problem = _integration_folder_problem(folder, name, reads)
        if problem:
            problems.append(problem)
            continue
        files = render_files(doc, format)
        existed = reads.kind(folder) == "folder"
        planned.append(_Planned(folder, files, existed))
        if existed:  # a new folder holds nothing to protect
            problems.extend(_taken_names(folder, files, force, reads))
    if problems:
        raise OutputError(problems)
    return planned


def _integration_folder_problem(folder: str, name: str, reads: FileTexts) -> str | None:
    """_folder_problem of one integration's folder; nothing to ask for a name the output folder
    (which passed its own check) certainly lacks: the folder is created there."""
    if _one_name(name) and reads.absent(folder):
        return None
    return _folder_problem(Path(folder), f"a folder for integration {name!r}")


def _one_name(name: str) -> bool:
    """True for a single path component (no separator, not . or ..)."""
    return name not in ("", ".", "..") and os.sep not in name and (os.altsep or os.sep) not in name


def _taken_names(folder: str, files: Mapping[str, str], force: bool, reads: FileTexts) -> list[str]:
    """A problem line per generated file name an existing folder has taken by something else."""
    problems: list[str] = []
    for file_name in files:
        target = str_paths.join(folder, file_name)
        kind = reads.kind(target)
        if kind == "folder":
            problems.append(f"{target}: got a folder; expected room for a generated file")
        elif kind != "nothing" and not force and not reads.generated(target):
            problems.append(
                f"{target}: got a file this tool did not generate; expected none "
                "(move it away, or pass --force to overwrite it)"
            )
    return problems


def _folder_problem(folder: Path, what: str) -> str | None:
    """Why `folder` cannot receive generated files, or None: it is (or can be made) a writable folder."""
    existing = folder
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    if existing != folder and not existing.is_dir():
        return f"{existing}: got a file; expected a folder (on the way to {folder})"
    if existing == folder and not folder.is_dir():
        kind = "a symlink to nothing (broken, or a loop)" if folder.is_symlink() else "a file"
        return f"{folder}: got {kind}; expected {what}"
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = (
            "a read-only file system" if _read_only_mount(existing) else "a folder this user cannot write"
        )
        return f"{existing}: got {reason}; expected a writable folder (for {folder})"
    return None


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def write_output(
    docs: Mapping[str, TerraformDocument],
    out_dir: str | Path,
    format: Format = "hcl",
    *,
    force: bool = False,
    prune: bool = False,
    texts: FileTexts | None = None,
) -> WriteReport:
    """Write one folder per integration under `out_dir`, all or nothing (atomic_swap).

    Everything is rendered and every target checked before the first write. Generated files the
    spec no longer produces are removed from the folders it writes; folders of integrations no
    longer in the spec are reported, and with `prune` their generated files are removed (never
    anything else). If anything fails, or SIGINT/SIGTERM arrives, every folder is left as it was
    and OutputError names the cause. `texts`: the files already read this run (FileTexts).
    """
    out_dir = Path(out_dir)
    try:
        report, changes = _changes(docs, out_dir, format, force, prune, texts or FileTexts())
    except OSError as exc:
        raise OutputError([os_problem(exc, expected="a readable file (nothing was written)")]) from None
    try:
        apply(changes)
    except SwapError as exc:
        raise OutputError(exc.problems) from None
    return report


def _changes(
    docs: Mapping[str, TerraformDocument],
    out_dir: Path,
    format: Format,
    force: bool,
    prune: bool,
    reads: FileTexts,
) -> tuple[WriteReport, ChangeSet]:
    """What write_output reports and changes, decided before anything is written."""
    out = os.fspath(out_dir)
    planned = _plan(docs, out, format, force, reads)
    report = WriteReport()
    changes = ChangeSet()
    for item in planned:
        _folder_changes(item, reads, report, changes)
    for folder in _stale_folders(out, {os.path.basename(item.folder) for item in planned}, reads):
        report.stale_folders.append(Path(folder))
        if prune:
            _prune(folder, reads, report, changes)
    return report, changes


def _folder_changes(item: _Planned, reads: FileTexts, report: WriteReport, changes: ChangeSet) -> None:
    """One folder's writes (files whose text differs) and removals (generated files it no longer gets)."""
    for file_name, text in item.files.items():
        target = str_paths.join(item.folder, file_name)
        if item.existed and reads.text(target) == text:
            report.unchanged.append(Path(target))
        else:
            changes.writes[target] = text
            report.written.append(Path(target))
    if item.existed:
        for file_name in _generated_names(item.folder, reads):
            if file_name not in item.files:
                _remove(str_paths.join(item.folder, file_name), report, changes)


def _remove(path: str, report: WriteReport, changes: ChangeSet) -> None:
    changes.removals.append(path)
    report.removed.append(Path(path))


def _prune(folder: str, reads: FileTexts, report: WriteReport, changes: ChangeSet) -> None:
    """Plan the removal of a stale folder's generated files (and of the folder, once empty)."""
    problem = _folder_problem(Path(folder), "a writable folder to prune")
    if problem:
        raise OutputError([problem])
    for file_name in _generated_names(folder, reads):
        _remove(str_paths.join(folder, file_name), report, changes)
    changes.empty_folders.append(folder)
    report.pruned_folders.append(Path(folder))


def detect_format(folder: Path) -> Format:
    """json when the folder holds generated *.tf.json files, else hcl."""
    return "json" if any(name.endswith(".tf.json") for name in generated_files(folder)) else "hcl"


@dataclass
class Drift:
    """Differences between a generated tree and what the spec generates now."""

    missing: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    extra: list[Path] = field(default_factory=list)
    diff: str = ""

    @property
    def clean(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def check_output(docs: Mapping[str, TerraformDocument], out_dir: str | Path) -> Drift:
    """Compare `out_dir` with what write_output would write; the format is detected per folder."""
    out_dir = Path(out_dir)
    drift = Drift()
    chunks: list[str] = []
    for name, doc in docs.items():
        folder = out_dir / name
        expected = render_files(doc, detect_format(folder))
        present = generated_files(folder)
        for file_name, text in expected.items():
            path = folder / file_name
            if not path.is_file():
                drift.missing.append(path)
                chunks.extend(_diff([], text, path))
                continue
            actual = path.read_text(encoding="utf-8", errors="replace")
            if actual != text:
                drift.changed.append(path)
                chunks.extend(_diff(actual.splitlines(keepends=True), text, path))
        for file_name, path in present.items():
            if file_name not in expected:
                drift.extra.append(path)
                chunks.extend(_diff(path.read_text(encoding="utf-8").splitlines(keepends=True), "", path))
    for stale in _stale_folders(os.fspath(out_dir), set(docs), FileTexts()):
        for path in generated_files(Path(stale)).values():
            drift.extra.append(path)
            chunks.extend(_diff(path.read_text(encoding="utf-8").splitlines(keepends=True), "", path))
    drift.diff = "".join(chunks)
    return drift


def _diff(actual: list[str], expected: str, path: Path) -> list[str]:
    lines = list(
        difflib.unified_diff(
            actual,
            expected.splitlines(keepends=True),
            fromfile=f"{path} (on disk)",
            tofile=f"{path} (from spec)",
        )
    )
    return [line if line.endswith("\n") else line + "\n" for line in lines]
