"""``version`` (alias ``version_compare``): compare version strings.

Four schemes: ``loose`` (the default: numbers and letter runs compared piece by
piece, like the old ``distutils`` LooseVersion), ``strict`` (``N.N[.N][aN|bN]``),
``semver``/``semantic`` (Semantic Versioning 2.0.0; build metadata ignored) and
``pep440`` (Python package versions).
"""
from __future__ import annotations

import functools
import operator
import re
from typing import Any, Callable

from corral_template_tests._checks import fail, strict

__all__ = ["version_compare", "loose_key", "strict_key", "semver_key", "TESTS"]

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "=": operator.eq, "eq": operator.eq,
    "<": operator.lt, "lt": operator.lt,
    "<=": operator.le, "le": operator.le,
    ">": operator.gt, "gt": operator.gt,
    ">=": operator.ge, "ge": operator.ge,
    "!=": operator.ne, "<>": operator.ne, "ne": operator.ne,
}

_LOOSE_PART = re.compile(r"(\d+|[a-z]+|\.)", re.IGNORECASE)
_STRICT = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$")
_IDENT = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                     rf"(?:-({_IDENT}(?:\.{_IDENT})*))?"
                     r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$")


class _InvalidVersion(ValueError):
    pass


def loose_key(text: str) -> list[int | str]:
    """The pieces of a loose version: ``'1.10a'`` -> ``[1, 10, 'a']``."""
    parts = [part for part in _LOOSE_PART.split(text) if part and part != "."]
    return [int(part) if part.isdigit() else part for part in parts]


def strict_key(text: str) -> tuple[Any, ...]:
    """An ordering key for a strict version; a pre-release sorts before its release."""
    match = _STRICT.match(text)
    if not match:
        raise _InvalidVersion(f"invalid version number '{text}'")
    major, minor, patch, tag, tag_number = match.groups()
    release = (int(major), int(minor), int(patch or 0))
    pre = (0, tag, int(tag_number)) if tag else (1, "", 0)
    return release + pre


@functools.total_ordering
class _SemverPre:
    """Pre-release identifiers in SemVer order (absent > present; numbers < words)."""

    def __init__(self, text: str | None) -> None:
        self.parts = None if text is None else [int(p) if p.isdigit() else p for p in text.split(".")]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SemverPre) and self.parts == other.parts

    def __lt__(self, other: "_SemverPre") -> bool:
        if self.parts is None:
            return False
        if other.parts is None:
            return True
        for mine, theirs in zip(self.parts, other.parts):
            if mine == theirs:
                continue
            if isinstance(mine, int) != isinstance(theirs, int):
                return isinstance(mine, int)
            return mine < theirs  # type: ignore[operator]
        return len(self.parts) < len(other.parts)


def semver_key(text: str) -> tuple[Any, ...]:
    """An ordering key for a semantic version."""
    match = _SEMVER.match(text)
    if not match:
        raise _InvalidVersion(f"invalid semantic version '{text}'")
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), _SemverPre(pre)


def _pep440_key(text: str) -> Any:
    from packaging.version import InvalidVersion, Version
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise _InvalidVersion(str(exc)) from exc


_SCHEMES: dict[str, Callable[[str], Any]] = {
    "loose": loose_key,
    "strict": strict_key,
    "semver": semver_key,
    "semantic": semver_key,
    "pep440": _pep440_key,
}


@strict
def version_compare(value: Any, version: Any, operator: str = "eq", strict: bool | None = None,  # noqa: A002
                    version_type: str | None = None) -> bool:
    """Whether ``value`` compares to ``version`` by ``operator`` (``==``, ``=``,
    ``eq``, ``<``, ``lt``, ``<=``, ``le``, ``>``, ``gt``, ``>=``, ``ge``, ``!=``,
    ``<>``, ``ne``) in the scheme ``version_type`` (``strict=True`` means
    ``strict``; default ``loose``).  Giving both ``strict`` (even false) and
    ``version_type`` is an error; the checks come in Ansible's order (both given,
    empty value, empty version, scheme, operator)."""
    if strict is not None and version_type is not None:
        raise fail("Cannot specify both 'strict' and 'version_type'")
    if value is None or str(value) == "":
        raise fail("Input version value cannot be empty")
    if version is None or str(version) == "":
        raise fail("Version parameter to compare against cannot be empty")
    scheme = version_type if version_type is not None else ("strict" if strict else "loose")
    key = _SCHEMES.get(str(scheme))
    if key is None:
        raise fail(f"Invalid version type ({scheme}). Must be one of {', '.join(map(repr, _SCHEMES))}")
    compare = _OPERATORS.get(str(operator))
    if compare is None:
        raise fail(f"Invalid operator type ({operator}). Must be one of {', '.join(map(repr, _OPERATORS))}")
    try:
        mine, theirs = key(str(value)), key(str(version))
        # versions are ordered with ``==`` and ``<`` only (a loose '1.a' against
        # '1.0' fails the same way whatever the operator)
        order = 0 if mine == theirs else (-1 if mine < theirs else 1)
    except (_InvalidVersion, TypeError) as exc:
        raise fail(f"Version comparison failed: {exc}") from exc
    return bool(compare(order, 0))


TESTS = {"version": version_compare, "version_compare": version_compare}
