"""Joining a folder and a name, and splitting a path into both, for str paths in hot loops.

os.path.join and os.path.split handle every case (absolute parts, repeated separators, the root);
the writer joins a normalized folder with a plain file name thousands of times per synth. These
give exactly os.path's answer, taking the short way when it is the same.
"""

from __future__ import annotations

import os


def join(folder: str, name: str) -> str:
    """os.path.join(folder, name) for one name."""
    if folder and not folder.endswith(os.sep) and name and not name.startswith(os.sep):
        return f"{folder}{os.sep}{name}"
    return os.path.join(folder, name)


def split(path: str) -> tuple[str, str]:
    """os.path.split(path): (folder, name)."""
    folder, sep, name = path.rpartition(os.sep)
    if sep and folder and not folder.endswith(os.sep):
        return folder, name
    return os.path.split(path)
