"""``ansible.parsing.vault``: vault encryption (corral's ``VaultLib``) and the
values ``!vault`` loads as."""
from __future__ import annotations

from typing import Any

from corral.parsing.vault import EncryptedValue, VaultLib, is_encrypted

__all__ = ["VaultLib", "EncryptedString", "VaultHelper", "is_encrypted"]

EncryptedString = EncryptedValue


class VaultHelper:
    """Ansible 2.19's helper: the ciphertext of a vaulted value."""

    @staticmethod
    def get_ciphertext(value: Any, *, with_tags: bool = False) -> str | None:
        text = getattr(value, "ciphertext", None) or getattr(value, "_ciphertext", None)
        return str(text) if text is not None else None
