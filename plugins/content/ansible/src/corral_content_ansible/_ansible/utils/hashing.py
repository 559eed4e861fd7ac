"""``ansible.utils.hashing``: checksums of data and files (SHA-1 by default, as Ansible's)."""
from __future__ import annotations

import hashlib
import os
from typing import Any, Callable

__all__ = ["secure_hash_s", "secure_hash", "checksum", "checksum_s", "md5", "md5s"]


def secure_hash_s(data: Any, hash_func: Callable[[], Any] = hashlib.sha1) -> str:
    """The hex digest of ``data`` (text is UTF-8 encoded)."""
    digest = hash_func()
    digest.update(data if isinstance(data, bytes) else str(data).encode("utf-8", "surrogateescape"))
    return str(digest.hexdigest())


def secure_hash(filename: str, hash_func: Callable[[], Any] = hashlib.sha1) -> str | None:
    """The hex digest of the file ``filename``, or ``None`` if it is not a file."""
    if not os.path.isfile(filename):
        return None
    digest = hash_func()
    with open(filename, "rb") as handle:
        for block in iter(lambda: handle.read(65536), b""):
            digest.update(block)
    return str(digest.hexdigest())


checksum = secure_hash
checksum_s = secure_hash_s


def md5(filename: str) -> str | None:
    return secure_hash(filename, hashlib.md5)


def md5s(data: Any) -> str:
    return secure_hash_s(data, hashlib.md5)
