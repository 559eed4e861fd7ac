"""The Ansible Vault format, versions 1.1 and 1.2 (cipher ``AES256``).

A vault is a header line followed by a hex envelope::

    $ANSIBLE_VAULT;1.1;AES256
    $ANSIBLE_VAULT;1.2;AES256;<vault id>

The lines after the header are the hex encoding of
``hex(salt) "\\n" hex(hmac) "\\n" hex(ciphertext)``, cut into lines of 80
characters.  From the password and the 32-byte random salt, PBKDF2-HMAC-SHA256
with 10000 iterations derives 80 bytes: the AES-256 key, the HMAC-SHA256 key
(32 bytes each) and the 16-byte initial counter block.  The plaintext is padded
(PKCS#7, 16-byte blocks) and encrypted with AES-256 in CTR mode; the HMAC covers
the ciphertext.  Every primitive comes from ``cryptography``; the MAC is checked
in constant time.

This module knows bytes only; choosing secrets and naming files in errors is
:mod:`corral.parsing.vault`'s job.
"""
from __future__ import annotations

import binascii
import functools
import os
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # imported where used: a run without vaulted data does not load cryptography
    from cryptography.hazmat.primitives import hmac
    from cryptography.hazmat.primitives.ciphers import Cipher

__all__ = [
    "HEADER",
    "CIPHER_NAME",
    "DEFAULT_VAULT_ID",
    "Envelope",
    "VaultFormatError",
    "is_vaulttext",
    "parse_envelope",
    "format_envelope",
    "seal",
    "open_sealed",
    "check_vault_id",
]

HEADER = b"$ANSIBLE_VAULT"
CIPHER_NAME = "AES256"
DEFAULT_VAULT_ID = "default"
LINE_WIDTH = 80
SALT_SIZE = 32
ITERATIONS = 10000
KEY_SIZE = 32
IV_SIZE = 16
MAC_SIZE = 32
_VERSIONS = ("1.1", "1.2")


class VaultFormatError(ValueError):
    """The data is not a well-formed vault (bad header, truncated, not hex)."""


@dataclass(frozen=True)
class Envelope:
    """A parsed vault: the header's fields and the three binary parts."""

    version: str
    cipher: str
    vault_id: str | None
    salt: bytes
    mac: bytes
    ciphertext: bytes


def _to_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def is_vaulttext(data: bytes | str) -> bool:
    """Whether ``data`` starts with the vault header (as Ansible decides)."""
    if isinstance(data, str):
        return data.startswith(HEADER.decode())
    return bytes(data[:len(HEADER)]) == HEADER


def check_vault_id(vault_id: str) -> None:
    """Reject a vault id that cannot be written into a 1.2 header."""
    if not vault_id or any(ch in vault_id for ch in ";\r\n") or vault_id != vault_id.strip():
        raise VaultFormatError(f"Invalid vault id {vault_id!r}: it must be non-empty, without ';', "
                               "line breaks or surrounding spaces")


def _unhex(part: bytes, what: str) -> bytes:
    try:
        return binascii.unhexlify(part)
    except (binascii.Error, ValueError) as exc:
        raise VaultFormatError(f"the {what} is not valid hex (the vault is truncated or damaged)") from exc


