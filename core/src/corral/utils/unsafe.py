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


def wrap_unsafe(value: Any, keep: frozenset[int] | set[int] = frozenset()) -> Any:
    """Return ``value`` with every string inside it (recursively) marked unsafe,
    but the string objects whose ``id`` is in ``keep`` (passed through as they are).

    Containers are copied (dicts and lists as plain ones); a container referenced
    several times (YAML aliases) is wrapped once and stays shared, so the work is
    linear in the number of distinct objects, never in the size of the expanded
    tree; nesting depth costs no recursion (a host may return any shape)."""
    memo: dict[int, Any] = {}
    pending: list[tuple[Any, Any]] = []

    def shell(item: Any) -> Any:
        if isinstance(item, str):
            return item if isinstance(item, UnsafeText) or id(item) in keep else UnsafeText(item)
        if isinstance(item, bytes):
            return item if isinstance(item, UnsafeBytes) else UnsafeBytes(item)
        if not isinstance(item, (dict, list, tuple, set)):
            return item
        key = id(item)
        if key not in memo:
            if isinstance(item, (dict, list)):
                memo[key] = {} if isinstance(item, dict) else []
                pending.append((item, memo[key]))
            else:  # immutable or unordered: built from their wrapped items at once (they are shallow in practice)
                memo[key] = tuple(wrap_unsafe(v, keep) for v in item) if isinstance(item, tuple) \
                    else {wrap_unsafe(v, keep) for v in item}
        return memo[key]

    top = shell(value)
    while pending:
        source, target = pending.pop()
        if isinstance(source, dict):
            for k, v in source.items():
                target[shell(k) if isinstance(k, str) else k] = shell(v)
        else:
            target.extend(shell(v) for v in source)
    return top
