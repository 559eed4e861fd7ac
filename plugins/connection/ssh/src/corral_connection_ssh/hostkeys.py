"""Host key verification against known_hosts files, with OpenSSH's semantics.

- A key listed for the host (``host`` or ``[host]:port``, hashed or not) is accepted.
- A host listed with a *different* key of the same type is refused, always: a
  changed key is never accepted silently, whatever ``host_key_checking`` says.
- An unknown host is refused when checking is on; with checking off it is
  accepted and, when asked, recorded in the first writable known_hosts file.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path

import paramiko

from corral.errors import CorralConnectionFailure

__all__ = ["HostKeyError", "KnownHosts", "known_host_name"]

_write_lock = threading.Lock()


class HostKeyError(CorralConnectionFailure):
    """The server's host key is unknown or has changed (not retried)."""


def known_host_name(host: str, port: int) -> str:
    """The name a known_hosts line uses for ``host``: ``host`` or ``[host]:port``."""
    return host if port == 22 else f"[{host}]:{port}"


class KnownHosts:
    """The merged content of several known_hosts files (missing files are skipped)."""

    def __init__(self, files: tuple[str, ...]) -> None:
        self.files = files
        self.keys = paramiko.HostKeys()
        for path in files:
            if os.path.isfile(path):
                try:
                    self.keys.load(path)
                except (OSError, paramiko.SSHException, ValueError) as exc:
                    raise CorralConnectionFailure(f"cannot read known_hosts file {path}: {exc}") from exc

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types recorded for the host, for host key algorithm preference."""
        entry = self.keys.lookup(known_host_name(host, port))
        return list(entry.keys()) if entry else []

    def verify(self, host: str, port: int, key: paramiko.PKey, *, checking: bool,
               record: bool) -> None:
        """Raise :class:`HostKeyError` unless ``key`` is acceptable for ``host:port``."""
        name = known_host_name(host, port)
        entry: Mapping[str, paramiko.PKey] = self.keys.lookup(name) or {}
        fingerprint = key.fingerprint if hasattr(key, "fingerprint") else key.get_name()
        known = entry.get(key.get_name())
        if known is not None:
            if known == key:
                return
            raise HostKeyError(
                f"REMOTE HOST IDENTIFICATION HAS CHANGED for {name}: the server sent "
                f"{key.get_name()} key {fingerprint}, which differs from the key recorded in "
                f"known_hosts ({', '.join(self.files)}). Someone could be eavesdropping "
                f"(man-in-the-middle), or the host key was changed; remove the old key "
                f"(ssh-keygen -R '{name}') if the change is expected.")
        if entry and key.get_name() in ("rsa-sha2-256", "rsa-sha2-512") and "ssh-rsa" in entry:
            if entry["ssh-rsa"] == key:
                return
        if checking:
            raise HostKeyError(
                f"Host key verification failed for {name}: no {key.get_name()} key for it in "
                f"known_hosts ({', '.join(self.files)}); server key {fingerprint}. Add it "
                f"(ssh-keyscan -p {port} {host}) or set host_key_checking = False.")
        self.keys.add(name, key.get_name(), key)
        if record:
            self._record(name, key)

    def _record(self, name: str, key: paramiko.PKey) -> None:
        target = next((f for f in self.files if not f.startswith("/etc/") and f != os.devnull), None)
        if target is None:
            return
        line = f"{name} {key.get_name()} {key.get_base64()}\n"
        with _write_lock:
            Path(target).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(target, "a", encoding="ascii") as fh:
                fh.write(line)
