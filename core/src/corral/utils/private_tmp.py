"""The controller's private scratch directory, for temporary files that may hold secrets.

Decrypted copies of vault files, rendered content on its way to a host and the like
must never be readable by other local users nor outlive the process.  Every such file
goes in one directory per process: ``corral-local-<pid>-<random>``, mode ``0700``,
under the configured ``local_tmp`` (``~/.ansible/tmp`` by default, as in Ansible;
``$TMPDIR`` when that cannot be created), made on first use.  Files in it are created
``0600`` with ``O_EXCL``.

Contract:

- :func:`mkstemp` / :func:`directory` are thread-safe and create the directory lazily.
- A run calls :func:`acquire` when it starts and :func:`release` in its cleanup
  (a ``finally``, so also after an error or ``KeyboardInterrupt``): the directory is
  removed when the last concurrent run releases it.  An ``atexit`` hook removes
  whatever is left when the interpreter exits (``SIGTERM`` reaches it once the CLI
  turns the signal into a normal exit).
- The directory belongs to the process that made it: a forked child starts with no
  directory (it makes its own on first use) and never removes its parent's.
"""
from __future__ import annotations

import atexit
import os
import shutil
import stat
import threading

__all__ = ["directory", "mkstemp", "acquire", "release", "cleanup"]

_PREFIX = "corral-local-"

_lock = threading.RLock()
_path: str | None = None
_owner: int | None = None
_holders = 0
_base: str | None = None


def _reset_after_fork() -> None:
    """In a forked child: forget the parent's directory (the child must not remove it)."""
    global _lock, _path, _owner, _holders, _base
    _lock = threading.RLock()
    _path, _owner, _holders, _base = None, None, 0, None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _parent_dir() -> str:
    """The configured base if it exists or can be made private, else ``$TMPDIR``."""
    if _base:
        base = os.path.expanduser(_base)
        try:
            os.makedirs(base, mode=0o700, exist_ok=True)
            if os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
                return base
        except OSError:
            pass  # e.g. a read-only HOME: fall back to the system's temporary directory
    import tempfile     # here: a run that writes no local file never needs it
    return tempfile.gettempdir()


def _still_private(path: str) -> bool:
    """Whether ``path`` is still our ``0700`` directory (not swapped for a symlink or
    someone else's directory, as a writable parent without the sticky bit would allow)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o700


def directory() -> str:
    """This process's private directory (``0700``), created on first use (again, if
    it was removed or tampered with)."""
    global _path, _owner
    with _lock:
        if _path is None or _owner != os.getpid() or not _still_private(_path):
            import tempfile
            _path = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=_parent_dir())  # 0700
            _owner = os.getpid()
        return _path


def mkstemp(prefix: str = "tmp", suffix: str = "") -> tuple[int, str]:
    """A new ``0600`` file in the private directory: ``(fd, path)`` as
    :func:`tempfile.mkstemp`.  The caller removes it when done; whatever it leaves
    goes with the directory."""
    import tempfile
    with _lock:
        return tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory())


def acquire(base: str | None = None) -> None:
    """Keep the private directory for a run, until the matching :func:`release`.
    ``base`` (the run's ``local_tmp``) is where the directory will be made if it
    does not exist yet."""
    global _holders, _base
    with _lock:
        _holders += 1
        if base and _path is None:
            _base = base


def release() -> None:
    """End one :func:`acquire`; the last holder to leave removes the directory."""
    global _holders
    with _lock:
        _holders = max(0, _holders - 1)
        if _holders == 0:
            cleanup()


def cleanup() -> None:
    """Remove the private directory and everything in it, if this process made it."""
    global _path, _owner
    with _lock:
        if _path is not None and _owner == os.getpid():
            shutil.rmtree(_path, ignore_errors=True)
        _path, _owner = None, None


atexit.register(cleanup)
