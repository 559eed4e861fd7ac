"""``ansible.module_utils.common.json``: the JSON encoder that knows Ansible's
values (vaulted values, dates, sets, any mapping); standard library only, as
everything under ``ansible.module_utils`` (it may travel with a module)."""
from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["AnsibleJSONEncoder"]


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
