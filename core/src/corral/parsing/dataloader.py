"""``DataLoader``: reads YAML/JSON files relative to a base directory, decrypting
vaulted content, caching parsed files.  Seed API: ``corral.parsing.dataloader.DataLoader``.
"""
from __future__ import annotations

import json
import os
import threading
from typing import Any, Callable

from corral.errors import CorralFileNotFound, CorralOptionsError, CorralParserError
from corral.parsing.yaml_loader import DUPLICATE_KEY_POLICIES, load_yaml

__all__ = ["DataLoader"]


class DataLoader:
    """Loads data files for one run.

    ``set_basedir`` sets where relative paths are resolved (the playbook's
    directory).  ``set_vault_secrets`` gives the vault secrets used to decrypt
    vaulted files and ``!vault`` values.  Thread-safe; parsed files are cached and
    each caller gets its own deep copy.  Warnings found while parsing (duplicate YAML
    keys) go to the handler given to ``set_warning_handler``; until there is one they
    are kept in ``warnings``.
    """

    def __init__(self) -> None:
        self._basedir = "."
        self._cache: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._vault_secrets: list[Any] = []
        self._warn: Callable[[str], None] | None = None
        self.warnings: list[str] = []
        self._duplicate_keys = "warn"

    # -- warnings ----------------------------------------------------------------

    def set_warning_handler(self, handler: Callable[[str], None] | None) -> None:
        """Send parse warnings to ``handler(message)`` (e.g. ``Display.warning``), starting
        with those kept so far."""
        with self._lock:
            self._warn = handler
            pending, self.warnings = self.warnings, []
        if handler is not None:
            for message in pending:
                handler(message)

    def set_duplicate_key_policy(self, policy: str) -> None:
        """What a repeated YAML mapping key does: ``warn`` (default), ``error`` or ``ignore``."""
        if policy not in DUPLICATE_KEY_POLICIES:
            raise CorralOptionsError(f"Invalid value '{policy}' for config 'DUPLICATE_YAML_DICT_KEY'. "
                                     f"Valid values: {', '.join(DUPLICATE_KEY_POLICIES)}")
        self._duplicate_keys = policy

    def warning(self, message: str) -> None:
        """Send ``message`` to the warning handler (kept until there is one): for
        warnings about content read through this loader (a skipped ``vars_files`` item)."""
        self._warning(message)

    def _warning(self, message: str) -> None:
        handler = self._warn
        if handler is None:
            with self._lock:
                self.warnings.append(message)
        else:
            handler(message)

    # -- base directory --------------------------------------------------------

    def get_basedir(self) -> str:
        """The directory relative paths are resolved against."""
        return self._basedir

    def set_basedir(self, basedir: str) -> None:
        """Set the directory relative paths are resolved against."""
        self._basedir = os.path.abspath(basedir)

    def path_dwim(self, given: str) -> str:
        """Resolve ``given`` (``~`` expanded) against the base directory."""
        given = os.path.expanduser(given)
        if os.path.isabs(given):
            return os.path.normpath(given)
        return os.path.normpath(os.path.join(self._basedir, given))

    def path_exists(self, path: str) -> bool:
        return os.path.exists(self.path_dwim(path))

    def is_file(self, path: str) -> bool:
        return os.path.isfile(self.path_dwim(path))

    def is_directory(self, path: str) -> bool:
        return os.path.isdir(self.path_dwim(path))

    def list_directory(self, path: str) -> list[str]:
        return os.listdir(self.path_dwim(path))

    # -- vault -------------------------------------------------------------------

    def set_vault_secrets(self, secrets: list[Any] | None) -> None:
        """Set the vault secrets: a list of ``(vault_id, secret)`` pairs as built by
        :mod:`corral.parsing.vault`."""
        self._vault_secrets = list(secrets or [])
        self._cache.clear()

    @property
    def vault_secrets(self) -> list[Any]:
        return self._vault_secrets

    def _vault(self) -> Any:
        from corral.parsing.vault import VaultLib
        return VaultLib(self._vault_secrets)

    def decrypt_if_vaulted(self, data: bytes, file_name: str | None = None) -> bytes:
        """Return ``data`` decrypted when it is a vault, as it is otherwise."""
        from corral.parsing.vault import is_encrypted
        if is_encrypted(data):
            return self._vault().decrypt(data, filename=file_name)
        return data

    def _vault_value(self, ciphertext: str) -> Any:
        from corral.parsing.vault import EncryptedValue
        return EncryptedValue(ciphertext, self._vault())

    # -- loading -------------------------------------------------------------------

    def load(self, data: str, file_name: str = "<string>", show_content: bool = True) -> Any:
        """Parse ``data`` as JSON when it is JSON, else as YAML."""
        stripped = data.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                return json.loads(data)
            except ValueError:
                pass
        return load_yaml(data, file_name, vault_factory=self._vault_value, warn=self._warning,
                         duplicate_keys=self._duplicate_keys)

    def get_text_file_contents(self, file_name: str) -> tuple[str, bool]:
        """Return ``(text, was_vaulted)`` for a file (decrypted when vaulted)."""
        path = self.path_dwim(file_name)
        raw = self.read_file(path)
        plain = self.decrypt_if_vaulted(raw, path)
        try:
            return plain.decode("utf-8"), plain is not raw
        except UnicodeDecodeError as exc:
            raise CorralParserError(f"The file {path} is not valid UTF-8 text: {exc}") from exc

    def read_file(self, path: str) -> bytes:
        """Read a file's bytes, raising a clear error when it is missing."""
        path = self.path_dwim(path)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except FileNotFoundError as exc:
            raise CorralFileNotFound(f"Could not find or access '{path}'") from exc
        except OSError as exc:
            raise CorralFileNotFound(f"Could not read '{path}': {exc.strerror}") from exc

    def load_from_file(self, file_name: str, cache: bool = True, unsafe: bool = False) -> Any:
        """Load a YAML or JSON file; the result is a fresh copy the caller may change."""
        path = self.path_dwim(file_name)
        with self._lock:
            if cache and path in self._cache:
                return copy_tree(self._cache[path]) if not unsafe else self._cache[path]
        text, _ = self.get_text_file_contents(path)
        data = self.load(text, file_name=path)
        if cache:
            with self._lock:
                self._cache[path] = data
            return copy_tree(data) if not unsafe else data
        return data

    def find_vars_files(self, path: str, name: str) -> list[str]:
        """Files for ``name`` below ``path`` as Ansible finds group_vars/host_vars:
        ``name``, ``name.yml``, ``name.yaml``, ``name.json``, or every such file in a
        directory ``name`` (sorted, recursively)."""
        found: list[str] = []
        base = os.path.join(self.path_dwim(path), name)
        if os.path.isdir(base):
            for root, dirs, files in os.walk(base):
                dirs.sort()
                for file_name in sorted(files):
                    if file_name.startswith(".") or file_name.endswith(("~", ".bak", ".orig", ".retry", ".pyc")):
                        continue
                    if os.path.splitext(file_name)[1] in ("", ".yml", ".yaml", ".json"):
                        found.append(os.path.join(root, file_name))
            return found
        for ext in ("", ".yml", ".yaml", ".json"):
            if os.path.isfile(base + ext):
                found.append(base + ext)
        return found

    def cleanup_all_tmp_files(self) -> None:
        """Seed API compatibility: corral keeps no temporary files here."""


def copy_tree(data: Any) -> Any:
    """A copy of the dicts and lists of loaded ``data`` (their types and
    ``ansible_pos`` kept; strings and other leaves shared).  A container referenced
    several times (YAML aliases) is copied once and stays shared, and nesting
    depth costs no recursion: an alias bomb or a deeply nested file copies in time
    linear in what the file holds."""
    memo: dict[int, Any] = {}
    pending: list[tuple[Any, Any]] = []

    def shell(value: Any) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        key = id(value)
        if key not in memo:
            new = type(value)()
            if hasattr(value, "__dict__"):  # ansible_pos
                new.__dict__.update(value.__dict__)
            memo[key] = new
            pending.append((value, new))
        return memo[key]

    top = shell(data)
    while pending:
        value, new = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                new[key] = shell(item)
        else:
            new.extend(shell(item) for item in value)
    return top
