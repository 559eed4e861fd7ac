"""Writing files safely: atomic replacement and private scratch files.

:func:`atomic_write` never leaves a half-written file: the data goes to a
temporary file in the target's directory, is flushed to disk, then renamed over
the target.  An existing file keeps its mode (and, when we may, its owner); a
new file is created ``0600`` because it may hold a secret.  A symlink is
followed: its target is replaced, the link stays.

:func:`edit_privately` hands plaintext to an editor in a file only the user can
read, inside the process's private directory (:mod:`corral.utils.private_tmp`),
and removes it afterwards (the private directory goes at exit at the latest).
"""
from __future__ import annotations

import os
import shlex
import shutil

from corral.errors import CorralVaultError
from corral.utils import private_tmp

__all__ = ["atomic_write", "edit_privately", "editor_command"]

NEW_FILE_MODE = 0o600


def atomic_write(path: str, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically.

    ``mode`` forces the file mode; by default an existing file's mode is kept and
    a new file gets ``0600``.  Raises :class:`CorralVaultError` naming the file.
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        current = os.stat(target)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise CorralVaultError(f"Could not write '{path}': {exc.strerror}") from exc
    if mode is None:
        mode = current.st_mode & 0o7777 if current else NEW_FILE_MODE
    import tempfile     # here: reading vault files never needs it
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    except OSError as exc:
        raise CorralVaultError(f"Could not write '{path}': {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if current is not None and hasattr(os, "chown"):
            try:
                os.chown(tmp, current.st_uid, current.st_gid)
            except PermissionError:
                pass  # not ours to give away: the file becomes the writer's, as with any editor
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise CorralVaultError(f"Could not write '{path}': {exc.strerror}") from exc
    _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on directories; the rename is done
    finally:
        os.close(fd)


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _scrub(path: str) -> None:
    """Overwrite a scratch file with zeros before removing it (best effort:
    filesystems may keep old blocks)."""
    try:
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        pass
    _remove_quietly(path)


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """The editor to run: ``$EDITOR`` split like a shell would, else ``vi``."""
    env = os.environ if environ is None else environ
    return shlex.split(env.get("EDITOR") or "") or ["vi"]


def edit_privately(plaintext: bytes, suffix: str = "", editor: list[str] | None = None) -> bytes:
    """Let the user edit ``plaintext`` with ``editor`` and return the result.

    The plaintext lives only in a ``0600`` file in a ``0700`` directory, which is
    scrubbed and removed whatever happens.  A failing editor raises
    :class:`CorralVaultError`.
    """
    import subprocess
    import tempfile
    argv = editor if editor is not None else editor_command()
    scratch_dir = tempfile.mkdtemp(prefix="vault-edit-", dir=private_tmp.directory())
    path = os.path.join(scratch_dir, f"edit{suffix}")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(plaintext)
        try:
            status = subprocess.call([*argv, path])
        except OSError as exc:
            raise CorralVaultError(f"Could not run the editor {argv[0]!r}: {exc.strerror}") from exc
        if status != 0:
            raise CorralVaultError(f"The editor {argv[0]!r} exited with status {status}; nothing was saved")
        with open(path, "rb") as handle:
            return handle.read()
    finally:
        for name in os.listdir(scratch_dir):
            _scrub(os.path.join(scratch_dir, name))  # editors may leave swap or backup files too
        shutil.rmtree(scratch_dir, ignore_errors=True)
