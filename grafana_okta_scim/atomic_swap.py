"""Replacing generated files in several folders all or nothing, durably.

Every new file is staged beside its target, the staged files are synced in one batch, then each
target is moved aside and the staged file renamed into place; the folders are synced after. If
anything fails, or SIGINT/SIGTERM arrives, before that point, every rename is undone and every
staged file, backup and created folder removed: each folder is left as it was. Only the files
named in the change set are ever moved; nothing else in a folder is touched.
"""

from __future__ import annotations

import os
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .errors import ProblemsError, os_problem

TEMP_PREFIX = ".grafana-okta-scim-"
"""Staged files and backups start with this; a folder holding one was interrupted by SIGKILL."""


class SwapError(ProblemsError):
    """The change set was not applied (every folder left as it was, unless a line says otherwise)."""


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@dataclass
class ChangeSet:
    """What to do: files to write (path -> text), files to remove, folders to remove when empty."""

    writes: dict[Path, str] = field(default_factory=dict)
    removals: list[Path] = field(default_factory=list)
    empty_folders: list[Path] = field(default_factory=list)


@dataclass
class _Journal:
    """What has been done so far, so it can be undone."""

    created: list[Path] = field(default_factory=list)
    staged: dict[Path, Path] = field(default_factory=dict)  # target -> staged file
    backups: dict[Path, Path] = field(default_factory=dict)  # target -> its previous file
    installed: list[Path] = field(default_factory=list)


def apply(changes: ChangeSet) -> None:
    """Apply `changes` all or nothing (SwapError naming the cause, or what a failed undo left)."""
    tx = uuid.uuid4().hex[:12]
    journal = _Journal()
    with _signal_guard() as guard:
        try:
            _stage(changes, journal, tx)
            if journal.staged:
                os.sync()  # one batched sync of every staged file before the first rename
            _swap(changes, journal, tx)
            _sync_folders(_touched_folders(changes, journal))
            guard.raising = False
        except (OSError, _Interrupted) as exc:
            guard.raising = False
            left = _undo(journal)
            if isinstance(exc, _Interrupted):
                cause = (
                    f"{_common_root(changes)}: got {signal.Signals(exc.signum).name} while writing; "
                    "expected an uninterrupted run"
                )
            else:
                cause = os_problem(exc, expected="a writable folder with room for the generated files")
            if left:
                raise SwapError([cause + " (the undo failed too; see below)", *left]) from None
            raise SwapError([cause + " (nothing changed: every folder is as it was)"]) from None
        left = _finish(changes, journal)
    if left:
        raise SwapError(left)


def _stage(changes: ChangeSet, journal: _Journal, tx: str) -> None:
    for folder in sorted({path.parent for path in changes.writes}):
        _make_folders(folder, journal)
    for target, text in changes.writes.items():
        staged = target.parent / f"{TEMP_PREFIX}{tx}.{target.name}.new"
        journal.staged[target] = staged  # recorded first: a signal may arrive right after the call
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)


def _make_folders(folder: Path, journal: _Journal) -> None:
    missing: list[Path] = []
    current = folder
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        journal.created.append(path)
        os.mkdir(path)


def _swap(changes: ChangeSet, journal: _Journal, tx: str) -> None:
    for target in [*changes.writes, *changes.removals]:
        if os.path.lexists(target):
            backup = target.parent / f"{TEMP_PREFIX}{tx}.{target.name}.old"
            journal.backups[target] = backup
            os.replace(target, backup)
        if target in journal.staged:
            journal.installed.append(target)
            os.replace(journal.staged[target], target)


def _touched_folders(changes: ChangeSet, journal: _Journal) -> list[Path]:
    folders = {path.parent for path in [*changes.writes, *changes.removals]}
    folders.update(path.parent for path in journal.created)
    return sorted(folders)


def _sync_folders(folders: list[Path]) -> None:
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _undo(journal: _Journal) -> list[str]:
    """Put every folder back; one line per thing that could not be put back."""
    left: list[str] = []
    for target in reversed(journal.installed):
        _try(left, partial(os.unlink, target), target, "the new file left in place of the old one")
    for target, backup in reversed(list(journal.backups.items())):
        _try(
            left,
            partial(os.replace, backup, target),
            backup,
            f"the previous {target.name}: move it back to {target}",
        )
    for staged in journal.staged.values():
        _try(left, partial(os.unlink, staged), staged, "a staged file: delete it")
    for folder in reversed(journal.created):
        _try(left, partial(os.rmdir, folder), folder, "a folder this run created: delete it")
    return left


def _finish(changes: ChangeSet, journal: _Journal) -> list[str]:
    """After the swap: delete the backups, then the emptied folders; each step is tried twice (a
    transient error), and one line names what is still left."""
    left: list[str] = []
    steps: list[tuple[Callable[[], None], Path, str]] = [
        (partial(os.unlink, backup), backup, "a backup of the previous output: delete it")
        for backup in journal.backups.values()
    ]
    steps += [
        (partial(_remove_if_empty, folder), folder, "an emptied folder of a pruned integration")
        for folder in changes.empty_folders
    ]
    for action, path, what in steps:
        try:
            action()
        except FileNotFoundError:
            pass
        except OSError:
            _try(left, action, path, what)
    return left


def _remove_if_empty(folder: Path) -> None:
    if not any(folder.iterdir()):
        os.rmdir(folder)


def _try(left: list[str], action: Callable[[], None], path: Path, what: str) -> None:
    try:
        action()
    except FileNotFoundError:
        pass
    except OSError as exc:
        left.append(os_problem(exc, path, f"nothing left behind; left: {what}"))


def _common_root(changes: ChangeSet) -> Path:
    paths = [*changes.writes, *changes.removals]
    return Path(os.path.commonpath([str(path.parent) for path in paths])) if paths else Path(".")


@dataclass
class _Guard:
    raising: bool = True
    received: list[int] = field(default_factory=list)


@contextmanager
def _signal_guard() -> Iterator[_Guard]:
    """SIGINT and SIGTERM raise _Interrupted while `raising`, else are only recorded (an undo or
    the clean-up after the swap must not be cut short). Main thread only."""
    guard = _Guard()

    def handler(signum: int, frame: object) -> None:
        guard.received.append(signum)
        if guard.raising:
            guard.raising = False
            raise _Interrupted(signum)

    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield guard
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
