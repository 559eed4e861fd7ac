"""The installed plugins' entry points (groups ``corral.*``), listed by stevedore
once per environment and kept in a cache file.

Reading metadata means importing :mod:`importlib.metadata` and parsing every
distribution's ``entry_points.txt``: most of a short run's start-up.  The cache
(``$XDG_CACHE_HOME/corral/``, else ``~/.cache/corral/``; one file per interpreter
and ``sys.path``) holds each entry point with the distribution that declares it,
its version and where on ``sys.path`` it is installed, and is used only while
its key is unchanged: the interpreter, ``sys.path``, the modification time of
each ``sys.path`` directory (a distribution installed or removed there) and of
every ``*.dist-info``/``*.egg-info`` ``entry_points.txt`` in them (an editable
install re-declaring its entry points).  This is stevedore's cache rule.  A file
that cannot be read or written is rebuilt or skipped, never an error.

Within one process the answer is kept per ``sys.path`` (as stevedore does).
"""
from __future__ import annotations

import json
import os
import sys
import threading
import zlib
from typing import Any, NamedTuple

__all__ = ["EntryPointRecord", "entry_points", "cache_dir"]

_PREFIX = "corral."
_FORMAT = 1
_lock = threading.Lock()
_in_process: dict[tuple[str, ...], dict[str, list[EntryPointRecord]]] = {}


class EntryPointRecord(NamedTuple):
    """One installed entry point of a ``corral.*`` group, with what declares it."""

    name: str
    value: str
    group: str
    distribution: str
    version: str
    #: position on ``sys.path`` of the directory the distribution is installed in
    #: (``len(sys.path)`` when it is none of them)
    path_index: int

    def load(self) -> Any:
        """Import the object the entry point names (``module`` or ``module:attr.attr``)."""
        import importlib
        module_name, _, attrs = self.value.partition(":")
        obj: Any = importlib.import_module(module_name.strip())
        for attr in attrs.split("[")[0].strip().split(".") if attrs.strip() else ():
            obj = getattr(obj, attr)
        return obj


def cache_dir() -> str:
    """Where the cache files are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "corral")


def entry_points(group: str) -> list[EntryPointRecord]:
    """The installed entry points of ``group`` (a ``corral.*`` group), in the
    order :func:`importlib.metadata.entry_points` lists them."""
    path = tuple(sys.path)
    with _lock:
        groups = _in_process.get(path)
        if groups is None:
            groups = _in_process[path] = _cached_or_read(path)
    return list(groups.get(group, ()))


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _key(path: tuple[str, ...]) -> list[Any]:
    """What the cache is valid for (:mod:`the module's rule <corral.plugins.discovery>`)."""
    key: list[Any] = [_FORMAT, sys.executable, sys.prefix]
    for entry in path:
        directory = entry or os.curdir
        key.append([entry, _mtime(directory)])
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                declared = os.path.join(directory, name, "entry_points.txt")
                mtime = _mtime(declared)
                if mtime:
                    key.append([declared, mtime])
    return key


def _cached_or_read(path: tuple[str, ...]) -> dict[str, list[EntryPointRecord]]:
    key = _key(path)
    folder = cache_dir()
    name = os.path.join(folder, f"entry-points-{zlib.crc32(repr(path).encode()):08x}-"
                                f"{zlib.crc32(sys.executable.encode()):08x}.json")
    try:
        with open(name, encoding="utf-8") as handle:
            stored = json.load(handle)
        if stored["key"] == key:
            return {group: [EntryPointRecord(*item) for item in items] for group, items in stored["groups"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    groups = _read(path)
    try:
        os.makedirs(folder, exist_ok=True)
        partial = f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "groups": groups}, handle)
        os.replace(partial, name)       # readers see a whole file, never a partial one
    except OSError:
        pass
    return groups


def _read(path: tuple[str, ...]) -> dict[str, list[EntryPointRecord]]:
    """The ``corral.*`` entry points, as stevedore lists them group by group (its
    own cache, :meth:`stevedore.ExtensionManager.list_entry_points`), each with the
    distribution that declares it (from the distributions' metadata)."""
    import importlib.metadata

    from stevedore import ExtensionManager

    class _Listing:
        """Just enough of an ExtensionManager for stevedore's entry point listing."""

        ENTRY_POINT_CACHE = ExtensionManager.ENTRY_POINT_CACHE

        def __init__(self, namespace: str) -> None:
            self.namespace = namespace

    places = [os.path.realpath(entry or os.curdir) for entry in path]
    everything = importlib.metadata.entry_points()
    names = sorted(group for group in everything.groups if group.startswith(_PREFIX))
    declared = {(ep.name, ep.value, ep.group): ep.dist for group in names for ep in everything.select(group=group)}
    groups: dict[str, list[EntryPointRecord]] = {}
    seen: set[tuple[str, str, str]] = set()
    found: dict[str, tuple[str, str, int]] = {}
    for group in names:
        for ep in ExtensionManager.list_entry_points(_Listing(group)):  # type: ignore[arg-type]
            identity = (ep.name, ep.value, ep.group)
            if identity in seen:
                continue
            seen.add(identity)
            dist = declared.get(identity)
            described = ("unknown", "", len(path))
            if dist is not None:
                dist_name = dist.metadata["Name"] or "unknown"
                if dist_name not in found:
                    location = os.path.realpath(str(dist.locate_file("")))
                    index = places.index(location) if location in places else len(path)
                    found[dist_name] = (dist_name, dist.version or "", index)
                described = found[dist_name]
            groups.setdefault(ep.group, []).append(EntryPointRecord(ep.name, ep.value, ep.group, *described))
    return groups
