"""List filters: set operations, flattening and combinatorics.

Set operations keep the order of their first argument and accept unhashable
items (lists of dicts), unlike Python sets.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from jinja2 import pass_environment

from corral_template_filters._checks import fail, strict, type_name

__all__ = ["unique", "union", "intersect", "difference", "symmetric_difference", "flatten",
           "zip_lists", "zip_longest", "product", "permutations", "combinations", "FILTERS"]


def _items(name: str, value: Any) -> list[Any]:
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise fail(f"{name} requires a list, got {type_name(value)} ({value!r}) instead.")
    return list(value)


def _dedupe(items: Iterable[Any], key: Any = None) -> list[Any]:
    seen_hashable: set[Any] = set()
    seen_other: list[Any] = []
    result = []
    for item in items:
        marker = key(item) if key else item
        try:
            if marker in seen_hashable:
                continue
            seen_hashable.add(marker)
        except TypeError:
            if marker in seen_other:
                continue
            seen_other.append(marker)
        result.append(item)
    return result


@pass_environment
@strict
def unique(environment: Any, value: Any, case_sensitive: bool = False, attribute: Any = None) -> list[Any]:
    """The items of ``value`` without repeats, in order.  Strings compare without
    case unless ``case_sensitive`` (as Jinja2's ``unique``); with ``attribute``,
    items compare by that attribute or key."""
    items = _items("unique", value)

    def key(item: Any) -> Any:
        marker = environment.getitem(item, attribute) if attribute is not None else item
        return marker.lower() if isinstance(marker, str) and not case_sensitive else marker

    return _dedupe(items, key)


@strict
def union(a: Any, b: Any) -> list[Any]:
    """Items in ``a`` or ``b``, without repeats."""
    return _dedupe(_items("union", a) + _items("union", b))


@strict
def intersect(a: Any, b: Any) -> list[Any]:
    """Items of ``a`` also in ``b``, without repeats."""
    others = _items("intersect", b)
    return [item for item in _dedupe(_items("intersect", a)) if item in others]


@strict
def difference(a: Any, b: Any) -> list[Any]:
    """Items of ``a`` not in ``b``, without repeats."""
    others = _items("difference", b)
    return [item for item in _dedupe(_items("difference", a)) if item not in others]


@strict
def symmetric_difference(a: Any, b: Any) -> list[Any]:
    """Items in exactly one of ``a`` and ``b``, without repeats."""
    left, right = _items("symmetric_difference", a), _items("symmetric_difference", b)
    return [item for item in _dedupe(left + right) if (item in left) != (item in right)]


_NULLS = (None, "None", "null")


def _flatten(items: Iterable[Any], levels: int | None, skip_nulls: bool) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if skip_nulls and any(item is null or (isinstance(item, str) and item == null) for null in _NULLS):
            continue
        if isinstance(item, Sequence) and not isinstance(item, (str, bytes)):
            if levels is None:
                result.extend(_flatten(item, None, skip_nulls))
            elif levels >= 1:
                result.extend(_flatten(item, levels - 1, skip_nulls))
            else:
                result.append(item)
        else:
            result.append(item)
    return result


@strict
def flatten(value: Any, levels: Any = None, skip_nulls: bool = True) -> list[Any]:
    """Flatten nested lists (``levels`` deep, all when None); ``None`` and the
    strings ``'None'``/``'null'`` are dropped unless ``skip_nulls`` is false."""
    items = _items("flatten", value)
    if levels is not None:
        try:
            levels = int(levels)
        except (TypeError, ValueError) as exc:
            raise fail(f"flatten: 'levels' must be an integer, got {levels!r}") from exc
    return _flatten(items, levels, skip_nulls)


@strict
def zip_lists(*lists: Any) -> list[list[Any]]:
    """``zip``: lists of the n-th items of each list, as long as the shortest."""
    return [list(group) for group in zip(*(_items("zip", part) for part in lists))]


@strict
def zip_longest(*lists: Any, fillvalue: Any = None) -> list[list[Any]]:
    """Like ``zip``, as long as the longest list, padded with ``fillvalue``."""
    return [list(group) for group in itertools.zip_longest(*(_items("zip_longest", part) for part in lists),
                                                           fillvalue=fillvalue)]


@strict
def product(*lists: Any, repeat: int = 1) -> list[list[Any]]:
    """The cartesian product of the lists."""
    return [list(group) for group in itertools.product(*(_items("product", part) for part in lists),
                                                       repeat=int(repeat))]


@strict
def permutations(value: Any, r: Any = None) -> list[list[Any]]:
    """The ``r``-long orderings of the items (all items when ``r`` is None)."""
    return [list(group) for group in itertools.permutations(_items("permutations", value),
                                                            None if r is None else int(r))]


@strict
def combinations(value: Any, r: Any) -> list[list[Any]]:
    """The ``r``-long selections of the items, in order."""
    return [list(group) for group in itertools.combinations(_items("combinations", value), int(r))]


FILTERS = {
    "unique": unique,
    "union": union,
    "intersect": intersect,
    "difference": difference,
    "symmetric_difference": symmetric_difference,
    "flatten": flatten,
    "zip": zip_lists,
    "zip_longest": zip_longest,
    "product": product,
    "permutations": permutations,
    "combinations": combinations,
}
