"""Marking data that must never be templated.

Values that came from a target (facts, registered results), that a template or
lookup produced, or that were tagged ``!unsafe`` are wrapped in these types; the
templar returns them as they are and never compiles them as a template or an
expression.
"""
from __future__ import annotations

from typing import Any

__all__ = ["UnsafeText", "UnsafeBytes", "wrap_unsafe", "is_unsafe"]


class UnsafeText(str):
    """A string that the templar never renders."""

    __slots__ = ()
    __UNSAFE__ = True


class UnsafeBytes(bytes):
    """Bytes that the templar never renders."""

    __slots__ = ()
    __UNSAFE__ = True


def is_unsafe(value: Any) -> bool:
    """Whether ``value`` is marked unsafe."""
    return getattr(value, "__UNSAFE__", False)


def wrap_unsafe(value: Any) -> Any:
    """Return ``value`` with every string inside it (recursively) marked unsafe.

    Containers whose strings are all marked already are returned as they are, and
    a container referenced several times (YAML aliases) is wrapped once and stays
    shared, so the work is linear in the number of distinct objects, never in the
    size of the expanded tree.
    """
    return _wrap(value, {})


def _wrap(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, str):
        return value if isinstance(value, UnsafeText) else UnsafeText(value)
    if isinstance(value, bytes):
        return value if isinstance(value, UnsafeBytes) else UnsafeBytes(value)
    if not isinstance(value, (dict, list, tuple, set)):
        return value
    key = id(value)
    if key in memo:
        return memo[key]
    memo[key] = value  # a cycle refers to the container as it is
    if isinstance(value, dict):
        items = [(_wrap(k, memo) if isinstance(k, str) else k, _wrap(v, memo)) for k, v in value.items()]
        same = all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(items, value.items()))
        result: Any = value if same else dict(items)
    else:
        wrapped = [_wrap(v, memo) for v in value]
        same = all(a is b for a, b in zip(wrapped, value))
        result = value if same else list(wrapped) if isinstance(value, list) \
            else tuple(wrapped) if isinstance(value, tuple) else set(wrapped)
    memo[key] = result
    return result
