"""Text and bytes conversions with Ansible's names (``to_bytes``, ``to_text``, ``to_native``)."""
from __future__ import annotations

# typing is only for annotations (never evaluated): importing it costs the target time
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["to_bytes", "to_text", "to_native"]

_ERRORS = {"surrogate_or_strict": "surrogateescape", "surrogate_or_replace": "surrogateescape",
           "surrogate_then_replace": "surrogateescape"}


def to_bytes(obj: Any, encoding: str = "utf-8", errors: str | None = None,
             nonstring: str = "simplerepr") -> bytes:
    """Return ``obj`` as bytes (text encoded with ``encoding``; other objects via ``str``)."""
    if isinstance(obj, bytes):
        return obj
    errors = _ERRORS.get(errors or "surrogate_or_strict", errors or "surrogateescape")
    if isinstance(obj, str):
        return obj.encode(encoding, errors)
    if nonstring == "passthru":
        return obj
    if nonstring == "empty":
        return b""
    if nonstring == "strict":
        raise TypeError("obj must be a string type")
    return str(obj).encode(encoding, errors)


def to_text(obj: Any, encoding: str = "utf-8", errors: str | None = None,
            nonstring: str = "simplerepr") -> str:
    """Return ``obj`` as text (bytes decoded with ``encoding``; other objects via ``str``)."""
    if isinstance(obj, str):
        return obj
    errors = _ERRORS.get(errors or "surrogate_or_strict", errors or "surrogateescape")
    if isinstance(obj, bytes):
        return obj.decode(encoding, errors)
    if nonstring == "passthru":
        return obj
    if nonstring == "empty":
        return ""
    if nonstring == "strict":
        raise TypeError("obj must be a string type")
    return str(obj)


to_native = to_text
