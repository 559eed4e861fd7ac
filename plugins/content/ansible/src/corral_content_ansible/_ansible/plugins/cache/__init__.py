"""``ansible.plugins.cache``: the bases of cache plugins written for Ansible.

corral uses such a plugin as a fact cache or an inventory cache through
:func:`corral_content_ansible.adapters.adapt` (``kind="cache"``), which builds it
with ``_uri`` (the cache connection), ``_timeout`` and ``_prefix``.
"""
from __future__ import annotations

import copy
import errno
import os
import time
from typing import Any

from ansible.errors import AnsibleError
from ansible.plugins import AnsiblePlugin
from ansible.utils.display import Display

__all__ = ["BaseCacheModule", "BaseFileCacheModule"]

display = Display()


class BaseCacheModule(AnsiblePlugin):
    """A cache: ``get``, ``set``, ``keys``, ``contains``, ``delete``, ``flush``, ``copy``."""

    _display = display

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.set_options(var_options=args[0] if args else None, direct=kwargs)

    def get(self, key: str) -> Any:
        raise NotImplementedError

    def set(self, key: str, value: Any) -> None:
        raise NotImplementedError

    def keys(self) -> list[str]:
        raise NotImplementedError

    def contains(self, key: str) -> bool:
        raise NotImplementedError

    def delete(self, key: str) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        raise NotImplementedError

    def copy(self) -> dict[str, Any]:
        raise NotImplementedError


class BaseFileCacheModule(BaseCacheModule):
    """A cache keeping one file per key in the directory ``_uri``; subclasses say how
    a file is read (``_load(path)``) and written (``_dump(value, path)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache: dict[str, Any] = {}
        self._cache_dir = self._get_cache_connection(self._option("_uri"))
        self._timeout = float(self._option("_timeout") or 0)
        self.plugin_name = type(self).__module__.rsplit(".", 1)[-1]
        self.validate_cache_connection()

    def _option(self, name: str) -> Any:
        return self.get_option(name) if self.has_option(name) else None

    def _get_cache_connection(self, source: Any) -> str | None:
        return os.path.expanduser(os.path.expandvars(str(source))) if source else None

    def validate_cache_connection(self) -> None:
        if not self._cache_dir:
            raise AnsibleError(f"error, '{type(self).__module__}' cache plugin requires the 'fact_caching_connection' "
                               f"config option to be set (to a writeable directory path)")
        os.makedirs(self._cache_dir, exist_ok=True)

    def _get_path(self, key: str) -> str:
        prefix = self._option("_prefix") or ""
        return os.path.join(str(self._cache_dir), f"{prefix}{key}")

    def _expired(self, path: str) -> bool:
        return bool(self._timeout) and time.time() - os.stat(path).st_mtime > self._timeout

    def get(self, key: str) -> Any:
        if key in self._cache:
            return self._cache[key]
        path = self._get_path(key)
        if not self.contains(key):
            raise KeyError(key)
        try:
            value = self._load(path)
        except (OSError, ValueError) as exc:
            display.warning(f"error in '{self.plugin_name}' cache plugin while trying to read {path} : {exc}")
            self.delete(key)
            raise KeyError(key) from exc
        self._cache[key] = value
        return value

    def set(self, key: str, value: Any) -> None:
        self._cache[key] = value
        path = self._get_path(key)
        try:
            self._dump(value, path)
        except OSError as exc:
            display.warning(f"error in '{self.plugin_name}' cache plugin while trying to write to '{path}' : {exc}")

    def keys(self) -> list[str]:
        prefix = self._option("_prefix") or ""
        found = []
        for name in os.listdir(str(self._cache_dir)):
            if name.startswith(".") or not name.startswith(prefix):
                continue
            key = name[len(prefix):]
            if not self._expired(os.path.join(str(self._cache_dir), name)):
                found.append(key)
        return found

    def contains(self, key: str) -> bool:
        path = self._get_path(key)
        try:
            return not self._expired(path)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return False
            raise

    def delete(self, key: str) -> None:
        self._cache.pop(key, None)
        try:
            os.remove(self._get_path(key))
        except FileNotFoundError:
            pass

    def flush(self) -> None:
        self._cache = {}
        for key in self.keys():
            self.delete(key)

    def copy(self) -> dict[str, Any]:
        return {key: copy.deepcopy(self.get(key)) for key in self.keys()}

    def _load(self, filepath: str) -> Any:
        raise NotImplementedError

    def _dump(self, value: Any, filepath: str) -> None:
        raise NotImplementedError
