"""``ansible.utils.unsafe_proxy``: values never templated again."""
from __future__ import annotations

from typing import Any

from corral.utils.unsafe import UnsafeBytes, UnsafeText, is_unsafe, wrap_unsafe

__all__ = ["AnsibleUnsafe", "AnsibleUnsafeText", "AnsibleUnsafeBytes", "wrap_var", "to_unsafe_text",
           "to_unsafe_bytes", "is_unsafe"]

AnsibleUnsafeText = UnsafeText
AnsibleUnsafeBytes = UnsafeBytes
AnsibleUnsafe = (UnsafeText, UnsafeBytes)


def wrap_var(v: Any) -> Any:
    """``v`` with every string in it marked unsafe."""
    return wrap_unsafe(v)


def to_unsafe_text(value: Any, *args: Any, **kwargs: Any) -> UnsafeText:
    return UnsafeText(value.decode(*args, **kwargs) if isinstance(value, bytes) else str(value))


def to_unsafe_bytes(value: Any, *args: Any, **kwargs: Any) -> UnsafeBytes:
    return UnsafeBytes(value if isinstance(value, bytes) else str(value).encode(*args, **kwargs))
