"""``vault``/``unvault``: encrypt and decrypt text with a password given in the
template; ``rekey_on_member``: a list of dicts as a dict keyed by one member.

Their failures are plain exceptions: the templar reports them as Ansible does,
``The filter plugin 'ansible.builtin.NAME' failed: ...``.
"""
from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from corral.errors import CorralVaultError
from corral.plugins import VaultLib, VaultSecret, is_encrypted, is_vault_value
from corral_template_filters._checks import strict, volatile

__all__ = ["vault", "unvault", "rekey_on_member", "MissingMember", "FILTERS"]

_FILTER_VAULT_ID = "filter_default"


def _secret(secret: Any, article: str = "a") -> str:
    # ansible-core's unvault words it "required to be as string": kept, as users match on it
    if not isinstance(secret, str):
        raise TypeError(f"Secret passed is required to be {article} string, instead we got {type(secret)}.")
    return secret


@strict
def vault(data: Any, secret: Any, salt: Any = None, vault_id: str = _FILTER_VAULT_ID, wrap_object: bool = False,
          vaultid: str | None = None) -> str:
    """``data`` (a string) encrypted with the password ``secret``: vault text of
    format 1.2 labelled ``vault_id`` (``vaultid`` is its old name).  ``salt``
    makes the result repeatable.  ``wrap_object`` changes nothing: the result is
    text, as in ansible-core 2.21."""
    if not isinstance(data, str):
        raise TypeError(f"Can only vault strings, instead we got {type(data)}.")
    password = _secret(secret)
    label = vaultid or vault_id
    fixed_salt = str(salt).encode("utf-8") if salt is not None else None
    return VaultLib().encrypt(data, password, vault_id=label, salt=fixed_salt).decode("ascii")


@strict
def unvault(data: Any, secret: Any, vault_id: str = _FILTER_VAULT_ID, vaultid: str | None = None) -> str:
    """The plaintext of vault text ``data`` (or of an inline vault value) opened
    with the password ``secret``; text that is not a vault is returned as it is."""
    password = _secret(secret, "as")
    if is_vault_value(data):
        data = data.ciphertext
    if not isinstance(data, str):
        raise TypeError(f"Vault should be in the form of a string, instead we got {type(data)}.")
    if not is_encrypted(data):
        return data
    try:
        plain = VaultLib([(vaultid or vault_id, VaultSecret(password))]).decrypt(data)
    except CorralVaultError as exc:
        raise ValueError("Unable to decrypt: Decryption failed (no vault secrets were found that could "
                         "decrypt).") from exc
    return plain.decode("utf-8", "surrogateescape")


class MissingMember(LookupError):
    """A missing member (its message is shown as it is, unlike ``KeyError``'s)."""


@strict
def rekey_on_member(data: Any, key: Any, duplicates: str = "error") -> dict[Any, Any]:
    """The dicts of ``data`` (a list, set or the values of a dict) keyed by their
    member ``key``; a repeated key is an error unless ``duplicates='overwrite'``
    (the last one wins)."""
    if duplicates not in ("error", "overwrite"):
        raise ValueError(f"duplicates parameter to rekey_on_member has unknown value {duplicates!r}")
    if isinstance(data, Mapping):
        items: Any = data.values()
    elif isinstance(data, (list, tuple, Set)):
        items = data
    else:
        raise TypeError("Type is not a valid list, set, or dict")
    result: dict[Any, Any] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise TypeError("List item is not a valid dict")
        if key not in item:
            raise MissingMember(f"Key {key!r} was not found.")
        value = item[key]
        if duplicates == "error" and value in result:
            raise ValueError(f"Key {value!r} is not unique, cannot convert to dict.")
        result[value] = item
    return result



FILTERS = {"vault": volatile(vault), "unvault": unvault, "rekey_on_member": rekey_on_member}
