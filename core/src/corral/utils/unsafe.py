"""Marking data that must never be templated.

Values that came from a target (facts, registered results) or were tagged ``!unsafe``
are wrapped in these types; the templar returns them as they are.
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
    """Return ``value`` with every string inside it (recursively) marked unsafe."""
    if isinstance(value, str):
        return value if isinstance(value, UnsafeText) else UnsafeText(value)
    if isinstance(value, bytes):
        return value if isinstance(value, UnsafeBytes) else UnsafeBytes(value)
    if isinstance(value, dict):
        return {wrap_unsafe(k) if isinstance(k, str) else k: wrap_unsafe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wrap_unsafe(v) for v in value]
    if isinstance(value, tuple):
        return tuple(wrap_unsafe(v) for v in value)
    if isinstance(value, set):
        return {wrap_unsafe(v) for v in value}
    return value
