"""Job slicing: the M-th of N disjoint slices of a run's hosts (``--slice M/N``).

A fleet too large for one controller is cut into N slices, one run each, that any
scheduler (cron on N machines, a Kubernetes indexed Job, a CI matrix, Slurm) can
start in parallel.  The cut is AWX's job slicing: the hosts sorted by name, slice
M (1-based) taking every N-th host from position M - 1, so the slices are disjoint,
their union is every host, and their sizes differ by at most one.  The slicing
applies to the hosts left after ``--limit`` (AWX slices before its limit, so a limit
can leave some slices empty; slicing after it keeps them even).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from corral.errors import CorralOptionsError

__all__ = ["HostSlice"]

_FORM = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclasses.dataclass(frozen=True)
class HostSlice:
    """Slice ``index`` (1-based) of ``count``; ``1 <= index <= count``, else
    :class:`corral.errors.CorralOptionsError`."""

    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise CorralOptionsError(f"invalid slice {self}: the number of slices must be 1 or more")
        if not 1 <= self.index <= self.count:
            raise CorralOptionsError(f"invalid slice {self}: the slice number must be between 1 and "
                                     f"{self.count}")

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text: str) -> HostSlice:
        """``"M/N"`` (the M-th of N slices) as a :class:`HostSlice`."""
        match = _FORM.match(text)
        if match is None:
            raise CorralOptionsError(f"invalid slice '{text}': expected M/N, the M-th of N slices "
                                     f"(for example 2/5)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def coerce(cls, value: HostSlice | str | tuple[int, int]) -> HostSlice:
        """A :class:`HostSlice` from itself, ``"M/N"`` or ``(M, N)``."""
        if isinstance(value, HostSlice):
            return value
        if isinstance(value, str):
            return cls.parse(value)
        index, count = value
        return cls(int(index), int(count))

    def select(self, names: Iterable[str]) -> list[str]:
        """This slice of ``names``: sorted, then every ``count``-th from ``index - 1``."""
        return sorted(set(names))[self.index - 1::self.count]
