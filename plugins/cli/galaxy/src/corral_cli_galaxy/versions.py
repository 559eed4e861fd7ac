"""Collection versions and the version constraints of requirements, as Galaxy reads them.

A collection version is a semantic version (``1.2.3``, ``1.2.3-beta.1``,
``1.2.3+build``); ordering follows SemVer 2.0 (a pre-release sorts before its
release, build metadata is ignored).  A version that is not semantic (a git tag such
as ``v1.0``) still compares, as a tuple of its numbers then its text.

A constraint is ``*`` (any) or a comma-joined list of ``OP VERSION`` clauses, all of
which must hold: ``==``, ``!=``, ``>=``, ``>``, ``<=``, ``<``; a bare version means
``==``.
"""
from __future__ import annotations

import re
from functools import total_ordering

__all__ = ["Version", "matches", "is_prerelease", "is_pinned", "validate_constraint", "ConstraintError"]

_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
_CLAUSE = re.compile(r"^\s*(==|!=|>=|<=|>|<)?\s*([^\s<>=!]+)\s*$")


class ConstraintError(ValueError):
    """A version constraint that does not parse."""


@total_ordering
class Version:
    """A comparable collection version (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.text = str(text)
        match = _SEMVER.match(self.text)
        if match:
            self._release: tuple[int, ...] = tuple(int(match.group(i)) for i in (1, 2, 3))
            self.prerelease: tuple[tuple[int, int | str], ...] = tuple(
                (0, int(part)) if part.isdigit() else (1, part) for part in (match.group(4) or "").split(".") if part)
            self.semantic = True
        else:
            self._release = tuple(int(n) for n in re.findall(r"\d+", self.text))
            self.prerelease = ()
            self.semantic = False

    def _key(self) -> tuple[object, ...]:
        # a release (no pre-release) sorts after every pre-release of the same numbers
        return (self._release, not self.prerelease, self.prerelease, self.text if not self.semantic else "")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Version({self.text!r})"


def _clauses(constraint: str) -> list[tuple[str, str]]:
    clauses = []
    for part in str(constraint).split(","):
        match = _CLAUSE.match(part)
        if not match:
            raise ConstraintError(f"Invalid version constraint '{constraint}'")
        clauses.append((match.group(1) or "==", match.group(2)))
    return clauses


def validate_constraint(constraint: str) -> None:
    """Raise :class:`ConstraintError` when ``constraint`` does not parse."""
    if str(constraint).strip() != "*":
        _clauses(constraint)


def matches(version: str, constraint: str | None) -> bool:
    """Whether ``version`` satisfies ``constraint`` (``None`` and ``*`` accept any)."""
    if constraint is None or str(constraint).strip() in ("*", ""):
        return True
    if version == "*":
        return True  # a source checkout without a version satisfies whatever is asked of it
    have = Version(version)
    tests = {"==": lambda v: have == v, "!=": lambda v: have != v, ">=": lambda v: have >= v,
             ">": lambda v: have > v, "<=": lambda v: have <= v, "<": lambda v: have < v}
    return all(tests[op](Version(text)) for op, text in _clauses(constraint))


def is_prerelease(version: str) -> bool:
    """Whether ``version`` is a pre-release (``1.0.0-beta.1``)."""
    return bool(Version(version).prerelease)


def is_pinned(constraint: str | None) -> bool:
    """Whether ``constraint`` asks for one exact version (``1.0.0`` or ``==1.0.0``): then
    a pre-release is acceptable without ``--pre``."""
    if constraint is None or str(constraint).strip() == "*":
        return False
    clauses = _clauses(constraint)
    return len(clauses) == 1 and clauses[0][0] == "=="
