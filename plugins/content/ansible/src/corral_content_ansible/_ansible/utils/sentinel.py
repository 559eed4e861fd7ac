"""``ansible.utils.sentinel``: a marker for "no value given"."""
from __future__ import annotations

__all__ = ["Sentinel"]


class Sentinel:
    """Used as the class itself (``x is Sentinel``); instantiating gives the class back."""

    def __new__(cls) -> "type[Sentinel]":  # type: ignore[misc]
        return cls
