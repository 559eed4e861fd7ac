"""Host patterns: splitting ``a:b,&c:!d`` into terms and reading subscripts.

The evaluation itself lives in :class:`corral.inventory.manager.InventoryManager`.
"""
from __future__ import annotations

import re
from typing import Iterable

from corral.errors import CorralError
from corral.inventory.addresses import parse_address

__all__ = ["split_host_pattern", "order_patterns", "split_subscript", "apply_subscript", "is_plain"]

_COLON_TERMS = re.compile(r"(?:[^\s:\[\]]|\[[^\]]*\])+")
_SUBSCRIPT = re.compile(r"^(.+)\[(?:(-?\d+)|(\d+)([:-])(\d*))\]$")
_SPECIAL = frozenset("~*?[.")


def split_host_pattern(pattern: str | Iterable[str]) -> list[str]:
    """Split a pattern into terms: on commas when it has any, else on colons that
    are not part of an address (IPv6, ``host[1:3]``)."""
    if not isinstance(pattern, str):
        return [term for part in pattern for term in split_host_pattern(part)]
    if "," in pattern:
        terms = pattern.split(",")
    else:
        try:
            parse_address(pattern, allow_ranges=True)
            terms = [pattern]
        except CorralError:
            terms = _COLON_TERMS.findall(pattern)
    return [term.strip() for term in terms if term.strip()]


def order_patterns(terms: list[str]) -> list[str]:
    """Plain terms first, then ``&`` intersections, then ``!`` exclusions; a
    pattern of only intersections/exclusions starts from ``all``."""
    regular = [t for t in terms if t and t[0] not in "!&"]
    intersect = [t for t in terms if t and t[0] == "&"]
    exclude = [t for t in terms if t and t[0] == "!"]
    return (regular or ["all"]) + intersect + exclude


def split_subscript(term: str) -> tuple[str, tuple[int, int | None] | None]:
    """``web[2]`` -> ("web", (2, None)); ``web[1:3]`` -> ("web", (1, 3));
    ``web[1:]`` -> ("web", (1, -1)); regex terms (``~...``) have none."""
    if term.startswith("~"):
        return term, None
    match = _SUBSCRIPT.match(term)
    if not match:
        return term, None
    name, index, start, sep, end = match.groups()
    if index is not None:
        return name, (int(index), None)
    if sep == "-":
        raise CorralError(f"Use [x:y] inclusive subscripts instead of [x-y] in the host pattern '{term}'")
    return name, (int(start), int(end) if end else -1)


def apply_subscript(hosts: list, subscript: tuple[int, int | None] | None) -> list:
    if subscript is None:
        return hosts
    start, end = subscript
    if end:
        if end == -1:
            end = len(hosts) - 1
        return hosts[start:end + 1]
    try:
        return [hosts[start]]
    except IndexError:
        return []


def is_plain(term: str) -> bool:
    """Whether ``term`` names one host or group literally (no glob or regex)."""
    return not (_SPECIAL & set(term))
