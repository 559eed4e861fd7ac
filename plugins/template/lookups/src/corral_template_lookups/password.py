"""``lookup('password', 'path ...')``: a generated password kept in a file.

The first time, a random password is generated and written to the file (mode
0600, directories created); later runs read it back, so the same playbook gets
the same password.  Options (``key=value`` words after the path, or keyword
arguments): ``length`` (default 20), ``chars`` (character sets: names of
:mod:`string` constants such as ``ascii_letters``, ``digits``,
``punctuation``, or literal characters; comma-separated, ``,,`` is a comma),
``seed`` (a repeatable password), ``encrypt`` (return a crypt hash with the
:func:`password_hash` schemes; the salt is kept in the file as
``salt=...``).  The path ``/dev/null`` generates without storing.  Hosts that
ask for the same file at once get the same password.

Safety, since the controller may run as root in directories others can write:
a lock file ``.<name>.corral-lock`` beside the password file (as Ansible keeps
its lock beside the file) is created with ``O_CREAT|O_EXCL|O_NOFOLLOW``, so a
planted file or symlink is never followed nor reused; it is removed when the
lookup is done, however it ends.  Waiting for it is bounded
(:data:`LOCK_TIMEOUT` seconds, then a clear error naming the lock file).  The
password file itself is never followed when it is a symlink: it is read with
``O_NOFOLLOW`` and written to a new ``0600`` file that is renamed into place.
"""
from __future__ import annotations

import contextlib
import os
import random
import string
import tempfile
import time
from collections.abc import Iterator, Mapping
from typing import Any

from corral.errors import CorralError
from corral.plugins.lookup import LookupBase
from corral_template_filters.passwords import ALGORITHMS, password_hash
from corral_template_lookups._common import check_options, parse_kv, reject_undefined

__all__ = ["PasswordLookup", "DEFAULT_CHARS", "DEFAULT_LENGTH", "LOCK_TIMEOUT", "lock_path"]

#: seconds to wait for another run's lock on a password file before giving up (Ansible's bound)
LOCK_TIMEOUT = 7.0
_LOCK_POLL = 0.05
DEFAULT_LENGTH = 20
DEFAULT_CHARS = ["ascii_letters", "digits", ".,:-_"]
_OPTIONS = {"length", "chars", "seed", "encrypt", "ident"}
_SALT_ALPHABET = string.ascii_letters + string.digits + "./"
_ENCRYPT_ALIASES = {"sha512": "sha512_crypt", "sha256": "sha256_crypt", "md5": "md5_crypt"}


