"""``ansible.parsing.ajson``: JSON that knows Ansible's values (unsafe strings,
vaulted values, dates, sets)."""
from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["AnsibleJSONEncoder", "AnsibleJSONDecoder"]


class AnsibleJSONEncoder(json.JSONEncoder):
    """Encodes vaulted values as their plaintext (``vault_to_text``) or as
    ``{"__ansible_vault": ciphertext}``, dates in ISO format, sets and tuples as lists,
    mappings of any kind as objects."""

    def __init__(self, *args: Any, preprocess_unsafe: bool = False, vault_to_text: bool = False,
                 **kwargs: Any) -> None:
        self._vault_to_text = vault_to_text
        super().__init__(*args, **kwargs)

    def default(self, o: Any) -> Any:
        ciphertext = getattr(o, "ciphertext", None) or getattr(o, "_ciphertext", None)
        if ciphertext is not None:
            return str(o) if self._vault_to_text else {"__ansible_vault": str(ciphertext)}
        if isinstance(o, (datetime.date, datetime.datetime, datetime.time)):
            return o.isoformat()
        if isinstance(o, Mapping):
            return dict(o)
        if isinstance(o, (set, frozenset, tuple)):
            return list(o)
        if isinstance(o, bytes):
            return o.decode("utf-8", "surrogateescape")
        return super().default(o)


class AnsibleJSONDecoder(json.JSONDecoder):
    """Decodes ``{"__ansible_unsafe": text}`` as an unsafe string and
    ``{"__ansible_vault": ciphertext}`` as the ciphertext."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["object_hook"] = self._object_hook
        super().__init__(*args, **kwargs)

    @staticmethod
    def _object_hook(pairs: dict[str, Any]) -> Any:
        from corral.utils.unsafe import UnsafeText
        if len(pairs) == 1 and "__ansible_unsafe" in pairs:
            return UnsafeText(pairs["__ansible_unsafe"])
        if len(pairs) == 1 and "__ansible_vault" in pairs:
            return pairs["__ansible_vault"]
        return pairs
