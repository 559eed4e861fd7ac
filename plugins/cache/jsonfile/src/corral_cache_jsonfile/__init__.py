"""The ``jsonfile`` fact cache: one JSON file per host in the directory named by
``fact_caching_connection``, in ansible-core 2.21's layout, so that either engine
reads what the other wrote; entries older than ``fact_caching_timeout`` seconds
(0: never) are ignored.  Facts survive the run, so a later run (``gathering =
smart``, or a play without ``gather_facts``) finds them.

The layout (observed from ansible-playbook 2.21 with ``fact_caching = jsonfile``):
the facts of host ``h`` are in ``<connection>/<prefix>s1_h`` (``s1_``: the version of
the cache's data schema; a key with ``/``, ``..``, ``<``, ``>`` or ``|`` becomes the
start of its SHA-256), mode 0644, as the JSON object ``{"__payload__": TEXT}`` where
TEXT is the facts as JSON.  In ansible-core's files a value may carry its data tags:
``{"value": V, "tags": [...], "__ansible_type": "_AnsibleTagged..."}`` reads as V."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from typing import Any

from corral.errors import CorralError
from corral.plugins import Display, hookimpl
from corral.plugins.cache import CacheBase

__all__ = ["JsonFileCache"]

#: what ansible-core 2.21 puts before each key: its cache schema's version
SCHEMA_PREFIX = "s1_"
#: the key of the facts' JSON text in a cache file
PAYLOAD_KEY = "__payload__"
#: the marker of a value serialized with its type (and data tags) by ansible-core
_TYPE_KEY = "__ansible_type"
_UNSAFE_IN_NAMES = ("/", "..", "<", ">", "|")


def _untagged(pairs: list[tuple[str, Any]]) -> Any:
    """A JSON object of ansible-core's cache as a plain value: a tagged value is its ``value``."""
    obj = dict(pairs)
    if _TYPE_KEY in obj and "value" in obj:
        return obj["value"]
    return obj


class JsonFileCache(CacheBase):
    """Facts of host ``h`` in ``<connection>/<prefix>s1_h``, written atomically."""

    def __init__(self, connection: str | None = None, timeout: int = 86400, prefix: str = "") -> None:
        super().__init__(connection, timeout, prefix)
        if not connection:
            raise CorralError("the jsonfile fact cache needs a directory: set fact_caching_connection "
                              "(ANSIBLE_CACHE_PLUGIN_CONNECTION)")
        self._dir = os.path.expanduser(os.path.expandvars(connection))
        os.makedirs(self._dir, exist_ok=True)

    def _path(self, key: str) -> str:
        name = SCHEMA_PREFIX + key
        if any(unsafe in name for unsafe in _UNSAFE_IN_NAMES):
            name = hashlib.sha256(name.encode()).hexdigest()[:max(len(name), 12)]
        return os.path.join(self._dir, self.prefix + name)

    def get(self, key: str) -> dict[str, Any] | None:
        """The host's cached facts; ``None`` when there are none or they are too old.
        A file that is not JSON is removed and the run fails, as in ansible-core."""
        path = self._path(key)
        try:
            if self.timeout and time.time() - os.path.getmtime(path) > self.timeout:
                return None
            with open(path, encoding="utf-8") as handle:
                wrapper = json.load(handle)
        except OSError:
            return None
        except ValueError as exc:
            Display().warning(f"error in 'jsonfile' cache plugin while trying to read {path} : "
                              f"{str(exc).encode()!r}. Most likely a corrupt file, so erasing and failing.")
            self.delete(key)
            raise CorralError(f"The cache file {path} was corrupt, or did not otherwise contain valid data. "
                              "It has been removed, so you can re-run your command now.") from None
        try:
            data = json.loads(wrapper[PAYLOAD_KEY], object_pairs_hook=_untagged)
        except (ValueError, TypeError, KeyError):
            return None
        return data if isinstance(data, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        payload = json.dumps(value, default=str)
        fd, tmp = tempfile.mkstemp(dir=self._dir, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({PAYLOAD_KEY: payload}))
        os.chmod(tmp, 0o644)
        os.replace(tmp, self._path(key))

    def delete(self, key: str) -> None:
        try:
            os.remove(self._path(key))
        except FileNotFoundError:
            pass

    def keys(self) -> list[str]:
        start = self.prefix + SCHEMA_PREFIX
        return [name[len(start):] for name in os.listdir(self._dir)
                if name.startswith(start) and not name.startswith(".")]


@hookimpl
def corral_cache(name: str) -> type[JsonFileCache] | None:
    return JsonFileCache if name == "jsonfile" else None
