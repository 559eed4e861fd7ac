"""``password_hash``: crypt(3) hashes for ``/etc/shadow``, computed in Python.

SHA-256-crypt and SHA-512-crypt (``$5$``, ``$6$``, Ulrich Drepper's
specification) and MD5-crypt (``$1$``), without the ``crypt`` module that
Python 3.13 removed.  With a salt given the result is reproducible (and equal to
ansible-core 2.21's without passlib, which makes the salt it uses from the given
one: see :func:`_crypt_salt`); rounds
default to the counts Ansible uses (656000 for SHA-512, 535000 for SHA-256).
"""
from __future__ import annotations

import hashlib
import itertools
import secrets
from typing import Any, Callable

from corral_template_filters._checks import fail, strict, volatile

__all__ = ["password_hash", "crypt_hash", "sha_crypt", "md5_crypt", "ALGORITHMS", "FILTERS"]

_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SALT_CHARS = frozenset(_ALPHABET)

# byte triples of the final digest, in the order the encoding takes them
_SHA512_ORDER = [(0, 21, 42), (22, 43, 1), (44, 2, 23), (3, 24, 45), (25, 46, 4), (47, 5, 26), (6, 27, 48),
                 (28, 49, 7), (50, 8, 29), (9, 30, 51), (31, 52, 10), (53, 11, 32), (12, 33, 54),
                 (34, 55, 13), (56, 14, 35), (15, 36, 57), (37, 58, 16), (59, 17, 38), (18, 39, 60),
                 (40, 61, 19), (62, 20, 41)]
_SHA256_ORDER = [(0, 10, 20), (21, 1, 11), (12, 22, 2), (3, 13, 23), (24, 4, 14), (15, 25, 5), (6, 16, 26),
                 (27, 7, 17), (18, 28, 8), (9, 19, 29)]
_MD5_ORDER = [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)]


def _encode24(b2: int, b1: int, b0: int, count: int) -> str:
    word = (b2 << 16) | (b1 << 8) | b0
    chars = []
    for _ in range(count):
        chars.append(_ALPHABET[word & 0x3F])
        word >>= 6
    return "".join(chars)


