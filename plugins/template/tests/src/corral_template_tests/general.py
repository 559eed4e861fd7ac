"""Regex, collection, path and number tests."""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from corral_template_tests._checks import fail, strict, volatile

__all__ = ["regex", "match", "search", "subset", "superset", "contains", "any_test", "all_test",
           "is_file", "is_dir", "is_link", "link_exists", "exists", "is_abs", "same_file", "is_mount", "is_nan", "TESTS"]


@strict
def regex(value: Any = "", pattern: Any = "", ignorecase: bool = False, multiline: bool = False,
          match_type: str = "search") -> bool:
    """Whether ``pattern`` is found in the text of ``value``: anywhere
    (``match_type='search'``), at its start (``match``) or as all of it
    (``fullmatch``).  ``None`` never matches."""
    if value is None:
        return False
    if match_type not in ("search", "match", "fullmatch"):
        raise fail(f"The 'regex' test: match_type must be search, match or fullmatch, got {match_type!r}")
    flags = (re.IGNORECASE if ignorecase else 0) | (re.MULTILINE if multiline else 0)
    try:
        compiled = re.compile(str(pattern), flags)
    except re.error as exc:
        raise fail(str(exc)) from exc
    return getattr(compiled, match_type)(str(value)) is not None


@strict
def match(value: Any, pattern: Any = "", ignorecase: bool = False, multiline: bool = False) -> bool:
    """Whether ``pattern`` matches at the start of ``value``."""
    return regex(value, pattern, ignorecase, multiline, "match")


@strict
def search(value: Any, pattern: Any = "", ignorecase: bool = False, multiline: bool = False) -> bool:
    """Whether ``pattern`` is found anywhere in ``value``."""
    return regex(value, pattern, ignorecase, multiline, "search")


def _items(test: str, value: Any) -> list[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise fail(f"The '{test}' test requires lists, got {type(value).__name__} ({value!r})")
    return list(value)


def _contained(test: str, inner: Any, outer: Any) -> bool:
    others = _items(test, outer)
    return all(item in others for item in _items(test, inner))


@strict
def subset(a: Any, b: Any) -> bool:
    """Every item of ``a`` is in ``b`` (items may be unhashable)."""
    return _contained("subset", a, b)


@strict
def superset(a: Any, b: Any) -> bool:
    """Every item of ``b`` is in ``a``."""
    return _contained("superset", b, a)


@strict
def contains(seq: Any, value: Any) -> bool:
    """``value`` is an item of ``seq`` (the reverse of Jinja2's ``in``)."""
    if not isinstance(seq, Iterable) and not hasattr(seq, "__contains__"):
        raise fail(f"The 'contains' test requires a list, got {type(seq).__name__} ({seq!r})")
    return value in seq


@strict
def any_test(seq: Any) -> bool:
    """``any``: at least one item of ``seq`` is true."""
    return any(_items("any", seq))


@strict
def all_test(seq: Any) -> bool:
    """``all``: every item of ``seq`` is true (an empty list is)."""
    return all(_items("all", seq))


def _path(test: str, value: Any) -> str | bytes:
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise fail(f"The '{test}' test requires a path string, got {type(value).__name__} ({value!r})")
    return os.fspath(value)


def _path_test(name: str, check: Any, doc: str) -> Any:
    @strict
    def path_test(value: Any) -> bool:
        return bool(check(_path(name, value)))

    path_test.__name__ = path_test.__qualname__ = name
    path_test.__doc__ = doc
    return path_test


is_file = _path_test("file", os.path.isfile, "The path is a regular file (links followed) on the controller.")
is_dir = _path_test("directory", os.path.isdir, "The path is a directory (links followed) on the controller.")
is_link = _path_test("link", os.path.islink, "The path is a symbolic link on the controller.")
link_exists = _path_test("link_exists", os.path.lexists,
                         "The path exists on the controller, a symbolic link even when what it points to does not.")
exists = _path_test("exists", os.path.exists, "The path exists on the controller (``~`` is not expanded).")
is_abs = _path_test("abs", os.path.isabs, "The path is absolute.")
is_mount = _path_test("mount", os.path.ismount, "The path is a mount point on the controller.")


@strict
def same_file(a: Any, b: Any) -> bool:
    """The two paths name the same file (false when either does not exist)."""
    try:
        return os.path.samefile(_path("same_file", a), _path("same_file", b))
    except OSError:
        return False


@strict
def is_nan(value: Any) -> bool:
    """``nan``: ``value`` is the float NaN (anything else is not)."""
    try:
        return math.isnan(value)
    except TypeError:
        return False


# The file system changes while a playbook runs: these are never folded at compile time.
_FILE_SYSTEM_TESTS = {
    "file": is_file, "is_file": is_file, "directory": is_dir, "is_dir": is_dir,
    "link": is_link, "is_link": is_link, "exists": exists, "link_exists": link_exists,
    "same_file": same_file, "is_same_file": same_file, "mount": is_mount, "is_mount": is_mount,
}

TESTS = {
    "regex": regex, "match": match, "search": search,
    "subset": subset, "issubset": subset, "superset": superset, "issuperset": superset,
    "contains": contains, "any": any_test, "all": all_test,
    "abs": is_abs, "is_abs": is_abs, "nan": is_nan, "isnan": is_nan,
    **{name: volatile(test) for name, test in _FILE_SYSTEM_TESTS.items()},
}
