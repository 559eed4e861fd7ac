"""The ``memory`` fact cache: facts live as long as the run."""
from __future__ import annotations

import threading
from typing import Any

from corral.plugins import hookimpl
from corral.plugins.cache import CacheBase

__all__ = ["MemoryCache"]


class MemoryCache(CacheBase):
    """Facts in a dict, per host (``connection`` and ``timeout`` are not used)."""

    def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
        super().__init__(connection, timeout, prefix)
        self._data: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._data.get(key)

    def set(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._data[key] = dict(value)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._data)


@hookimpl
def corral_cache(name: str) -> type[MemoryCache] | None:
    return MemoryCache if name == "memory" else None
