"""Ansible Vault compatible encryption: the API the rest of corral uses.

- :func:`is_encrypted` tells whether data is a vault.
- :class:`VaultLib` decrypts and encrypts with a list of ``(vault_id, secret)``
  pairs, as built by :func:`secrets_from_options`.
- :class:`EncryptedValue` is an inline ``!vault |`` value: decrypted lazily,
  compared and printed as its plaintext, never templated again, and recognised
  by :func:`is_vault_value` so that output can hide it (:func:`redact_vault`) or
  a module can receive its plaintext (:func:`unvault`).

The byte format is in :mod:`corral.parsing.vault_format`, secrets in
:mod:`corral.parsing.vault_secrets`, safe file writing in
:mod:`corral.parsing.vault_files`.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from corral.errors import CorralVaultError
from corral.parsing.vault_files import atomic_write
from corral.parsing.vault_format import (
    DEFAULT_VAULT_ID,
    Envelope,
    VaultFormatError,
    format_envelope,
    is_vaulttext,
    open_sealed,
    parse_envelope,
    seal,
)
from corral.parsing.vault_secrets import (
    VaultSecret,
    parse_vault_id,
    secrets_from_options,
    select_encrypt_secret,
    with_configured_sources,
)

__all__ = [
    "DEFAULT_VAULT_ID",
    "VaultLib",
    "VaultSecret",
    "EncryptedValue",
    "is_encrypted",
    "is_vault_value",
    "unvault",
    "redact_vault",
    "secrets_from_options",
    "select_encrypt_secret",
    "parse_vault_id",
    "with_configured_sources",
    "atomic_write",
]

Secrets = list[tuple[str, VaultSecret]]


def is_encrypted(data: bytes | str) -> bool:
    """Whether ``data`` is Ansible Vault text (starts with ``$ANSIBLE_VAULT``)."""
    return is_vaulttext(data)


def _where(filename: str | None) -> str:
    return f" '{filename}'" if filename else ""


class VaultLib:
    """Decrypts and encrypts vaults with a list of ``(vault_id, secret)`` pairs.

    Stateless apart from the secrets, so one instance may be shared by threads.
    """

    def __init__(self, secrets: Secrets | None = None) -> None:
        self.secrets: Secrets = [(vault_id, _as_secret(secret)) for vault_id, secret in (secrets or [])]

    def __reduce__(self) -> tuple[Any, ...]:
        return (VaultLib, (self.secrets,))

    @staticmethod
    def is_encrypted(data: bytes | str) -> bool:
        return is_encrypted(data)

    def _candidates(self, envelope: Envelope) -> Secrets:
        """Secrets whose id matches the envelope's first, then all the others."""
        if not envelope.vault_id:
            return list(self.secrets)
        matching = [pair for pair in self.secrets if pair[0] == envelope.vault_id]
        return matching + [pair for pair in self.secrets if pair[0] != envelope.vault_id]

    def decrypt_and_get_vault_id(self, data: bytes | str,
                                 filename: str | None = None) -> tuple[bytes, str, VaultSecret]:
        """Return ``(plaintext, vault_id, secret)`` of the secret that opened ``data``.

        Raises :class:`CorralVaultError` naming ``filename`` and the vault ids
        tried when the data is not a vault, is damaged or truncated, or no secret
        opens it.  Nothing is returned unless the whole vault authenticated.
        """
        if not is_encrypted(data):
            raise CorralVaultError(f"Input{_where(filename)} is not vault encrypted data")
        try:
            envelope = parse_envelope(data)
        except VaultFormatError as exc:
            raise CorralVaultError(f"Vault format error in{_where(filename) or ' input'}: {exc}") from exc
        if not self.secrets:
            raise CorralVaultError(f"Attempting to decrypt{_where(filename) or ' vaulted data'} but no vault "
                                   "secrets were given (use --vault-id, --vault-password-file or "
                                   "--ask-vault-pass)")
        candidates = self._candidates(envelope)
        for vault_id, secret in candidates:
            try:
                plaintext = open_sealed(envelope, secret)
            except VaultFormatError as exc:
                raise CorralVaultError(f"Vault format error in{_where(filename) or ' input'} "
                                       f"(vault id '{vault_id}'): {exc}") from exc
            if plaintext is not None:
                return plaintext, vault_id, secret
        tried = ", ".join(dict.fromkeys(vault_id for vault_id, _ in candidates))
        labelled = f" (labelled '{envelope.vault_id}')" if envelope.vault_id else ""
        raise CorralVaultError(f"Decryption failed on{_where(filename) or ' vaulted data'}{labelled}: no vault "
                               f"secret could decrypt it; vault ids tried: {tried}. The password is wrong "
                               "or the data was altered")

    def decrypt(self, data: bytes | str, filename: str | None = None) -> bytes:
        """Decrypt vault text; see :meth:`decrypt_and_get_vault_id` for errors."""
        return self.decrypt_and_get_vault_id(data, filename)[0]

    def encrypt(self, plaintext: bytes | str, secret: bytes | str | None = None,
                vault_id: str | None = None, salt: bytes | None = None) -> bytes:
        """Encrypt ``plaintext`` into vault text (ending with a newline).

        ``secret`` defaults to the secret of ``vault_id``, else the first secret.
        A ``vault_id`` other than ``default`` writes format 1.2 with that label.
        ``salt`` is for reproducible tests only.
        """
        if secret is None:
            if not self.secrets:
                raise CorralVaultError("A vault secret is required to encrypt")
            vault_id, secret = select_encrypt_secret(self.secrets[:1] if vault_id is None else self.secrets,
                                                     vault_id)
        secret = _as_secret(secret)
        if not secret:
            raise CorralVaultError("Refusing to encrypt with an empty vault password")
        data = plaintext.encode("utf-8", "surrogateescape") if isinstance(plaintext, str) else bytes(plaintext)
        try:
            return format_envelope(*seal(data, secret, salt), vault_id=vault_id)
        except VaultFormatError as exc:
            raise CorralVaultError(str(exc)) from exc


