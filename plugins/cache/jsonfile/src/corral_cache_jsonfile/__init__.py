"""The ``jsonfile`` fact cache: one JSON file per host in the directory named by
``fact_caching_connection``; entries older than ``fact_caching_timeout`` seconds
(0: never) are ignored.  Facts survive the run, so a later run (``gathering =
smart``, or a play without ``gather_facts``) finds them."""
from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any

from corral.errors import CorralError
from corral.plugins import hookimpl
from corral.plugins.cache import CacheBase

__all__ = ["JsonFileCache"]


class JsonFileCache(CacheBase):
    """Facts of host ``h`` in ``<connection>/<prefix>h`` as JSON, written atomically."""

    def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
        super().__init__(connection, timeout, prefix)
        if not connection:
            raise CorralError("the jsonfile fact cache needs a directory: set fact_caching_connection "
                              "(ANSIBLE_CACHE_PLUGIN_CONNECTION)")
        self._dir = os.path.expanduser(connection)
        os.makedirs(self._dir, exist_ok=True)

    def _path(self, key: str) -> str:
        return os.path.join(self._dir, self.prefix + key.replace(os.sep, "_"))

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            if self.timeout and time.time() - os.path.getmtime(path) > self.timeout:
                return None
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, sort_keys=True, indent=4, default=str)
        os.replace(tmp, self._path(key))

    def delete(self, key: str) -> None:
        try:
            os.remove(self._path(key))
        except FileNotFoundError:
            pass

    def keys(self) -> list[str]:
        names = [n for n in os.listdir(self._dir) if not n.startswith(".tmp-") and n.startswith(self.prefix)]
        return [n[len(self.prefix):] for n in names]


@hookimpl
def corral_cache(name: str) -> type[JsonFileCache] | None:
    return JsonFileCache if name == "jsonfile" else None
