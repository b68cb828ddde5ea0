"""Errors that carry the user's problems, one line each, and how values appear in those lines."""

from __future__ import annotations

import errno
from typing import Any

SHORT_LIMIT = 80


class ProblemsError(Exception):
    """Bad input or a refused action; `problems` holds one line per problem, naming the field."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = problems.splitlines() if isinstance(problems, str) else problems
        super().__init__("\n".join(self.problems))


def short(value: Any, limit: int = SHORT_LIMIT) -> str:
    """`repr(value)`, cut to `limit` characters with an ellipsis, for a problem line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_OS_ERRORS = {
    errno.ENOENT: "a missing file or folder",
    errno.EISDIR: "a folder",
    errno.ENOTDIR: "a file where the path needs a folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted (immutable or protected file?)",
    errno.EROFS: "a read-only file system",
    errno.ENOSPC: "a full disk",
    errno.EDQUOT: "a full disk quota",
    errno.ENAMETOOLONG: "a name too long for the file system",
    errno.ELOOP: "a symlink loop",
    errno.EEXIST: "an existing file",
    errno.EBUSY: "a busy file or mount point",
    errno.EXDEV: "a path on another file system",
    errno.EIO: "an I/O error",
}


_OS_EXPECTED = {
    errno.ENAMETOOLONG: "a shorter path",
    errno.ELOOP: "a path without a symlink loop",
    errno.ENOSPC: "free space on the disk (nothing was changed)",
    errno.EDQUOT: "free space in the disk quota (nothing was changed)",
    errno.EROFS: "a writable file system (nothing was changed)",
}


def os_problem(exc: OSError, path: object | None = None, expected: str = "a usable path") -> str:
    """One problem line for a file-system error: `<path>: got <what went wrong>; expected ...`."""
    where = exc.filename if exc.filename is not None else path
    what = _OS_ERRORS.get(exc.errno or 0)
    if what is None:
        name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        what = f"{(exc.strerror or str(exc) or name).lower()} ({name})"
    if exc.filename2 is not None:
        what += f" (with {exc.filename2})"
    return f"{where}: got {what}; expected {_OS_EXPECTED.get(exc.errno or 0, expected)}"
