"""Fact caches: where facts (``setup``, ``set_fact: cacheable=yes``) are kept
between tasks and, for persistent caches, between runs.

A cache plugin (``corral_cache`` hook, entry point group ``corral.cache``) returns
a class built as ``cls(connection=..., timeout=..., prefix=...)`` from the settings
``fact_caching_connection``, ``fact_caching_timeout`` and ``fact_caching_prefix``
and implementing :class:`CacheBase`.  ``memory`` (the default) and ``jsonfile``
are the standard ones.
"""
from __future__ import annotations

from typing import Any

__all__ = ["CacheBase"]


class CacheBase:
    """What a fact cache offers; keys are inventory host names, values fact dicts.

    ``get`` returns ``None`` for an unknown or expired host.  Methods may be called
    from several threads at once."""

    def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
        self.connection = connection
        self.timeout = timeout
        self.prefix = prefix

    def get(self, key: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def set(self, key: str, value: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def keys(self) -> list[str]:
        raise NotImplementedError

    def flush(self) -> None:
        """Forget every host."""
        for key in self.keys():
            self.delete(key)
