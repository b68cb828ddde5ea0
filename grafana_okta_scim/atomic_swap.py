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

from . import str_paths
from .errors import ProblemsError, os_problem

TEMP_PREFIX = ".grafana-okta-scim-"
"""Staged files and backups start with this; a folder holding one was interrupted by SIGKILL."""


class SwapError(ProblemsError):
    """The change set was not applied (every folder left as it was, unless a line says otherwise)."""


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


StrPath = str | os.PathLike[str]
"""A path as a str or a Path (the writer passes str: no Path object per file)."""


@dataclass
class ChangeSet:
    """What to do: files to write (path -> text), files to remove, folders to remove when empty."""

    writes: dict[StrPath, str] = field(default_factory=dict)
    removals: list[StrPath] = field(default_factory=list)
    empty_folders: list[StrPath] = field(default_factory=list)


@dataclass
class _Journal:
    """What has been done so far, so it can be undone (every path a str)."""

    created: list[str] = field(default_factory=list)
    staged: dict[str, str] = field(default_factory=dict)  # target -> staged file
    backups: dict[str, str] = field(default_factory=dict)  # target -> its previous file
    installed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """The change set as str paths, split into folder and name once."""

    writes: dict[str, str]  # target -> text
    removals: list[str]
    empty_folders: list[str]
    places: dict[str, tuple[str, str]]  # target (written or removed) -> (folder, name)

    @classmethod
    def of(cls, changes: ChangeSet) -> _Plan:
        writes = {os.fspath(path): text for path, text in changes.writes.items()}
        removals = [os.fspath(path) for path in changes.removals]
        places = {target: str_paths.split(target) for target in [*writes, *removals]}
        return cls(writes, removals, [os.fspath(path) for path in changes.empty_folders], places)


def apply(changes: ChangeSet) -> None:
    """Apply `changes` all or nothing (SwapError naming the cause, or what a failed undo left)."""
    tx = uuid.uuid4().hex[:12]
    plan = _Plan.of(changes)
    journal = _Journal()
    with _signal_guard() as guard:
        try:
            _stage(plan, journal, tx)
            if journal.staged:
                os.sync()  # one batched sync of every staged file before the first rename
            _swap(plan, journal, tx)
            _sync_folders(_touched_folders(plan, journal))
            guard.raising = False
        except (OSError, _Interrupted) as exc:
            guard.raising = False
            left = _undo(journal)
            if isinstance(exc, _Interrupted):
                cause = (
                    f"{_common_root(plan)}: got {signal.Signals(exc.signum).name} while writing; "
                    "expected an uninterrupted run"
                )
            else:
                cause = os_problem(exc, expected="a writable folder with room for the generated files")
            if left:
                raise SwapError([cause + " (the undo failed too; see below)", *left]) from None
            raise SwapError([cause + " (nothing changed: every folder is as it was)"]) from None
        left = _finish(plan, journal)
    if left:
        raise SwapError(left)


def _stage(plan: _Plan, journal: _Journal, tx: str) -> None:
    made: set[str] = set()
    for folder in sorted({plan.places[target][0] for target in plan.writes}):
        _make_folders(folder, journal, made)
    for target, text in plan.writes.items():
        folder, name = plan.places[target]
        staged = str_paths.join(folder, f"{TEMP_PREFIX}{tx}.{name}.new")
        journal.staged[target] = staged  # recorded first: a signal may arrive right after the call
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data) :]
        finally:
            os.close(fd)


def _make_folders(folder: str, journal: _Journal, made: set[str]) -> None:
    """Create `folder` and its missing parents; `made`: the folders known to exist by now."""
    missing: list[str] = []
    current = folder
    while current not in made and not os.path.isdir(current or "."):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    made.add(current)
    for path in reversed(missing):
        journal.created.append(path)
        os.mkdir(path)
        made.add(path)


def _swap(plan: _Plan, journal: _Journal, tx: str) -> None:
    present = _Listings(set(journal.created))
    for target in [*plan.writes, *plan.removals]:
        folder, name = plan.places[target]
        if present.has(folder, name):
            backup = str_paths.join(folder, f"{TEMP_PREFIX}{tx}.{name}.old")
            journal.backups[target] = backup
            os.replace(target, backup)
        if target in journal.staged:
            journal.installed.append(target)
            os.replace(journal.staged[target], target)


class _Listings:
    """Whether a folder holds a name, as os.path.lexists says, from one listing per folder; a
    folder this run created holds only its staged files."""

    def __init__(self, created: set[str]) -> None:
        self._created = created
        self._names: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}

    def has(self, folder: str, name: str) -> bool:
        if folder in self._created:
            return False
        if folder not in self._names:
            self._names[folder] = _names_in(folder)
        names = self._names[folder]
        if names is not None and name in names[0]:
            return True
        # Unlisted, or a name that differs only in case (one file on a case-insensitive system).
        unsure = names is None or name.casefold() in names[1]
        return unsure and os.path.lexists(str_paths.join(folder, name))


def _names_in(folder: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The names in `folder` as they are and case-folded; None when it cannot be listed."""
    try:
        names = os.listdir(folder or ".")
    except (FileNotFoundError, NotADirectoryError):
        return frozenset(), frozenset()
    except OSError:
        return None  # e.g. a folder one may enter but not list: ask about each name
    return frozenset(names), frozenset(name.casefold() for name in names)


def _touched_folders(plan: _Plan, journal: _Journal) -> list[str]:
    folders = {folder for folder, _ in plan.places.values()}
    folders.update(os.path.dirname(path) for path in journal.created)
    return sorted(folders)


def _sync_folders(folders: list[str]) -> None:
    for folder in folders:
        fd = os.open(folder or ".", os.O_RDONLY)
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
            f"the previous {os.path.basename(target)}: move it back to {target}",
        )
    for staged in journal.staged.values():
        _try(left, partial(os.unlink, staged), staged, "a staged file: delete it")
    for folder in reversed(journal.created):
        _try(left, partial(os.rmdir, folder), folder, "a folder this run created: delete it")
    return left


def _finish(plan: _Plan, journal: _Journal) -> list[str]:
    """After the swap: delete the backups, then the emptied folders; each step is tried twice (a
    transient error), and one line names what is still left."""
    left: list[str] = []
    steps: list[tuple[Callable[[], None], str, str]] = [
        (partial(os.unlink, backup), backup, "a backup of the previous output: delete it")
        for backup in journal.backups.values()
    ]
    steps += [
        (partial(_remove_if_empty, folder), folder, "an emptied folder of a pruned integration")
        for folder in plan.empty_folders
    ]
    for action, path, what in steps:
        try:
            action()
        except FileNotFoundError:
            pass
        except OSError:
            _try(left, action, path, what)
    return left


def _remove_if_empty(folder: str) -> None:
    if not os.listdir(folder):
        os.rmdir(folder)


def _try(left: list[str], action: Callable[[], None], path: str, what: str) -> None:
    try:
        action()
    except FileNotFoundError:
        pass
    except OSError as exc:
        left.append(os_problem(exc, path, f"nothing left behind; left: {what}"))


def _common_root(plan: _Plan) -> str:
    folders = [folder or "." for folder, _ in plan.places.values()]
    return os.path.commonpath(folders) if folders else "."


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