def parse_envelope(data: bytes | str) -> Envelope:
    """Split a vault into its header fields and binary parts.

    Whitespace around each line is ignored (inline ``!vault`` values are
    indented).  Raises :class:`VaultFormatError` when the header is unknown or the
    body is truncated or not hex.
    """
    lines = _to_bytes(data).strip().splitlines()
    if not lines:
        raise VaultFormatError("the vault is empty")
    fields = [field.strip() for field in lines[0].strip().split(b";")]
    if fields[0] != HEADER or len(fields) < 3:
        raise VaultFormatError("the first line is not a vault header")
    version = fields[1].decode("ascii", "replace")
    if version not in _VERSIONS:
        raise VaultFormatError(f"vault format version {version!r} is not supported (1.1 and 1.2 are)")
    cipher = fields[2].decode("ascii", "replace")
    if cipher != CIPHER_NAME:
        raise VaultFormatError(f"vault cipher {cipher!r} is not supported (only {CIPHER_NAME} is)")
    vault_id = fields[3].decode("utf-8", "replace") if len(fields) > 3 and fields[3] else None
    body = _unhex(b"".join(line.strip() for line in lines[1:]), "vault body")
    parts = body.split(b"\n")
    if len(parts) != 3:
        raise VaultFormatError("the vault body does not have its three parts (salt, HMAC, ciphertext); "
                               "it is truncated or damaged")
    salt, mac, ciphertext = (_unhex(part, name) for part, name in zip(parts, ("salt", "HMAC", "ciphertext")))
    if len(mac) != MAC_SIZE or not salt or not ciphertext or len(ciphertext) % IV_SIZE:
        raise VaultFormatError("the vault's parts have wrong sizes; it is truncated or damaged")
    return Envelope(version, cipher, vault_id, salt, mac, ciphertext)


def format_envelope(salt: bytes, mac: bytes, ciphertext: bytes, vault_id: str | None = None) -> bytes:
    """Write a vault: version 1.2 with the id when ``vault_id`` is set and is not
    ``default``, else version 1.1.  Ends with a newline."""
    if vault_id and vault_id != DEFAULT_VAULT_ID:
        check_vault_id(vault_id)
        header = b";".join((HEADER, b"1.2", CIPHER_NAME.encode(), vault_id.encode("utf-8")))
    else:
        header = b";".join((HEADER, b"1.1", CIPHER_NAME.encode()))
    body = binascii.hexlify(b"\n".join(binascii.hexlify(part) for part in (salt, mac, ciphertext)))
    lines = [header] + [body[i:i + LINE_WIDTH] for i in range(0, len(body), LINE_WIDTH)]
    return b"\n".join(lines) + b"\n"


@functools.lru_cache(maxsize=512)
def _derive(secret: bytes, salt: bytes) -> tuple[bytes, bytes, bytes]:
    # PBKDF2 costs milliseconds; decrypting many values of one file reuses a salt
    # only when the same ciphertext is loaded again, which a run does often.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=2 * KEY_SIZE + IV_SIZE, salt=salt,
                     iterations=ITERATIONS)
    material = kdf.derive(secret)
    return material[:KEY_SIZE], material[KEY_SIZE:2 * KEY_SIZE], material[2 * KEY_SIZE:]


def _mac(key: bytes, ciphertext: bytes) -> hmac.HMAC:
    from cryptography.hazmat.primitives import hashes, hmac
    mac = hmac.HMAC(key, hashes.SHA256())
    mac.update(ciphertext)
    return mac


def _ctr(key: bytes, iv: bytes) -> Cipher:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    return Cipher(algorithms.AES(key), modes.CTR(iv))


def seal(plaintext: bytes, secret: bytes, salt: bytes | None = None) -> tuple[bytes, bytes, bytes]:
    """Encrypt ``plaintext``; return ``(salt, mac, ciphertext)``.  A fresh random
    salt is used unless one is given (tests only: a fixed salt repeats keys)."""
    salt = os.urandom(SALT_SIZE) if salt is None else salt
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import algorithms
    cipher_key, mac_key, iv = _derive(bytes(secret), bytes(salt))
    padder = padding.PKCS7(algorithms.AES.block_size).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = _ctr(cipher_key, iv).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return salt, _mac(mac_key, ciphertext).finalize(), ciphertext


def open_sealed(envelope: Envelope, secret: bytes) -> bytes | None:
    """Decrypt an envelope with ``secret``.

    Returns ``None`` when the HMAC does not match (wrong secret or tampered
    data); raises :class:`VaultFormatError` when the MAC matches but the padding
    is invalid.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import algorithms
    cipher_key, mac_key, iv = _derive(bytes(secret), envelope.salt)
    try:
        _mac(mac_key, envelope.ciphertext).verify(envelope.mac)
    except InvalidSignature:
        return None
    decryptor = _ctr(cipher_key, iv).decryptor()
    padded = decryptor.update(envelope.ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError as exc:
        raise VaultFormatError("the decrypted data has invalid padding") from exc