def _repeat_to(block: bytes, length: int) -> bytes:
    return (block * (length // len(block) + 1))[:length]


def sha_crypt(password: bytes, salt: bytes, rounds: int, bits: int) -> str:
    """The SHA-crypt digest (the part after the last ``$``) of ``password``.

    ``bits`` is 256 or 512; ``salt`` at most 16 bytes; ``rounds`` 1000 to
    999999999.
    """
    hasher: Callable[..., Any] = hashlib.sha512 if bits == 512 else hashlib.sha256
    digest_b = hasher(password + salt + password).digest()
    ctx = hasher(password + salt + _repeat_to(digest_b, len(password)))
    length = len(password)
    while length:
        ctx.update(digest_b if length & 1 else password)
        length >>= 1
    digest_a = ctx.digest()
    p_bytes = _repeat_to(hasher(password * len(password)).digest(), len(password)) if password else b""
    s_bytes = _repeat_to(hasher(salt * (16 + digest_a[0])).digest(), len(salt)) if salt else b""
    # Round i hashes C and constant parts in an order that depends on i % 2, i % 3
    # and i % 7: it repeats every 42 rounds, so build the constants once.
    cycle = []
    for i in range(42):
        middle = (s_bytes if i % 3 else b"") + (p_bytes if i % 7 else b"")
        cycle.append((True, p_bytes + middle) if i & 1 else (False, middle + p_bytes))
    digest = digest_a
    for c_last, constant in itertools.islice(itertools.cycle(cycle), rounds):
        digest = hasher(constant + digest).digest() if c_last else hasher(digest + constant).digest()
    order = _SHA512_ORDER if bits == 512 else _SHA256_ORDER
    text = "".join(_encode24(digest[a], digest[b], digest[c], 4) for a, b, c in order)
    if bits == 512:
        return text + _encode24(0, 0, digest[63], 2)
    return text + _encode24(0, digest[31], digest[30], 3)


def md5_crypt(password: bytes, salt: bytes) -> str:
    """The MD5-crypt digest (the part after the last ``$``); ``salt`` at most 8 bytes."""
    alternate = hashlib.md5(password + salt + password).digest()
    ctx = hashlib.md5(password + b"$1$" + salt + _repeat_to(alternate, len(password)))
    length = len(password)
    while length:
        ctx.update(b"\0" if length & 1 else password[:1])
        length >>= 1
    digest = ctx.digest()
    for i in range(1000):
        first = password if i & 1 else digest
        middle = (salt if i % 3 else b"") + (password if i % 7 else b"")
        last = digest if i & 1 else password
        digest = hashlib.md5(first + middle + last).digest()
    text = "".join(_encode24(digest[a], digest[b], digest[c], 4) for a, b, c in _MD5_ORDER)
    return text + _encode24(0, 0, digest[11], 2)


def _crypt_salt(given: str, algorithm: str, max_salt: int) -> str:
    """The salt that goes into the hash, made from the ``given`` one as ansible-core
    2.21 makes it without passlib: the given characters are the random input of
    libxcrypt's salt generator, whose every three bytes (after the last byte, which it
    does not use) become four salt characters, at most ``max_salt`` of them; fewer than
    three bytes cannot make a salt."""
    raw = given.encode("ascii")
    if len(raw) < 3:
        raise fail(f"Failed to generate salt for '{algorithm}' algorithm: crypt_gensalt failed: "
                   f"unable to generate salt")
    usable = (len(raw) - 1) // 3 * 3
    text = "".join(_encode24(raw[i + 2], raw[i + 1], raw[i], 4) for i in range(0, usable, 3))
    return text[:max_salt]


# name -> (identifier, maximum salt size, default rounds or None)
ALGORITHMS: dict[str, tuple[str, int, int | None]] = {
    "sha512_crypt": ("6", 16, 656000),
    "sha256_crypt": ("5", 16, 535000),
    "md5_crypt": ("1", 8, None),
}
_ALIASES = {"sha512": "sha512_crypt", "sha256": "sha256_crypt", "md5": "md5_crypt"}
_SHA_IMPLICIT_ROUNDS = 5000


@strict
def password_hash(password: Any, hashtype: str = "sha512", salt: Any = None, salt_size: Any = None,
                  rounds: Any = None, ident: Any = None) -> str:
    """A crypt(3) hash of ``password``: ``$6$rounds=N$salt$digest`` and the like.

    ``hashtype``: ``sha512``/``sha512_crypt`` (default), ``sha256``/
    ``sha256_crypt``, ``md5``/``md5_crypt``.  ``salt`` (characters ``./0-9A-Za-z``)
    is random when not given, ``salt_size`` long (the algorithm's maximum by
    default); the hash's own salt is made from it as ansible-core 2.21 makes it
    (:func:`_crypt_salt`).  ``rounds`` applies to the SHA algorithms.  ``ident`` is accepted
    for bcrypt's variants only, so it must be None here.
    """
    algorithm = _ALIASES.get(str(hashtype), str(hashtype))
    if algorithm not in ALGORITHMS:
        raise fail(f"password_hash does not support the '{hashtype}' algorithm "
                   f"(supported: {', '.join(sorted(set(ALGORITHMS) | set(_ALIASES)))})")
    if ident is not None:
        raise fail(f"password_hash: 'ident' does not apply to {algorithm}")
    identifier, max_salt, default_rounds = ALGORITHMS[algorithm]
    if salt is None:
        size = max_salt if salt_size is None else int(salt_size)
        if not 1 <= size <= max_salt:
            raise fail(f"password_hash: invalid salt size {size} for {algorithm}, expected at most {max_salt}")
        salt = "".join(secrets.choice(_ALPHABET) for _ in range(size))
    salt = str(salt)
    if not salt or set(salt) - _SALT_CHARS:
        raise fail("password_hash: invalid characters in salt (allowed: ./0-9A-Za-z)")
    if len(salt) > max_salt:
        raise fail(f"password_hash: invalid salt size {len(salt)} for {algorithm}, expected at most {max_salt}")
    if default_rounds is None and rounds is not None:
        raise fail(f"password_hash: 'rounds' does not apply to {algorithm}")
    count = default_rounds if rounds is None else int(rounds)
    if count is not None and not 1000 <= count <= 999_999_999:
        raise fail(f"password_hash: rounds must be between 1000 and 999999999, got {count}")
    return crypt_hash(str(password), algorithm, _crypt_salt(salt, algorithm, max_salt), count)


def crypt_hash(password: str, algorithm: str, salt: str, rounds: int | None = None) -> str:
    """The crypt(3) hash of ``password`` with exactly ``salt`` (``./0-9A-Za-z``, at
    most the algorithm's size; as glibc's ``crypt``): ``algorithm`` is a key of
    :data:`ALGORITHMS`; ``rounds`` (SHA only) defaults to the algorithm's."""
    identifier, _, default_rounds = ALGORITHMS[algorithm]
    secret = password.encode("utf-8")
    if default_rounds is None:
        return f"$1${salt}${md5_crypt(secret, salt.encode('ascii'))}"
    count = default_rounds if rounds is None else rounds
    digest = sha_crypt(secret, salt.encode("ascii"), count, 512 if identifier == "6" else 256)
    rounds_part = "" if count == _SHA_IMPLICIT_ROUNDS else f"rounds={count}$"
    return f"${identifier}${rounds_part}{salt}${digest}"

FILTERS = {"password_hash": volatile(password_hash)}
