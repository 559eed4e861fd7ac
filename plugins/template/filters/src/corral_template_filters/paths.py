"""Path filters (POSIX paths on the controller)."""
from __future__ import annotations

import glob
import ntpath
import os.path
from collections.abc import Sequence
from typing import Any, Callable

from corral_template_filters._checks import fail, strict, type_name, volatile

__all__ = ["basename", "dirname", "realpath", "expanduser", "expandvars", "splitext", "relpath", "normpath",
           "path_join", "commonpath", "fileglob", "win_basename", "win_dirname", "win_splitdrive", "FILTERS"]


def _path(name: str, value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    if not isinstance(value, str):
        raise fail(f"{name} requires a path string, got {type_name(value)} ({value!r}) instead.")
    return value


def _path_filter(name: str, func: Callable[[str], Any], doc: str) -> Callable[[Any], Any]:
    @strict
    def path_filter(value: Any) -> Any:
        return func(_path(name, value))

    path_filter.__name__ = path_filter.__qualname__ = name
    path_filter.__doc__ = doc
    return path_filter


basename = _path_filter("basename", os.path.basename, "The last component of a path.")
dirname = _path_filter("dirname", os.path.dirname, "A path without its last component.")
realpath = _path_filter("realpath", os.path.realpath,
                        "The absolute path with symbolic links resolved (relative to the current directory).")
expanduser = _path_filter("expanduser", os.path.expanduser, "A path with a leading ``~`` or ``~user`` expanded.")
expandvars = _path_filter("expandvars", os.path.expandvars,
                          "A path with ``$NAME`` and ``${NAME}`` replaced by environment variables.")
splitext = _path_filter("splitext", lambda path: list(os.path.splitext(path)),
                        "``[root, extension]`` of a path (``'a/b.txt'`` -> ``['a/b', '.txt']``).")

normpath = _path_filter("normpath", os.path.normpath, "A path with ``..``, ``.`` and doubled slashes resolved as text.")
win_basename = _path_filter("win_basename", ntpath.basename, "The last component of a Windows path.")
win_dirname = _path_filter("win_dirname", ntpath.dirname, "A Windows path without its last component.")
win_splitdrive = _path_filter("win_splitdrive", lambda path: list(ntpath.splitdrive(path)),
                              "``[drive, rest]`` of a Windows path.")


@strict
def path_join(parts: Any) -> str:
    """Join path components (a later absolute one restarts the path); a single
    string is returned as it is."""
    if isinstance(parts, str):
        return parts
    if isinstance(parts, Sequence) and not isinstance(parts, bytes):
        return os.path.join(*[_path("path_join", part) for part in parts]) if parts else ""
    raise fail(f"path_join expects a string or a list of strings, got {type_name(parts)} ({parts!r})")


@strict
def commonpath(paths: Any) -> str:
    """The longest common leading path of a list of paths."""
    if isinstance(paths, (str, bytes)) or not isinstance(paths, Sequence):
        raise fail(f"commonpath expects a list of paths, got {type_name(paths)} ({paths!r})")
    try:
        return os.path.commonpath([_path("commonpath", path) for path in paths])
    except ValueError as exc:
        raise fail(f"commonpath: {exc}") from exc


@strict
def fileglob(pattern: Any) -> list[str]:
    """The regular files matching the shell pattern (relative to the current
    directory), sorted."""
    return sorted(path for path in glob.glob(_path("fileglob", pattern)) if os.path.isfile(path))


@strict
def relpath(path: Any, start: Any = os.curdir) -> str:
    """``path`` relative to ``start`` (the current directory by default)."""
    return os.path.relpath(_path("relpath", path), _path("relpath", start))


FILTERS = {
    "basename": basename,
    "dirname": dirname,
    "realpath": volatile(realpath),
    "expanduser": volatile(expanduser),
    "expandvars": volatile(expandvars),
    "splitext": splitext,
    "relpath": volatile(relpath),
    "normpath": normpath,
    "path_join": path_join,
    "commonpath": commonpath,
    "fileglob": volatile(fileglob),
    "win_basename": win_basename,
    "win_dirname": win_dirname,
    "win_splitdrive": win_splitdrive,
}
