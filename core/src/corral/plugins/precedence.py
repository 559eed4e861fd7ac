"""Where each plugin of a run comes from, and which one wins a name two of them provide.

Two plugins may provide the same name: two installed distributions declare the
same entry point name in one group (``corral.connection: docker``), or two plugins
contribute the same name to a pooled kind (a module or action name, a filter, test
or lookup, an inventory parser ``NAME``), or answer the same name of a kind chosen
by name (``corral_connection("ssh")``).  One rule decides, whatever the order in
which plugins happened to be loaded, and the run warns once per name, naming both
and the rule (:data:`RULE`).
"""
from __future__ import annotations

import dataclasses
import functools
import os
import sys
from typing import Callable, Generic, Sequence, TypeVar

__all__ = ["RULE", "Candidate", "Origin", "in_code", "installed", "choose"]

RULE = ("a plugin registered in code wins over an installed one (among them, the one registered last); "
        "among installed plugins, the distribution found first on sys.path wins, and within one "
        "directory the distribution whose name sorts first")

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a plugin comes from: ``label`` names it in messages, ``rank`` orders
    plugins by :data:`RULE` (the lowest wins)."""

    label: str
    rank: tuple[int, int, str, str]
    distribution: str | None = None


@functools.lru_cache(maxsize=None)
def _path_index(distribution: str) -> int:
    """Position on ``sys.path`` of the directory that holds ``distribution``."""
    import importlib.metadata
    try:
        location = os.path.realpath(str(importlib.metadata.distribution(distribution).locate_file("")))
    except importlib.metadata.PackageNotFoundError:
        return len(sys.path)
    for index, entry in enumerate(sys.path):
        if os.path.realpath(entry or os.curdir) == location:
            return index
    return len(sys.path)


def installed(kind: str, name: str, target: str, distribution: str, version: str, *,
              path_index: int | None = None) -> Origin:
    """The origin of the installed plugin ``name`` of ``kind`` (entry point value
    ``target``) from ``distribution``, installed in the ``path_index``-th directory of
    ``sys.path`` (looked up in the distribution's metadata when not given)."""
    label = f"'{distribution}' {version} (entry point {kind}:{name} = {target})"
    index = _path_index(distribution) if path_index is None else path_index
    return Origin(label, (1, index, distribution, name), distribution)


def in_code(name: str, sequence: int) -> Origin:
    """The origin of a plugin registered in code as ``name``, the ``sequence``-th registration."""
    return Origin(f"the plugin '{name}' registered in code", (0, -sequence, "", name))


@dataclasses.dataclass(frozen=True)
class Candidate(Generic[T]):
    """One plugin's answer for a name."""

    origin: Origin
    value: T


def choose(what: str, candidates: Sequence[Candidate[T]], warn: Callable[[str], None]) -> T:
    """The value of the winning candidate (by :data:`RULE`) for ``what`` (e.g.
    ``"filter 'to_json'"``); when plugins of more than one origin provide it, warn
    once, naming both and the rule."""
    ordered = sorted(candidates, key=lambda candidate: candidate.origin.rank)
    winner = ordered[0]
    others = [c.origin.label for c in ordered[1:] if c.origin != winner.origin]
    if others:
        warn(f"The {what} is provided by {winner.origin.label} and by {', '.join(others)}; "
             f"{winner.origin.label} is used: {RULE}.")
    return winner.value
