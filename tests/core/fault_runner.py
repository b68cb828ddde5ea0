"""Runs `synth` again and again with one file-system call failing, or a signal arriving (child side).

Usage: python fault_runner.py WORKDIR ARGS... (ARGS: the synth command line, run in WORKDIR).
WORKDIR/pristine is the output folder before the run; each attempt copies it to WORKDIR/out,
forks, and in the child patches the os-level calls (open, write, fsync, replace, rename, mkdir,
unlink, rmdir) so that call k raises OSError(EIO), or sends SIGINT or SIGTERM just before it
is made. Prints one JSON document: the number of such calls an unfaulted run makes, and for
every attempt its exit status, stderr and the output tree (path -> sha256) afterwards.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import json
import os
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grafana_okta_scim.cli import app

PATCHED = ("open", "write", "fsync", "replace", "rename", "mkdir", "unlink", "rmdir")
MODES = ("count", "fault", "SIGINT", "SIGTERM")


def tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: files by sha256, folders as 'dir'."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _install(mode: str, k: int, counter: list[int], kinds: list[str]) -> None:
    """Patch the os-level calls: count them; at call k fail or signal (per mode)."""

    def wrap(real: Callable[..., Any], name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            counter[0] += 1
            if mode == "count":
                kinds.append(
                    f"{name} {Path(str(args[0])).name if args and not isinstance(args[0], int) else ''}"
                )
            if counter[0] == k:
                if mode == "fault":
                    raise OSError(errno.EIO, "injected fault", str(args[0]) if args else None)
                if mode in ("SIGINT", "SIGTERM"):
                    os.kill(os.getpid(), getattr(signal, mode))
            return real(*args, **kwargs)

        return call

    for name in PATCHED:
        if name == "open":
            builtins.open = io.open = wrap(io.open, "io.open")  # type: ignore[assignment]
        setattr(os, name, wrap(getattr(os, name), name))


def attempt(work: Path, args: list[str], mode: str, k: int, old: dict[str, str]) -> dict[str, Any]:
    """One forked run of `args` with call k faulted (k=0: none); the child reports its call count."""
    out = work / "out"
    if not out.exists() or tree(out) != old:  # the previous attempt changed it: start again
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(work / "pristine", out, symlinks=True)
    err_path, count_path = work / "stderr.txt", work / "count.txt"
    pid = os.fork()
    if pid == 0:  # child: run the command with the patches, never return
        code = 70
        try:
            err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(err, 2)
            os.dup2(null, 1)
            os.chdir(work)
            counter = [0]
            kinds: list[str] = []
            real_open, real_write = os.open, os.write
            _install(mode, k, counter, kinds)
            try:
                app(args, prog_name="grafana-okta-scim")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except KeyboardInterrupt:
                code = 130
            finally:
                sys.stderr.flush()
                calls = counter[0]
                fd = real_open(count_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                real_write(fd, json.dumps({"calls": calls, "kinds": kinds}).encode())
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    result: dict[str, Any] = {"mode": mode, "k": k, "stderr": err_path.read_text(errors="replace")}
    if os.WIFSIGNALED(status):
        result["signal"] = os.WTERMSIG(status)
        result["code"] = None
    else:
        result["code"] = os.WEXITSTATUS(status)
    result.update(json.loads(count_path.read_text()) if count_path.exists() else {"calls": None})
    count_path.unlink(missing_ok=True)
    result["tree"] = tree(out)
    return result


def main(argv: list[str]) -> None:
    """Count the calls of an unfaulted run, then fault/signal each one in turn."""
    work, args = Path(argv[0]), argv[1:]
    old = tree(work / "pristine")
    _warm_up(work, args)
    first = attempt(work, args, "count", 0, old)
    runs = []
    for mode in MODES[1:]:
        for k in range(1, first["calls"] + 1):
            runs.append(attempt(work, args, mode, k, old))
    print(json.dumps({"unfaulted": first, "old": old, "runs": runs}))


def _warm_up(work: Path, args: list[str]) -> None:
    """Run once in this process (into a scratch copy), so every child starts with the templates
    and lazy imports loaded and counts only the calls the command itself makes."""
    scratch = work / "warm-up"
    shutil.copytree(work / "pristine", scratch, symlinks=True)
    here = os.getcwd()
    os.chdir(work)
    saved = sys.stderr
    try:
        sys.stderr = io.StringIO()
        app([arg if arg != "out" else "warm-up" for arg in args], prog_name="grafana-okta-scim")
    except SystemExit:
        pass
    finally:
        sys.stderr = saved
        os.chdir(here)
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main(sys.argv[1:])
