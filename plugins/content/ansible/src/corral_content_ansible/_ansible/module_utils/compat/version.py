"""``ansible.module_utils.compat.version``: ``LooseVersion`` and ``StrictVersion``.

They compare version strings as ``distutils.version``'s classes documented:
``StrictVersion`` takes ``N.N[.N][(a|b)N]`` (a pre-release sorts before its
release); ``LooseVersion`` takes anything, split into numbers and letter runs,
compared item by item.
"""
from __future__ import annotations

import re
# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Version", "LooseVersion", "StrictVersion"]


class Version:
    """A version that compares with others of its class and with strings."""

    def __init__(self, vstring: str | None = None) -> None:
        if vstring:
            self.parse(vstring)

    def parse(self, vstring: str) -> None:
        raise NotImplementedError

    def _cmp(self, other: Any) -> int:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__} ('{self}')"

    def __eq__(self, other: object) -> bool:
        c = self._cmp(other)
        return c if c is NotImplemented else c == 0

    def __lt__(self, other: Any) -> bool:
        c = self._cmp(other)
        return c if c is NotImplemented else c < 0

    def __le__(self, other: Any) -> bool:
        c = self._cmp(other)
        return c if c is NotImplemented else c <= 0

    def __gt__(self, other: Any) -> bool:
        c = self._cmp(other)
        return c if c is NotImplemented else c > 0

    def __ge__(self, other: Any) -> bool:
        c = self._cmp(other)
        return c if c is NotImplemented else c >= 0

    # mutable (parse), so not hashable, as distutils' versions were
    __hash__ = None  # type: ignore[assignment]


def _sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


class StrictVersion(Version):
    """``1.0``, ``1.2.3``, ``1.0a1``, ``2.1b3``: major.minor[.patch] and an optional
    alpha/beta pre-release; anything else is a ``ValueError``."""

    _PATTERN = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$", re.ASCII)

    def parse(self, vstring: str) -> None:
        match = self._PATTERN.match(vstring)
        if not match:
            raise ValueError(f"invalid version number '{vstring}'")
        major, minor, patch, tag, number = match.groups()
        self.version = (int(major), int(minor), int(patch or 0))
        self.prerelease = (tag, int(number)) if tag else None

    def __str__(self) -> str:
        shown = self.version if self.version[2] else self.version[:2]
        text = ".".join(str(part) for part in shown)
        if self.prerelease:
            text += f"{self.prerelease[0]}{self.prerelease[1]}"
        return text

    def _cmp(self, other: Any) -> int:
        if isinstance(other, str):
            other = StrictVersion(other)
        elif not isinstance(other, StrictVersion):
            return NotImplemented
        if self.version != other.version:
            return _sign(self.version, other.version)
        if self.prerelease == other.prerelease:
            return 0
        if self.prerelease is None:
            return 1
        if other.prerelease is None:
            return -1
        return _sign(self.prerelease, other.prerelease)


class LooseVersion(Version):
    """Any version string: ``1.13.0rc1`` is ``[1, 13, 0, 'rc', 1]``; numbers compare
    as numbers, letters as text (comparing a number with text raises ``TypeError``)."""

    _COMPONENT = re.compile(r"(\d+|[a-z]+|\.)", re.VERBOSE)

    def parse(self, vstring: str) -> None:
        self.vstring = vstring
        parts: list[Any] = []
        for part in self._COMPONENT.split(vstring):
            if not part or part == ".":
                continue
            parts.append(int(part) if part.isdigit() else part)
        self.version = parts

    def __str__(self) -> str:
        return self.vstring

    def _cmp(self, other: Any) -> int:
        if isinstance(other, str):
            other = LooseVersion(other)
        elif not isinstance(other, LooseVersion):
            return NotImplemented
        return _sign(self.version, other.version)
