"""Host key verification against known_hosts files, with OpenSSH's semantics.

- A key listed for the host (``host`` or ``[host]:port``, hashed or not) is accepted.
- A host listed with a *different* key of the same type is refused, always: a
  changed key is never accepted silently, whatever ``host_key_checking`` says.
- An unknown host is refused when checking is on; with checking off it is
  accepted and, when asked, recorded in the first writable known_hosts file.

A file is read once per process while it is unchanged (its lines kept as text), and
only the lines naming the host being verified are turned into keys: a fleet's
known_hosts file lists every host, and parsing all of it for each connection made
the cost of a run grow with the square of its hosts.
"""
from __future__ import annotations

import binascii
import functools
import hmac
import os
import threading
from collections.abc import Mapping
from pathlib import Path

import paramiko
from paramiko.pkey import UnknownKeyType

from corral.errors import CorralConnectionFailure

__all__ = ["HostKeyError", "KnownHosts", "known_host_name"]

_write_lock = threading.Lock()


class HostKeyError(CorralConnectionFailure):
    """The server's host key is unknown or has changed (not retried)."""


def known_host_name(host: str, port: int) -> str:
    """The name a known_hosts line uses for ``host``: ``host`` or ``[host]:port``."""
    return host if port == 22 else f"[{host}]:{port}"


@functools.lru_cache(maxsize=16)
def _key_lines(path: str, _stamp: tuple[int, int, int]) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """(host names, key type, base64 key) of each line of a known_hosts file, as
    text; cached while the file's (mtime, size, inode) ``_stamp`` stays the same."""
    lines = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            fields = line.split()
            if len(fields) < 3 or fields[0].startswith("#"):
                continue
            lines.append((tuple(fields[0].split(",")), fields[1], fields[2]))
    return tuple(lines)


def _names_match(name: str, names: tuple[str, ...]) -> bool:
    """``name`` is one of a line's names, in clear or hashed (``|1|salt|hash``)."""
    for entry in names:
        if entry == name:
            return True
        if entry.startswith("|1|") and hmac.compare_digest(paramiko.HostKeys.hash_host(name, entry), entry):
            return True
    return False


class KnownHosts:
    """The merged content of several known_hosts files (missing files are skipped)."""

    def __init__(self, files: tuple[str, ...]) -> None:
        self.files = files
        self._lines: list[tuple[str, tuple[tuple[str, ...], str, str]]] = []
        for path in files:
            if os.path.isfile(path):
                try:
                    stat = os.stat(path)
                    found = _key_lines(path, (stat.st_mtime_ns, stat.st_size, stat.st_ino))
                except OSError as exc:
                    raise CorralConnectionFailure(f"cannot read known_hosts file {path}: {exc}") from exc
                self._lines.extend((path, line) for line in found)
        self._entries: dict[str, dict[str, paramiko.PKey]] = {}

    def _entry(self, name: str) -> dict[str, paramiko.PKey]:
        """The keys recorded for ``name`` by type (the first line of a type wins)."""
        entry = self._entries.get(name)
        if entry is None:
            entry = {}
            for path, (names, key_type, blob) in self._lines:
                if not _names_match(name, names):
                    continue
                try:
                    key = paramiko.PKey.from_type_string(key_type, binascii.a2b_base64(blob))
                except UnknownKeyType:
                    continue            # a type this client does not know is skipped, as OpenSSH does
                except (binascii.Error, paramiko.SSHException, ValueError) as exc:
                    raise CorralConnectionFailure(f"cannot read known_hosts file {path}: invalid key for "
                                                  f"{name}: {exc}") from exc
                entry.setdefault(key.get_name(), key)
            self._entries[name] = entry
        return entry

    def known_types(self, host: str, port: int) -> list[str]:
        """Key types recorded for the host, for host key algorithm preference."""
        return list(self._entry(known_host_name(host, port)))

    def verify(self, host: str, port: int, key: paramiko.PKey, *, checking: bool,
               record: bool) -> None:
        """Raise :class:`HostKeyError` unless ``key`` is acceptable for ``host:port``."""
        name = known_host_name(host, port)
        entry: Mapping[str, paramiko.PKey] = self._entry(name)
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
        self._entry(name)[key.get_name()] = key
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
