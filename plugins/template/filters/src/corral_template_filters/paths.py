"""Path filters (POSIX paths on the controller)."""
from __future__ import annotations

import os.path
from typing import Any, Callable

from corral_template_filters._checks import fail, strict, type_name, volatile

__all__ = ["basename", "dirname", "realpath", "expanduser", "expandvars", "splitext", "relpath", "FILTERS"]


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
}