def _as_secret(secret: Any) -> VaultSecret:
    if isinstance(secret, VaultSecret):
        return secret
    if isinstance(secret, (bytes, bytearray, str)):
        return VaultSecret(secret)
    raw = getattr(secret, "bytes", None)  # an Ansible-style secret object
    if isinstance(raw, (bytes, bytearray)):
        return VaultSecret(raw)
    raise TypeError(f"a vault secret must be bytes or str, not {type(secret).__name__}")


class EncryptedValue:
    """An inline ``!vault |`` value.

    Decrypted on first use (``.data``); then it behaves as its plaintext string:
    ``str()``, ``==`` with a ``str``, ``len``, ``in``, indexing, ``+`` and the
    ``str`` methods.  ``repr`` never shows the plaintext.  ``__UNSAFE__`` tells
    the templar not to render the plaintext again.  Copies are the same object:
    the value is immutable.  A decryption error names the YAML position when the
    loader set ``ansible_pos``.
    """

    __UNSAFE__ = True

    def __init__(self, ciphertext: str | bytes, vault: VaultLib) -> None:
        self._ciphertext = ciphertext.decode("ascii") if isinstance(ciphertext, bytes) else str(ciphertext)
        self.vault = vault
        self._plaintext: str | None = None
        self.ansible_pos: tuple[str, int, int] | None = None

    @classmethod
    def from_plaintext(cls, plaintext: str, vault: VaultLib, secret: bytes | str | None = None,
                       vault_id: str | None = None) -> EncryptedValue:
        """Encrypt ``plaintext`` into a new value."""
        value = cls(vault.encrypt(plaintext, secret, vault_id).decode("ascii"), vault)
        value._plaintext = plaintext
        return value

    @property
    def ciphertext(self) -> str:
        """The vault text, as written in YAML."""
        return self._ciphertext

    def is_encrypted(self) -> bool:
        return is_encrypted(self._ciphertext)

    @property
    def data(self) -> str:
        """The plaintext (decrypted once, then remembered)."""
        if self._plaintext is None:
            where = None
            if self.ansible_pos:
                path, line, column = self.ansible_pos
                where = f"{path}, line {line}, column {column}"
            plain = self.vault.decrypt(self._ciphertext, filename=where)
            self._plaintext = plain.decode("utf-8", "surrogateescape")
        return self._plaintext

    # -- behaving as the plaintext --------------------------------------------------

    def __str__(self) -> str:
        return self.data

    def __repr__(self) -> str:
        return "EncryptedValue(<vaulted>)"

    def __format__(self, spec: str) -> str:
        return format(self.data, spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EncryptedValue):
            return other is self or self.data == other.data
        if isinstance(other, str):
            return self.data == other
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self.data)

    def __lt__(self, other: object) -> bool:
        return self.data < str(other)

    def __le__(self, other: object) -> bool:
        return self.data <= str(other)

    def __gt__(self, other: object) -> bool:
        return self.data > str(other)

    def __ge__(self, other: object) -> bool:
        return self.data >= str(other)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __contains__(self, item: object) -> bool:
        return str(item) in self.data

    def __getitem__(self, index: int | slice) -> str:
        return self.data[index]

    def __add__(self, other: object) -> str:
        return self.data + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + self.data

    def __mul__(self, count: int) -> str:
        return self.data * count

    def __mod__(self, args: Any) -> str:
        return self.data % args

    def __getattr__(self, name: str) -> Any:
        # The str methods (upper, split, startswith, ...) act on the plaintext.
        if name.startswith("_") or not hasattr(str, name):
            raise AttributeError(name)
        return getattr(self.data, name)

    # -- copying and pickling: never carry the plaintext along ----------------------

    def __copy__(self) -> EncryptedValue:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> EncryptedValue:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_encrypted_value, (self._ciphertext, self.vault, self.ansible_pos))