def _split_chars(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    text = str(value)
    # ",," anywhere asks for the comma itself; the other commas separate entries.
    entries = [","] if ",," in text else []
    return entries + [part for part in text.replace(",,", ",").split(",") if part]


def character_pool(chars: list[str]) -> str:
    """The characters a password may use: each entry names a :mod:`string`
    constant or is itself a set of characters; quotes are never used.  A
    character listed twice is twice as likely, as in Ansible, so that a seed
    gives the same password as there."""
    pool = []
    for entry in chars:
        named = getattr(string, entry, None) if entry.isidentifier() else None
        pool.append(named if isinstance(named, str) else entry)
    text = "".join(pool).replace('"', "").replace("'", "")
    if not text:
        raise CorralError("password lookup: 'chars' gives no characters to choose from")
    return text


def _refuse_symlink(path: str) -> None:
    """Raise a clear error when ``path`` is a symlink (it may point anywhere)."""
    if os.path.islink(path):
        raise CorralError(f"password lookup: {path} is a symbolic link; corral does not follow links "
                          f"for password files (replace it with the file itself)")


def _read_stored(path: str) -> tuple[str, str | None] | None:
    """The stored password and salt, or ``None`` when there is no file yet."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:
        _refuse_symlink(path)  # O_NOFOLLOW fails with ELOOP on a symlink, dangling or not
        raise CorralError(f"password lookup: cannot read {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, encoding="utf-8") as handle:
            content = handle.read().rstrip("\n")
    except OSError as exc:
        raise CorralError(f"password lookup: cannot read {path}: {exc.strerror}") from exc
    password, sep, rest = content.rpartition(" salt=")
    if not sep:
        return content, None
    return password, rest.split()[0] if rest.split() else None


def _store(path: str, password: str, salt: str | None) -> None:
    """Write the password file: a new ``0600`` file renamed over ``path``, so a
    symlink put there meanwhile is replaced, never followed."""
    content = password + (f" salt={salt}" if salt else "") + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=f".{os.path.basename(path)}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class PasswordLookup(LookupBase):
    """See the module documentation."""

    def run(self, terms: list[Any], variables: Mapping[str, Any] | None = None, **kwargs: Any) -> list[Any]:
        return [self._one(term, kwargs) for term in terms]

    def _options(self, term: Any, kwargs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        reject_undefined(term)
        relpath, options = parse_kv(str(term), "password")
        if not relpath:
            raise CorralError(f"password lookup: no file path in {term!r}")
        check_options("password", options, _OPTIONS)
        merged = {**kwargs, **options}
        try:
            merged["length"] = int(merged.get("length", DEFAULT_LENGTH))
        except (TypeError, ValueError) as exc:
            raise CorralError(f"password lookup: length must be an integer, got {merged['length']!r}") from exc
        if merged["length"] < 1:
            raise CorralError("password lookup: length must be at least 1")
        merged["chars"] = _split_chars(merged.get("chars", DEFAULT_CHARS))
        encrypt = merged.get("encrypt") or None     # ``encrypt=`` (empty) asks for the plain password
        merged["encrypt"] = encrypt
        if encrypt is not None:
            encrypt = _ENCRYPT_ALIASES.get(str(encrypt), str(encrypt))
            if encrypt not in ALGORITHMS:
                raise CorralError(f"password lookup: unsupported encrypt scheme {merged['encrypt']!r} "
                                  f"(supported: {', '.join(sorted(ALGORITHMS))})")
            merged["encrypt"] = encrypt
        path = relpath if relpath == "/dev/null" or self._loader is None else self._loader.path_dwim(relpath)
        return path, merged

    def _one(self, term: Any, kwargs: Mapping[str, Any]) -> str:
        path, options = self._options(term, kwargs)
        if path == "/dev/null":
            password, salt = self._generated(options, None, None)
        else:
            # Hosts run in parallel: one of them creates the file, the others read it.
            with _locked(path):
                stored = _read_stored(path)
                stored_password, stored_salt = stored if stored is not None else (None, None)
                password, salt = self._generated(options, stored_password, stored_salt)
                if (password, salt) != (stored_password, stored_salt):
                    try:
                        _store(path, password, salt)
                    except OSError as exc:
                        raise CorralError(f"password lookup: cannot write {path}: {exc.strerror}") from exc
        encrypt = options.get("encrypt")
        if encrypt:
            return password_hash(password, encrypt, salt, ident=options.get("ident"))
        return password

    @staticmethod
    def _generated(options: Mapping[str, Any], password: str | None, salt: str | None) -> tuple[str, str | None]:
        """The stored password and salt, with what is missing generated."""
        source = random.Random(options["seed"]) if options.get("seed") is not None else random.SystemRandom()
        if password is None:
            pool = character_pool(options["chars"])
            password = "".join(source.choice(pool) for _ in range(options["length"]))
        encrypt = options.get("encrypt")
        if encrypt and salt is None:
            salt = "".join(source.choice(_SALT_ALPHABET) for _ in range(ALGORITHMS[encrypt][1]))
        return password, salt


def lock_path(path: str) -> str:
    """The lock file of the password file ``path``: beside it, hidden."""
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.corral-lock")


@contextlib.contextmanager
def _locked(path: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of the password file ``path`` (creating its directory,
    ``0700``, first).  The lock is a file that only this process created
    (``O_EXCL``: an existing file or symlink there is never opened) and that is
    removed on the way out; after ``timeout`` seconds of waiting, a
    :class:`CorralError` names it."""
    directory = os.path.dirname(path)
    try:
        if directory:
            os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise CorralError(f"password lookup: cannot write {path}: cannot create {directory}: "
                          f"{exc.strerror}") from exc
    lock = lock_path(path)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise CorralError(
                    f"password lookup: could not get the lock {lock} for {path} within {timeout:g} seconds; "
                    f"another run is using it, or a lock file was left behind (remove it if no run "
                    f"is using {path})") from None
            time.sleep(_LOCK_POLL)
        except OSError as exc:
            raise CorralError(f"password lookup: cannot create the lock file {lock}: {exc.strerror}") from exc
    try:
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
