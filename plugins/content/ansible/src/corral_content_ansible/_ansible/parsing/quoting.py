"""``ansible.parsing.quoting``: quotes around a value."""
from __future__ import annotations

__all__ = ["is_quoted", "unquote"]


def is_quoted(data: str) -> bool:
    """Whether ``data`` is wrapped in matching single or double quotes (not escaped)."""
    return len(data) > 1 and data[0] == data[-1] and data[0] in ('"', "'") and data[-2] != "\\"


def unquote(data: str) -> str:
    """``data`` without its surrounding quotes."""
    return data[1:-1] if is_quoted(data) else data