def _rebuild_encrypted_value(ciphertext: str, vault: VaultLib,
                             position: tuple[str, int, int] | None) -> EncryptedValue:
    value = EncryptedValue(ciphertext, vault)
    value.ansible_pos = position
    return value


def is_vault_value(obj: Any) -> bool:
    """Whether ``obj`` is an inline vault value (:class:`EncryptedValue`)."""
    return isinstance(obj, EncryptedValue)


def unvault(obj: Any) -> Any:
    """``obj`` with every vault value inside it (recursively) replaced by its
    plaintext ``str``: what a module or a task that prints on purpose receives."""
    return _replace(obj, lambda value: value.data)


def redact_vault(obj: Any) -> Any:
    """``obj`` with every vault value inside it replaced by
    ``{"__ansible_vault": ciphertext}``, as Ansible shows vaulted values in
    results: what callbacks print by default."""
    return _replace(obj, lambda value: {"__ansible_vault": value.ciphertext})


def _replace(obj: Any, convert: Any) -> Any:
    if isinstance(obj, EncryptedValue):
        return convert(obj)
    if isinstance(obj, dict):
        return _rebuild(obj, {key: _replace(value, convert) for key, value in obj.items()})
    if isinstance(obj, list):
        return _rebuild(obj, [_replace(item, convert) for item in obj])
    if isinstance(obj, tuple):
        return tuple(_replace(item, convert) for item in obj)
    return obj


def _rebuild(original: Any, plain: Any) -> Any:
    """Keep a container's own type (e.g. a mapping carrying ``ansible_pos``) when
    it can be built from a plain one."""
    try:
        rebuilt = type(original)(plain)
    except TypeError:
        return plain
    position = getattr(original, "ansible_pos", None)
    if position is not None:
        try:
            rebuilt.ansible_pos = position
        except AttributeError:
            pass
    return rebuilt
